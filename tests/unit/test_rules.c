/*
 * test_rules.c - the rules engine: the shipped rules and their samples,
 * load errors, overrides, match limits, dialect rules filling hops, MTA
 * flavours of real Received lines, hop and header findings, and subjects
 * with NUL bytes and invalid UTF-8.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt.h"
#include "rules.h"
#include "t.h"

#define RULES_DIR MT_SOURCE_DIR "/rules"

/* load - a fresh rule set from a string; NULL (and a failure) on error. */
static struct mt_rules *
load(const char *what, const char *text)
{
	struct mt_rules *r = mt_rules_new();
	char err[512] = "";

	if (r == NULL) {
		T_FAIL("%s: out of memory", what);
		return NULL;
	}
	if (mt_rules_load_buf(r, "t.rules", text, strlen(text), err,
	    sizeof(err)) != 0) {
		T_FAIL("%s: load: %s", what, err);
		mt_rules_free(r);
		return NULL;
	}
	return r;
}

/* shipped - the rules/ directory as installed. */
static struct mt_rules *
shipped(void)
{
	struct mt_rules *r = mt_rules_new();
	char err[512] = "";

	if (r == NULL)
		return NULL;
	if (mt_rules_load_dir(r, RULES_DIR, err, sizeof(err)) != 0) {
		T_FAIL("load %s: %s", RULES_DIR, err);
		mt_rules_free(r);
		return NULL;
	}
	return r;
}

static void
test_shipped(void)
{
	struct mt_rules *r = shipped();
	char err[512] = "";
	double th = 0;
	int bad;

	T_TRUE("shipped", "loads", r != NULL);
	if (r == NULL)
		return;
	T_TRUE("shipped", "has rules", mt_rules_count(r) >= 25);
	bad = mt_rules_selftest(r, err, sizeof(err));
	T_INT("shipped", "failing samples", bad, 0);
	if (bad != 0)
		T_FAIL("shipped: first failure: %s", err);
	T_TRUE("shipped", "score HELO_MISMATCH",
	    mt_rules_score(r, "HELO_MISMATCH", -1) == 3.0);
	T_STR("shipped", "org of office365.com",
	    mt_rules_org(r, MT_STR_LIT("office365.com")), "microsoft");
	T_TRUE("shipped", "unknown score gets the default",
	    mt_rules_score(r, "NO_SUCH_FINDING", 7.25) == 7.25);
	T_TRUE("shipped", "label suspicious",
	    mt_rules_label(r, "suspicious", &th) && th == 4);
	T_TRUE("shipped", "label forged", mt_rules_label(r, "forged", &th) &&
	    th == 8);
	T_TRUE("shipped", "no label clean", !mt_rules_label(r, "clean", &th));
	T_STR("shipped", "verdict 1.5", mt_rules_verdict(r, 1.5), "clean");
	T_STR("shipped", "verdict 4", mt_rules_verdict(r, 4), "suspicious");
	T_STR("shipped", "verdict 7.5", mt_rules_verdict(r, 7.5), "suspicious");
	T_STR("shipped", "verdict 12", mt_rules_verdict(r, 12), "forged");
	T_TRUE("shipped", "description",
	    mt_rules_description(r, "CHAIN_BROKEN") != NULL);
	T_STR("shipped", "no description",
	    mt_rules_description(r, "NO_SUCH_FINDING"), NULL);
	T_INT("shipped", "no limit hit by samples", mt_rules_limit_hits(r), 0);
	mt_rules_free(r);
}

/* Every load error names the file and line. */
static void
test_errors(void)
{
	static const struct {
		const char	*name, *text, *want;
	} cases[] = {
		{ "bad regex", "# c\nmta x /(abc/\n  match: abc\n"
		    "  nomatch: b\n",
		    "t.rules:2: mta x: bad pattern at offset 4: missing "
		    "closing parenthesis" },
		{ "bad regex offset", "hop H rdns /a[b/i\n",
		    "t.rules:1: hop H: bad pattern at offset 3: missing "
		    "terminating ] for character class" },
		{ "unknown kind", "\n\nfrobnicate x /a/\n",
		    "t.rules:3: unknown kind 'frobnicate' (mta, received, hop, "
		    "header, score, label, description, org, asn, stamp, note, "
		    "authserv)" },
		{ "missing delimiter", "mta x abc\n",
		    "t.rules:1: mta x: missing pattern delimiter: expected "
		    "/PATTERN/FLAGS" },
		{ "missing pattern", "mta x\n",
		    "t.rules:1: mta x: missing pattern delimiter: expected "
		    "/PATTERN/FLAGS" },
		{ "missing closing delimiter", "mta x /ab\\/c\n",
		    "t.rules:1: mta x: missing closing pattern delimiter '/' "
		    "(write a slash inside as \\/)" },
		{ "bad flag", "mta x /a/iq\n",
		    "t.rules:1: mta x: unknown flag 'q' (flags: i x s m)" },
		{ "text after pattern", "mta x /a/i junk\n",
		    "t.rules:1: mta x: unexpected text after the pattern" },
		{ "empty pattern", "mta x //\n", "t.rules:1: mta x: empty "
		    "pattern" },
		{ "bad score number", "score X 2,5\n",
		    "t.rules:1: score X: bad score number '2,5' (a decimal "
		    "such as 2.5)" },
		{ "score missing number", "score X\n",
		    "t.rules:1: score X: missing NUMBER" },
		{ "score trailing text", "score X 1 2\n",
		    "t.rules:1: score X: unexpected text after the number" },
		{ "bad label number", "label suspicious four\n",
		    "t.rules:1: label suspicious: bad label number 'four' (a "
		    "decimal such as 2.5)" },
		{ "missing nomatch", "mta x /a/\n  match: a\n\nscore X 1\n",
		    "t.rules:1: mta x: missing sample: every pattern rule needs "
		    "a 'nomatch:' line" },
		{ "missing match at end", "mta x /a/\n  nomatch: b\n",
		    "t.rules:1: mta x: missing sample: every pattern rule needs "
		    "a 'match:' line" },
		{ "sample outside a rule", "score X 1\n  match: a\n",
		    "t.rules:2: sample line outside a pattern rule (it must "
		    "follow an mta, received, hop or header line)" },
		{ "bad sample kind", "mta x /a/\n  matches: a\n",
		    "t.rules:2: indented line: expected 'match: TEXT' or "
		    "'nomatch: TEXT' under a pattern rule" },
		{ "unknown hop field", "hop H helo_name /a/\n",
		    "t.rules:1: hop H: unknown hop field 'helo_name' (helo, "
		    "rdns, ip, by, raw, with, id, for)" },
		{ "header missing field", "header H\n",
		    "t.rules:1: header H: missing field name" },
		{ "bad name", "mta x/y /a/\n",
		    "t.rules:1: mta: bad NAME 'x/y' (letters, digits, '_', '.', "
		    "'-')" },
		{ "unknown group", "received d /(?<hlo>a)/\n",
		    "t.rules:1: received d: unknown group name (?<hlo>...); "
		    "known: helo rdns ip port ident by byip with id for date "
		    "envfrom" },
		{ "no group", "received d /a/\n",
		    "t.rules:1: received d: no named group: a received rule "
		    "fills hop fields from groups such as (?<ip>...)" },
		{ "invalid UTF-8", "mta x /\xff/\n", "t.rules:1: invalid UTF-8" },
		{ "description without text", "description X   \n",
		    "t.rules:1: description X: missing TEXT" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_rules *r = mt_rules_new();
		char err[512] = "";
		int rc;

		rc = mt_rules_load_buf(r, "t.rules", cases[i].text,
		    strlen(cases[i].text), err, sizeof(err));
		T_INT(cases[i].name, "rc", rc, -1);
		T_STR(cases[i].name, "error", err, cases[i].want);
		T_INT(cases[i].name, "nothing merged", mt_rules_count(r), 0);
		mt_rules_free(r);
	}
}

/* A file that fails changes nothing; a missing file says why. */
static void
test_atomic(void)
{
	struct mt_rules *r = load("atomic", "mta a /foo/\n  match: foo\n"
	    "  nomatch: bar\nscore X 1\n");
	const char *bad = "mta a /bar/\n  match: bar\n  nomatch: foo\n"
	    "score X 5\nmta b /(/\n";
	char err[512] = "";

	if (r == NULL)
		return;
	T_INT("atomic", "rc", mt_rules_load_buf(r, "bad.rules", bad,
	    strlen(bad), err, sizeof(err)), -1);
	T_STR("atomic", "still the old pattern",
	    mt_rules_mta(r, MT_STR_LIT("foo")), "a");
	T_STR("atomic", "not the new one", mt_rules_mta(r, MT_STR_LIT("bar")),
	    NULL);
	T_TRUE("atomic", "old score", mt_rules_score(r, "X", 0) == 1);
	T_STR("atomic", "no label loaded", mt_rules_verdict(r, 100), NULL);
	T_INT("atomic", "count", mt_rules_count(r), 1);
	T_INT("atomic", "missing file", mt_rules_load_file(r,
	    "/nonexistent/x.rules", err, sizeof(err)), -1);
	T_STR("atomic", "missing file error", err,
	    "/nonexistent/x.rules: No such file or directory");
	T_INT("atomic", "missing dir", mt_rules_load_dir(r, "/nonexistent",
	    err, sizeof(err)), -1);
	T_STR("atomic", "missing dir error", err,
	    "/nonexistent: No such file or directory");
	mt_rules_free(r);
}

/* A later rule with the same kind and name replaces the earlier one in
 * place; scores, labels and descriptions too. */
static void
test_org(void)
{
	struct mt_rules *r = load("org",
	    "org ms outlook.com office365.com\norg g google.com gmail.com\n"
	    "org ms outlook.com office365.com exchangelabs.com\n");
	char err[256] = "";

	if (r == NULL)
		return;
	T_STR("org", "listed", mt_rules_org(r, MT_STR_LIT("office365.com")),
	    "ms");
	T_STR("org", "case-insensitive", mt_rules_org(r,
	    MT_STR_LIT("GMAIL.com")), "g");
	T_STR("org", "later line replaces", mt_rules_org(r,
	    MT_STR_LIT("exchangelabs.com")), "ms");
	T_STR("org", "prefix is not a match", mt_rules_org(r,
	    MT_STR_LIT("outlook.co")), NULL);
	T_STR("org", "unlisted", mt_rules_org(r, MT_STR_LIT("example.com")),
	    NULL);
	mt_rules_free(r);
	r = mt_rules_new();
	T_INT("org", "missing domain", mt_rules_load_buf(r, "o.rules",
	    "org x\n", 6, err, sizeof(err)), -1);
	T_STR("org", "missing domain error", err, "o.rules:1: org x: missing "
	    "DOMAIN");
	mt_rules_free(r);
}

/* "asn ORG NUMBER...": the networks an org sends from. */
static void
test_asn(void)
{
	static const struct {
		const char	*text, *want;
	} bad[] = {
		{ "asn\n", "a.rules:1: asn: missing or bad ORG (letters, "
		    "digits, '_', '.', '-')" },
		{ "asn g\n", "a.rules:1: asn g: missing NUMBER" },
		{ "asn g 15169 x1\n", "a.rules:1: asn g: bad AS number 'x1' "
		    "(0-4294967295)" },
		{ "asn g 4294967296\n", "a.rules:1: asn g: bad AS number "
		    "'4294967296' (0-4294967295)" },
	};
	struct mt_rules *r = load("asn",
	    "org g google.com\nasn g 15169 36040\nasn m 8075\n"
	    "asn m 8075 4200000000\n");
	char err[256];
	size_t i;

	if (r == NULL)
		return;
	T_INT("asn", "listed", mt_rules_org_asn(r, "g", 15169), MT_TRUE);
	T_INT("asn", "listed last", mt_rules_org_asn(r, "g", 36040), MT_TRUE);
	T_INT("asn", "not listed", mt_rules_org_asn(r, "g", 29518), MT_FALSE);
	T_INT("asn", "a prefix is not a match", mt_rules_org_asn(r, "g", 1516),
	    MT_FALSE);
	T_INT("asn", "later line replaces", mt_rules_org_asn(r, "m",
	    4200000000L), MT_TRUE);
	T_INT("asn", "no asn line", mt_rules_org_asn(r, "x", 15169), MT_NULL);
	mt_rules_free(r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = mt_rules_new();
		err[0] = '\0';
		T_INT(bad[i].text, "load", mt_rules_load_buf(r, "a.rules",
		    bad[i].text, strlen(bad[i].text), err, sizeof(err)), -1);
		T_STR(bad[i].text, "error", err, bad[i].want);
		mt_rules_free(r);
	}
	/* The shipped orgs.rules lists Google's mail network. */
	r = mt_rules_new();
	if (mt_rules_load_dir(r, MT_SOURCE_DIR "/rules", err, sizeof(err)) == 0) {
		T_INT("asn shipped", "google 15169", mt_rules_org_asn(r,
		    "google", 15169), MT_TRUE);
		T_INT("asn shipped", "google 29518", mt_rules_org_asn(r,
		    "google", 29518), MT_FALSE);
	} else
		T_FAIL("asn shipped: %s", err);
	mt_rules_free(r);
}

static void
test_override(void)
{
	struct mt_rules *r = load("override",
	    "mta a /foo/\n  match: foo\n  nomatch: bar\n"
	    "mta b /bar/\n  match: bar\n  nomatch: foo\n"
	    "hop a rdns /foo/\n  match: foo\n  nomatch: bar\n"
	    "score X 1\nlabel suspicious 4\ndescription X old text\n"
	    "score Y 2\nscore Y 2.75\n");
	const char *local = "# a local override\n"
	    "mta a /baz/i\n    match: BAZ\n    nomatch: foo\n"
	    "score X 3.5\nlabel suspicious 6\ndescription X  new text  \n";
	char err[512] = "";

	if (r == NULL)
		return;
	T_TRUE("override", "same file: later score wins",
	    mt_rules_score(r, "Y", 0) == 2.75);
	T_INT("override", "count before", mt_rules_count(r), 3);
	T_INT("override", "load", mt_rules_load_buf(r, "local.rules", local,
	    strlen(local), err, sizeof(err)), 0);
	T_STR("override", "load error", err, "");
	T_INT("override", "count after", mt_rules_count(r), 3);
	T_STR("override", "old pattern gone", mt_rules_mta(r,
	    MT_STR_LIT("foo")), NULL);
	T_STR("override", "new pattern", mt_rules_mta(r, MT_STR_LIT("Baz")),
	    "a");
	/* a keeps its place before b: "bar baz" is a's, not b's. */
	T_STR("override", "order kept", mt_rules_mta(r,
	    MT_STR_LIT("bar baz")), "a");
	T_TRUE("override", "score", mt_rules_score(r, "X", 0) == 3.5);
	T_TRUE("override", "other score kept", mt_rules_score(r, "Y", 0) ==
	    2.75);
	T_STR("override", "description", mt_rules_description(r, "X"),
	    "new text");
	T_STR("override", "verdict 5", mt_rules_verdict(r, 5), "clean");
	T_STR("override", "verdict 6", mt_rules_verdict(r, 6), "suspicious");
	T_INT("override", "selftest", mt_rules_selftest(r, err, sizeof(err)),
	    0);
	mt_rules_free(r);

	/* The shipped files can be overridden the same way. */
	r = shipped();
	if (r == NULL)
		return;
	local = "score HELO_MISMATCH 0.25\nlabel forged 20\n";
	T_INT("override shipped", "load", mt_rules_load_buf(r, "local.rules",
	    local, strlen(local), err, sizeof(err)), 0);
	T_TRUE("override shipped", "score", mt_rules_score(r, "HELO_MISMATCH",
	    0) == 0.25);
	T_STR("override shipped", "verdict 12", mt_rules_verdict(r, 12),
	    "suspicious");
	mt_rules_free(r);
}

/* A failed sample is reported with its file and line. */
static void
test_selftest(void)
{
	struct mt_rules *r = load("selftest",
	    "mta a /foo/\n  match: foo\n  nomatch: bar\n"
	    "hop b rdns /^x/\n  match: x1\n  match: y2\n  nomatch: z\n"
	    "  nomatch: x3\n"
	    "received c /(?<id>q)?r/\n  match: r\n  nomatch: s\n");
	char err[512] = "";

	if (r == NULL)
		return;
	T_INT("selftest", "failures", mt_rules_selftest(r, err, sizeof(err)),
	    3);
	T_STR("selftest", "first", err,
	    "t.rules:6: rule b: sample \"y2\" did not match");
	mt_rules_free(r);
}

/* hit_count - callback counting hits and keeping the last one. */
struct hits {
	size_t			 n;
	struct mt_rules_hit	 last;
};

static bool
hit_count(void *arg, const struct mt_rules_hit *hit)
{
	struct hits *h = arg;

	h->n++;
	h->last = *hit;
	return true;
}

/* A catastrophic-backtracking pattern is stopped by the match limit. */
static void
test_limits(void)
{
	struct mt_rules *r = load("limits",
	    "mta evil /(a+)+$/\n  match: aaa\n  nomatch: b\n"
	    "mta evil_interpreted /(*NO_JIT)(a+)+$/\n  match: aaa\n"
	    "  nomatch: b\n"
	    "hop evilhop raw /(a|aa)+$/\n  match: aa\n  nomatch: b\n"
	    "received tail /(?<id>TAIL)$/\n  match: x TAIL\n  nomatch: x\n");
	struct mt_msg *m = mt_msg_alloc(NULL, NULL);
	struct mt_hop hop;
	struct hits h;
	char *big = NULL;
	size_t n = 10 * MT_MAX_RULE_SUBJECT, hits0, cuts0, i;
	clock_t t0;
	double secs;

	if (r == NULL || m == NULL)
		goto out;
	big = malloc(n + 1);
	memset(big, 'a', n);
	big[40] = '!';

	/* 40 a's and a '!': 2^40 ways to fail without a limit. */
	hits0 = mt_rules_limit_hits(r);
	t0 = clock();
	T_STR("limits", "catastrophic is no match",
	    mt_rules_mta(r, mt_str(big, 41)), NULL);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	T_TRUE("limits", "bounded in time", secs < 2.0);
	/* Both rules ran: the JIT one and the interpreted one. */
	T_INT("limits", "counted", mt_rules_limit_hits(r), hits0 + 2);

	/* Through a hop, the limit is an anomaly at the hop's offset. */
	memset(&hop, 0, sizeof(hop));
	hop.from.port = -1;
	hop.offset = 77;
	hop.raw = mt_str(big, 41);
	memset(&h, 0, sizeof(h));
	t0 = clock();
	T_INT("limits", "hop hits", mt_rules_match_hop(r, m, &hop, hit_count,
	    &h), 0);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	T_TRUE("limits", "hop bounded in time", secs < 2.0);
	T_INT("limits", "hop counted", mt_rules_limit_hits(r), hits0 + 3);
	T_INT("limits", "anomaly", m->anomalies.n, 1);
	if (m->anomalies.n == 1) {
		T_STR("limits", "anomaly id",
		    mt_anomaly_name(m->anomalies.v[0].code), "RULE_LIMIT");
		T_INT("limits", "anomaly offset", m->anomalies.v[0].offset, 77);
	}

	/* Ten times MT_MAX_RULE_SUBJECT: only the first MT_MAX_RULE_SUBJECT
	 * bytes are matched, the cut is counted and recorded. */
	memset(big, 'x', n);
	memcpy(big + n - 5, " TAIL", 5);
	cuts0 = mt_rules_subject_cuts(r);
	memset(&hop, 0, sizeof(hop));
	hop.from.port = -1;
	hop.offset = 500;
	hop.raw = mt_str(big, n);
	T_TRUE("limits", "beyond the cap is not seen",
	    !mt_rules_received(r, m, &hop));
	T_INT("limits", "cut counted", mt_rules_subject_cuts(r), cuts0 + 1);
	T_INT("limits", "cut recorded", m->anomalies.n, 2);
	if (m->anomalies.n == 2)
		T_INT("limits", "cut offset", m->anomalies.v[1].offset, 500);
	/* Within the cap it is seen. */
	hop.raw = mt_str(big + n - MT_MAX_RULE_SUBJECT, MT_MAX_RULE_SUBJECT);
	T_TRUE("limits", "at the cap", mt_rules_received(r, m, &hop));
	T_STR("limits", "at the cap id", hop.id.p, "TAIL");

	/* Many subjects in a row stay fast: the limit is per match. */
	t0 = clock();
	for (i = 0; i < 50; i++)
		(void)mt_rules_mta(r, mt_str(big, 41));
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	T_TRUE("limits", "50 catastrophic matches bounded", secs < 10.0);
out:
	free(big);
	mt_msg_free(m);
	mt_rules_free(r);
}

/* Dialect rules fill the null fields of a hop from named groups. */
static void
test_received(void)
{
	static const struct {
		const char	*name, *raw;
		const char	*helo, *rdns, *ip, *by, *with, *id, *for_,
				*ident, *time;
		long		 port;
		int		 offset;
	} cases[] = {
		{ "go time",
		    "by recvd-56b4d87796-qdnd5 with SMTP id "
		    "recvd-56b4d87796-qdnd5-1-696DC71D-10 2026-01-19 "
		    "05:54:37.873538749 +0000 UTC m=+2791378.346043427",
		    NULL, NULL, NULL, "recvd-56b4d87796-qdnd5", "SMTP",
		    "recvd-56b4d87796-qdnd5-1-696DC71D-10", NULL, NULL,
		    "2026-01-19T05:54:37Z", -1, 0 },
		{ "go time 2018",
		    "by filterdrecv-p3mdw1-5fb7b5f5d9-2lkfm with SMTP id "
		    "filterdrecv-p3mdw1-5fb7b5f5d9-2lkfm-18-5AB8F6A8-2A "
		    "2018-03-26 13:35:36.270951634 +0000 UTC m=+555016.72",
		    NULL, NULL, NULL, "filterdrecv-p3mdw1-5fb7b5f5d9-2lkfm",
		    "SMTP", "filterdrecv-p3mdw1-5fb7b5f5d9-2lkfm-18-5AB8F6A8-2A",
		    NULL, NULL, "2018-03-26T13:35:36Z", -1, 0 },
		{ "sendgrid http",
		    "from MTQwNDMxMDk (unknown) by geopod-ismtpd-16 (SG) with "
		    "HTTP id VV04DMpGRPOoJ3UAgRlDaw Tue, 03 Oct 2023 "
		    "23:47:28.650 +0000 (UTC)",
		    NULL, NULL, NULL, "geopod-ismtpd-16", "HTTP",
		    "VV04DMpGRPOoJ3UAgRlDaw", NULL, "MTQwNDMxMDk",
		    "2023-10-03T23:47:28Z", -1, 0 },
		{ "sendgrid smtp",
		    "from Ich.CS.in (unknown) by geopod-ismtpd-0 (SG) with ESMTP "
		    "id TXWJ-a6lQL23BeK2zioLJQ for <phishing@pot>; Sun, 12 Oct "
		    "2025 19:36:19.109 +0000 (UTC)",
		    "ich.cs.in", NULL, NULL, "geopod-ismtpd-0", "ESMTP",
		    "TXWJ-a6lQL23BeK2zioLJQ", "phishing@pot", NULL,
		    "2025-10-12T19:36:19Z", -1, 0 },
		{ "qmail network",
		    "(qmail 71509 messnum 305279 invoked from network[159.134."
		    "159.217/p473.as1.drogheda1.eircom.net]); 20 Jul 2002 "
		    "21:46:31 -0000",
		    NULL, "p473.as1.drogheda1.eircom.net", "159.134.159.217",
		    NULL, NULL, NULL, NULL, NULL, "2002-07-20T21:46:31Z", -1,
		    0 },
		{ "exim port",
		    "from [::FFFF:85.209.134.151] (port=55853 helo=Mail.Example.COM) "
		    "by ded3784.inmotionhosting.com with esmtpa (Exim 4.95) id "
		    "1p0fSC-00031j-JB; Thu, 01 Dec 2022 01:01:59 -0800",
		    "mail.example.com", NULL, "85.209.134.151",
		    "ded3784.inmotionhosting.com", NULL, NULL, NULL, NULL, NULL,
		    55853, 0 },
		{ "go time folded",
		    "  by\trecvd-56b4d87796-qdnd5 with SMTP id\r\n\t"
		    "recvd-56b4d87796-qdnd5-1-696DC71D-10\r\n    2026-01-19 "
		    "05:54:37.873538749\t+0000 UTC m=+2791378.346043427 \r\n",
		    NULL, NULL, NULL, "recvd-56b4d87796-qdnd5", "SMTP",
		    "recvd-56b4d87796-qdnd5-1-696DC71D-10", NULL, NULL,
		    "2026-01-19T05:54:37Z", -1, 0 },
		{ "at date",
		    "from 192.192.192.248 [192.192.192.248] by "
		    "vitblr.blr.vsnl.net.in (1.61/SMTPD) at Tue, 31 Jul 01 "
		    "23:02:18 PDT",
		    "192.192.192.248", NULL, "192.192.192.248",
		    "vitblr.blr.vsnl.net.in", NULL, NULL, NULL, NULL,
		    "2001-08-01T06:02:18Z", -1, -420 },
	};
	struct mt_rules *r = shipped();
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(NULL, NULL);
		struct mt_hop hop;
		char buf[40];
		bool ok;

		memset(&hop, 0, sizeof(hop));
		hop.from.port = -1;
		hop.raw = mt_arena_dupz(&m->arena, cases[i].raw);
		ok = mt_rules_received(r, m, &hop);
		T_TRUE(cases[i].name, "matched", ok);
		T_INT(cases[i].name, "parsed", hop.parsed, MT_PARSED_PARTIAL);
		T_STR(cases[i].name, "helo", hop.from.helo.p, cases[i].helo);
		T_STR(cases[i].name, "rdns", hop.from.rdns.p, cases[i].rdns);
		T_STR(cases[i].name, "ip", hop.from.ip.p, cases[i].ip);
		T_STR(cases[i].name, "by", hop.by.host.p, cases[i].by);
		T_STR(cases[i].name, "with", hop.with.p, cases[i].with);
		T_STR(cases[i].name, "id", hop.id.p, cases[i].id);
		T_STR(cases[i].name, "for", hop.for_.p, cases[i].for_);
		T_STR(cases[i].name, "ident", hop.from.ident.p, cases[i].ident);
		T_INT(cases[i].name, "port", hop.from.port, cases[i].port);
		if (hop.has_time) {
			mt_date_format_utc(hop.time, buf, sizeof(buf));
			T_STR(cases[i].name, "time", buf, cases[i].time);
			T_INT(cases[i].name, "offset", hop.utc_offset,
			    cases[i].offset);
		} else
			T_STR(cases[i].name, "time", NULL, cases[i].time);
		if (cases[i].ip != NULL)
			T_INT(cases[i].name, "ip class", hop.ip_class,
			    MT_IPC_PUBLIC);
		T_TRUE(cases[i].name, "has_from", hop.has_from ==
		    (cases[i].helo || cases[i].rdns || cases[i].ip ||
		    cases[i].ident));
		mt_msg_free(m);
	}

	/* Fields already set stay; a FULL parse stays FULL. */
	{
		struct mt_msg *m = mt_msg_alloc(NULL, NULL);
		struct mt_hop hop;

		memset(&hop, 0, sizeof(hop));
		hop.from.port = -1;
		hop.parsed = MT_PARSED_FULL;
		hop.with = MT_STR_LIT("ESMTP");
		hop.raw = mt_arena_dupz(&m->arena, cases[0].raw);
		T_TRUE("keep", "matched", mt_rules_received(r, m, &hop));
		T_STR("keep", "with kept", hop.with.p, "ESMTP");
		T_STR("keep", "by filled", hop.by.host.p, cases[0].by);
		T_INT("keep", "parsed", hop.parsed, MT_PARSED_FULL);

		/* A line no dialect explains. */
		memset(&hop, 0, sizeof(hop));
		hop.raw = MT_STR_LIT("from mail.example.com by mx.example.org "
		    "with ESMTP id 1; Mon, 1 Jan 2024 00:00:00 +0000");
		T_TRUE("no dialect", "not matched",
		    !mt_rules_received(r, m, &hop));
		T_INT("no dialect", "parsed", hop.parsed, MT_PARSED_UNPARSED);
		mt_msg_free(m);
	}

	/* A bad IP literal and a bad date become anomalies, not fields. */
	{
		struct mt_rules *r2 = load("bad groups", "received d "
		    "/^at (?<ip>\\S+) on (?<date>.*)$/\n  match: at 1.2.3.4 on x\n"
		    "  nomatch: b\n");
		struct mt_msg *m = mt_msg_alloc(NULL, NULL);
		struct mt_hop hop;

		if (r2 != NULL && m != NULL) {
			memset(&hop, 0, sizeof(hop));
			hop.from.port = -1;
			hop.offset = 9;
			hop.raw = MT_STR_LIT("at 300.1.2.3 on the 32nd of May");
			T_TRUE("bad groups", "matched",
			    mt_rules_received(r2, m, &hop));
			T_STR("bad groups", "ip", hop.from.ip.p, NULL);
			T_TRUE("bad groups", "no time", !hop.has_time);
			T_INT("bad groups", "anomalies", m->anomalies.n, 2);
			if (m->anomalies.n == 2) {
				T_STR("bad groups", "first", mt_anomaly_name(
				    m->anomalies.v[0].code),
				    "INVALID_IP_LITERAL");
				T_INT("bad groups", "offset",
				    m->anomalies.v[0].offset, 9);
			}
		}
		mt_msg_free(m);
		mt_rules_free(r2);
	}

	/* A name used by two groups (?J): the one that matched is taken. */
	{
		struct mt_rules *r2 = load("dup names", "received d "
		    "/(?J)^(?:at (?<ip>\\S+)|by (?<by>\\S+) from (?<ip>\\S+))$/\n"
		    "  match: by x from 192.0.2.1\n  nomatch: b\n");
		struct mt_msg *m = mt_msg_alloc(NULL, NULL);
		struct mt_hop hop;

		if (r2 != NULL && m != NULL) {
			memset(&hop, 0, sizeof(hop));
			hop.from.port = -1;
			hop.raw = MT_STR_LIT("by MX from [IPv6:2001:DB8::1]");
			T_TRUE("dup names", "matched",
			    mt_rules_received(r2, m, &hop));
			T_STR("dup names", "ip", hop.from.ip.p, "2001:db8::1");
			T_STR("dup names", "by", hop.by.host.p, "mx");
			T_INT("dup names", "class", hop.ip_class,
			    MT_IPC_DOCUMENTATION);
		}
		mt_msg_free(m);
		mt_rules_free(r2);
	}
	mt_rules_free(r);
}

/* MTA flavours of real Received lines (not the rules' own samples). */
static void
test_mta(void)
{
	static const struct {
		const char	*raw, *want;
	} cases[] = {
		{ "from smtp.subspace.kernel.org (smtp.subspace.kernel.org "
		    "[100.90.174.1]) by sv.mirrors.kernel.org (Postfix) with "
		    "ESMTP id 1B8CE28386C for <lists@example.org>; Sat, 13 Jan "
		    "2024 09:56:46 +0000 (UTC)", "postfix" },
		{ "from NAM12-BN8-obe.outbound.protection.outlook.com "
		    "(mail-bn8nam12olkn2082a.outbound.protection.outlook.com. "
		    "[2a01:111:f400:fe5b::82a]) by mx.google.com with ESMTPS id "
		    "q22-20020a1709060e5600b009a1c2fcdce2si7399182eji.154.2023."
		    "09.11.03.59.31 for <user@example.org> (version=TLS1_2 "
		    "cipher=ECDHE-ECDSA-AES128-GCM-SHA256 bits=128/128); Mon, "
		    "11 Sep 2023 03:59:31 -0700 (PDT)", "gmail" },
		{ "from sonic301-31.consmr.mail.bf2.yahoo.com (74.6.129.230) by "
		    "AM3PEPF0000A794.mail.protection.outlook.com (10.167.16.123) "
		    "with Microsoft SMTP Server (version=TLS1_3, "
		    "cipher=TLS_AES_256_GCM_SHA384) id 15.20.7677.15 via "
		    "Frontend Transport; Sun, 9 Jun 2024 20:16:06 +0000",
		    "exchange" },
		{ "from mail pickup service by hotmail.com with Microsoft "
		    "SMTPSVC; Sat, 21 Sep 2002 20:32:59 -0700", "iis" },
		{ "from [198.51.100.57] (helo=home-c4e4a596f7) by "
		    "fencepost.gnu.org with esmtpsa (TLS1.2:ECDHE_RSA_AES_256_"
		    "GCM_SHA384:256) (Exim 4.90_1) (envelope-from "
		    "<user@example.org>) id 1pkKkO-000422-5D; Thu, 06 Apr 2023 "
		    "04:13:32 -0400", "exim" },
		{ "from dogma.slashnull.org (localhost [127.0.0.1]) by "
		    "dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id "
		    "g9780pK23310 for <user@example.org>; Mon, 7 Oct 2002 "
		    "09:00:51 +0100", "sendmail" },
		{ "(qmail 12796 invoked from network); 22 Aug 2002 16:24:13 "
		    "-0000", "qmail" },
		{ "from unknown (66.218.66.218) by m2.grp.scd.yahoo.com with "
		    "QMQP; 22 Aug 2002 14:01:22 -0000", "yahoo" },
		{ "from mail.sms.maceio.al.gov.br ([127.0.0.1]) by localhost "
		    "(mail.sms.maceio.al.gov.br [127.0.0.1]) (amavisd-new, port "
		    "10026) with ESMTP id bmebCNsucQXx; Mon,  6 Feb 2023 "
		    "02:36:11 -0300 (-03)", "amavis" },
		{ "from phobos [127.0.0.1] by localhost with IMAP "
		    "(fetchmail-5.9.0) for user@localhost (single-drop); Tue, "
		    "27 Aug 2002 11:08:02 +0100 (IST)", "fetchmail" },
		{ "from localhost (<unknown> [2a02:8071:7111:c540:1974:1e1c:"
		    "d1b8:7af5]) by smtp1.bureaucracy.de (OpenSMTPD) with "
		    "ESMTPSA id d500a7ea (TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)"
		    "; Sun, 6 Oct 2024 01:17:50 +0000 (UTC)", "opensmtpd" },
		{ "from unknown (HELO unkown) (::1) by euporie.uberspace.de "
		    "(Haraka/2.8.28) with ESMTPSA; Wed, 27 Jul 2022 17:27:46 "
		    "+0200", "haraka" },
		{ "by filterdrecv-6bbccbcb8c-6z7tp with SMTP id "
		    "filterdrecv-6bbccbcb8c-6z7tp-1-648CFA10-6C 2023-06-17 "
		    "00:10:56.569091497 +0000 UTC m=+3198677.448367127",
		    "sendgrid" },
		{ "from arnie0140.email.locaweb.com.br ([127.0.0.1]) by "
		    "arnie0140.email.locaweb.com.br with LMTP id "
		    "2BAUF3N1zGCLOQAAijys7w ; Fri, 18 Jun 2021 07:29:07 -0300",
		    "dovecot" },
		{ "from stu02.nsysu.edu.tw (LHLO stu02.nsysu.edu.tw) "
		    "(10.10.20.85) by stu05.nsysu.edu.tw with LMTP; Sat, 1 May "
		    "2021 18:12:04 +0800 (CST)", "zimbra" },
		{ "from cninfo.net by mail.love0001.xyz (MDaemon PRO v10.1.1) "
		    "with ESMTP id md50000092331.msg for <list@example.org>; "
		    "Mon, 25 Oct 2021 20:59:52 +0800", "mdaemon" },
		{ "from localhost (localhost [127.0.0.1]) (uid 1002) by "
		    "mail.example.de with local id 0000000000021755."
		    "0000000068AB264E.00139583; Sun, 24 Aug 2025 14:48:46 +0000",
		    "courier" },
		{ "(majordomo@vger.kernel.org) by vger.kernel.org via "
		    "listexpand id S1726397AbfEEKxc (ORCPT "
		    "<rfc822;linux-man@vger.kernel.org>); Sun, 5 May 2019 "
		    "06:53:32 -0400", "zmailer" },
		{ "from SA1PR12MB6678.namprd12.prod.outlook.com (::1) by "
		    "LV3PR12MB9265.namprd12.prod.outlook.com with HTTPS; Thu, 3 "
		    "Aug 2023 10:15:41 +0000", "exchange" },
		{ "from mail.example.com by mx.example.org with ESMTP id 1; "
		    "Mon, 1 Jan 2024 00:00:00 +0000", NULL },
		/* Folded as written, tabs and line breaks kept. */
		{ "from smtp.example.org (smtp.example.org [192.0.2.8])\r\n"
		    "\tby mx.example.net (8.14.4/8.14.4) with ESMTP id "
		    "p1234;\r\n\tMon, 1 Jan 2024 00:00:00 +0000", "sendmail" },
		{ "from mail-oa1-f72.google.com (209.85.160.72) by\r\n "
		    "CH3PEPF00000015.mail.protection.outlook.com "
		    "(10.167.244.120) with Microsoft SMTP\r\n Server "
		    "(version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id "
		    "15.20.9700.0 via\r\n Frontend Transport; Tue, 3 Mar 2026 "
		    "16:55:27 +0000", "exchange" },
		{ "", NULL },
	};
	struct mt_rules *r = shipped();
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_STR(cases[i].raw, "mta", mt_rules_mta(r, mt_str(cases[i].raw,
		    strlen(cases[i].raw))), cases[i].want);
	T_STR("null subject", "mta", mt_rules_mta(r, MT_STR_NULL), NULL);
	T_STR("no rules", "mta", mt_rules_mta(NULL, MT_STR_LIT("x")), NULL);
	mt_rules_free(r);
}

/* Hop rules and header rules report findings through the callback. */
static void
test_findings(void)
{
	struct mt_rules *r = shipped();
	struct mt_msg *m = mt_msg_alloc(NULL, NULL);
	struct mt_hop hop;
	struct mt_field *f;
	struct hits h;
	static const char *const fields[][2] = {
		{ "Subject", "wqQD5" },
		{ "x-mailer", "Atomic Mail Sender 9.1" },
		{ "X-Mailer", "git-send-email 2.28.0" },
		{ "X-MAILER", "K3gYH" },
	};
	size_t i;

	if (r == NULL || m == NULL)
		goto out;
	memset(&hop, 0, sizeof(hop));
	hop.from.port = -1;
	hop.from.rdns = MT_STR_LIT("220-142-21-58.dynamic-ip.hinet.net");
	memset(&h, 0, sizeof(h));
	T_INT("hop", "hits", mt_rules_match_hop(r, m, &hop, hit_count, &h), 1);
	T_STR("hop", "finding", h.last.finding, "RDNS_DYNAMIC");
	T_STR("hop", "field", h.last.field, "rdns");
	T_TRUE("hop", "hop", h.last.hop == &hop);
	T_TRUE("hop", "match inside subject", h.last.match.p >=
	    hop.from.rdns.p && h.last.match.p + h.last.match.len <=
	    hop.from.rdns.p + hop.from.rdns.len);
	T_TRUE("hop", "rule location", h.last.line > 0 &&
	    strstr(h.last.file, "findings.rules") != NULL);

	hop.from.rdns = MT_STR_LIT("mail.example.com");
	memset(&h, 0, sizeof(h));
	T_INT("hop clean", "hits", mt_rules_match_hop(r, m, &hop, hit_count,
	    &h), 0);
	hop.from.rdns = MT_STR_NULL;
	T_INT("hop null field", "hits", mt_rules_match_hop(r, m, &hop, NULL,
	    NULL), 0);

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if ((f = mt_vec_push(&m->arena, &m->fields)) == NULL)
			goto out;
		f->name = mt_arena_dupz(&m->arena, fields[i][0]);
		f->value = mt_arena_dupz(&m->arena, fields[i][1]);
		f->index = i;
		f->offset = 100 * i;
	}
	memset(&h, 0, sizeof(h));
	T_INT("header", "hits", mt_rules_match_header(r, m, hit_count, &h), 2);
	T_STR("header", "finding", h.last.finding, "BULK_MAILER");
	T_TRUE("header", "last field", h.last.hdr == &m->fields.v[3]);
	T_INT("header", "match length", h.last.match.len, 5);
	T_INT("header", "no anomaly", m->anomalies.n, 0);
out:
	mt_msg_free(m);
	mt_rules_free(r);
}

/* NUL bytes and invalid UTF-8 in a subject neither break matching nor
 * count as errors: an invalid sequence just matches nothing. */
static void
test_bytes(void)
{
	static const char line[] = "from x\0y \xff\xfe\xc3 (h\x80) by "
	    "mail.lfdr.de (Postfix) with ESMTP id 7C8; Sun, 5 May 2019 "
	    "12:53:33 +0200";
	static const char nul[] = "a\0b";
	static const char bad[] = "a\xff" "b";
	struct mt_rules *r = shipped();
	struct mt_rules *r2 = load("bytes", "mta nul /a(?:\\x00|-)b/\n"
	    "  match: a-b (a sample cannot hold a NUL)\n  nomatch: ab\n"
	    "mta dot /^a.b$/s\n  match: a-b\n  nomatch: ab\n"
	    "mta utf /^caf\xc3\xa9$/i\n  match: CAF\xc3\x89\n  nomatch: cafe\n");
	size_t hits0;

	if (r == NULL || r2 == NULL)
		goto out;
	hits0 = mt_rules_limit_hits(r);
	T_STR("bytes", "postfix past NUL and bad bytes", mt_rules_mta(r,
	    mt_str(line, sizeof(line) - 1)), "postfix");
	T_INT("bytes", "no limit hit", mt_rules_limit_hits(r), hits0);
	T_STR("bytes", "NUL matched by \\x00", mt_rules_mta(r2,
	    mt_str(nul, sizeof(nul) - 1)), "nul");
	T_STR("bytes", "dot does not match an invalid byte", mt_rules_mta(r2,
	    mt_str(bad, sizeof(bad) - 1)), NULL);
	T_STR("bytes", "dot matches a character", mt_rules_mta(r2,
	    MT_STR_LIT("a\xc3\xa9" "b")), "dot");
	T_STR("bytes", "caseless UTF-8", mt_rules_mta(r2,
	    MT_STR_LIT("CAF\xc3\x89")), "utf");
	T_STR("bytes", "truncated UTF-8", mt_rules_mta(r2,
	    MT_STR_LIT("caf\xc3")), NULL);
	T_INT("bytes", "no limit hit r2", mt_rules_limit_hits(r2), 0);
out:
	mt_rules_free(r);
	mt_rules_free(r2);
}

/* The shipped rules over the developer corpus: no limit is hit, and most
 * Received lines get a flavour.  Skipped when the corpus is absent. */
static void
test_corpus(void)
{
	static const char *const files[] = {
		"phishing_pot.mbox", "spamassassin.mbox", "linux_man.mbox",
	};
	struct mt_rules *r = NULL;
	size_t f, lines = 0, named = 0;
	char *buf = NULL, *line = NULL;
	size_t cap = 0;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		FILE *fp;
		size_t len = 0;
		ssize_t n;
		bool in = false;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[f]);
		if ((fp = fopen(path, "rb")) == NULL) {
			printf("test_rules: corpus: skipped (%s absent)\n",
			    path);
			goto out;
		}
		if (r == NULL && (r = shipped()) == NULL) {
			fclose(fp);
			goto out;
		}
		if (buf == NULL && (buf = malloc(MT_MAX_FIELD_LEN)) == NULL) {
			fclose(fp);
			goto out;
		}
		/* Unfold Received fields (RFC 5322 3.2.2: remove the line
		 * breaks, keep the blanks): enough for a coverage check. */
		while ((n = getline(&line, &cap, fp)) >= 0) {
			while (n > 0 && (line[n - 1] == '\n' ||
			    line[n - 1] == '\r'))
				line[--n] = '\0';
			if (in && n > 0 && (line[0] == ' ' || line[0] == '\t')) {
				if (len + (size_t)n < MT_MAX_FIELD_LEN) {
					memcpy(buf + len, line, (size_t)n);
					len += (size_t)n;
				}
				continue;
			}
			if (in) {
				lines++;
				if (mt_rules_mta(r, mt_str(buf, len)) != NULL)
					named++;
				in = false;
			}
			if (n >= 9 && strncmp(line, "Received:", 9) == 0) {
				in = true;
				len = (size_t)n - 9;
				memcpy(buf, line + 9, len);
			}
		}
		fclose(fp);
	}
	printf("test_rules: corpus: %zu of %zu Received lines named\n", named,
	    lines);
	T_TRUE("corpus", "lines read", lines > 5000);
	T_TRUE("corpus", "most named", named * 10 >= lines * 9);
	T_INT("corpus", "no limit hit", mt_rules_limit_hits(r), 0);
out:
	free(line);
	free(buf);
	mt_rules_free(r);
}

/* "stamp", "note" and "authserv" lines (rules/vendor.rules). */
static void
test_vendor(void)
{
	static const struct {
		const char	*text, *want;
	} bad[] = {
		{ "stamp\n", "v.rules:1: stamp: bad or missing HEADER '' (a "
		    "header field name)" },
		{ "stamp X-A\n", "v.rules:1: stamp X-A: bad or missing VENDOR "
		    "(letters, digits, '_', '.', '-')" },
		{ "stamp X-A v csv\n", "v.rules:1: stamp X-A: bad FORMAT 'csv' "
		    "(pairs, params, value=KEY, spamassassin, rspamd, presence)" },
		{ "stamp X-A v value\n", "v.rules:1: stamp X-A: bad FORMAT "
		    "'value' (pairs, params, value=KEY, spamassassin, rspamd, "
		    "presence)" },
		{ "stamp X-A v pairs org=ms extra\n", "v.rules:1: stamp X-A: "
		    "unexpected 'extra' (only org=ORG may follow the FORMAT)" },
		{ "note X-A K\n", "v.rules:1: note X-A: missing KEY or VALUE" },
		{ "note X-A K V\n", "v.rules:1: note X-A K V: missing TEXT" },
		{ "note X-A - V text\n", "v.rules:1: note X-A: KEY and VALUE are "
		    "both '-' (a note on the stamp itself) or neither is" },
		{ "note X-A K 5..x text\n", "v.rules:1: note X-A K: bad range "
		    "'5..x' (A..B, A.. or ..B with decimal numbers)" },
		{ "note X-A K .. text\n", "v.rules:1: note X-A K: bad range "
		    "'..' (A..B, A.. or ..B with decimal numbers)" },
		{ "note X-A K \"open text\n", "v.rules:1: note X-A: "
		    "unterminated or empty quoted VALUE" },
		{ "authserv\n", "v.rules:1: authserv: bad or missing ID '' (a "
		    "host name)" },
		{ "authserv mx.a.example junk\n", "v.rules:1: authserv "
		    "mx.a.example: unexpected text after the ID" },
	};
	struct mt_rules *r = load("vendor",
	    "stamp X-Forefront-Antispam-Report microsoft pairs org=Microsoft\n"
	    "stamp X-Spam-Score sa value=score\n"
	    "note X-Forefront-Antispam-Report SFV SPM marked spam\n"
	    "note x-forefront-antispam-report sfv * some verdict\n"
	    "note X-Forefront-Antispam-Report SCL 5..6 spam\n"
	    "note X-Forefront-Antispam-Report SCL 7.. high confidence\n"
	    "note X-Forefront-Antispam-Report SCL ..-1 skipped\n"
	    "note X-Spam-Score score \"no action\" two words\n"
	    "note X-Spam-Score - - the stamp itself\n"
	    "authserv MX.Corp.Example\n");
	const struct mt_rules_stamp *st;
	struct mt_rules *r2;
	char err[256];
	size_t i;

	if (r == NULL)
		return;
	st = mt_rules_stamp(r, MT_STR_LIT("x-forefront-ANTISPAM-report"));
	T_TRUE("vendor", "stamp found case-insensitively", st != NULL);
	if (st != NULL) {
		T_STR("vendor", "vendor", st->vendor, "microsoft");
		T_STR("vendor", "format", st->format, "pairs");
		T_STR("vendor", "org lowercased", st->org, "microsoft");
		T_STR("vendor", "no key", st->key, NULL);
	}
	st = mt_rules_stamp(r, MT_STR_LIT("X-Spam-Score"));
	T_STR("vendor", "value key", st ? st->key : NULL, "score");
	T_STR("vendor", "value format", st ? st->format : NULL, "value");
	T_TRUE("vendor", "no stamp", mt_rules_stamp(r,
	    MT_STR_LIT("X-Mailer")) == NULL);
#define NOTE(h, k, v) mt_rules_note(r, MT_STR_LIT(h), MT_STR_LIT(k), \
	    MT_STR_LIT(v))
	T_STR("vendor", "exact, first in load order",
	    NOTE("X-Forefront-Antispam-Report", "SFV", "spm"), "marked spam");
	T_STR("vendor", "any value", NOTE("X-Forefront-Antispam-Report",
	    "sfv", "NSPM"), "some verdict");
	T_STR("vendor", "range low end", NOTE("X-Forefront-Antispam-Report",
	    "SCL", "5"), "spam");
	T_STR("vendor", "range high end", NOTE("X-Forefront-Antispam-Report",
	    "SCL", "6"), "spam");
	T_STR("vendor", "open range", NOTE("X-Forefront-Antispam-Report",
	    "SCL", "9"), "high confidence");
	T_STR("vendor", "negative", NOTE("X-Forefront-Antispam-Report", "SCL",
	    "-1"), "skipped");
	T_STR("vendor", "decimal in no range", NOTE(
	    "X-Forefront-Antispam-Report", "SCL", "4.5"), NULL);
	T_STR("vendor", "not a number", NOTE("X-Forefront-Antispam-Report",
	    "SCL", "five"), NULL);
	T_STR("vendor", "quoted value", NOTE("X-Spam-Score", "score",
	    "No Action"), "two words");
	T_STR("vendor", "the stamp itself", NOTE("X-Spam-Score", "-", "-"),
	    "the stamp itself");
	T_STR("vendor", "unknown key", NOTE("X-Spam-Score", "flag", "YES"),
	    NULL);
	T_STR("vendor", "unknown header", NOTE("X-Other", "SFV", "SPM"), NULL);
#undef NOTE
	T_TRUE("vendor", "authserv", mt_rules_authserv(r,
	    MT_STR_LIT("mx.corp.example")));
	T_TRUE("vendor", "other authserv", !mt_rules_authserv(r,
	    MT_STR_LIT("mx2.corp.example")));
	/* a later note with the same header, key and value replaces it */
	{
		static const char local[] = "note X-Forefront-Antispam-Report "
		    "SFV spm overridden\nstamp x-spam-score sa2 presence\n";

		if (mt_rules_load_buf(r, "local.rules", local,
		    sizeof(local) - 1, err, sizeof(err)) != 0)
			T_FAIL("vendor: local: %s", err);
	}
	T_STR("vendor", "override note", mt_rules_note(r,
	    MT_STR_LIT("X-Forefront-Antispam-Report"), MT_STR_LIT("SFV"),
	    MT_STR_LIT("SPM")), "overridden");
	st = mt_rules_stamp(r, MT_STR_LIT("X-Spam-Score"));
	T_STR("vendor", "override stamp", st ? st->vendor : NULL, "sa2");
	mt_rules_free(r);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if ((r2 = mt_rules_new()) == NULL)
			return;
		err[0] = '\0';
		T_INT(bad[i].text, "refused", mt_rules_load_buf(r2, "v.rules",
		    bad[i].text, strlen(bad[i].text), err, sizeof(err)), -1);
		T_STR(bad[i].text, "message", err, bad[i].want);
		mt_rules_free(r2);
	}

	/* the shipped vendor.rules */
	if ((r = shipped()) == NULL)
		return;
	T_STR("vendor.rules", "SCL 5", mt_rules_note(r,
	    MT_STR_LIT("X-MS-Exchange-Organization-SCL"), MT_STR_LIT("SCL"),
	    MT_STR_LIT("5")), "spam");
	T_STR("vendor.rules", "CAT PHSH", mt_rules_note(r,
	    MT_STR_LIT("X-Forefront-Antispam-Report"), MT_STR_LIT("CAT"),
	    MT_STR_LIT("PHSH")), "phishing");
	T_STR("vendor.rules", "BCL 7", mt_rules_note(r,
	    MT_STR_LIT("X-Microsoft-Antispam"), MT_STR_LIT("BCL"),
	    MT_STR_LIT("7")), "bulk complaint level: bulk with a mixed number "
	    "of complaints");
	T_STR("vendor.rules", "rspamd action", mt_rules_note(r,
	    MT_STR_LIT("X-Rspamd-Action"), MT_STR_LIT("action"),
	    MT_STR_LIT("add header")), "rspamd marked the message as spam");
	st = mt_rules_stamp(r, MT_STR_LIT("X-IronPort-AV"));
	T_STR("vendor.rules", "IronPort-AV", st ? st->format : NULL, "params");
	mt_rules_free(r);
}

int
main(void)
{
	test_shipped();
	test_errors();
	test_atomic();
	test_override();
	test_org();
	test_asn();
	test_vendor();
	test_selftest();
	test_limits();
	test_received();
	test_mta();
	test_findings();
	test_bytes();
	test_corpus();
	return t_done("test_rules");
}
