/*
 * report.c - the JSON record of a message (doc/SCHEMA.md, "mailtrace/1").
 * The only file that includes <jansson.h>.  Every string is checked to be
 * valid UTF-8 before it reaches JSON; analysis has already cleaned what it
 * keeps, so this is a last line of defence, not the place anomalies are
 * recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ------------------------------------------------------------------ */
/* Accessors for the command                                          */
/* ------------------------------------------------------------------ */

/* mt_msg_get_label - "clean", "suspicious" or "forged"; NULL for an error
 * record or a message without a verdict. */
const char *
mt_msg_get_label(const struct mt_msg *m)
{
	return m->error.p == NULL && m->has_verdict ? m->label : NULL;
}

/* mt_msg_get_score - the verdict score (0 without a verdict). */
double
mt_msg_get_score(const struct mt_msg *m)
{
	return m->has_verdict ? m->score : 0;
}

/* mt_msg_count_findings - how many findings the message raised. */
size_t
mt_msg_count_findings(const struct mt_msg *m)
{
	return m->findings.n;
}

/* ------------------------------------------------------------------ */
/* The summary record                                                 */
/* ------------------------------------------------------------------ */

/* sum_table - the top entries of a table as [{NAME: key, "count": n}];
 * AS numbers as integers with their organization. */
static json_t *
sum_table(struct mt_sum *s, enum mt_sum_table t, const char *name,
    size_t top, const char **keys, uint64_t *counts)
{
	json_t *arr = json_array();
	size_t i, n = mt_sum_top(s, t, top, keys, counts);

	for (i = 0; i < n; i++) {
		json_t *e = json_object();

		if (t == MT_SUM_ASN) {
			const char *org = mt_sum_asn_org(s, keys[i]);

			/* Keys are "AS4134". */
			json_object_set_new(e, name,
			    json_integer(strtoll(keys[i] + 2, NULL, 10)));
			json_object_set_new(e, "as_org", org != NULL ?
			    jstr(mt_str(org, strlen(org))) : json_null());
		} else
			json_object_set_new(e, name,
			    jstr(mt_str(keys[i], strlen(keys[i]))));
		json_object_set_new(e, "count", json_integer((json_int_t)counts[i]));
		json_array_append_new(arr, e);
	}
	return arr;
}

/* The ECS version whose field names the records use (the email fields
 * arrived in 8.7). */
#define MT_ECS_VERSION "8.11.0"

/* ecs_event - the event object: kind, category email, module, dataset. */
static json_t *
ecs_event(const char *kind, const char *dataset)
{
	json_t *ev = json_object(), *v;

	json_object_set_new(ev, "kind", json_string(kind));
	v = json_array();
	json_array_append_new(v, json_string("email"));
	json_object_set_new(ev, "category", v);
	v = json_array();
	json_array_append_new(v, json_string("info"));
	json_object_set_new(ev, "type", v);
	json_object_set_new(ev, "module", json_string("mailtrace"));
	json_object_set_new(ev, "dataset", json_string(dataset));
	return ev;
}

/* ecs_summary - the summary record wrapped as an ECS metric event of now;
 * takes sum. */
static json_t *
ecs_summary(json_t *sum, uint64_t msgs, const uint64_t labels[3])
{
	json_t *o = json_object(), *v;
	char buf[200];

	mt_date_format_utc((int64_t)time(NULL), buf, sizeof(buf));
	json_object_set_new(o, "@timestamp", json_string(buf));
	v = json_object();
	json_object_set_new(v, "version", json_string(MT_ECS_VERSION));
	json_object_set_new(o, "ecs", v);
	json_object_set_new(o, "event", ecs_event("metric",
	    "mailtrace.summary"));
	snprintf(buf, sizeof(buf), "summary of %llu messages: %llu clean, "
	    "%llu suspicious, %llu forged", (unsigned long long)msgs,
	    (unsigned long long)labels[0], (unsigned long long)labels[1],
	    (unsigned long long)labels[2]);
	json_object_set_new(o, "message", json_string(buf));
	v = json_object();
	json_object_set_new(v, "summary", sum);
	json_object_set_new(o, "mailtrace", v);
	return o;
}

/* mt_sum_json - the summary record; see mailtrace.h. */
int
mt_sum_json(struct mt_sum *s, size_t top, unsigned flags, char **out)
{
	static const struct {
		enum mt_sum_table	 t;
		const char		*key;	/* name of a list entry's value */
	} tables[] = {
		{ MT_SUM_ORIGIN_IP, "ip" }, { MT_SUM_NETWORK, "network" },
		{ MT_SUM_ASN, "asn" }, { MT_SUM_COUNTRY, "country" },
		{ MT_SUM_HELO, "helo" }, { MT_SUM_RELAY, "host" },
		{ MT_SUM_FINDING, "id" },
	};
	uint64_t msgs, errs, labels[3], *counts = NULL;
	const char **keys = NULL;
	json_t *o = NULL, *v;
	size_t i, cap;
	int rc = -1;

	*out = NULL;
	/* Findings are a closed set of ids: all of them, whatever top is. */
	cap = mt_sum_size(s, MT_SUM_FINDING) > top ?
	    mt_sum_size(s, MT_SUM_FINDING) : top;
	if ((keys = calloc(cap + 1, sizeof(*keys))) == NULL ||
	    (counts = calloc(cap + 1, sizeof(*counts))) == NULL ||
	    (o = json_object()) == NULL)
		goto out;
	mt_sum_counts(s, &msgs, &errs, labels);
	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "schema", json_string(MT_SCHEMA));
	json_object_set_new(o, "messages", json_integer((json_int_t)msgs));
	json_object_set_new(o, "errors", json_integer((json_int_t)errs));
	v = json_object();
	json_object_set_new(v, "clean", json_integer((json_int_t)labels[0]));
	json_object_set_new(v, "suspicious",
	    json_integer((json_int_t)labels[1]));
	json_object_set_new(v, "forged", json_integer((json_int_t)labels[2]));
	json_object_set_new(o, "verdicts", v);
	json_object_set_new(o, "top", json_integer((json_int_t)top));
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		json_object_set_new(o, mt_sum_table_name(tables[i].t),
		    sum_table(s, tables[i].t, tables[i].key,
		    tables[i].t == MT_SUM_FINDING ? cap : top, keys, counts));
	json_object_set_new(o, "complete", json_boolean(!mt_sum_failed(s)));
	if (flags & MT_JSON_ECS)
		o = ecs_summary(o, msgs, labels);
	*out = json_dumps(o, JSON_PRESERVE_ORDER | ((flags & MT_JSON_PRETTY) ?
	    JSON_INDENT(2) : JSON_COMPACT));
	rc = *out == NULL ? -1 : 0;
out:
	json_decref(o);
	free(keys);
	free(counts);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Elastic Common Schema                                              */
/* ------------------------------------------------------------------ */

/* set_str - o[key] = s unless s is absent. */
static void
set_str(json_t *o, const char *key, struct mt_str s)
{
	if (s.p != NULL)
		json_object_set_new(o, key, jcut(s));
}

/* set_obj - o[key] = v unless v is an empty object (then dropped). */
static void
set_obj(json_t *o, const char *key, json_t *v)
{
	if (json_object_size(v) > 0)
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

/* addr_list - {"address": [...]} of an address list, or NULL when no
 * entry has an address. */
static json_t *
addr_list(const struct mt_addr *v, size_t n)
{
	json_t *arr = json_array(), *o;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].address.p != NULL)
			json_array_append_new(arr, jcut(v[i].address));
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "address", arr);
	return o;
}

/* set_addrs - o[key] = addr_list unless it is empty. */
static void
set_addrs(json_t *o, const char *key, const struct mt_addr *v, size_t n)
{
	json_t *a = addr_list(v, n);

	if (a != NULL)
		json_object_set_new(o, key, a);
}

/* add_unique - append s to arr unless it is absent or already there. */
static void
add_unique(json_t *arr, struct mt_str s)
{
	size_t i;

	if (s.p == NULL || s.len == 0)
		return;
	for (i = 0; i < json_array_size(arr); i++) {
		const char *t = json_string_value(json_array_get(arr, i));

		if (t != NULL && strlen(t) == s.len && memcmp(t, s.p, s.len) == 0)
			return;
	}
	json_array_append_new(arr, jcut(s));
}

/* ecs_time - the event's time: the boundary hop's, else the Date field's,
 * else none (-1). */
static bool
ecs_time(const struct mt_msg *m, int64_t *t)
{
	if (m->has_boundary && m->hops.v[m->boundary_hop].has_time) {
		*t = m->hops.v[m->boundary_hop].time;
		return true;
	}
	if (m->sum.has_date) {
		*t = m->sum.date.utc;
		return true;
	}
	return false;
}

/* ecs_message - one line for people: label, score, origin, finding ids. */
static json_t *
ecs_message(const struct mt_msg *m)
{
	struct mt_arena a;
	struct mt_str s;
	json_t *j;
	size_t i, k;

	if (m->error.p != NULL)
		return json_string("not analyzed");
	mt_arena_init(&a);
	s = mt_arena_printf(&a, "%s, score %.1f", m->has_verdict ? m->label :
	    "no verdict", m->has_verdict ? m->score : 0.0);
	if (m->has_origin) {
		const struct mt_hop *h = &m->hops.v[m->origin_hop];
		struct mt_str name = h->from.rdns.p ? h->from.rdns : h->from.helo;

		s = mt_arena_printf(&a, "%s, origin %.*s%s%.*s", s.p,
		    (int)(h->from.ip.p ? h->from.ip.len : 1),
		    h->from.ip.p ? h->from.ip.p : "?", name.p ? " " : "",
		    (int)(name.p == NULL ? 0 : name.len < 255 ? name.len : 255),
		    name.p ? name.p : "");
	}
	for (i = 0; i < m->findings.n; i++) {
		/* Each id once, in the order raised. */
		for (k = 0; k < i; k++)
			if (strcmp(m->findings.v[k].id, m->findings.v[i].id) == 0)
				break;
		if (k == i)
			s = mt_arena_printf(&a, "%s%s%s", s.p, i == 0 ? ": " : ", ",
			    m->findings.v[i].id);
	}
	j = s.p != NULL ? jstr(s) : json_null();
	mt_arena_free(&a);
	return j;
}

/* ecs_email - the email.* fields. */
static json_t *
ecs_email(const struct mt_msg *m)
{
	const struct mt_summary *s = &m->sum;
	json_t *e = json_object();

	set_addrs(e, "from", s->from.v, s->from.n);
	set_addrs(e, "to", s->to.v, s->to.n);
	set_addrs(e, "cc", s->cc.v, s->cc.n);
	set_addrs(e, "reply_to", s->reply_to.v, s->reply_to.n);
	if (s->has_sender)
		set_addrs(e, "sender", &s->sender, 1);
	set_str(e, "subject", s->subject);
	set_str(e, "message_id", s->message_id);
	set_str(e, "x_mailer", s->x_mailer);
	if (s->has_date)
		json_object_set_new(e, "origination_timestamp",
		    jtime(s->date.utc));
	if (m->has_boundary) {
		const struct mt_hop *b = &m->hops.v[m->boundary_hop];

		if (b->has_time)
			json_object_set_new(e, "delivery_timestamp",
			    jtime(b->time));
		set_str(e, "local_id", b->id);
		/* A boundary means the message came in from outside. */
		json_object_set_new(e, "direction", json_string("inbound"));
	}
	return e;
}

/* ecs_source - the origin as source.*. */
static json_t *
ecs_source(const struct mt_msg *m)
{
	const struct mt_hop *h;
	json_t *src = json_object(), *as, *geo;
	struct mt_str domain;

	if (!m->has_origin)
		return src;
	h = &m->hops.v[m->origin_hop];
	set_str(src, "ip", h->from.ip);
	set_str(src, "address", h->from.ip);
	if (h->from.port >= 0)
		json_object_set_new(src, "port", json_integer(h->from.port));
	/* The name the receiving server looked up, else today's first PTR
	 * name; never the HELO, which is the client's claim. */
	domain = h->from.rdns;
	if (domain.p == NULL && h->dns != NULL && h->dns->ptr.n > 0)
		domain = h->dns->ptr.v[0];
	set_str(src, "domain", domain);
	if (h->geo != NULL) {
		as = json_object();
		if (h->geo->asn >= 0)
			json_object_set_new(as, "number",
			    json_integer(h->geo->asn));
		if (h->geo->as_org.p != NULL) {
			json_t *org = json_object();

			json_object_set_new(org, "name", jcut(h->geo->as_org));
			json_object_set_new(as, "organization", org);
		}
		set_obj(src, "as", as);
		geo = json_object();
		set_str(geo, "country_iso_code", h->geo->country);
		set_str(geo, "city_name", h->geo->city);
		set_obj(src, "geo", geo);
	}
	return src;
}

/* ecs_related - every address and host name of the chain, once each. */
static json_t *
ecs_related(const struct mt_msg *m)
{
	json_t *o = json_object(), *ips = json_array(), *hosts = json_array();
	size_t i;

	for (i = 0; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];

		add_unique(ips, h->from.ip);
		add_unique(ips, h->by.ip);
		/* HELO names as announced: literals are not host names. */
		if (h->from.helo.p != NULL && h->from.helo.len > 0 &&
		    h->from.helo.p[0] != '[')
			add_unique(hosts, h->from.helo);
		add_unique(hosts, h->from.rdns);
		add_unique(hosts, h->by.host);
	}
	if (json_array_size(ips) > 0)
		json_object_set_new(o, "ip", ips);
	else
		json_decref(ips);
	if (json_array_size(hosts) > 0)
		json_object_set_new(o, "hosts", hosts);
	else
		json_decref(hosts);
	return o;
}

/* ecs - the record under Elastic Common Schema names (doc/mailtrace.ecs.md). */
static json_t *
ecs(const struct mt_msg *m)
{
	json_t *o = json_object(), *ev, *v, *mt, *hops;
	bool failed = m->error.p != NULL;
	int64_t t;
	size_t i;

	if (!failed && ecs_time(m, &t))
		json_object_set_new(o, "@timestamp", jtime(t));
	v = json_object();
	json_object_set_new(v, "version", json_string(MT_ECS_VERSION));
	json_object_set_new(o, "ecs", v);
	ev = ecs_event(failed ? "pipeline_error" : m->has_verdict &&
	    strcmp(m->label, "clean") != 0 ? "alert" : "event",
	    "mailtrace.message");
	if (m->has_verdict)
		json_object_set_new(ev, "risk_score", json_real(m->score));
	json_object_set_new(o, "event", ev);
	json_object_set_new(o, "message", ecs_message(m));
	if (failed) {
		v = json_object();
		json_object_set_new(v, "message", jstr(m->error));
		json_object_set_new(o, "error", v);
	} else {
		set_obj(o, "email", ecs_email(m));
		set_obj(o, "source", ecs_source(m));
		set_obj(o, "related", ecs_related(m));
	}
	if (m->findings.n > 0) {
		json_t *names = json_array();

		v = json_object();
		for (i = 0; i < m->findings.n; i++)
			add_unique(names, mt_str(m->findings.v[i].id,
			    strlen(m->findings.v[i].id)));
		json_object_set_new(v, "name", names);
		json_object_set_new(v, "ruleset", json_string("mailtrace"));
		json_object_set_new(o, "rule", v);
	}
	/* Everything else as in the mailtrace record. */
	mt = json_object();
	json_object_set_new(mt, "schema", json_string(MT_SCHEMA));
	json_object_set_new(mt, "input", input(m));
	json_object_set_new(mt, "verdict", verdict(m));
	if (!failed) {
		json_object_set_new(mt, "envelope", envelope(m));
		json_object_set_new(mt, "message", message(m));
		json_object_set_new(mt, "boundary", boundary(m));
		json_object_set_new(mt, "origin", origin(m));
		hops = json_array();
		for (i = 0; i < m->hops.n; i++)
			json_array_append_new(hops, hop(m, &m->hops.v[i]));
		json_object_set_new(mt, "hops", hops);
		json_object_set_new(mt, "auth", auth(m));
		json_object_set_new(mt, "dns_evidence", evidence(m));
	}
	json_object_set_new(mt, "findings", findings(m));
	json_object_set_new(mt, "anomalies", anomalies(m));
	json_object_set_new(o, "mailtrace", mt);
	return o;
}

/* mt_msg_ecs - the record under ECS field names; see mailtrace.h. */
int
mt_msg_ecs(const struct mt_msg *m, unsigned flags, char **out)
{
	json_t *o = ecs(m);

	*out = NULL;
	if (o == NULL)
		return -1;
	*out = json_dumps(o, JSON_PRESERVE_ORDER | ((flags & MT_JSON_PRETTY) ?
	    JSON_INDENT(2) : JSON_COMPACT));
	json_decref(o);
	return *out == NULL ? -1 : 0;
}
