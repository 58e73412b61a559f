/*
 * analyze.c - the one place that knows the order of the stages:
 *   phase 1: header -> envelope and summary -> received -> rules -> auth
 *            -> (with DNS) chain plan -> enrichment questions
 *   rounds:  the resolver answers a whole batch (enrich.c)
 *   phase 2: enrichment facts (DNS, GeoIP) -> chain -> verdict
 */
#include <string.h>

#include "chain.h"
#include "enrich.h"
#include "mt.h"
#include "rules.h"

/* unbracket - s without surrounding WSP, one pair of <> and WSP inside. */
static struct mt_str
unbracket(struct mt_str s)
{
	s = mt_str_trim(s);
	if (s.len >= 2 && s.p[0] == '<' && s.p[s.len - 1] == '>') {
		s.p++;
		s.len -= 2;
		s = mt_str_trim(s);
	}
	return s;
}

/* first_token - the first run of bytes up to WSP. */
static struct mt_str
first_token(struct mt_str s)
{
	size_t i = 0;

	s = mt_str_trim(s);
	while (i < s.len && !mt_is((unsigned char)s.p[i], MT_C_WSP))
		i++;
	return mt_str(s.p, i);
}

/* clean - a UTF-8-clean arena copy of s (null stays null), recording
 * INVALID_UTF8 at offset when bytes were replaced. */
static struct mt_str
clean(struct mt_msg *m, struct mt_str s, uint64_t offset)
{
	bool bad = false;
	struct mt_str c;

	if (s.p == NULL)
		return s;
	c = mt_utf8_clean(&m->arena, s.p, s.len, &bad);
	if (bad)
		mt_anomaly_add(m, MT_AN_INVALID_UTF8, offset);
	return c;
}

/*
 * body_charset - the charset parameter of Content-Type, used to read raw
 * 8-bit header bytes that are not UTF-8 (deliberate leniency: RFC 5322
 * headers are ASCII, but Chinese and Russian mailers write raw GB2312 or
 * KOI8-R and mean the body's charset).
 */
static const char *
body_charset(struct mt_msg *m)
{
	const struct mt_field *f = mt_hdr_find(m, "Content-Type");
	struct mt_str v, cs;
	long at;
	size_t i;

	if (f == NULL)
		return NULL;
	v = f->value;
	if ((at = mt_str_ifind(v, "charset=")) < 0)
		return NULL;
	v.p += at + 8;
	v.len -= (size_t)at + 8;
	if (v.len > 0 && v.p[0] == '"') {
		v.p++;
		v.len--;
	}
	for (i = 0; i < v.len && i < 40; i++)
		if (!mt_is((unsigned char)v.p[i], MT_C_ALPHA | MT_C_DIGIT) &&
		    v.p[i] != '-' && v.p[i] != '_' && v.p[i] != '.' &&
		    v.p[i] != ':')
			break;
	if (i == 0)
		return NULL;
	cs = mt_arena_dup(&m->arena, v.p, i);
	return cs.p;
}

/* add_rcpt - append a recipient with its source unless already known. */
static void
add_rcpt(struct mt_msg *m, struct mt_str addr, const char *source)
{
	struct mt_str *slot;
	size_t i;

	addr = unbracket(addr);
	if (addr.len == 0)
		return;
	for (i = 0; i < m->env.rcpt_to.n; i++)
		if (mt_str_ieq(m->env.rcpt_to.v[i], addr))
			return;
	if ((slot = mt_vec_push(&m->arena, &m->env.rcpt_to)) == NULL)
		return;
	*slot = clean(m, addr, 0);
	if ((slot = mt_vec_push(&m->arena, &m->env.rcpt_to_source)) == NULL) {
		m->env.rcpt_to.n--;
		return;
	}
	*slot = mt_arena_dupz(&m->arena, source);
}

/* addresses - parse every field called name into list. */
static int
addresses(struct mt_msg *m, const char *name, struct mt_addr_list *list)
{
	size_t i;

	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];

		if (mt_str_ieq_c(f->name, name) &&
		    mt_addr_parse(m, f->value, f->value_offset, list) != 0)
			return -1;
	}
	return 0;
}

/* summary - the message object of the record: who, what, when. */
static int
summary(struct mt_msg *m)
{
	struct mt_summary *s = &m->sum;
	const struct mt_field *f;
	const char *cs = body_charset(m);
	struct mt_addr_list tmp = { NULL, 0, 0 };

	if (addresses(m, "From", &s->from) != 0 ||
	    addresses(m, "To", &s->to) != 0 ||
	    addresses(m, "Cc", &s->cc) != 0 ||
	    addresses(m, "Reply-To", &s->reply_to) != 0 ||
	    addresses(m, "Sender", &tmp) != 0)
		return -1;
	if (tmp.n > 0) {
		s->has_sender = true;
		s->sender = tmp.v[0];
	}
	if ((f = mt_hdr_find(m, "Return-Path")) != NULL)
		s->return_path = clean(m, unbracket(f->value), f->value_offset);
	if ((f = mt_hdr_find(m, "Subject")) != NULL)
		s->subject = mt_mime_decode(m, f->value, f->value_offset, cs);
	if ((f = mt_hdr_find(m, "Date")) != NULL) {
		s->date_raw = clean(m, f->value, f->value_offset);
		if (mt_date_parse(f->value.p, f->value.len, &s->date)) {
			s->has_date = true;
			if (s->date.flags & MT_DATE_NO_ZONE)
				mt_anomaly_add(m, MT_AN_DATE_NO_ZONE,
				    f->value_offset);
			if (s->date.flags & (MT_DATE_OBS_ZONE |
			    MT_DATE_TWO_DIGIT_YEAR))
				mt_anomaly_add(m, MT_AN_DATE_OBSOLETE,
				    f->value_offset);
		} else
			mt_anomaly_add(m, MT_AN_DATE_INVALID, f->value_offset);
	}
	if ((f = mt_hdr_find(m, "Message-ID")) != NULL)
		s->message_id = clean(m, unbracket(f->value), f->value_offset);
	if ((f = mt_hdr_find(m, "X-Mailer")) != NULL ||
	    (f = mt_hdr_find(m, "User-Agent")) != NULL)
		s->x_mailer = mt_mime_decode(m, f->value, f->value_offset, cs);
	return m->arena.failed ? -1 : 0;
}

/*
 * envelope - MAIL FROM and RCPT TO as far as the message shows them.
 * The mbox "From " line is what the delivering agent saw; Return-Path is
 * what the final MTA wrote from MAIL FROM.  A null sender is "".
 */
static void
envelope(struct mt_msg *m, const struct mt_input *in)
{
	struct mt_envelope *e = &m->env;
	const struct mt_field *f;
	size_t i;

	if (in->mbox_from != NULL && in->mbox_from_len > 0) {
		struct mt_str line = mt_str(in->mbox_from, in->mbox_from_len);
		struct mt_str who = first_token(line);
		struct mt_str rest = mt_str(who.p + who.len,
		    line.len - (size_t)(who.p + who.len - line.p));

		if (mt_date_parse(rest.p, rest.len, &e->mbox_date))
			e->has_mbox_date = true;
		else
			mt_anomaly_add(m, MT_AN_MBOX_FROM_UNPARSED, 0);
		/* mutt and procmail write MAILER-DAEMON for a null sender;
		 * a Return-Path, when present, says more. */
		if (who.len > 0 && !mt_str_ieq_c(who, "MAILER-DAEMON")) {
			e->mail_from = clean(m, unbracket(who), 0);
			e->mail_from_source = MT_STR_LIT("mbox");
		}
	}
	if (e->mail_from.p == NULL &&
	    (f = mt_hdr_find(m, "Return-Path")) != NULL) {
		e->mail_from = clean(m, unbracket(f->value), f->value_offset);
		e->mail_from_source = MT_STR_LIT("return-path");
	}
	for (i = 0; i < m->fields.n; i++) {
		f = &m->fields.v[i];
		if (mt_str_ieq_c(f->name, "Delivered-To"))
			add_rcpt(m, f->value, "delivered-to");
		else if (mt_str_ieq_c(f->name, "X-Original-To"))
			add_rcpt(m, f->value, "x-original-to");
		else if (mt_str_ieq_c(f->name, "Envelope-To"))
			add_rcpt(m, f->value, "envelope-to");
	}
}

/*
 * is_content - a field the author's client writes, not a trace field a
 * relay prepends.  A Received field found below one of these is not part
 * of the trace block (RFC 5321 4.4: trace fields are prepended).
 */
static bool
is_content(struct mt_str name)
{
	static const char *const names[] = { "From", "To", "Cc", "Subject",
	    "Date", "Message-ID", "MIME-Version", "Content-Type",
	    "Content-Transfer-Encoding", "In-Reply-To", "References",
	    "Reply-To", "X-Mailer", "User-Agent" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (mt_str_ieq_c(name, names[i]))
			return true;
	return false;
}

/* hops - one hop per Received field, newest first, with delays. */
static int
hops(struct mt_msg *m)
{
	bool content_seen = false, rcv_seen = false;
	size_t i;

	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];
		struct mt_hop *h;

		if (!mt_str_ieq_c(f->name, "Received")) {
			if (rcv_seen && is_content(f->name))
				content_seen = true;
			continue;
		}
		rcv_seen = true;
		if (content_seen) {
			mt_anomaly_add(m, MT_AN_RECEIVED_NOT_CONTIGUOUS,
			    f->offset);
			content_seen = false;
		}
		if (m->hops.n >= MT_MAX_RECEIVED) {
			mt_anomaly_add(m, MT_AN_RECEIVED_TRUNCATED, f->offset);
			break;
		}
		if ((h = mt_vec_push(&m->arena, &m->hops)) == NULL)
			return -1;
		h->index = m->hops.n - 1;
		h->header_index = f->index;
		h->offset = f->offset;
		h->raw = f->value;
		h->from.port = -1;
		h->tls = h->auth = MT_NULL;
		if (mt_rcv_parse(m, f, h) != 0)
			return -1;
		if (m->ctx->rules != NULL) {
			const char *mta = mt_rules_mta(m->ctx->rules, h->raw);

			/* Rule strings live as long as the context. */
			if (mta != NULL)
				h->mta = mt_str(mta, strlen(mta));
			if (h->parsed != MT_PARSED_FULL)
				mt_rules_received(m->ctx->rules, m, h);
		}
		h->raw = clean(m, f->value, f->value_offset);
		if (h->for_.p != NULL)
			add_rcpt(m, h->for_, "received-for");
	}
	for (i = 0; i + 1 < m->hops.n; i++) {
		struct mt_hop *up = &m->hops.v[i], *down = &m->hops.v[i + 1];

		if (up->has_time && down->has_time) {
			up->has_delay = true;
			up->delay_s = up->time - down->time;
		}
	}
	return 0;
}

/* cut_one - record VALUE_TRUNCATED when a displayed value is longer than
 * the record shows (report.c cuts it at MT_MAX_VALUE_OUT). */
static void
cut_one(struct mt_msg *m, struct mt_str v, const char *field)
{
	const struct mt_field *f;

	if (v.p == NULL || v.len <= MT_MAX_VALUE_OUT)
		return;
	f = field != NULL ? mt_hdr_find(m, field) : NULL;
	mt_anomaly_add(m, MT_AN_VALUE_TRUNCATED, f ? f->value_offset : 0);
}

/* cut_values - every value the record cuts at MT_MAX_VALUE_OUT. */
static void
cut_values(struct mt_msg *m)
{
	size_t i;

	cut_one(m, m->sum.subject, "Subject");
	cut_one(m, m->sum.date_raw, "Date");
	cut_one(m, m->sum.message_id, "Message-ID");
	cut_one(m, m->sum.x_mailer, m->sum.x_mailer.p != NULL &&
	    mt_hdr_find(m, "X-Mailer") != NULL ? "X-Mailer" : "User-Agent");
	for (i = 0; i < m->hops.n; i++)
		if (m->hops.v[i].raw.len > MT_MAX_VALUE_OUT)
			mt_anomaly_add(m, MT_AN_VALUE_TRUNCATED,
			    m->hops.v[i].offset);
}

/*
 * mt_analyze_begin - phase 1: everything that needs no DNS, then the
 * questions the later stages will ask; see mailtrace.h and enrich.h.
 */
struct mt_msg *
mt_analyze_begin(struct mt_ctx *ctx, const struct mt_input *in,
    const char *hdr, size_t len)
{
	struct mt_msg *m;

	if ((m = mt_msg_alloc(ctx, in)) == NULL)
		return NULL;
	m->no_body_separator = in->no_body_separator;
	if (mt_hdr_parse(m, hdr, len) != 0)
		goto nomem;
	if (in->header_truncated)
		mt_anomaly_add(m, MT_AN_HEADER_TRUNCATED, len);
	if (in->no_body_separator)
		mt_anomaly_add(m, MT_AN_NO_BODY_SEPARATOR, len);
	if (in->mbox_from_truncated)
		mt_anomaly_add(m, MT_AN_MBOX_FROM_TRUNCATED, 0);
	if (summary(m) != 0)
		goto nomem;
	envelope(m, in);
	if (hops(m) != 0)
		goto nomem;
	cut_values(m);
	/* The input (and its body) is at hand only here: the
	 * authentication stage takes what it needs now and asks its DNS
	 * questions through enrich.h. */
	if (mt_auth_run(m, in) != 0)
		goto nomem;
	/* Which hops DNS must look at depends on the boundary and the
	 * links as they stand without DNS; nothing is sent yet. */
	if (mt_enrich_dns_on(ctx) &&
	    (mt_chain_plan(m) != 0 || mt_enrich_begin(m) != 0))
		goto nomem;
	if (m->arena.failed)
		goto nomem;
	return m;
nomem:
	mt_msg_free(m);
	return NULL;
}

/* mt_ctx_resolve - the DNS rounds of a batch; see mailtrace.h. */
int
mt_ctx_resolve(struct mt_ctx *ctx, struct mt_msg *const *msgs, size_t n)
{
	return mt_enrich_resolve(ctx, msgs, n);
}

/* mt_analyze_end - phase 2: enrichment facts, then the chain engine with
 * them; see mailtrace.h. */
int
mt_analyze_end(struct mt_msg *m)
{
	if (m == NULL || m->error.p != NULL || m->has_verdict)
		return 0;
	if (mt_enrich_end(m) != 0 || mt_chain_run(m) != 0)
		return -1;
	return m->arena.failed ? -1 : 0;
}

/* mt_analyze - analyze one message header; see mailtrace.h. */
struct mt_msg *
mt_analyze(struct mt_ctx *ctx, const struct mt_input *in, const char *hdr,
    size_t len)
{
	struct mt_msg *m;

	if ((m = mt_analyze_begin(ctx, in, hdr, len)) == NULL)
		return NULL;
	if (mt_ctx_resolve(ctx, &m, 1) != 0 || mt_analyze_end(m) != 0) {
		mt_msg_free(m);
		return NULL;
	}
	return m;
}
