/*
 * test_received_corpus.c - the Received parser against a table of real
 * field bodies (received_cases.inc): Postfix, Sendmail, Exim, qmail,
 * Exchange and Office 365, Gmail, Yahoo, fetchmail, amavis, LMTP, the
 * vger.kernel.org list server, SendGrid's Go-style dates, comment-only
 * lines, ratware and garbage.  Each row's expectations were written by
 * reading the header text, so a mismatch is either a parser bug or a row
 * to re-read; every mismatch is printed with the row's name.
 *
 * The compared view is the one the JSON verdict shows: when a hop has no
 * "from" (or no "by") part, its from.* (or by.*) fields are null.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mailtrace.h"
#include "mt.h"
#include "t.h"

struct rcase {
	const char	*name;
	const char	*raw;
	const char	*helo, *rdns, *ip;
	long		 port;
	const char	*ident, *by_host, *by_ip, *with, *id, *for_, *via,
			*envelope_from;
	int		 tls, auth;
	const char	*timestamp, *utc_offset, *parsed;
};

static const struct rcase cases[] = {
#include "received_cases.inc"
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Big enough for any value in the table; longer values are cut and then
 * fail the comparison, which is what we want. */
#define VBUF 512

/* cstr - a NUL-terminated copy of a slice into buf, or NULL if absent. */
static const char *
cstr(struct mt_str s, char *buf, size_t len)
{
	size_t n;

	if (s.p == NULL)
		return NULL;
	n = s.len < len - 1 ? s.len : len - 1;
	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

/* parsed_name - the JSON word for a parse result. */
static const char *
parsed_name(enum mt_parsed p)
{
	switch (p) {
	case MT_PARSED_FULL:
		return "full";
	case MT_PARSED_PARTIAL:
		return "partial";
	case MT_PARSED_COMMENT:
		return "comment";
	case MT_PARSED_UNPARSED:
		return "unparsed";
	}
	return "(invalid)";
}

/* check - parse one row and compare every field. */
static void
check(const struct rcase *c)
{
	char err[256], b[VBUF], ts[32], off[8];
	struct mt_ctx *ctx = NULL;
	struct mt_msg *m = NULL;
	struct mt_field f;
	struct mt_hop hop;
	struct mt_str none = MT_STR_NULL;
	int rc;

	if ((ctx = mt_ctx_new(NULL, err, sizeof(err))) == NULL) {
		T_FAIL("%s: mt_ctx_new: %s", c->name, err);
		goto out;
	}
	if ((m = mt_msg_alloc(ctx, NULL)) == NULL) {
		T_FAIL("%s: mt_msg_alloc failed", c->name);
		goto out;
	}

	memset(&f, 0, sizeof(f));
	f.name = MT_STR_LIT("Received");
	f.value = mt_str(c->raw, strlen(c->raw));
	f.raw = f.value;
	f.offset = 0;
	f.value_offset = 10;
	f.index = 0;

	memset(&hop, 0, sizeof(hop));
	hop.raw = f.value;

	rc = mt_rcv_parse(m, &f, &hop);
	T_INT(c->name, "mt_rcv_parse return", rc, 0);

	T_STR(c->name, "parsed", parsed_name(hop.parsed), c->parsed);

	T_STR(c->name, "from.helo",
	    cstr(hop.has_from ? hop.from.helo : none, b, sizeof(b)), c->helo);
	T_STR(c->name, "from.rdns",
	    cstr(hop.has_from ? hop.from.rdns : none, b, sizeof(b)), c->rdns);
	T_STR(c->name, "from.ip",
	    cstr(hop.has_from ? hop.from.ip : none, b, sizeof(b)), c->ip);
	T_INT(c->name, "from.port", hop.has_from ? hop.from.port : -1,
	    c->port);
	T_STR(c->name, "from.ident",
	    cstr(hop.has_from ? hop.from.ident : none, b, sizeof(b)),
	    c->ident);

	T_STR(c->name, "by.host",
	    cstr(hop.has_by ? hop.by.host : none, b, sizeof(b)), c->by_host);
	T_STR(c->name, "by.ip",
	    cstr(hop.has_by ? hop.by.ip : none, b, sizeof(b)), c->by_ip);

	T_STR(c->name, "with", cstr(hop.with, b, sizeof(b)), c->with);
	T_STR(c->name, "id", cstr(hop.id, b, sizeof(b)), c->id);
	T_STR(c->name, "for", cstr(hop.for_, b, sizeof(b)), c->for_);
	T_STR(c->name, "via", cstr(hop.via, b, sizeof(b)), c->via);
	T_STR(c->name, "envelope_from",
	    cstr(hop.envelope_from, b, sizeof(b)), c->envelope_from);

	T_INT(c->name, "tls", (int)hop.tls, c->tls);
	T_INT(c->name, "auth", (int)hop.auth, c->auth);

	if (hop.has_time) {
		mt_date_format_utc(hop.time, ts, sizeof(ts));
		mt_date_format_offset(hop.utc_offset, off, sizeof(off));
	}
	T_STR(c->name, "timestamp", hop.has_time ? ts : NULL, c->timestamp);
	T_STR(c->name, "utc_offset", hop.has_time ? off : NULL,
	    c->utc_offset);

out:
	mt_msg_free(m);
	mt_ctx_free(ctx);
}

/* main - check every row of the table. */
int
main(void)
{
	size_t i;

	for (i = 0; i < NCASES; i++)
		check(&cases[i]);
	printf("received corpus: %zu rows\n", NCASES);
	return t_done("test_received_corpus");
}
