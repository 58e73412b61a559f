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
	json_object_set_new(o, "dns", json_null());
	json_object_set_new(o, "geo", json_null());
	json_object_set_new(o, "trust", trust_names[h->trust] ?
	    json_string(trust_names[h->trust]) : json_null());
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

/* auth - authentication evidence (filled as the auth stage lands). */
static json_t *
auth(const struct mt_msg *m)
{
	json_t *o = json_object();

	json_object_set_new(o, "results", json_array());
	json_object_set_new(o, "spf", json_array());
	json_object_set_new(o, "dkim", json_array());
	json_object_set_new(o, "arc", json_null());
	json_object_set_new(o, "dmarc", json_null());
	json_object_set_new(o, "vendor", json_array());
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
	json_object_set_new(o, "asn", json_null());
	json_object_set_new(o, "country", json_null());
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
	json_object_set_new(o, "dns_evidence", json_array());
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
