/*
 * report.c - the JSON record of a message (doc/SCHEMA.md, "mailtrace/1").
 * The only file that includes <jansson.h>.  Every string is checked to be
 * valid UTF-8 before it reaches JSON; analysis has already cleaned what it
 * keeps, so this is a last line of defence, not the place anomalies are
 * recorded.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "enrich.h"
#include "geoip.h"
#include "mt.h"

/* jstr - a JSON string of s, or null when s is absent. */
static json_t *
jstr(struct mt_str s)
{
	if (s.p == NULL)
		return json_null();
	if (mt_utf8_valid(s.p, s.len) && memchr(s.p, '\0', s.len) == NULL)
		return json_stringn_nocheck(s.p, s.len);
	{
		struct mt_arena a;
		bool bad;
		struct mt_str c;
		json_t *j;

		mt_arena_init(&a);
		c = mt_utf8_clean(&a, s.p, s.len, &bad);
		j = json_stringn_nocheck(c.p, c.len);
		mt_arena_free(&a);
		return j;
	}
}

/* jcut - like jstr, cut at MT_MAX_VALUE_OUT on a character boundary. */
static json_t *
jcut(struct mt_str s)
{
	if (s.p != NULL && s.len > MT_MAX_VALUE_OUT)
		s.len = mt_utf8_cut(s.p, s.len, MT_MAX_VALUE_OUT);
	return jstr(s);
}

/* jtri - true, false or null. */
static json_t *
jtri(enum mt_tri t)
{
	return t == MT_NULL ? json_null() : json_boolean(t == MT_TRUE);
}

/* jtime - RFC 3339 UTC text of a time. */
static json_t *
jtime(int64_t utc)
{
	char buf[40];

	mt_date_format_utc(utc, buf, sizeof(buf));
	return json_string(buf);
}

/* joffset - "+0800" text of a zone offset. */
static json_t *
joffset(int min)
{
	char buf[16];

	mt_date_format_offset(min, buf, sizeof(buf));
	return json_string(buf);
}

/* jaddr - {"name", "address"}. */
static json_t *
jaddr(const struct mt_addr *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", jstr(a->name));
	json_object_set_new(o, "address", jstr(a->address));
	return o;
}

/* jaddrs - an array of addresses. */
static json_t *
jaddrs(const struct mt_addr_list *l)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(arr, jaddr(&l->v[i]));
	return arr;
}

/* input - where the message is. */
static json_t *
input(const struct mt_msg *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", jstr(m->path));
	json_object_set_new(o, "index", json_integer((json_int_t)m->index));
	json_object_set_new(o, "offset", json_integer((json_int_t)m->offset));
	json_object_set_new(o, "size", json_integer((json_int_t)m->size));
	return o;
}

/* envelope - MAIL FROM and RCPT TO as far as they are known. */
static json_t *
envelope(const struct mt_msg *m)
{
	const struct mt_envelope *e = &m->env;
	json_t *o = json_object(), *to = json_array(), *src = json_array();
	size_t i;

	json_object_set_new(o, "mail_from", jstr(e->mail_from));
	json_object_set_new(o, "mail_from_source", jstr(e->mail_from_source));
	for (i = 0; i < e->rcpt_to.n; i++) {
		json_array_append_new(to, jstr(e->rcpt_to.v[i]));
		json_array_append_new(src, jstr(e->rcpt_to_source.v[i]));
	}
	json_object_set_new(o, "rcpt_to", to);
	json_object_set_new(o, "rcpt_to_source", src);
	return o;
}

/* message - the author's fields. */
static json_t *
message(const struct mt_msg *m)
{
	const struct mt_summary *s = &m->sum;
	json_t *o = json_object();

	json_object_set_new(o, "from", jaddrs(&s->from));
	json_object_set_new(o, "to", jaddrs(&s->to));
	json_object_set_new(o, "cc", jaddrs(&s->cc));
	json_object_set_new(o, "reply_to", jaddrs(&s->reply_to));
	json_object_set_new(o, "sender",
	    s->has_sender ? jaddr(&s->sender) : json_null());
	json_object_set_new(o, "return_path", jstr(s->return_path));
	json_object_set_new(o, "subject", jcut(s->subject));
	json_object_set_new(o, "date",
	    s->has_date ? jtime(s->date.utc) : json_null());
	json_object_set_new(o, "date_offset",
	    s->has_date && !(s->date.flags & MT_DATE_NO_ZONE) ?
	    joffset(s->date.offset_min) : json_null());
	json_object_set_new(o, "date_raw", jcut(s->date_raw));
	json_object_set_new(o, "message_id", jcut(s->message_id));
	json_object_set_new(o, "x_mailer", jcut(s->x_mailer));
	return o;
}

static const char *const parsed_names[] = {
	[MT_PARSED_UNPARSED] = "unparsed",
	[MT_PARSED_FULL] = "full",
	[MT_PARSED_PARTIAL] = "partial",
	[MT_PARSED_COMMENT] = "comment",
};

static const char *const trust_names[] = {
	[MT_TRUST_NONE] = NULL,
	[MT_TRUST_TRUSTED] = "trusted",
	[MT_TRUST_BOUNDARY] = "boundary",
	[MT_TRUST_UNTRUSTED] = "untrusted",
	[MT_TRUST_INJECTED] = "injected",
};

static const char *const link_names[] = {
	[MT_LINK_NONE] = NULL,
	[MT_LINK_CONTINUOUS] = "continuous",
	[MT_LINK_PLAUSIBLE] = "plausible",
	[MT_LINK_BROKEN] = "broken",
};

static const char *const sev_names[] = {
	[MT_SEV_INFO] = "info",
	[MT_SEV_LOW] = "low",
	[MT_SEV_MEDIUM] = "medium",
	[MT_SEV_HIGH] = "high",
};

/* jstrs - an array of strings. */
static json_t *
jstrs(const struct mt_str *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, jcut(v[i]));
	return arr;
}

/* dns - what DNS said about a hop's client (enrich.h), or null. */
static json_t *
dns(const struct mt_dns_info *d)
{
	json_t *o, *bl;
	size_t i;

	if (d == NULL)
		return json_null();
	o = json_object();
	json_object_set_new(o, "status",
	    json_string(mt_enrich_status_name(d->status)));
	json_object_set_new(o, "ptr", jstrs(d->ptr.v, d->ptr.n));
	json_object_set_new(o, "fcrdns", jtri(d->fcrdns));
	json_object_set_new(o, "helo_resolves_to_ip", jtri(d->helo_resolves));
	bl = json_array();
	for (i = 0; i < d->dnsbl.n; i++) {
		const struct mt_dnsbl_result *r = &d->dnsbl.v[i];
		json_t *e = json_object();

		json_object_set_new(e, "zone", jstr(r->zone));
		json_object_set_new(e, "listed", json_boolean(r->listed));
		json_object_set_new(e, "codes", jstrs(r->codes.v, r->codes.n));
		json_object_set_new(e, "reason", jcut(r->reason));
		json_array_append_new(bl, e);
	}
	json_object_set_new(o, "dnsbl", bl);
	return o;
}

/* geo - what the GeoIP/ASN databases said about a hop's client. */
static json_t *
geo(const struct mt_geo_info *g)
{
	json_t *o;

	if (g == NULL)
		return json_null();
	o = json_object();
	json_object_set_new(o, "country", jstr(g->country));
	json_object_set_new(o, "city", jstr(g->city));
	json_object_set_new(o, "asn",
	    g->asn >= 0 ? json_integer(g->asn) : json_null());
	json_object_set_new(o, "as_org", jstr(g->as_org));
	return o;
}

/* hop - one Received field. */
static json_t *
hop(const struct mt_msg *m, const struct mt_hop *h)
{
	json_t *o = json_object(), *ids;
	const char *cls;
	size_t i;

	json_object_set_new(o, "index", json_integer((json_int_t)h->index));
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)h->header_index));
	json_object_set_new(o, "offset", json_integer((json_int_t)h->offset));
	json_object_set_new(o, "raw", jcut(h->raw));
	json_object_set_new(o, "parsed", json_string(parsed_names[h->parsed]));
	if (h->has_from) {
		json_t *f = json_object();

		json_object_set_new(f, "helo", jstr(h->from.helo));
		json_object_set_new(f, "rdns", jstr(h->from.rdns));
		json_object_set_new(f, "ip", jstr(h->from.ip));
		json_object_set_new(f, "port", h->from.port >= 0 ?
		    json_integer(h->from.port) : json_null());
		json_object_set_new(f, "ident", jstr(h->from.ident));
		json_object_set_new(o, "from", f);
	} else
		json_object_set_new(o, "from", json_null());
	if (h->has_by) {
		json_t *b = json_object();

		json_object_set_new(b, "host", jstr(h->by.host));
		json_object_set_new(b, "ip", jstr(h->by.ip));
		json_object_set_new(o, "by", b);
	} else
		json_object_set_new(o, "by", json_null());
	json_object_set_new(o, "via", jstr(h->via));
	json_object_set_new(o, "with", jstr(h->with));
	json_object_set_new(o, "tls", jtri(h->tls));
	json_object_set_new(o, "auth", jtri(h->auth));
	json_object_set_new(o, "id", jstr(h->id));
	json_object_set_new(o, "for", jstr(h->for_));
	json_object_set_new(o, "envelope_from", jstr(h->envelope_from));
	json_object_set_new(o, "timestamp",
	    h->has_time ? jtime(h->time) : json_null());
	json_object_set_new(o, "utc_offset",
	    h->has_time && !h->time_no_zone ? joffset(h->utc_offset) :
	    json_null());
	json_object_set_new(o, "delay_s",
	    h->has_delay ? json_integer(h->delay_s) : json_null());
	json_object_set_new(o, "mta", jstr(h->mta));
	cls = mt_ip_class_name(h->ip_class);
	json_object_set_new(o, "ip_class", cls ? json_string(cls) : json_null());
	json_object_set_new(o, "dns", dns(h->dns));
	json_object_set_new(o, "geo", geo(h->geo));
	/* The chain engine sets every hop's trust; "untrusted" is the
	 * safe reading should a hop ever escape it. */
	json_object_set_new(o, "trust", json_string(trust_names[h->trust] ?
	    trust_names[h->trust] : "untrusted"));
	ids = json_array();
	for (i = 0; i < m->findings.n; i++)
		if (m->findings.v[i].hop == (long)h->index)
			json_array_append_new(ids,
			    json_string(m->findings.v[i].id));
	json_object_set_new(o, "findings", ids);
	if (h->link != MT_LINK_NONE) {
		json_t *l = json_object();

		json_object_set_new(l, "state",
		    json_string(link_names[h->link]));
		json_object_set_new(l, "reason", jstr(h->link_reason));
		json_object_set_new(o, "link", l);
	} else
		json_object_set_new(o, "link", json_null());
	return o;
}

/* jkv - an object of name/value pairs; the first of a repeated name. */
static json_t *
jkv(const struct mt_kv *kv, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++) {
		char name[256];
		size_t l = kv[i].name.len < sizeof(name) - 1 ? kv[i].name.len :
		    mt_utf8_cut(kv[i].name.p, kv[i].name.len, sizeof(name) - 1);

		if (kv[i].name.p == NULL)
			continue;
		memcpy(name, kv[i].name.p, l);
		name[l] = '\0';
		if (memchr(name, '\0', l) != NULL || !mt_utf8_valid(name, l) ||
		    json_object_get(o, name) != NULL)
			continue;
		json_object_set_new(o, name, jcut(kv[i].value));
	}
	return o;
}

/* jnum - an integer, or null when negative (absent). */
static json_t *
jnum(int64_t v)
{
	return v < 0 ? json_null() : json_integer((json_int_t)v);
}

/* auth_result - one Authentication-Results or ARC-Authentication-Results. */
static json_t *
auth_result(const struct mt_auth_res *r)
{
	json_t *o = json_object(), *meths = json_array();
	size_t i;

	json_object_set_new(o, "header", json_string(r->arc ?
	    "ARC-Authentication-Results" : "Authentication-Results"));
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)r->header_index));
	json_object_set_new(o, "instance", jnum(r->instance));
	json_object_set_new(o, "authserv_id", jcut(r->authserv_id));
	json_object_set_new(o, "trusted", json_boolean(r->trusted));
	for (i = 0; i < r->methods.n; i++) {
		const struct mt_auth_method *me = &r->methods.v[i];
		json_t *x = json_object();

		json_object_set_new(x, "method", jcut(me->method));
		json_object_set_new(x, "version", jcut(me->version));
		json_object_set_new(x, "result", jcut(me->result));
		json_object_set_new(x, "reason", jcut(me->reason));
		json_object_set_new(x, "comment", jcut(me->comment));
		json_object_set_new(x, "props", jkv(me->props.v, me->props.n));
		json_array_append_new(meths, x);
	}
	json_object_set_new(o, "methods", meths);
	return o;
}

/* auth_spf - one Received-SPF field. */
static json_t *
auth_spf(const struct mt_auth_spf *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "result", jcut(s->result));
	json_object_set_new(o, "client_ip", jcut(s->client_ip));
	json_object_set_new(o, "envelope_from", jcut(s->envelope_from));
	json_object_set_new(o, "helo", jcut(s->helo));
	json_object_set_new(o, "receiver", jcut(s->receiver));
	json_object_set_new(o, "identity", jcut(s->identity));
	json_object_set_new(o, "mechanism", jcut(s->mechanism));
	json_object_set_new(o, "problem", jcut(s->problem));
	json_object_set_new(o, "comment", jcut(s->comment));
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)s->header_index));
	json_object_set_new(o, "trusted", json_boolean(s->trusted));
	return o;
}

/* auth_dkim - one DKIM-Signature and mailtrace's verification. */
static json_t *
auth_dkim(const struct mt_auth_dkim *s)
{
	static const char *const res[] = {
		[MT_DKIM_NULL] = NULL, [MT_DKIM_PASS] = "pass",
		[MT_DKIM_FAIL] = "fail", [MT_DKIM_PERMERROR] = "permerror",
		[MT_DKIM_TEMPERROR] = "temperror",
		[MT_DKIM_NEUTRAL] = "neutral",
	};
	json_t *o = json_object();
	const char *r = (unsigned)s->result < sizeof(res) / sizeof(res[0]) ?
	    res[s->result] : NULL;

	json_object_set_new(o, "d", jcut(s->d));
	json_object_set_new(o, "s", jcut(s->s));
	json_object_set_new(o, "a", jcut(s->a));
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)s->header_index));
	json_object_set_new(o, "result", r ? json_string(r) : json_null());
	json_object_set_new(o, "reason", jcut(s->reason));
	json_object_set_new(o, "aligned", jtri(s->aligned));
	json_object_set_new(o, "aligned_strict", jtri(s->aligned_strict));
	json_object_set_new(o, "c", jcut(s->c));
	json_object_set_new(o, "i", jcut(s->i));
	json_object_set_new(o, "h", jcut(s->h));
	json_object_set_new(o, "l", jnum(s->l));
	json_object_set_new(o, "t", jnum(s->t));
	json_object_set_new(o, "x", jnum(s->x));
	json_object_set_new(o, "bh", jcut(s->bh));
	json_object_set_new(o, "weak", json_boolean(s->weak));
	json_object_set_new(o, "testing", json_boolean(s->testing));
	json_object_set_new(o, "key", jcut(s->key_name));
	return o;
}

/* auth_vendor - one spam filter's stamp. */
static json_t *
auth_vendor(const struct mt_auth_vendor *v)
{
	json_t *o = json_object(), *notes = json_array();
	size_t i;

	json_object_set_new(o, "header", jcut(v->header));
	json_object_set_new(o, "vendor", v->vendor ? json_string(v->vendor) :
	    json_null());
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)v->header_index));
	json_object_set_new(o, "trusted", json_boolean(v->trusted));
	json_object_set_new(o, "fields", jkv(v->fields.v, v->fields.n));
	for (i = 0; i < v->notes.n; i++)
		json_array_append_new(notes, jcut(v->notes.v[i]));
	json_object_set_new(o, "notes", notes);
	return o;
}

/* auth_ipcheck - an address a stamp gives, against the chain. */
static json_t *
auth_ipcheck(const struct mt_auth_ipcheck *c)
{
	static const char *const st[] = {
		[MT_IPCHK_UNCHECKED] = NULL, [MT_IPCHK_AGREES] = "agrees",
		[MT_IPCHK_INTERNAL] = "internal", [MT_IPCHK_DEEPER] = "deeper",
		[MT_IPCHK_CONFLICT] = "conflict",
		[MT_IPCHK_UNRELATED] = "unrelated",
	};
	json_t *o = json_object();
	const char *s = (unsigned)c->state < sizeof(st) / sizeof(st[0]) ?
	    st[c->state] : NULL;

	json_object_set_new(o, "source", json_string(c->source));
	json_object_set_new(o, "header_index",
	    json_integer((json_int_t)c->header_index));
	json_object_set_new(o, "ip", jstr(c->ip));
	json_object_set_new(o, "trusted", json_boolean(c->trusted));
	json_object_set_new(o, "state", s ? json_string(s) : json_null());
	json_object_set_new(o, "hop", c->hop >= 0 ?
	    json_integer(c->hop) : json_null());
	json_object_set_new(o, "detail", jstr(c->why));
	return o;
}

/* auth - authentication evidence (auth.c, dkim.c). */
static json_t *
auth(const struct mt_msg *m)
{
	const struct mt_auth *au = &m->auth;
	json_t *o = json_object(), *a;
	size_t i;

	a = json_array();
	for (i = 0; i < au->results.n; i++)
		json_array_append_new(a, auth_result(&au->results.v[i]));
	json_object_set_new(o, "results", a);
	a = json_array();
	for (i = 0; i < au->spf.n; i++)
		json_array_append_new(a, auth_spf(&au->spf.v[i]));
	json_object_set_new(o, "spf", a);
	a = json_array();
	for (i = 0; i < au->dkim.n; i++)
		json_array_append_new(a, auth_dkim(&au->dkim.v[i]));
	json_object_set_new(o, "dkim", a);
	if (au->has_arc) {
		json_t *arc = json_object(), *sl = json_array();

		json_object_set_new(arc, "instances",
		    json_integer((json_int_t)au->arc.instances));
		json_object_set_new(arc, "chain_claimed",
		    jstr(au->arc.chain_claimed));
		for (i = 0; i < au->arc.sealers.n; i++)
			json_array_append_new(sl, jcut(au->arc.sealers.v[i]));
		json_object_set_new(arc, "sealers", sl);
		json_object_set_new(o, "arc", arc);
	} else
		json_object_set_new(o, "arc", json_null());
	if (au->has_dmarc) {
		json_t *d = json_object();

		json_object_set_new(d, "from_domain", jcut(au->dmarc.from_domain));
		json_object_set_new(d, "dkim_aligned",
		    jtri(au->dmarc.dkim_aligned));
		json_object_set_new(d, "spf_aligned",
		    jtri(au->dmarc.spf_aligned));
		json_object_set_new(o, "dmarc", d);
	} else
		json_object_set_new(o, "dmarc", json_null());
	a = json_array();
	for (i = 0; i < au->vendor.n; i++)
		json_array_append_new(a, auth_vendor(&au->vendor.v[i]));
	json_object_set_new(o, "vendor", a);
	a = json_array();
	for (i = 0; i < au->ipchecks.n; i++)
		json_array_append_new(a, auth_ipcheck(&au->ipchecks.v[i]));
	json_object_set_new(o, "ip_checks", a);
	return o;
}

/* boundary - where the message entered the recipient's side. */
static json_t *
boundary(const struct mt_msg *m)
{
	json_t *o;

	if (!m->has_boundary)
		return json_null();
	o = json_object();
	json_object_set_new(o, "hop", json_integer((json_int_t)m->boundary_hop));
	json_object_set_new(o, "by", jstr(m->hops.v[m->boundary_hop].by.host));
	json_object_set_new(o, "reason", json_string(m->boundary_reason));
	return o;
}

/* origin - the host that handed the message over, and the sender's own
 * story below it. */
static json_t *
origin(const struct mt_msg *m)
{
	const struct mt_hop *h;
	json_t *o;

	if (!m->has_origin)
		return json_null();
	h = &m->hops.v[m->origin_hop];
	o = json_object();
	json_object_set_new(o, "ip", jstr(h->from.ip));
	json_object_set_new(o, "hop", json_integer((json_int_t)m->origin_hop));
	json_object_set_new(o, "helo", jstr(h->from.helo));
	json_object_set_new(o, "rdns", jstr(h->from.rdns));
	json_object_set_new(o, "asn", h->geo != NULL && h->geo->asn >= 0 ?
	    json_integer(h->geo->asn) : json_null());
	json_object_set_new(o, "country",
	    h->geo != NULL ? jstr(h->geo->country) : json_null());
	json_object_set_new(o, "confidence", json_string(m->origin_confidence));
	if (m->has_claimed) {
		const struct mt_hop *c = &m->hops.v[m->claimed_hop];
		json_t *cl = json_object();

		json_object_set_new(cl, "ip", jstr(c->from.ip));
		json_object_set_new(cl, "hop",
		    json_integer((json_int_t)m->claimed_hop));
		json_object_set_new(cl, "confidence",
		    json_string(m->claimed_confidence));
		json_object_set_new(o, "claimed", cl);
	} else
		json_object_set_new(o, "claimed", json_null());
	return o;
}

/* findings - every finding with its evidence. */
static json_t *
findings(const struct mt_msg *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(f->id));
		json_object_set_new(o, "severity", json_string(sev_names[f->sev]));
		json_object_set_new(o, "score", json_real(f->score));
		json_object_set_new(o, "hop", f->hop >= 0 ?
		    json_integer(f->hop) : json_null());
		json_object_set_new(o, "header_index", f->header_index >= 0 ?
		    json_integer(f->header_index) : json_null());
		json_object_set_new(o, "offset", f->offset >= 0 ?
		    json_integer(f->offset) : json_null());
		json_object_set_new(o, "detail", jstr(f->detail));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* verdict - label and score. */
static json_t *
verdict(const struct mt_msg *m)
{
	json_t *o;

	if (!m->has_verdict)
		return json_null();
	o = json_object();
	json_object_set_new(o, "label", json_string(m->label));
	json_object_set_new(o, "score", json_real(m->score));
	return o;
}

/* anomalies - every recorded anomaly with its offset. */
static json_t *
anomalies(const struct mt_msg *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->anomalies.n; i++) {
		json_t *a = json_object();

		json_object_set_new(a, "id",
		    json_string(mt_anomaly_name(m->anomalies.v[i].code)));
		json_object_set_new(a, "offset",
		    json_integer((json_int_t)m->anomalies.v[i].offset));
		json_array_append_new(arr, a);
	}
	return arr;
}

/* evidence - every DNS query behind the record (with dns_evidence on):
 * name, type, status, answers as received, TTL and milliseconds. */
static json_t *
evidence(const struct mt_msg *m)
{
	json_t *arr = json_array();
	size_t i, j;

	if (!mt_enrich_evidence(m->ctx))
		return arr;
	for (i = 0; i < mt_enrich_count(m); i++) {
		const struct mt_dns_answer *a = mt_enrich_answer(m, i);
		json_t *o, *ans;

		if (a == NULL)
			continue;
		o = json_object();
		json_object_set_new(o, "qname",
		    jstr(mt_str(a->qname, strlen(a->qname))));
		json_object_set_new(o, "type",
		    json_string(mt_dns_type_name(a->type)));
		json_object_set_new(o, "status",
		    json_string(mt_enrich_status_name(a->status)));
		ans = json_array();
		for (j = 0; j < a->nanswers; j++)
			json_array_append_new(ans,
			    jcut(mt_str(a->answers[j], a->lens[j])));
		json_object_set_new(o, "answers", ans);
		json_object_set_new(o, "ttl", json_integer(a->ttl));
		json_object_set_new(o, "ms", json_integer(a->ms));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* record - the whole JSON object of a message. */
static json_t *
record(const struct mt_msg *m)
{
	json_t *o = json_object(), *hops;
	bool failed;
	size_t i;

	json_object_set_new(o, "schema", json_string(MT_SCHEMA));
	json_object_set_new(o, "input", input(m));
	json_object_set_new(o, "error", jstr(m->error));
	/* An error record keeps every key, with nothing known. */
	failed = m->error.p != NULL;
	json_object_set_new(o, "envelope", failed ? json_null() : envelope(m));
	json_object_set_new(o, "message", failed ? json_null() : message(m));
	hops = json_array();
	for (i = 0; i < m->hops.n; i++)
		json_array_append_new(hops, hop(m, &m->hops.v[i]));
	json_object_set_new(o, "hops", hops);
	json_object_set_new(o, "boundary", boundary(m));
	json_object_set_new(o, "origin", origin(m));
	json_object_set_new(o, "auth", failed ? json_null() : auth(m));
	json_object_set_new(o, "findings", findings(m));
	json_object_set_new(o, "anomalies", anomalies(m));
	json_object_set_new(o, "dns_evidence",
	    failed ? json_array() : evidence(m));
	json_object_set_new(o, "verdict", verdict(m));
	return o;
}

/* mt_msg_json - the record as text; see mailtrace.h. */
int
mt_msg_json(const struct mt_msg *m, unsigned flags, char **out)
{
	json_t *o = record(m);
	size_t jflags = JSON_PRESERVE_ORDER;

	*out = NULL;
	if (o == NULL)
		return -1;
	jflags |= (flags & MT_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	*out = json_dumps(o, jflags);
	json_decref(o);
	return *out == NULL ? -1 : 0;
}
