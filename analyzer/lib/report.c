/*
 * report.c - the JSON record of a message (doc/SCHEMA.md, "mailtrace/1").
 * Records are written straight into a buffer by the direct writer
 * (jsonw.h) as the message is walked, with no tree in between: the
 * bytes are jansson's json_dumps() layout, which the summary record (once
 * per run) still uses.  The only file that includes <jansson.h>.  Every
 * string is made valid UTF-8 on its way out (NUL and invalid bytes become
 * U+FFFD); analysis has already cleaned what it keeps, so this is a last
 * line of defence, not the place anomalies are recorded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "enrich.h"
#include "geoip.h"
#include "jsonw.h"
#include "mt.h"

/* KQ - a literal member name quoted for mt_jw_keyq(): the text and its
 * length. */
#define KQ(k) "\"" k "\": ", sizeof(k) + 3

/* str - a string of s, or null when s is absent. */
static void
str(struct mt_jw *w, struct mt_str s)
{
	mt_jw_str(w, s.p, s.len);
}

/* cut - like str, cut at MT_MAX_VALUE_OUT on a character boundary. */
static void
cut(struct mt_jw *w, struct mt_str s)
{
	if (s.p != NULL && s.len > MT_MAX_VALUE_OUT)
		s.len = mt_utf8_cut(s.p, s.len, MT_MAX_VALUE_OUT);
	mt_jw_str(w, s.p, s.len);
}

/* tri - true, false or null. */
static void
tri(struct mt_jw *w, enum mt_tri t)
{
	if (t == MT_NULL)
		mt_jw_null(w);
	else
		mt_jw_bool(w, t == MT_TRUE);
}

/* utc - RFC 3339 UTC text of a time. */
static void
utc(struct mt_jw *w, int64_t t)
{
	char buf[40];

	mt_date_format_utc(t, buf, sizeof(buf));
	mt_jw_strz(w, buf);
}

/* offset - "+0800" text of a zone offset. */
static void
offset(struct mt_jw *w, int min)
{
	char buf[16];

	mt_date_format_offset(min, buf, sizeof(buf));
	mt_jw_strz(w, buf);
}

/*
 * Members of an object: the name quoted by KQ() (q, qn), then the value.
 * kstr - a string or null.
 */
static void
kstr(struct mt_jw *w, const char *q, size_t qn, struct mt_str s)
{
	mt_jw_keyq(w, q, qn);
	str(w, s);
}

/* kcut - a string cut at MT_MAX_VALUE_OUT, or null. */
static void
kcut(struct mt_jw *w, const char *q, size_t qn, struct mt_str s)
{
	mt_jw_keyq(w, q, qn);
	cut(w, s);
}

/* kint - an integer. */
static void
kint(struct mt_jw *w, const char *q, size_t qn, int64_t v)
{
	mt_jw_keyq(w, q, qn);
	mt_jw_int(w, v);
}

/* knum - an integer, or null when negative (absent). */
static void
knum(struct mt_jw *w, const char *q, size_t qn, int64_t v)
{
	mt_jw_keyq(w, q, qn);
	if (v < 0)
		mt_jw_null(w);
	else
		mt_jw_int(w, v);
}

/* kbool - true or false. */
static void
kbool(struct mt_jw *w, const char *q, size_t qn, bool v)
{
	mt_jw_keyq(w, q, qn);
	mt_jw_bool(w, v);
}

/* ktri - true, false or null. */
static void
ktri(struct mt_jw *w, const char *q, size_t qn, enum mt_tri t)
{
	mt_jw_keyq(w, q, qn);
	tri(w, t);
}

/* kname - a name the library owns (an id, a state); a member without a
 * name is left out, as the record always did. */
static void
kname(struct mt_jw *w, const char *q, size_t qn, const char *z)
{
	if (z == NULL)
		return;
	mt_jw_keyq(w, q, qn);
	mt_jw_strz(w, z);
}

/* kreal - a real; a member without a finite value is left out. */
static void
kreal(struct mt_jw *w, const char *q, size_t qn, double v)
{
	if (!isfinite(v))
		return;
	mt_jw_keyq(w, q, qn);
	mt_jw_real(w, v);
}

/* addr - {"name", "address"}. */
static void
addr(struct mt_jw *w, const struct mt_addr *a)
{
	mt_jw_obj(w);
	kstr(w, KQ("name"), a->name);
	kstr(w, KQ("address"), a->address);
	mt_jw_obj_end(w);
}

/* kaddrs - an array of addresses. */
static void
kaddrs(struct mt_jw *w, const char *q, size_t qn, const struct mt_addr_list *l)
{
	size_t i;

	mt_jw_keyq(w, q, qn);
	mt_jw_arr(w);
	for (i = 0; i < l->n; i++)
		addr(w, &l->v[i]);
	mt_jw_arr_end(w);
}

/* input - where the message is. */
static void
input(struct mt_jw *w, const struct mt_msg *m)
{
	mt_jw_obj(w);
	kstr(w, KQ("path"), m->path);
	kint(w, KQ("index"), (int64_t)m->index);
	kint(w, KQ("offset"), (int64_t)m->offset);
	kint(w, KQ("size"), (int64_t)m->size);
	mt_jw_obj_end(w);
}

/* envelope - MAIL FROM and RCPT TO as far as they are known. */
static void
envelope(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_envelope *e = &m->env;
	size_t i;

	mt_jw_obj(w);
	kstr(w, KQ("mail_from"), e->mail_from);
	kstr(w, KQ("mail_from_source"), e->mail_from_source);
	mt_jw_keyq(w, KQ("rcpt_to"));
	mt_jw_arr(w);
	for (i = 0; i < e->rcpt_to.n; i++)
		str(w, e->rcpt_to.v[i]);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("rcpt_to_source"));
	mt_jw_arr(w);
	for (i = 0; i < e->rcpt_to.n; i++)
		str(w, e->rcpt_to_source.v[i]);
	mt_jw_arr_end(w);
	mt_jw_obj_end(w);
}

/* message - the author's fields. */
static void
message(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_summary *s = &m->sum;

	mt_jw_obj(w);
	kaddrs(w, KQ("from"), &s->from);
	kaddrs(w, KQ("to"), &s->to);
	kaddrs(w, KQ("cc"), &s->cc);
	kaddrs(w, KQ("reply_to"), &s->reply_to);
	mt_jw_keyq(w, KQ("sender"));
	if (s->has_sender)
		addr(w, &s->sender);
	else
		mt_jw_null(w);
	kstr(w, KQ("return_path"), s->return_path);
	kcut(w, KQ("subject"), s->subject);
	mt_jw_keyq(w, KQ("date"));
	if (s->has_date)
		utc(w, s->date.utc);
	else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("date_offset"));
	if (s->has_date && !(s->date.flags & MT_DATE_NO_ZONE))
		offset(w, s->date.offset_min);
	else
		mt_jw_null(w);
	kcut(w, KQ("date_raw"), s->date_raw);
	kcut(w, KQ("message_id"), s->message_id);
	kcut(w, KQ("x_mailer"), s->x_mailer);
	mt_jw_obj_end(w);
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

/* kstrs - an array of strings, each cut. */
static void
kstrs(struct mt_jw *w, const char *q, size_t qn, const struct mt_str *v, size_t n)
{
	size_t i;

	mt_jw_keyq(w, q, qn);
	mt_jw_arr(w);
	for (i = 0; i < n; i++)
		cut(w, v[i]);
	mt_jw_arr_end(w);
}

/* dns - what DNS said about a hop's client (enrich.h), or null. */
static void
dns(struct mt_jw *w, const struct mt_dns_info *d)
{
	size_t i;

	if (d == NULL) {
		mt_jw_null(w);
		return;
	}
	mt_jw_obj(w);
	kname(w, KQ("status"), mt_enrich_status_name(d->status));
	kstrs(w, KQ("ptr"), d->ptr.v, d->ptr.n);
	ktri(w, KQ("fcrdns"), d->fcrdns);
	ktri(w, KQ("helo_resolves_to_ip"), d->helo_resolves);
	mt_jw_keyq(w, KQ("dnsbl"));
	mt_jw_arr(w);
	for (i = 0; i < d->dnsbl.n; i++) {
		const struct mt_dnsbl_result *r = &d->dnsbl.v[i];

		mt_jw_obj(w);
		kstr(w, KQ("zone"), r->zone);
		kbool(w, KQ("listed"), r->listed);
		kstrs(w, KQ("codes"), r->codes.v, r->codes.n);
		kcut(w, KQ("reason"), r->reason);
		mt_jw_obj_end(w);
	}
	mt_jw_arr_end(w);
	mt_jw_obj_end(w);
}

/* geo - what the GeoIP/ASN databases said about a hop's client. */
static void
geo(struct mt_jw *w, const struct mt_geo_info *g)
{
	if (g == NULL) {
		mt_jw_null(w);
		return;
	}
	mt_jw_obj(w);
	kstr(w, KQ("country"), g->country);
	kstr(w, KQ("city"), g->city);
	knum(w, KQ("asn"), g->asn);
	kstr(w, KQ("as_org"), g->as_org);
	mt_jw_obj_end(w);
}

/* hop - one Received field. */
static void
hop(struct mt_jw *w, const struct mt_msg *m, const struct mt_hop *h)
{
	const char *cls;
	size_t i;

	mt_jw_obj(w);
	kint(w, KQ("index"), (int64_t)h->index);
	kint(w, KQ("header_index"), (int64_t)h->header_index);
	kint(w, KQ("offset"), (int64_t)h->offset);
	kcut(w, KQ("raw"), h->raw);
	kname(w, KQ("parsed"), parsed_names[h->parsed]);
	mt_jw_keyq(w, KQ("from"));
	if (h->has_from) {
		mt_jw_obj(w);
		kstr(w, KQ("helo"), h->from.helo);
		kstr(w, KQ("rdns"), h->from.rdns);
		kstr(w, KQ("ip"), h->from.ip);
		knum(w, KQ("port"), h->from.port);
		kstr(w, KQ("ident"), h->from.ident);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("by"));
	if (h->has_by) {
		mt_jw_obj(w);
		kstr(w, KQ("host"), h->by.host);
		kstr(w, KQ("ip"), h->by.ip);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	kstr(w, KQ("via"), h->via);
	kstr(w, KQ("with"), h->with);
	ktri(w, KQ("tls"), h->tls);
	ktri(w, KQ("auth"), h->auth);
	kstr(w, KQ("id"), h->id);
	kstr(w, KQ("for"), h->for_);
	kstr(w, KQ("envelope_from"), h->envelope_from);
	mt_jw_keyq(w, KQ("timestamp"));
	if (h->has_time)
		utc(w, h->time);
	else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("utc_offset"));
	if (h->has_time && !h->time_no_zone)
		offset(w, h->utc_offset);
	else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("delay_s"));
	if (h->has_delay)
		mt_jw_int(w, h->delay_s);
	else
		mt_jw_null(w);
	kstr(w, KQ("mta"), h->mta);
	cls = mt_ip_class_name(h->ip_class);
	mt_jw_keyq(w, KQ("ip_class"));
	mt_jw_strz(w, cls);
	mt_jw_keyq(w, KQ("dns"));
	dns(w, h->dns);
	mt_jw_keyq(w, KQ("geo"));
	geo(w, h->geo);
	/* The chain engine sets every hop's trust; "untrusted" is the
	 * safe reading should a hop ever escape it. */
	kname(w, KQ("trust"), trust_names[h->trust] ? trust_names[h->trust] :
	    "untrusted");
	mt_jw_keyq(w, KQ("findings"));
	mt_jw_arr(w);
	for (i = 0; i < m->findings.n; i++)
		if (m->findings.v[i].hop == (long)h->index &&
		    m->findings.v[i].id != NULL)
			mt_jw_strz(w, m->findings.v[i].id);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("link"));
	if (h->link != MT_LINK_NONE) {
		mt_jw_obj(w);
		kname(w, KQ("state"), link_names[h->link]);
		kstr(w, KQ("reason"), h->link_reason);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	mt_jw_obj_end(w);
}

/*
 * kv - an object of name/value pairs: the first of a repeated name, each
 * name cut to 255 bytes on a character boundary; a name holding NUL or
 * invalid UTF-8 is left out (a member name is not cleaned).
 */
static void
kv(struct mt_jw *w, const char *q, size_t qn, const struct mt_kv *v, size_t n)
{
	size_t i, j;

	mt_jw_keyq(w, q, qn);
	mt_jw_obj(w);
	for (i = 0; i < n; i++) {
		struct mt_str name = v[i].name;
		bool dup = false;

		if (name.p == NULL)
			continue;
		if (name.len > 255)
			name.len = mt_utf8_cut(name.p, name.len, 255);
		if (memchr(name.p, '\0', name.len) != NULL ||
		    !mt_utf8_valid(name.p, name.len))
			continue;
		/* Written before: an earlier name, cut the same way, that
		 * was itself written (a few per stamp: a scan will do). */
		for (j = 0; j < i && !dup; j++) {
			struct mt_str o = v[j].name;

			if (o.p == NULL)
				continue;
			if (o.len > 255)
				o.len = mt_utf8_cut(o.p, o.len, 255);
			dup = o.len == name.len &&
			    memcmp(o.p, name.p, name.len) == 0;
		}
		if (dup)
			continue;
		mt_jw_keyn(w, name.p, name.len);
		cut(w, v[i].value);
	}
	mt_jw_obj_end(w);
}

/* auth_result - one Authentication-Results or ARC-Authentication-Results. */
static void
auth_result(struct mt_jw *w, const struct mt_auth_res *r)
{
	size_t i;

	mt_jw_obj(w);
	kname(w, KQ("header"), r->arc ? "ARC-Authentication-Results" :
	    "Authentication-Results");
	kint(w, KQ("header_index"), (int64_t)r->header_index);
	knum(w, KQ("instance"), r->instance);
	kcut(w, KQ("authserv_id"), r->authserv_id);
	kbool(w, KQ("trusted"), r->trusted);
	mt_jw_keyq(w, KQ("methods"));
	mt_jw_arr(w);
	for (i = 0; i < r->methods.n; i++) {
		const struct mt_auth_method *me = &r->methods.v[i];

		mt_jw_obj(w);
		kcut(w, KQ("method"), me->method);
		kcut(w, KQ("version"), me->version);
		kcut(w, KQ("result"), me->result);
		kcut(w, KQ("reason"), me->reason);
		kcut(w, KQ("comment"), me->comment);
		kv(w, KQ("props"), me->props.v, me->props.n);
		mt_jw_obj_end(w);
	}
	mt_jw_arr_end(w);
	mt_jw_obj_end(w);
}

/* auth_spf - one Received-SPF field. */
static void
auth_spf(struct mt_jw *w, const struct mt_auth_spf *s)
{
	mt_jw_obj(w);
	kcut(w, KQ("result"), s->result);
	kcut(w, KQ("client_ip"), s->client_ip);
	kcut(w, KQ("envelope_from"), s->envelope_from);
	kcut(w, KQ("helo"), s->helo);
	kcut(w, KQ("receiver"), s->receiver);
	kcut(w, KQ("identity"), s->identity);
	kcut(w, KQ("mechanism"), s->mechanism);
	kcut(w, KQ("problem"), s->problem);
	kcut(w, KQ("comment"), s->comment);
	kint(w, KQ("header_index"), (int64_t)s->header_index);
	kbool(w, KQ("trusted"), s->trusted);
	mt_jw_obj_end(w);
}

/* auth_dkim - one DKIM-Signature and mailtrace's verification. */
static void
auth_dkim(struct mt_jw *w, const struct mt_auth_dkim *s)
{
	static const char *const res[] = {
		[MT_DKIM_NULL] = NULL, [MT_DKIM_PASS] = "pass",
		[MT_DKIM_FAIL] = "fail", [MT_DKIM_PERMERROR] = "permerror",
		[MT_DKIM_TEMPERROR] = "temperror",
		[MT_DKIM_NEUTRAL] = "neutral",
	};
	const char *r = (unsigned)s->result < sizeof(res) / sizeof(res[0]) ?
	    res[s->result] : NULL;

	mt_jw_obj(w);
	kcut(w, KQ("d"), s->d);
	kcut(w, KQ("s"), s->s);
	kcut(w, KQ("a"), s->a);
	kint(w, KQ("header_index"), (int64_t)s->header_index);
	mt_jw_keyq(w, KQ("result"));
	mt_jw_strz(w, r);
	kcut(w, KQ("reason"), s->reason);
	ktri(w, KQ("aligned"), s->aligned);
	ktri(w, KQ("aligned_strict"), s->aligned_strict);
	kcut(w, KQ("c"), s->c);
	kcut(w, KQ("i"), s->i);
	kcut(w, KQ("h"), s->h);
	knum(w, KQ("l"), s->l);
	knum(w, KQ("t"), s->t);
	knum(w, KQ("x"), s->x);
	kcut(w, KQ("bh"), s->bh);
	kbool(w, KQ("weak"), s->weak);
	kbool(w, KQ("testing"), s->testing);
	kcut(w, KQ("key"), s->key_name);
	mt_jw_obj_end(w);
}

/* auth_vendor - one spam filter's stamp. */
static void
auth_vendor(struct mt_jw *w, const struct mt_auth_vendor *v)
{
	mt_jw_obj(w);
	kcut(w, KQ("header"), v->header);
	mt_jw_keyq(w, KQ("vendor"));
	mt_jw_strz(w, v->vendor);
	kint(w, KQ("header_index"), (int64_t)v->header_index);
	kbool(w, KQ("trusted"), v->trusted);
	kv(w, KQ("fields"), v->fields.v, v->fields.n);
	kstrs(w, KQ("notes"), v->notes.v, v->notes.n);
	mt_jw_obj_end(w);
}

/* auth_ipcheck - an address a stamp gives, against the chain. */
static void
auth_ipcheck(struct mt_jw *w, const struct mt_auth_ipcheck *c)
{
	static const char *const st[] = {
		[MT_IPCHK_UNCHECKED] = NULL, [MT_IPCHK_AGREES] = "agrees",
		[MT_IPCHK_INTERNAL] = "internal", [MT_IPCHK_DEEPER] = "deeper",
		[MT_IPCHK_CONFLICT] = "conflict",
		[MT_IPCHK_UNRELATED] = "unrelated",
	};
	const char *s = (unsigned)c->state < sizeof(st) / sizeof(st[0]) ?
	    st[c->state] : NULL;

	mt_jw_obj(w);
	kname(w, KQ("source"), c->source);
	kint(w, KQ("header_index"), (int64_t)c->header_index);
	kstr(w, KQ("ip"), c->ip);
	kbool(w, KQ("trusted"), c->trusted);
	mt_jw_keyq(w, KQ("state"));
	mt_jw_strz(w, s);
	knum(w, KQ("hop"), c->hop);
	kstr(w, KQ("detail"), c->why);
	mt_jw_obj_end(w);
}

/* auth - authentication evidence (auth.c, dkim.c). */
static void
auth(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_auth *au = &m->auth;
	size_t i;

	mt_jw_obj(w);
	mt_jw_keyq(w, KQ("results"));
	mt_jw_arr(w);
	for (i = 0; i < au->results.n; i++)
		auth_result(w, &au->results.v[i]);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("spf"));
	mt_jw_arr(w);
	for (i = 0; i < au->spf.n; i++)
		auth_spf(w, &au->spf.v[i]);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("dkim"));
	mt_jw_arr(w);
	for (i = 0; i < au->dkim.n; i++)
		auth_dkim(w, &au->dkim.v[i]);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("arc"));
	if (au->has_arc) {
		mt_jw_obj(w);
		kint(w, KQ("instances"), (int64_t)au->arc.instances);
		kstr(w, KQ("chain_claimed"), au->arc.chain_claimed);
		kstrs(w, KQ("sealers"), au->arc.sealers.v, au->arc.sealers.n);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("dmarc"));
	if (au->has_dmarc) {
		mt_jw_obj(w);
		kcut(w, KQ("from_domain"), au->dmarc.from_domain);
		ktri(w, KQ("dkim_aligned"), au->dmarc.dkim_aligned);
		ktri(w, KQ("spf_aligned"), au->dmarc.spf_aligned);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	mt_jw_keyq(w, KQ("vendor"));
	mt_jw_arr(w);
	for (i = 0; i < au->vendor.n; i++)
		auth_vendor(w, &au->vendor.v[i]);
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("ip_checks"));
	mt_jw_arr(w);
	for (i = 0; i < au->ipchecks.n; i++)
		auth_ipcheck(w, &au->ipchecks.v[i]);
	mt_jw_arr_end(w);
	mt_jw_obj_end(w);
}

/* boundary - where the message entered the recipient's side. */
static void
boundary(struct mt_jw *w, const struct mt_msg *m)
{
	if (!m->has_boundary) {
		mt_jw_null(w);
		return;
	}
	mt_jw_obj(w);
	kint(w, KQ("hop"), (int64_t)m->boundary_hop);
	kstr(w, KQ("by"), m->hops.v[m->boundary_hop].by.host);
	kname(w, KQ("reason"), m->boundary_reason);
	mt_jw_obj_end(w);
}

/* origin - the host that handed the message over, and the sender's own
 * story below it. */
static void
origin(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_hop *h;

	if (!m->has_origin) {
		mt_jw_null(w);
		return;
	}
	h = &m->hops.v[m->origin_hop];
	mt_jw_obj(w);
	kstr(w, KQ("ip"), h->from.ip);
	kint(w, KQ("hop"), (int64_t)m->origin_hop);
	kstr(w, KQ("helo"), h->from.helo);
	kstr(w, KQ("rdns"), h->from.rdns);
	knum(w, KQ("asn"), h->geo != NULL ? h->geo->asn : -1);
	kstr(w, KQ("country"), h->geo != NULL ? h->geo->country : MT_STR_NULL);
	kname(w, KQ("confidence"), m->origin_confidence);
	mt_jw_keyq(w, KQ("claimed"));
	if (m->has_claimed) {
		const struct mt_hop *c = &m->hops.v[m->claimed_hop];

		mt_jw_obj(w);
		kstr(w, KQ("ip"), c->from.ip);
		kint(w, KQ("hop"), (int64_t)m->claimed_hop);
		kname(w, KQ("confidence"), m->claimed_confidence);
		mt_jw_obj_end(w);
	} else
		mt_jw_null(w);
	mt_jw_obj_end(w);
}

/* findings - every finding with its evidence. */
static void
findings(struct mt_jw *w, const struct mt_msg *m)
{
	size_t i;

	mt_jw_arr(w);
	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];

		mt_jw_obj(w);
		kname(w, KQ("id"), f->id);
		kname(w, KQ("severity"), sev_names[f->sev]);
		kreal(w, KQ("score"), f->score);
		knum(w, KQ("hop"), f->hop);
		knum(w, KQ("header_index"), f->header_index);
		knum(w, KQ("offset"), f->offset);
		kstr(w, KQ("detail"), f->detail);
		mt_jw_obj_end(w);
	}
	mt_jw_arr_end(w);
}

/* verdict - label and score. */
static void
verdict(struct mt_jw *w, const struct mt_msg *m)
{
	if (!m->has_verdict) {
		mt_jw_null(w);
		return;
	}
	mt_jw_obj(w);
	kname(w, KQ("label"), m->label);
	kreal(w, KQ("score"), m->score);
	mt_jw_obj_end(w);
}

/* anomalies - every recorded anomaly with its offset. */
static void
anomalies(struct mt_jw *w, const struct mt_msg *m)
{
	size_t i;

	mt_jw_arr(w);
	for (i = 0; i < m->anomalies.n; i++) {
		mt_jw_obj(w);
		kname(w, KQ("id"), mt_anomaly_name(m->anomalies.v[i].code));
		kint(w, KQ("offset"), (int64_t)m->anomalies.v[i].offset);
		mt_jw_obj_end(w);
	}
	mt_jw_arr_end(w);
}

/* evidence - every DNS query behind the record (with dns_evidence on):
 * name, type, status, answers as received, TTL and milliseconds. */
static void
evidence(struct mt_jw *w, const struct mt_msg *m)
{
	size_t i, j;

	mt_jw_arr(w);
	if (!mt_enrich_evidence(m->ctx)) {
		mt_jw_arr_end(w);
		return;
	}
	for (i = 0; i < mt_enrich_count(m); i++) {
		const struct mt_dns_answer *a = mt_enrich_answer(m, i);

		if (a == NULL)
			continue;
		mt_jw_obj(w);
		kstr(w, KQ("qname"), mt_str(a->qname, strlen(a->qname)));
		kname(w, KQ("type"), mt_dns_type_name(a->type));
		kname(w, KQ("status"), mt_enrich_status_name(a->status));
		mt_jw_keyq(w, KQ("answers"));
		mt_jw_arr(w);
		for (j = 0; j < a->nanswers; j++)
			cut(w, mt_str(a->answers[j], a->lens[j]));
		mt_jw_arr_end(w);
		kint(w, KQ("ttl"), a->ttl);
		kint(w, KQ("ms"), a->ms);
		mt_jw_obj_end(w);
	}
	mt_jw_arr_end(w);
}

/* hops - every hop, topmost first. */
static void
hops(struct mt_jw *w, const struct mt_msg *m)
{
	size_t i;

	mt_jw_arr(w);
	for (i = 0; i < m->hops.n; i++)
		hop(w, m, &m->hops.v[i]);
	mt_jw_arr_end(w);
}

/* record - the whole JSON object of a message. */
static void
record(struct mt_jw *w, const struct mt_msg *m)
{
	bool failed = m->error.p != NULL;

	mt_jw_obj(w);
	kname(w, KQ("schema"), MT_SCHEMA);
	mt_jw_keyq(w, KQ("input"));
	input(w, m);
	kstr(w, KQ("error"), m->error);
	/* An error record keeps every key, with nothing known. */
	mt_jw_keyq(w, KQ("envelope"));
	if (failed)
		mt_jw_null(w);
	else
		envelope(w, m);
	mt_jw_keyq(w, KQ("message"));
	if (failed)
		mt_jw_null(w);
	else
		message(w, m);
	mt_jw_keyq(w, KQ("hops"));
	hops(w, m);
	mt_jw_keyq(w, KQ("boundary"));
	boundary(w, m);
	mt_jw_keyq(w, KQ("origin"));
	origin(w, m);
	mt_jw_keyq(w, KQ("auth"));
	if (failed)
		mt_jw_null(w);
	else
		auth(w, m);
	mt_jw_keyq(w, KQ("findings"));
	findings(w, m);
	mt_jw_keyq(w, KQ("anomalies"));
	anomalies(w, m);
	mt_jw_keyq(w, KQ("dns_evidence"));
	if (failed) {
		mt_jw_arr(w);
		mt_jw_arr_end(w);
	} else
		evidence(w, m);
	mt_jw_keyq(w, KQ("verdict"));
	verdict(w, m);
	mt_jw_obj_end(w);
}

/* mt_msg_json - the record as text; see mailtrace.h. */
int
mt_msg_json(const struct mt_msg *m, unsigned flags, char **out)
{
	struct mt_jw w;

	mt_jw_init(&w, (flags & MT_JSON_PRETTY) ? MT_JW_PRETTY : 0);
	record(&w, m);
	*out = mt_jw_take(&w, NULL);
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

/* jstr - a jansson string of s, or null when s is absent (the summary
 * record: once per run, it stays on jansson). */
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

/* kobj_end - close an object opened as member k at mark mk, and take the
 * member back out when the object stayed empty (ECS leaves out what is
 * unknown). */
static void
kobj_end(struct mt_jw *w, const struct mt_jw_mark *mk)
{
	mt_jw_obj_end(w);
	if (mt_jw_last_empty(w))
		mt_jw_rollback(w, mk);
}

/* kset - member q = s unless s is absent. */
static void
kset(struct mt_jw *w, const char *q, size_t qn, struct mt_str s)
{
	if (s.p != NULL)
		kcut(w, q, qn, s);
}

/* addr_list - member q: {"address": [...]} of an address list, unless no entry
 * has an address. */
static void
addr_list(struct mt_jw *w, const char *q, size_t qn, const struct mt_addr *v,
    size_t n)
{
	size_t i;
	bool any = false;

	for (i = 0; i < n && !any; i++)
		any = v[i].address.p != NULL;
	if (!any)
		return;
	mt_jw_keyq(w, q, qn);
	mt_jw_obj(w);
	mt_jw_keyq(w, KQ("address"));
	mt_jw_arr(w);
	for (i = 0; i < n; i++)
		if (v[i].address.p != NULL)
			cut(w, v[i].address);
	mt_jw_arr_end(w);
	mt_jw_obj_end(w);
}

/* A list of strings written once each: what was written, as written
 * (cut and cleaned), so that a later string equal to it is skipped. */
struct uniq {
	struct mt_arena	 a;
	MT_VEC(struct mt_str) seen;
};

/* add_unique - write s into the open array unless it is absent, empty or
 * equal to a string written before. */
static void
add_unique(struct mt_jw *w, struct uniq *u, struct mt_str s)
{
	struct mt_str *slot, kept = s;
	size_t i;

	if (s.p == NULL || s.len == 0)
		return;
	for (i = 0; i < u->seen.n; i++)
		if (mt_str_eq(u->seen.v[i], s))
			return;
	cut(w, s);
	/* The text compared later is the one written: cut, and with
	 * invalid bytes replaced. */
	if (kept.len > MT_MAX_VALUE_OUT)
		kept.len = mt_utf8_cut(kept.p, kept.len, MT_MAX_VALUE_OUT);
	if (!mt_utf8_valid(kept.p, kept.len) ||
	    memchr(kept.p, '\0', kept.len) != NULL) {
		bool bad;

		kept = mt_utf8_clean(&u->a, kept.p, kept.len, &bad);
	}
	if ((slot = mt_vec_push(&u->a, &u->seen)) != NULL)
		*slot = kept;
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
static void
ecs_message(struct mt_jw *w, const struct mt_msg *m)
{
	struct mt_arena a;
	struct mt_str s;
	size_t i, k;

	if (m->error.p != NULL) {
		mt_jw_strz(w, "not analyzed");
		return;
	}
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
	str(w, s);
	mt_arena_free(&a);
}

/* ecs_email - the email.* fields, unless none is known. */
static void
ecs_email(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_summary *s = &m->sum;
	struct mt_jw_mark mk;

	mt_jw_mark(w, &mk);
	mt_jw_keyq(w, KQ("email"));
	mt_jw_obj(w);
	addr_list(w, KQ("from"), s->from.v, s->from.n);
	addr_list(w, KQ("to"), s->to.v, s->to.n);
	addr_list(w, KQ("cc"), s->cc.v, s->cc.n);
	addr_list(w, KQ("reply_to"), s->reply_to.v, s->reply_to.n);
	if (s->has_sender)
		addr_list(w, KQ("sender"), &s->sender, 1);
	kset(w, KQ("subject"), s->subject);
	kset(w, KQ("message_id"), s->message_id);
	kset(w, KQ("x_mailer"), s->x_mailer);
	if (s->has_date) {
		mt_jw_keyq(w, KQ("origination_timestamp"));
		utc(w, s->date.utc);
	}
	if (m->has_boundary) {
		const struct mt_hop *b = &m->hops.v[m->boundary_hop];

		if (b->has_time) {
			mt_jw_keyq(w, KQ("delivery_timestamp"));
			utc(w, b->time);
		}
		kset(w, KQ("local_id"), b->id);
		/* A boundary means the message came in from outside. */
		kname(w, KQ("direction"), "inbound");
	}
	kobj_end(w, &mk);
}

/* ecs_source - the origin as source.*, unless nothing is known. */
static void
ecs_source(struct mt_jw *w, const struct mt_msg *m)
{
	const struct mt_hop *h;
	struct mt_str domain;
	struct mt_jw_mark mk, sub;

	if (!m->has_origin)
		return;
	h = &m->hops.v[m->origin_hop];
	mt_jw_mark(w, &mk);
	mt_jw_keyq(w, KQ("source"));
	mt_jw_obj(w);
	kset(w, KQ("ip"), h->from.ip);
	kset(w, KQ("address"), h->from.ip);
	if (h->from.port >= 0)
		kint(w, KQ("port"), h->from.port);
	/* The name the receiving server looked up, else today's first PTR
	 * name; never the HELO, which is the client's claim. */
	domain = h->from.rdns;
	if (domain.p == NULL && h->dns != NULL && h->dns->ptr.n > 0)
		domain = h->dns->ptr.v[0];
	kset(w, KQ("domain"), domain);
	if (h->geo != NULL) {
		mt_jw_mark(w, &sub);
		mt_jw_keyq(w, KQ("as"));
		mt_jw_obj(w);
		if (h->geo->asn >= 0)
			kint(w, KQ("number"), h->geo->asn);
		if (h->geo->as_org.p != NULL) {
			mt_jw_keyq(w, KQ("organization"));
			mt_jw_obj(w);
			kcut(w, KQ("name"), h->geo->as_org);
			mt_jw_obj_end(w);
		}
		kobj_end(w, &sub);
		mt_jw_mark(w, &sub);
		mt_jw_keyq(w, KQ("geo"));
		mt_jw_obj(w);
		kset(w, KQ("country_iso_code"), h->geo->country);
		kset(w, KQ("city_name"), h->geo->city);
		kobj_end(w, &sub);
	}
	kobj_end(w, &mk);
}

/* ecs_related - every address and host name of the chain, once each;
 * left out when there is none. */
static void
ecs_related(struct mt_jw *w, const struct mt_msg *m)
{
	struct mt_jw_mark mk, sub;
	struct uniq u;
	size_t i;

	memset(&u, 0, sizeof(u));
	mt_arena_init(&u.a);
	mt_jw_mark(w, &mk);
	mt_jw_keyq(w, KQ("related"));
	mt_jw_obj(w);
	mt_jw_mark(w, &sub);
	mt_jw_keyq(w, KQ("ip"));
	mt_jw_arr(w);
	for (i = 0; i < m->hops.n; i++) {
		add_unique(w, &u, m->hops.v[i].from.ip);
		add_unique(w, &u, m->hops.v[i].by.ip);
	}
	mt_jw_arr_end(w);
	if (mt_jw_last_empty(w))
		mt_jw_rollback(w, &sub);
	u.seen.n = 0;
	mt_jw_mark(w, &sub);
	mt_jw_keyq(w, KQ("hosts"));
	mt_jw_arr(w);
	for (i = 0; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];

		/* HELO names as announced: literals are not host names. */
		if (h->from.helo.p != NULL && h->from.helo.len > 0 &&
		    h->from.helo.p[0] != '[')
			add_unique(w, &u, h->from.helo);
		add_unique(w, &u, h->from.rdns);
		add_unique(w, &u, h->by.host);
	}
	mt_jw_arr_end(w);
	if (mt_jw_last_empty(w))
		mt_jw_rollback(w, &sub);
	kobj_end(w, &mk);
	mt_arena_free(&u.a);
}

/* event - the event object of a message record (as ecs_event(), with
 * the verdict score as risk_score when there is one). */
static void
event(struct mt_jw *w, const char *kind, const char *dataset, bool scored,
    double score)
{
	mt_jw_obj(w);
	kname(w, KQ("kind"), kind);
	mt_jw_keyq(w, KQ("category"));
	mt_jw_arr(w);
	mt_jw_strz(w, "email");
	mt_jw_arr_end(w);
	mt_jw_keyq(w, KQ("type"));
	mt_jw_arr(w);
	mt_jw_strz(w, "info");
	mt_jw_arr_end(w);
	kname(w, KQ("module"), "mailtrace");
	kname(w, KQ("dataset"), dataset);
	if (scored)
		kreal(w, KQ("risk_score"), score);
	mt_jw_obj_end(w);
}

/* ecs - the record under Elastic Common Schema names (doc/mailtrace.ecs.md). */
static void
ecs(struct mt_jw *w, const struct mt_msg *m)
{
	bool failed = m->error.p != NULL;
	const char *kind;
	int64_t t;
	size_t i;

	mt_jw_obj(w);
	if (!failed && ecs_time(m, &t)) {
		mt_jw_keyq(w, KQ("@timestamp"));
		utc(w, t);
	}
	mt_jw_keyq(w, KQ("ecs"));
	mt_jw_obj(w);
	kname(w, KQ("version"), MT_ECS_VERSION);
	mt_jw_obj_end(w);
	kind = failed ? "pipeline_error" : m->has_verdict &&
	    strcmp(m->label, "clean") != 0 ? "alert" : "event";
	mt_jw_keyq(w, KQ("event"));
	event(w, kind, "mailtrace.message", m->has_verdict, m->score);
	mt_jw_keyq(w, KQ("message"));
	ecs_message(w, m);
	if (failed) {
		mt_jw_keyq(w, KQ("error"));
		mt_jw_obj(w);
		kstr(w, KQ("message"), m->error);
		mt_jw_obj_end(w);
	} else {
		ecs_email(w, m);
		ecs_source(w, m);
		ecs_related(w, m);
	}
	if (m->findings.n > 0) {
		struct uniq u;

		memset(&u, 0, sizeof(u));
		mt_arena_init(&u.a);
		mt_jw_keyq(w, KQ("rule"));
		mt_jw_obj(w);
		mt_jw_keyq(w, KQ("name"));
		mt_jw_arr(w);
		for (i = 0; i < m->findings.n; i++)
			add_unique(w, &u, mt_str(m->findings.v[i].id,
			    strlen(m->findings.v[i].id)));
		mt_jw_arr_end(w);
		kname(w, KQ("ruleset"), "mailtrace");
		mt_jw_obj_end(w);
		mt_arena_free(&u.a);
	}
	/* Everything else as in the mailtrace record. */
	mt_jw_keyq(w, KQ("mailtrace"));
	mt_jw_obj(w);
	kname(w, KQ("schema"), MT_SCHEMA);
	mt_jw_keyq(w, KQ("input"));
	input(w, m);
	mt_jw_keyq(w, KQ("verdict"));
	verdict(w, m);
	if (!failed) {
		mt_jw_keyq(w, KQ("envelope"));
		envelope(w, m);
		mt_jw_keyq(w, KQ("message"));
		message(w, m);
		mt_jw_keyq(w, KQ("boundary"));
		boundary(w, m);
		mt_jw_keyq(w, KQ("origin"));
		origin(w, m);
		mt_jw_keyq(w, KQ("hops"));
		hops(w, m);
		mt_jw_keyq(w, KQ("auth"));
		auth(w, m);
		mt_jw_keyq(w, KQ("dns_evidence"));
		evidence(w, m);
	}
	mt_jw_keyq(w, KQ("findings"));
	findings(w, m);
	mt_jw_keyq(w, KQ("anomalies"));
	anomalies(w, m);
	mt_jw_obj_end(w);
	mt_jw_obj_end(w);
}

/* mt_msg_ecs - the record under ECS field names; see mailtrace.h. */
int
mt_msg_ecs(const struct mt_msg *m, unsigned flags, char **out)
{
	struct mt_jw w;

	mt_jw_init(&w, (flags & MT_JSON_PRETTY) ? MT_JW_PRETTY : 0);
	ecs(&w, m);
	*out = mt_jw_take(&w, NULL);
	return *out == NULL ? -1 : 0;
}
