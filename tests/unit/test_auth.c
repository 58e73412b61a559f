/*
 * test_auth.c - the authentication stage (auth.c): Authentication-Results
 * and ARC-Authentication-Results (RFC 8601 and its appendix examples, the
 * forms Exchange Online, Gmail, OpenDKIM and rspamd write), ARC-Seal,
 * Received-SPF (RFC 7208 9.1), vendor stamps in every format, malformed
 * input (anomalies, never a crash), the caps fed ten times over; then, on
 * whole messages, which results the recipient's side wrote (trust), DMARC
 * alignment, the addresses against the origin and ORIGIN_IP_CONFLICT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "mt.h"
#include "t.h"

static struct mt_ctx *ctx;

/* analyze_ctx - a whole message text (LF), its body kept, with c. */
static struct mt_msg *
analyze_ctx(struct mt_ctx *c, const char *text)
{
	const char *e = strstr(text, "\n\n");
	size_t hl = e ? (size_t)(e - text) + 2 : strlen(text);
	struct mt_input in;
	struct mt_msg *m;

	memset(&in, 0, sizeof(in));
	in.path = "test";
	in.size = strlen(text);
	in.body = text + hl;
	in.body_len = strlen(text) - hl;
	if ((m = mt_analyze(c, &in, text, hl)) == NULL)
		abort();
	return m;
}

/* analyze - the same with the test's context. */
static struct mt_msg *
analyze(const char *text)
{
	return analyze_ctx(ctx, text);
}

/* one - a message of one field (and a From) analyzed. */
static struct mt_msg *
one(const char *name, const char *value)
{
	char *t = NULL;
	struct mt_msg *m;

	if (asprintf(&t, "%s: %s\nFrom: a@example.org\n\nbody\n", name,
	    value) < 0)
		abort();
	m = analyze(t);
	free(t);
	return m;
}

/* has_anomaly - does m carry the anomaly code. */
static bool
has_anomaly(const struct mt_msg *m, enum mt_anomaly_code code)
{
	size_t i;

	for (i = 0; i < m->anomalies.n; i++)
		if (m->anomalies.v[i].code == code)
			return true;
	return false;
}

/* S - a printable C string of a slice ("-" when absent). */
static const char *
S(struct mt_str s)
{
	return s.p ? s.p : "-";
}

/* ar_text - one result field as compact text:
 * "id|method/ver=result reason=R {k=v,k=v} (comment)|..." */
static char *
ar_text(const struct mt_auth_res *r)
{
	static char buf[4096];
	size_t i, j;
	int n = snprintf(buf, sizeof(buf), "%s%s", S(r->authserv_id),
	    r->none ? " none" : "");

	for (i = 0; i < r->methods.n; i++) {
		const struct mt_auth_method *me = &r->methods.v[i];

		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "|%s%s%s=%s",
		    me->method.p, me->version.p ? "/" : "",
		    me->version.p ? me->version.p : "", me->result.p);
		if (me->reason.p)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			    " reason=%s", me->reason.p);
		if (me->props.n) {
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " {");
			for (j = 0; j < me->props.n; j++)
				n += snprintf(buf + n, sizeof(buf) - (size_t)n,
				    "%s%s=%s", j ? "," : "",
				    me->props.v[j].name.p,
				    me->props.v[j].value.p);
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "}");
		}
		if (me->comment.p)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)",
			    me->comment.p);
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* Authentication-Results                                             */
/* ------------------------------------------------------------------ */

static const struct {
	const char	*name;
	const char	*value;
	const char	*want;
	bool		 malformed;
} arcases[] = {
	/* RFC 8601 Appendix B */
	{ "B.2 none", "example.org 1; none", "example.org none", false },
	{ "B.3 spf", "example.com; spf=pass smtp.mailfrom=example.net",
	    "example.com|spf=pass {smtp.mailfrom=example.net}", false },
	{ "B.4 two", "example.com;\n\tauth=pass (cram-md5) "
	    "smtp.auth=sender@example.net;\n\tspf=pass "
	    "smtp.mailfrom=example.net", "example.com|auth=pass "
	    "{smtp.auth=sender@example.net} (cram-md5)|spf=pass "
	    "{smtp.mailfrom=example.net}", false },
	{ "B.5 dkim pass and fail", "example.com;\n\tdkim=pass (good "
	    "signature) header.d=mail-router.example.net;\n\tdkim=fail (bad "
	    "signature) header.d=newyork.example.com", "example.com|dkim=pass "
	    "{header.d=mail-router.example.net} (good signature)|dkim=fail "
	    "{header.d=newyork.example.com} (bad signature)", false },
	{ "B.7 comments everywhere", "foo.example.net (foobar) 1 (baz);\n"
	    "\tdkim (Because I like it) / 1 (One yay) = (wait for it) fail\n"
	    "\tpolicy (A dot can go here) . (like that) expired\n"
	    "\t(this surprised me) = (as I wasn't expecting it) 1362471462",
	    "foo.example.net|dkim/1=fail {policy.expired=1362471462} (Because "
	    "I like it; One yay; wait for it; A dot can go here; like that; "
	    "this surprised me; as I wasn't expecting it)", false },
	/* what real filters write */
	{ "OpenDKIM", "mail.recipient.test;\n\tdkim=pass (2048-bit key; "
	    "unprotected) header.d=sender.test header.i=@sender.test "
	    "header.a=rsa-sha256 header.s=sel2048 header.b=Qd3vT0xP",
	    "mail.recipient.test|dkim=pass {header.d=sender.test,"
	    "header.i=@sender.test,header.a=rsa-sha256,header.s=sel2048,"
	    "header.b=Qd3vT0xP} (2048-bit key; unprotected)", false },
	{ "quoted values", "smtp.subspace.kernel.org;\n\tdkim=pass "
	    "(1024-bit key) header.d=suse.cz header.i=@suse.cz "
	    "header.b=\"rbOjr/Va\"", "smtp.subspace.kernel.org|dkim=pass "
	    "{header.d=suse.cz,header.i=@suse.cz,header.b=rbOjr/Va} (1024-bit "
	    "key)", false },
	{ "Exchange Online, no authserv-id", "spf=pass (sender IP is "
	    "203.0.113.9)\n smtp.mailfrom=bounce.newsletter.test; dkim=pass "
	    "(signature was verified)\n header.d=newsletter.test;dmarc=pass "
	    "action=none\n header.from=newsletter.test;compauth=pass "
	    "reason=100", "-|spf=pass {smtp.mailfrom=bounce.newsletter.test} "
	    "(sender IP is 203.0.113.9)|dkim=pass {header.d=newsletter.test} "
	    "(signature was verified)|dmarc=pass {action=none,"
	    "header.from=newsletter.test}|compauth=pass reason=100", false },
	{ "reason in quotes", "mx.example.com; dkim=fail reason=\"body hash "
	    "did not verify\" header.d=bank.test", "mx.example.com|dkim=fail "
	    "reason=body hash did not verify {header.d=bank.test}", false },
	{ "base64 with '=' and '/'", "mx.example.com; dkim=pass "
	    "header.b=ab+/cd==", "mx.example.com|dkim=pass "
	    "{header.b=ab+/cd==}", false },
	{ "upper case", "MX.Example.COM; DKIM=PASS Header.D=Example.com",
	    "mx.example.com|dkim=pass {header.d=Example.com}", false },
	{ "trailing ;", "mx.example.com; spf=none;", "mx.example.com|spf=none",
	    false },
	{ "quoted authserv-id", "\"mx.example.com\"; spf=pass",
	    "mx.example.com|spf=pass", false },
	/* out of syntax: what can be read is kept */
	{ "no result", "mx.example.com; dkim", "mx.example.com", true },
	{ "empty result", "mx.example.com; dkim=; spf=pass",
	    "mx.example.com|spf=pass", true },
	{ "no method", "mx.example.com; =pass; spf=fail",
	    "mx.example.com|spf=fail", true },
	{ "Exchange's stray word", "google.com; dkim=none (message not signed)"
	    "\n header.d=none;google.com; dmarc=none action=none "
	    "header.from=fb.com;", "google.com|dkim=none {header.d=none} "
	    "(message not signed)|dmarc=none {action=none,header.from=fb.com}",
	    true },
	{ "property without value", "mx.example.com; spf=pass smtp.mailfrom "
	    "; dkim=pass", "mx.example.com|spf=pass|dkim=pass", true },
	{ "missing ; between", "mx.example.com dkim=pass", "mx.example.com",
	    true },
	{ "only the id", "mx.example.com", "mx.example.com", false },
	{ "unterminated comment", "mx.example.com; spf=pass (open",
	    "mx.example.com|spf=pass (open)", false },
	{ "unterminated quote", "mx.example.com; dkim=pass header.b=\"abc",
	    "mx.example.com|dkim=pass {header.b=abc}", true },
};

/* test_results - the table, plus anomalies. */
static void
test_results(void)
{
	size_t i;

	for (i = 0; i < sizeof(arcases) / sizeof(arcases[0]); i++) {
		struct mt_msg *m = one("Authentication-Results",
		    arcases[i].value);

		T_INT(arcases[i].name, "fields", m->auth.results.n, 1);
		if (m->auth.results.n == 1) {
			T_STR(arcases[i].name, "parse",
			    ar_text(&m->auth.results.v[0]), arcases[i].want);
			T_INT(arcases[i].name, "not ARC",
			    m->auth.results.v[0].arc, false);
		}
		T_INT(arcases[i].name, "AUTH_MALFORMED", has_anomaly(m,
		    MT_AN_AUTH_MALFORMED), arcases[i].malformed);
		mt_msg_free(m);
	}
	{
		struct mt_msg *m = one("Authentication-Results",
		    "mx.example.com; spf=pass (open");

		T_TRUE("unterminated comment", "anomaly", has_anomaly(m,
		    MT_AN_COMMENT_UNTERMINATED));
		mt_msg_free(m);
	}
}

/* test_arc - ARC-Authentication-Results and ARC-Seal. */
static void
test_arc(void)
{
	struct mt_msg *m;

	m = one("ARC-Authentication-Results", "i=2; lists.example.org;\n\t"
	    "arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass "
	    "dkdomain=example.com dmarc=pass fromdomain=example.com);\n\t"
	    "spf=pass smtp.mailfrom=list@lists.example.org");
	T_INT("ARC-A-R", "fields", m->auth.results.n, 1);
	if (m->auth.results.n == 1) {
		T_INT("ARC-A-R", "arc", m->auth.results.v[0].arc, true);
		T_INT("ARC-A-R", "instance", m->auth.results.v[0].instance, 2);
		T_STR("ARC-A-R", "parse", ar_text(&m->auth.results.v[0]),
		    "lists.example.org|arc=pass (i=1 spf=pass spfdomain="
		    "example.com dkim=pass dkdomain=example.com dmarc=pass "
		    "fromdomain=example.com)|spf=pass "
		    "{smtp.mailfrom=list@lists.example.org}");
	}
	T_INT("ARC-A-R", "has arc", m->auth.has_arc, true);
	T_INT("ARC-A-R", "instances", m->auth.arc.instances, 2);
	mt_msg_free(m);

	m = one("ARC-Authentication-Results", "i=x; mx.example.com; spf=pass");
	T_TRUE("ARC-A-R bad i=", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_MALFORMED));
	T_INT("ARC-A-R bad i=", "instance", m->auth.results.n ?
	    m->auth.results.v[0].instance : 0, -1);
	mt_msg_free(m);

	m = analyze("ARC-Seal: i=2; a=rsa-sha256; t=1; cv=pass;\n"
	    "\td=lists.example.org; s=arc; b=AAAA\n"
	    "ARC-Message-Signature: i=2; a=rsa-sha256; d=lists.example.org; "
	    "s=arc; h=from; bh=AAAA; b=AAAA\n"
	    "ARC-Seal: i=1; a=rsa-sha256; t=1; cv=none; d=Google.Example; "
	    "s=arc; b=AAAA\n"
	    "From: a@example.org\n\nbody\n");
	T_INT("ARC-Seal", "instances", m->auth.arc.instances, 2);
	T_STR("ARC-Seal", "chain claimed", S(m->auth.arc.chain_claimed),
	    "pass");
	T_INT("ARC-Seal", "sealers", m->auth.arc.sealers.n, 2);
	if (m->auth.arc.sealers.n == 2) {
		T_STR("ARC-Seal", "i=1", m->auth.arc.sealers.v[0].p,
		    "google.example");
		T_STR("ARC-Seal", "i=2", m->auth.arc.sealers.v[1].p,
		    "lists.example.org");
	}
	mt_msg_free(m);

	m = analyze("ARC-Seal: i=1; cv=maybe; d=x.example; b=AAAA\n"
	    "ARC-Seal: d=y.example; b=AAAA\nFrom: a@example.org\n\nb\n");
	T_STR("ARC-Seal bogus cv", "chain claimed",
	    S(m->auth.arc.chain_claimed), "-");
	T_TRUE("ARC-Seal without i=", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_MALFORMED));
	mt_msg_free(m);

	m = analyze("From: a@example.org\n\nbody\n");
	T_INT("no ARC", "has arc", m->auth.has_arc, false);
	T_INT("no ARC", "dmarc", m->auth.has_dmarc, false);
	mt_msg_free(m);
}

/* ------------------------------------------------------------------ */
/* Received-SPF                                                       */
/* ------------------------------------------------------------------ */

static const struct {
	const char	*name;
	const char	*value;
	const char	*want;	/* result|client_ip|envelope_from|helo|receiver|
				 * identity|mechanism|problem */
	bool		 malformed;
} spfcases[] = {
	{ "RFC 7208 9.1 pass", "pass (mybox.example.org: domain of "
	    "myname@example.com designates 192.0.2.1 as permitted sender)\n"
	    "\treceiver=mybox.example.org; client-ip=192.0.2.1;\n"
	    "\tenvelope-from=\"myname@example.com\"; helo=foo.example.com;",
	    "pass|192.0.2.1|myname@example.com|foo.example.com|"
	    "mybox.example.org|-|-|-", false },
	{ "RFC 7208 9.1 fail", "fail (mybox.example.org: domain of "
	    "myname@example.com does not designate 192.0.2.1 as permitted "
	    "sender) identity=mailfrom; client-ip=192.0.2.1; "
	    "envelope-from=\"myname@example.com\";",
	    "fail|192.0.2.1|myname@example.com|-|mybox.example.org|mailfrom|"
	    "-|-", false },
	{ "Exchange softfail, no keys", "SoftFail (protection.outlook.com: "
	    "domain of transitioning cyber.example discourages use of "
	    "198.51.100.86 as permitted sender)", "softfail|198.51.100.86|-|-|"
	    "protection.outlook.com|-|-|-", false },
	{ "pypolicyd-spf", "Pass (mailfrom) identity=mailfrom; "
	    "client-ip=192.0.2.25; helo=mail.sender.test; "
	    "envelope-from=alice@sender.test; receiver=<UNKNOWN> ",
	    "pass|192.0.2.25|alice@sender.test|mail.sender.test|-|mailfrom|-|-",
	    false },
	{ "IPv6 canonical", "neutral client-ip=2001:DB8:0:0::1; "
	    "mechanism=\"?all\"", "neutral|2001:db8::1|-|-|-|-|?all|-", false },
	{ "permerror with problem", "permerror (bad record) "
	    "problem=\"too many DNS lookups\"; client-ip=192.0.2.9",
	    "permerror|192.0.2.9|-|-|-|-|-|too many DNS lookups", false },
	{ "an item out of syntax", "pass bogus; client-ip=192.0.2.1",
	    "pass|192.0.2.1|-|-|-|-|-|-", true },
	{ "no result", "(comment only)", "-|-|-|-|-|-|-|-", true },
};

/* test_spf - the table. */
static void
test_spf(void)
{
	size_t i;

	for (i = 0; i < sizeof(spfcases) / sizeof(spfcases[0]); i++) {
		struct mt_msg *m = one("Received-SPF", spfcases[i].value);
		char got[512] = "";

		T_INT(spfcases[i].name, "fields", m->auth.spf.n, 1);
		if (m->auth.spf.n == 1) {
			const struct mt_auth_spf *s = &m->auth.spf.v[0];

			snprintf(got, sizeof(got), "%s|%s|%s|%s|%s|%s|%s|%s",
			    S(s->result), S(s->client_ip), S(s->envelope_from),
			    S(s->helo), S(s->receiver), S(s->identity),
			    S(s->mechanism), S(s->problem));
			T_STR(spfcases[i].name, "parse", got, spfcases[i].want);
		}
		T_INT(spfcases[i].name, "AUTH_MALFORMED", has_anomaly(m,
		    MT_AN_AUTH_MALFORMED), spfcases[i].malformed);
		mt_msg_free(m);
	}
}

/* ------------------------------------------------------------------ */
/* Vendor stamps                                                      */
/* ------------------------------------------------------------------ */

/* v_text - a stamp as "k=v,k=v|note|note". */
static char *
v_text(const struct mt_auth_vendor *v)
{
	static char buf[4096];
	size_t i;
	int n = 0;

	buf[0] = '\0';
	for (i = 0; i < v->fields.n; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s=%s",
		    i ? "," : "", v->fields.v[i].name.p, v->fields.v[i].value.p);
	for (i = 0; i < v->notes.n; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "|%s",
		    v->notes.v[i].p);
	return buf;
}

static const struct {
	const char	*header, *value, *vendor, *want;
} vcases[] = {
	{ "X-Forefront-Antispam-Report", "CIP:2001:db8::5;CTRY:;SCL:9;"
	    "SFV:SPM;CAT:PHSH;SFS:(13230031)(4636009);DIR:INB;", "microsoft",
	    "CIP=2001:db8::5,CTRY=,SCL=9,SFV=SPM,CAT=PHSH,SFS=(13230031)"
	    "(4636009),DIR=INB|CIP 2001:db8::5: the connecting address Exchange "
	    "Online saw|CTRY : the country of the connecting address|SCL 9: "
	    "high confidence spam|SFV SPM: marked spam by the spam filter|"
	    "CAT PHSH: phishing|DIR INB: inbound message" },
	{ "X-Microsoft-Antispam", "BCL:8;", "microsoft", "BCL=8|BCL 8: bulk "
	    "complaint level: bulk with many complaints" },
	{ "X-MS-Exchange-Organization-SCL", "-1", "microsoft", "SCL=-1|"
	    "SCL -1: filtering skipped (trusted sender or rule)" },
	{ "X-MS-Exchange-Organization-AuthAs", "Internal", "microsoft",
	    "AuthAs=Internal|AuthAs Internal: sent from inside the "
	    "organization" },
	{ "X-Spam-Status", "No, score=-2.6 required=5.0 tests=BAYES_00,"
	    "DKIM_SIGNED,\n\tDKIM_VALID autolearn=ham autolearn_force=no "
	    "version=3.4.6", "spamassassin", "status=No,score=-2.6,"
	    "required=5.0,tests=BAYES_00,DKIM_SIGNED,DKIM_VALID,autolearn=ham,"
	    "autolearn_force=no,version=3.4.6|status No: SpamAssassin did not "
	    "mark the message as spam" },
	{ "X-Spam-Status", "Yes, hits=12.1 required=5.0 tests=FORGED_RCVD",
	    "spamassassin", "status=Yes,hits=12.1,required=5.0,"
	    "tests=FORGED_RCVD|status Yes: SpamAssassin marked the message as "
	    "spam" },
	{ "X-Spamd-Result", "default: True [17.20 / 15.00];\n\t"
	    "BAYES_SPAM(5.10)[99.99%];\n\tR_SPF_FAIL(1.00)[-all];\n\t"
	    "ASN(0.00)[asn:64500, ipnet:192.0.2.0/24, country:ZZ]", "rspamd",
	    "metric=default,spam=True,score=17.20,required=15.00,"
	    "symbols=BAYES_SPAM(5.10),R_SPF_FAIL(1.00),ASN(0.00)|spam True: "
	    "rspamd judged the message spam" },
	{ "X-Rspamd-Action", "add header", "rspamd", "action=add header|"
	    "action add header: rspamd marked the message as spam" },
	{ "X-Gm-Message-State", "AOJu0YzK3v9qX1c2p8Lr0aWmN4tHs7", "google",
	    "|Gmail's outbound servers handled the message (Google stamps this "
	    "on mail its users send)" },
	{ "X-Proofpoint-Spam-Details", "rule=spam policy=default score=100 "
	    "engine=8.19.0", "proofpoint", "rule=spam,policy=default,score=100,"
	    "engine=8.19.0|rule spam: Proofpoint's rule: spam" },
	{ "X-Mimecast-Spam-Score", "3", "mimecast", "score=3|score 3: "
	    "Mimecast's spam score (higher is more likely spam)" },
	{ "X-Barracuda-Spam-Status", "Yes, SCORE=9.12 using global scores of "
	    "TAG_LEVEL=3.5 QUARANTINE_LEVEL=1000.0 KILL_LEVEL=6.0 "
	    "tests=BSF_SC0_SA085, HTML_MESSAGE", "barracuda", "status=Yes,"
	    "score=9.12,tag_level=3.5,quarantine_level=1000.0,kill_level=6.0,"
	    "tests=BSF_SC0_SA085,HTML_MESSAGE|status Yes: Barracuda marked the "
	    "message as spam" },
	{ "X-IronPort-AV", "E=McAfee;i=\"5400,1158,9612\"; a=\"2344\"",
	    "ironport", "E=McAfee,i=5400,1158,9612,a=2344|E McAfee: scanned by "
	    "the McAfee anti-virus engine" },
	{ "X-IronPort-Anti-Spam-Result", "A0ABAgBm2cpn", "ironport",
	    "|an IronPort appliance scored the message (opaque reputation "
	    "data)" },
	/* out of syntax */
	{ "X-Spamd-Result", "no colon here; SYM(1.0)[x]", "rspamd",
	    "symbols=SYM(1.0)" },
	{ "X-Forefront-Antispam-Report", ";;;:;novalue;", "microsoft",
	    "novalue=" },
	{ "X-Spam-Status", "", "spamassassin", "" },
};

/* test_vendor - every format, notes from rules/vendor.rules. */
static void
test_vendor(void)
{
	size_t i;

	for (i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		struct mt_msg *m = one(vcases[i].header, vcases[i].value);
		char name[128];

		snprintf(name, sizeof(name), "%s #%zu", vcases[i].header, i);
		T_INT(name, "stamps", m->auth.vendor.n, 1);
		if (m->auth.vendor.n == 1) {
			T_STR(name, "vendor", m->auth.vendor.v[0].vendor,
			    vcases[i].vendor);
			T_STR(name, "fields and notes",
			    v_text(&m->auth.vendor.v[0]), vcases[i].want);
		}
		mt_msg_free(m);
	}
	{
		struct mt_msg *m = one("X-Spamd-Result", "no colon; SYM(1)[x]");

		T_TRUE("rspamd without metric", "anomaly", has_anomaly(m,
		    MT_AN_AUTH_MALFORMED));
		mt_msg_free(m);
		m = one("X-Mailer", "SCL:9;");
		T_INT("not a stamp", "stamps", m->auth.vendor.n, 0);
		mt_msg_free(m);
	}
}

/* ------------------------------------------------------------------ */
/* Caps and hostile input                                             */
/* ------------------------------------------------------------------ */

/* test_caps - MT_MAX_AUTH_ITEMS and MT_MAX_COMMENT_DEPTH ten times over. */
static void
test_caps(void)
{
	char *v = malloc(64 * 1024);
	struct mt_msg *m;
	size_t i, n;

	/* ten times MT_MAX_AUTH_ITEMS method results */
	n = (size_t)sprintf(v, "mx.example.com");
	for (i = 0; i < 10 * MT_MAX_AUTH_ITEMS; i++)
		n += (size_t)sprintf(v + n, "; s%zu=pass", i);
	m = one("Authentication-Results", v);
	T_INT("10x methods", "kept", m->auth.results.v[0].methods.n,
	    MT_MAX_AUTH_ITEMS);
	T_TRUE("10x methods", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_ITEMS_TRUNCATED));
	mt_msg_free(m);
	/* ten times MT_MAX_AUTH_ITEMS properties of one method */
	n = (size_t)sprintf(v, "mx.example.com; dkim=pass");
	for (i = 0; i < 10 * MT_MAX_AUTH_ITEMS; i++)
		n += (size_t)sprintf(v + n, " p.x%zu=1", i);
	m = one("Authentication-Results", v);
	T_INT("10x props", "kept", m->auth.results.v[0].methods.v[0].props.n,
	    MT_MAX_AUTH_ITEMS);
	T_TRUE("10x props", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_ITEMS_TRUNCATED));
	mt_msg_free(m);
	/* ten times MT_MAX_AUTH_ITEMS fields of a stamp */
	n = 0;
	for (i = 0; i < 10 * MT_MAX_AUTH_ITEMS; i++)
		n += (size_t)sprintf(v + n, "K%zu:1;", i);
	m = one("X-Forefront-Antispam-Report", v);
	T_INT("10x stamp fields", "kept", m->auth.vendor.v[0].fields.n,
	    MT_MAX_AUTH_ITEMS);
	T_TRUE("10x stamp fields", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_ITEMS_TRUNCATED));
	mt_msg_free(m);
	/* ten times MT_MAX_AUTH_ITEMS pairs of a Received-SPF */
	n = (size_t)sprintf(v, "pass");
	for (i = 0; i < 10 * MT_MAX_AUTH_ITEMS; i++)
		n += (size_t)sprintf(v + n, " x%zu=1;", i);
	m = one("Received-SPF", v);
	T_TRUE("10x SPF pairs", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_ITEMS_TRUNCATED));
	mt_msg_free(m);
	/* comments nested ten times MT_MAX_COMMENT_DEPTH */
	n = (size_t)sprintf(v, "mx.example.com; spf=pass ");
	for (i = 0; i < 10 * MT_MAX_COMMENT_DEPTH; i++)
		v[n++] = '(';
	for (i = 0; i < 10 * MT_MAX_COMMENT_DEPTH; i++)
		v[n++] = ')';
	sprintf(v + n, "; dkim=pass");
	m = one("Authentication-Results", v);
	T_TRUE("10x comment depth", "anomaly", has_anomaly(m,
	    MT_AN_COMMENT_TOO_DEEP));
	T_TRUE("10x comment depth", "parsing goes on",
	    strstr(ar_text(&m->auth.results.v[0]), "|dkim=pass") != NULL);
	mt_msg_free(m);
	free(v);
}

/* test_hostile - random bytes in every field the stage reads. */
static void
test_hostile(void)
{
	static const char *const names[] = { "Authentication-Results",
	    "ARC-Authentication-Results", "Received-SPF", "ARC-Seal",
	    "X-Forefront-Antispam-Report", "X-Spam-Status", "X-Spamd-Result",
	    "X-IronPort-AV", "X-Originating-IP" };
	static const char alpha[] = "ab=;:.()\"\\ \t/@[]0123456789,i-\x80\xff";
	uint32_t x = 7;
	int n;

	for (n = 0; n < 3000; n++) {
		char v[200];
		size_t k, len = 1 + (x % (sizeof(v) - 1));
		struct mt_msg *m;
		char *t;

		for (k = 0; k < len; k++) {
			x = x * 1103515245 + 12345;
			v[k] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		v[len] = '\0';
		if (asprintf(&t, "Received: from a.example (a.example "
		    "[192.0.2.1]) by mx.example.com; Mon, 3 Mar 2025 10:00:00 "
		    "+0000\n%s: %s\nFrom: x@example.org\n\nb\n",
		    names[n % (sizeof(names) / sizeof(names[0]))], v) < 0)
			abort();
		m = analyze(t);
		mt_auth_trust(m);
		mt_auth_findings(m);
		mt_msg_free(m);
		free(t);
	}
	T_TRUE("hostile", "no crash", true);
}

/* ------------------------------------------------------------------ */
/* Trust, DMARC and the origin                                        */
/* ------------------------------------------------------------------ */

/* A chain: the recipient's mx.recipient.test received from 192.0.2.25;
 * %s marks where the test puts its fields (above and below the
 * boundary's Received field). */
static const char chain_fmt[] =
    "%s"
    "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\n"
    "\tby mx.recipient.test (Postfix) with ESMTPS id 4Z7A\n"
    "\tfor <dave@recipient.test>; Wed,  5 Mar 2025 14:02:10 +0100\n"
    "%s"
    "Received: from [10.0.0.5] (dyn-23.isp.example [198.51.100.23])\n"
    "\tby mail.sender.test (Postfix) with ESMTPSA id 4Z7B;\n"
    "\tWed,  5 Mar 2025 14:02:05 +0100\n"
    "%s"
    "From: Alice <alice@sender.test>\n"
    "To: dave@recipient.test\n"
    "Subject: hi\n"
    "Date: Wed, 5 Mar 2025 14:02:03 +0100\n"
    "Message-ID: <1@sender.test>\n"
    "\n"
    "body\n";

/* chain - the chain with fields above, right below the boundary's
 * Received, and among the sender's own fields; analyzed and trusted. */
static struct mt_msg *
chain(struct mt_ctx *c, const char *above, const char *below,
    const char *sender)
{
	char *t;
	struct mt_msg *m;

	if (asprintf(&t, chain_fmt, above, below, sender) < 0)
		abort();
	m = analyze_ctx(c, t);
	free(t);
	mt_auth_trust(m);
	return m;
}

/* trusted - "1"/"0" per result field and per SPF field, in order. */
static char *
trusted(const struct mt_msg *m)
{
	static char buf[64];
	size_t i, n = 0;

	for (i = 0; i < m->auth.results.n && n < 30; i++)
		buf[n++] = m->auth.results.v[i].trusted ? '1' : '0';
	buf[n++] = '/';
	for (i = 0; i < m->auth.spf.n && n < 60; i++)
		buf[n++] = m->auth.spf.v[i].trusted ? '1' : '0';
	buf[n] = '\0';
	return buf;
}

static const struct {
	const char	*name;
	const char	*above, *below, *sender;
	const char	*want;		/* trusted(), A-R then SPF */
} tcases[] = {
	{ "above, our authserv-id",
	    "Authentication-Results: mx.recipient.test; dkim=pass\n", "", "",
	    "1/" },
	{ "above, another host of our domain",
	    "Authentication-Results: filter.recipient.test; spf=pass\n", "",
	    "", "1/" },
	{ "above, a stranger's authserv-id",
	    "Authentication-Results: mx.other.example; dkim=pass\n", "", "",
	    "0/" },
	{ "forged below the boundary, we write above",
	    "Authentication-Results: mx.recipient.test; dkim=fail\n",
	    "Authentication-Results: mx.recipient.test; dkim=pass\n", "",
	    "10/" },
	{ "forged among the sender's fields", "", "",
	    "Authentication-Results: mx.recipient.test; dkim=pass\n", "0/" },
	{ "Gmail: written right under the boundary's Received", "",
	    "Received-SPF: pass (recipient.test: domain of a@sender.test "
	    "designates 192.0.2.25 as permitted sender) client-ip=192.0.2.25;\n"
	    "Authentication-Results: mx.recipient.test; spf=pass\n", "",
	    "1/1" },
	{ "Gmail, and a forged one after it", "",
	    "Authentication-Results: mx.recipient.test; spf=pass\n"
	    "Authentication-Results: mx.recipient.test; dkim=pass\n", "",
	    "10/" },
	{ "under the Received, another domain's", "",
	    "Authentication-Results: mx.other.example; dkim=pass\n", "",
	    "0/" },
	{ "Exchange: no authserv-id, above",
	    "Authentication-Results: spf=pass (sender IP is 192.0.2.25) "
	    "smtp.mailfrom=sender.test\n", "", "", "1/" },
	{ "no authserv-id, below", "",
	    "Authentication-Results: spf=pass smtp.mailfrom=sender.test\n", "",
	    "0/" },
	{ "SPF above with our receiver",
	    "Received-SPF: pass receiver=mx.recipient.test; "
	    "client-ip=192.0.2.25\n", "", "", "/1" },
	{ "SPF above with a mailbox as receiver",
	    "Received-SPF: pass receiver=dave@recipient.test; "
	    "client-ip=192.0.2.25\n", "", "", "/1" },
	{ "SPF above, a stranger's receiver",
	    "Received-SPF: pass receiver=mx.other.example; "
	    "client-ip=192.0.2.25\n", "", "", "/0" },
	{ "SPF above without receiver",
	    "Received-SPF: pass client-ip=192.0.2.25\n", "", "", "/1" },
	{ "SPF among the sender's fields", "", "",
	    "Received-SPF: pass receiver=mx.recipient.test; "
	    "client-ip=192.0.2.25\n", "/0" },
};

/* test_trust - which results count. */
static void
test_trust(void)
{
	size_t i;
	struct mt_msg *m;

	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		m = chain(ctx, tcases[i].above, tcases[i].below,
		    tcases[i].sender);
		T_INT(tcases[i].name, "boundary", m->has_boundary &&
		    m->boundary_hop == 0, true);
		T_STR(tcases[i].name, "trusted", trusted(m), tcases[i].want);
		mt_msg_free(m);
	}
	/* no Received field: no boundary, nothing trusted */
	m = analyze("Authentication-Results: mx.recipient.test; dkim=pass\n"
	    "Received-SPF: pass client-ip=192.0.2.1\n"
	    "From: a@sender.test\n\nbody\n");
	mt_auth_trust(m);
	T_STR("no boundary", "trusted", trusted(m), "0/0");
	mt_msg_free(m);
}

/* test_trust_rules - authserv lines and org= stamps from local rules. */
static void
test_trust_rules(void)
{
	char path[] = "/tmp/test_auth.XXXXXX";
	const char *rules[1] = { path };
	static const char text[] = "authserv filter.elsewhere.example\n"
	    "org microsoft recipient.test\n";
	struct mt_ctx_opts o;
	struct mt_ctx *c;
	struct mt_msg *m;
	char err[256];
	int fd;

	if ((fd = mkstemp(path)) < 0 || write(fd, text, sizeof(text) - 1) !=
	    (ssize_t)sizeof(text) - 1)
		abort();
	close(fd);
	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	o.no_geoip = true;
	o.rules = rules;
	o.nrules = 1;
	c = mt_ctx_new(&o, err, sizeof(err));
	unlink(path);
	if (c == NULL) {
		T_FAIL("local rules: %s", err);
		return;
	}
	m = chain(c, "Authentication-Results: filter.elsewhere.example; "
	    "dkim=pass\n", "", "");
	T_STR("authserv rule", "trusted", trusted(m), "1/");
	mt_msg_free(m);
	m = chain(ctx, "Authentication-Results: filter.elsewhere.example; "
	    "dkim=pass\n", "", "");
	T_STR("without the rule", "trusted", trusted(m), "0/");
	mt_msg_free(m);
	/* a stamp with org=microsoft below the boundary: trusted when the
	 * boundary host is the org's (header firewall), else a claim */
	m = chain(c, "", "", "X-MS-Exchange-Organization-SCL: 9\n");
	T_INT("org stamp", "trusted", m->auth.vendor.n == 1 &&
	    m->auth.vendor.v[0].trusted, true);
	mt_msg_free(m);
	m = chain(ctx, "", "", "X-MS-Exchange-Organization-SCL: 9\n");
	T_INT("org stamp, other org", "trusted", m->auth.vendor.n == 1 &&
	    m->auth.vendor.v[0].trusted, false);
	mt_msg_free(m);
	m = chain(ctx, "X-Spam-Status: Yes, score=9\n", "",
	    "X-Spam-Flag: NO\n");
	T_INT("stamp above", "trusted", m->auth.vendor.v[0].trusted, true);
	T_INT("stamp below", "trusted", m->auth.vendor.v[1].trusted, false);
	mt_msg_free(m);
	mt_ctx_free(c);
}

/* test_dmarc_spf - SPF alignment uses trusted results only. */
static void
test_dmarc_spf(void)
{
	static const struct {
		const char	*name, *above, *sender;
		enum mt_tri	 want;
	} cases[] = {
		{ "trusted SPF pass, aligned", "Received-SPF: pass "
		    "envelope-from=bounce@mail.sender.test; client-ip=192.0.2.25"
		    "\n", "", MT_TRUE },
		{ "trusted SPF pass, other domain", "Received-SPF: pass "
		    "envelope-from=x@esp.example; client-ip=192.0.2.25\n", "",
		    MT_FALSE },
		{ "trusted SPF fail", "Received-SPF: fail "
		    "envelope-from=alice@sender.test; client-ip=192.0.2.25\n", "",
		    MT_FALSE },
		{ "null sender: HELO", "Received-SPF: pass envelope-from=\"\"; "
		    "helo=mail.sender.test; client-ip=192.0.2.25\n", "",
		    MT_TRUE },
		{ "trusted A-R spf=pass", "Authentication-Results: "
		    "mx.recipient.test; spf=pass smtp.mailfrom=sender.test\n", "",
		    MT_TRUE },
		{ "claimed SPF pass only", "", "Received-SPF: pass "
		    "envelope-from=alice@sender.test; client-ip=192.0.2.25\n",
		    MT_NULL },
		{ "claimed A-R spf=pass only", "", "Authentication-Results: "
		    "mx.recipient.test; spf=pass smtp.mailfrom=sender.test\n",
		    MT_NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = chain(ctx, cases[i].above, "",
		    cases[i].sender);

		T_INT(cases[i].name, "has dmarc", m->auth.has_dmarc, true);
		T_STR(cases[i].name, "from domain",
		    S(m->auth.dmarc.from_domain), "sender.test");
		T_INT(cases[i].name, "spf_aligned", m->auth.dmarc.spf_aligned,
		    cases[i].want);
		T_INT(cases[i].name, "dkim_aligned (no signature)",
		    m->auth.dmarc.dkim_aligned, MT_FALSE);
		mt_msg_free(m);
	}
}

/* test_origin - stamps' addresses against the chain, and the finding. */
static void
test_origin(void)
{
	static const struct {
		const char	*name, *above, *sender;
		const char	*state;		/* of the first check */
		long		 hop;
		size_t		 findings;
	} cases[] = {
		{ "SPF agrees", "Received-SPF: pass receiver=mx.recipient.test; "
		    "client-ip=192.0.2.25\n", "", "agrees", 0, 0 },
		{ "SPF conflicts", "Received-SPF: pass receiver=mx.recipient.test;"
		    " client-ip=203.0.113.99\n", "", "conflict", -1, 1 },
		{ "SPF names the client below", "Received-SPF: pass client-ip="
		    "198.51.100.23\n", "", "deeper", 1, 0 },
		{ "SPF on a private address", "Received-SPF: pass client-ip="
		    "10.1.2.3\n", "", "internal", -1, 0 },
		{ "A-R smtp.remote-ip conflicts", "Authentication-Results: "
		    "mx.recipient.test; iprev=pass smtp.remote-ip=203.0.113.7\n",
		    "", "conflict", -1, 1 },
		{ "A-R smtp.client-ip agrees", "Authentication-Results: "
		    "mx.recipient.test; arc=none smtp.client-ip=192.0.2.25\n", "",
		    "agrees", 0, 0 },
		{ "Exchange's sender IP conflicts", "Authentication-Results: "
		    "spf=pass (sender IP is 203.0.113.8) smtp.mailfrom=x.test\n",
		    "", "conflict", -1, 1 },
		{ "untrusted SPF is not checked", "", "Received-SPF: pass "
		    "client-ip=203.0.113.99\n", NULL, -1, 0 },
		{ "X-Originating-IP recorded", "", "X-Originating-IP: "
		    "[198.51.100.23]\n", "agrees", 1, 0 },
		{ "X-Originating-IP private", "", "X-Originating-IP: "
		    "[192.168.1.20]\n", "unrelated", -1, 0 },
		{ "X-Originating-IP against the submission", "",
		    "X-Originating-IP: 203.0.113.150\n", "conflict", 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = chain(ctx, cases[i].above, "",
		    cases[i].sender);
		size_t conflicts, j, added = 0;
		const char *st = NULL;

		conflicts = mt_auth_origin_check(m);
		if (m->auth.ipchecks.n > 0)
			st = mt_auth_ipchk_name(m->auth.ipchecks.v[0].state);
		T_STR(cases[i].name, "state", st, cases[i].state);
		if (m->auth.ipchecks.n > 0)
			T_INT(cases[i].name, "hop", m->auth.ipchecks.v[0].hop,
			    cases[i].hop);
		T_INT(cases[i].name, "conflicts", conflicts, cases[i].findings);
		/* (the chain engine may have called it already: either way
		 * there is one finding per conflict) */
		mt_auth_findings(m);
		for (j = 0; j < m->findings.n; j++)
			if (strcmp(m->findings.v[j].id, "ORIGIN_IP_CONFLICT") ==
			    0) {
				added++;
				T_INT(cases[i].name, "finding header_index",
				    m->findings.v[j].header_index,
				    (long)m->auth.ipchecks.v[0].header_index);
				T_TRUE(cases[i].name, "score", m->findings.v[j].score
				    == 2.0);
			}
		T_INT(cases[i].name, "findings", added, cases[i].findings);
		/* twice: still one finding */
		mt_auth_findings(m);
		for (j = 0, added = 0; j < m->findings.n; j++)
			added += strcmp(m->findings.v[j].id,
			    "ORIGIN_IP_CONFLICT") == 0;
		T_INT(cases[i].name, "findings again", added,
		    cases[i].findings);
		mt_msg_free(m);
	}
}

int
main(void)
{
	struct mt_ctx_opts o;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	o.no_geoip = true;
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "context: %s\n", err);
		return 1;
	}
	test_results();
	test_arc();
	test_spf();
	test_vendor();
	test_caps();
	test_hostile();
	test_trust();
	test_trust_rules();
	test_dmarc_spf();
	test_origin();
	mt_ctx_free(ctx);
	return t_done("test_auth");
}
