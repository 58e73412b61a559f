/*
 * test_enrich.c - the enrichment stage and the chain engine's DNS rules,
 * against a DNS world written as a cache file and replayed (no network):
 * PTR, forward confirmation, HELO resolution, MX, DNSBL; the two-phase
 * API and its hooks; the caps MT_MAX_DNS_HOPS and MT_MAX_FCRDNS_NAMES
 * fed ten times over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich.h"
#include "mt.h"
#include "t.h"

/* The world: one cache file line per answer (resolve.c's format, with
 * "%20" for a space). */
static const char *const world[] = {
	/* the seed's story */
	"PTR\t20.113.0.203.in-addr.arpa\tok\t3600\t4\t1\tlinuxaid.com.cn",
	"A\tlinuxaid.com.cn\tok\t300\t3\t1\t203.0.113.20",
	"A\tgalangal.org\tok\t300\t3\t1\t192.0.2.99",
	"MX\talpha.com.cn\tok\t600\t5\t1\t10%20mail.alpha.com.cn",
	"MX\tsina.com\tok\t600\t5\t2\t10%20mail.sina.com\t20%20mx2.sina.com",
	"PTR\t41.100.51.198.in-addr.arpa\tok\t3600\t2\t1\tlemongrass.org",
	"A\tlemongrass.org\tok\t300\t2\t1\t198.51.100.41",
	"PTR\t77.2.0.192.in-addr.arpa\tnxdomain\t0\t2\t0",
	"A\tgraprao.com\tnxdomain\t0\t2\t0",
	/* mail.alpha.com.cn at 198.51.100.78, forward-confirmed */
	"PTR\t78.100.51.198.in-addr.arpa\tok\t3600\t2\t1\tmail.alpha.com.cn",
	"A\tmail.alpha.com.cn\tok\t300\t2\t2\t198.51.100.78\t203.0.113.10",
	"A\tother.example\tnxdomain\t0\t2\t0",
	/* a PTR name without an address */
	"PTR\t26.2.0.192.in-addr.arpa\tok\t3600\t2\t1\tnoaddr.example",
	"A\tnoaddr.example\tok\t0\t2\t0",
	"A\tbad.example\tnxdomain\t0\t2\t0",
	/* no PTR at all */
	"PTR\t200.2.0.192.in-addr.arpa\tnxdomain\t0\t2\t0",
	"A\thost.example\tok\t300\t2\t1\t192.0.2.201",
	/* a broken server */
	"PTR\t66.2.0.192.in-addr.arpa\tformerr\t0\t2\t0",
	/* a by host in another domain that is the client's address */
	"PTR\t25.2.0.192.in-addr.arpa\tok\t3600\t2\t1\ta.example",
	"A\ta.example\tok\t300\t2\t1\t192.0.2.25",
	"A\trelay.other.test\tok\t300\t2\t1\t192.0.2.25",
	/* a filtering service as the MX of filtered.test */
	"MX\tfiltered.test\tok\t600\t2\t1\t10%20inbound.filter.test",
	"PTR\t40.2.0.192.in-addr.arpa\tok\t3600\t2\t1\tinbound.filter.test",
	"A\tinbound.filter.test\tok\t300\t2\t1\t192.0.2.40",
	"PTR\t41.2.0.192.in-addr.arpa\tok\t3600\t2\t1\tmail.sender.test",
	"A\tmail.sender.test\tok\t300\t2\t1\t192.0.2.41",
	/* a DNSBL listing the spammer */
	"A\t20.113.0.203.bl.test\tok\t300\t2\t2\t127.0.0.2\t127.0.0.10",
	"TXT\t20.113.0.203.bl.test\tok\t300\t2\t1\tspam%20trap%20hits",
	/* records a hook reads in two steps */
	"TXT\tspf.a.test\tok\t300\t2\t1\tv=spf1%20include:spf.b.test%20-all",
	"TXT\tspf.b.test\tok\t300\t2\t1\tv=spf1%20ip4:192.0.2.0/24%20-all",
};

static char cache[64];

/* write_world - the world, plus a PTR answer of ten times
 * MT_MAX_FCRDNS_NAMES names for 192.0.2.30 (only the last of which would
 * confirm it), into a cache file. */
static int
write_world(void)
{
	FILE *f;
	size_t i;
	int fd;

	snprintf(cache, sizeof(cache), "/tmp/mt-enrich-XXXXXX");
	if ((fd = mkstemp(cache)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fprintf(f, "mailtrace-dns-cache 1\n");
	for (i = 0; i < sizeof(world) / sizeof(world[0]); i++)
		fprintf(f, "%s\n", world[i]);
	fprintf(f, "PTR\t30.2.0.192.in-addr.arpa\tok\t3600\t2\t%d", 10 *
	    MT_MAX_FCRDNS_NAMES);
	for (i = 0; i < 10 * MT_MAX_FCRDNS_NAMES; i++)
		fprintf(f, "\tn%zu.example", i);
	fprintf(f, "\n");
	for (i = 0; i + 1 < 10 * MT_MAX_FCRDNS_NAMES; i++)
		fprintf(f, "A\tn%zu.example\tnxdomain\t0\t2\t0\n", i);
	fprintf(f, "A\tn%zu.example\tok\t300\t2\t1\t192.0.2.30\n", i);
	return fclose(f);
}

/* ctx_new - a replaying context (or one without DNS). */
static struct mt_ctx *
ctx_new(bool dns, bool evidence, const char *zone)
{
	static const char *zones[1];
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.no_geoip = true;
	o.no_dns = !dns;
	o.dns_cache = cache;
	o.dns_replay = true;
	o.dns_evidence = evidence;
	if (zone != NULL) {
		zones[0] = zone;
		o.dnsbl = zones;
		o.ndnsbl = 1;
	}
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL)
		T_FAIL("mt_ctx_new: %s", err);
	return ctx;
}

/* analyze - one message of text. */
static struct mt_msg *
analyze(struct mt_ctx *ctx, const char *text)
{
	struct mt_input in;
	struct mt_msg *m;

	memset(&in, 0, sizeof(in));
	in.path = "t.eml";
	in.size = strlen(text);
	if ((m = mt_analyze(ctx, &in, text, strlen(text))) == NULL)
		T_FAIL("mt_analyze failed");
	return m;
}

/* finding - is finding id raised (on hop, or anywhere with -2). */
static bool
finding(const struct mt_msg *m, const char *id, long hop)
{
	size_t i;

	for (i = 0; i < m->findings.n; i++)
		if (strcmp(m->findings.v[i].id, id) == 0 &&
		    (hop == -2 || m->findings.v[i].hop == hop))
			return true;
	return false;
}

/* tri - "true", "false", "null". */
static const char *
tri(enum mt_tri t)
{
	return t == MT_TRUE ? "true" : t == MT_FALSE ? "false" : "null";
}

/* json_has - does the record of m contain text. */
static bool
json_has(const struct mt_msg *m, const char *text)
{
	char *json = NULL;
	bool r;

	if (mt_msg_json(m, 0, &json) != 0)
		return false;
	r = strstr(json, text) != NULL;
	free(json);
	return r;
}

#define DATE "Wed, 30 Jul 2003 15:10:05 -0800"
#define TAIL "From: a@b.example\nTo: c@d.example\nMessage-ID: <x@b.example>\n" \
	"Date: " DATE "\nSubject: t\n\nbody\n"

static const char plausible[] =
    "Received: from galangal.org (linuxaid.com.cn [203.0.113.20])\n"
    "\tby mail.alpha.com.cn (8.12.5/8.12.5) with SMTP id OAA08899\n"
    "\tfor <tom@alpha.com.cn>; Wed, 30 Jul 2003 15:10:05 -0800 (PST)\n"
    "Received: from lemongrass.org (lemongrass.org [198.51.100.41])\n"
    "\tby galangal.org (8.8.3/8.7.1) with SMTP id RAA01234\n"
    "\tfor <tom@alpha.com.cn>; Wed, 30 Jul 2003 18:09:31 -0500 (EST)\n"
    "Received: from graprao.com (graprao.com [192.0.2.77])\n"
    "\tby lemongrass.org (8.8.5/8.7.1) with SMTP id RAA00987;\n"
    "\tWed, 30 Jul 2003 18:08:47 -0500 (EST)\n"
    "From: friend@graprao.com\nTo: tom@alpha.com.cn\n"
    "Date: Wed, 30 Jul 2003 18:08:30 -0500\n"
    "Message-Id: <200307302308.RAA00987@graprao.com>\n"
    "Subject: As we discussed\n\n";

/* test_seed - the plausible chain breaks with DNS, and only with it. */
static void
test_seed(struct mt_ctx *dns, struct mt_ctx *off)
{
	struct mt_msg *m = analyze(dns, plausible), *o = analyze(off,
	    plausible);

	if (m == NULL || o == NULL)
		goto out;
	T_INT("seed offline", "link 0", o->hops.v[0].link, MT_LINK_PLAUSIBLE);
	T_STR("seed offline", "boundary reason", o->boundary_reason,
	    "inferred");
	T_TRUE("seed offline", "no dns", o->hops.v[0].dns == NULL);
	T_STR("seed offline", "label", o->label, "suspicious");
	T_INT("seed", "link 0", m->hops.v[0].link, MT_LINK_BROKEN);
	T_TRUE("seed", "CHAIN_BROKEN", finding(m, "CHAIN_BROKEN", 1));
	T_INT("seed", "hop 1 trust", m->hops.v[1].trust, MT_TRUST_INJECTED);
	T_INT("seed", "hop 2 trust", m->hops.v[2].trust, MT_TRUST_INJECTED);
	T_STR("seed", "origin", m->hops.v[m->origin_hop].from.ip.p,
	    "203.0.113.20");
	T_TRUE("seed", "no claimed origin below the break", !m->has_claimed);
	T_STR("seed", "boundary reason", m->boundary_reason, "mx");
	T_STR("seed", "label", m->label, "forged");
	T_TRUE("seed", "HELO_MISMATCH", finding(m, "HELO_MISMATCH", 0));
	T_STR("seed", "fcrdns", tri(m->hops.v[0].dns->fcrdns), "true");
	T_STR("seed", "helo", tri(m->hops.v[0].dns->helo_resolves), "false");
	T_STR("seed", "ptr", m->hops.v[0].dns->ptr.v[0].p, "linuxaid.com.cn");
	T_INT("seed", "hop 2 status", m->hops.v[2].dns->status,
	    MT_DNS_NXDOMAIN);
	T_STR("seed", "hop 2 fcrdns", tri(m->hops.v[2].dns->fcrdns), "false");
out:
	mt_msg_free(m);
	mt_msg_free(o);
}

struct hopcase {
	const char	*name;
	const char	*received;	/* the top Received field's body */
	const char	*has;		/* findings on hop 0, ' '-separated */
	const char	*hasnt;
	const char	*offline_has;	/* the same message without DNS */
	const char	*status;	/* hop 0's dns.status in the record */
	const char	*fcrdns, *helo;
};

static const struct hopcase hopcases[] = {
	{ "helo resolves, rdns changed",
	  "from mail.alpha.com.cn (other.example [198.51.100.78]) by "
	  "mx.sina.com with ESMTP id 1 for <b@sina.com>; " DATE,
	  "RDNS_CHANGED", "HELO_MISMATCH FCRDNS_FAIL", "HELO_MISMATCH",
	  "\"status\":\"ok\"", "true", "true" },
	{ "fcrdns fails",
	  "from noaddr.example (bad.example [192.0.2.26]) by mx.sina.com "
	  "with ESMTP id 1 for <b@sina.com>; " DATE,
	  "FCRDNS_FAIL RDNS_CHANGED", "RDNS_NONE", "",
	  "\"status\":\"ok\"", "false", "false" },
	{ "no PTR",
	  "from host.example ([192.0.2.200]) by mx.sina.com with ESMTP id 1 "
	  "for <b@sina.com>; " DATE,
	  "RDNS_NONE", "FCRDNS_FAIL RDNS_CHANGED", "",
	  "\"status\":\"nxdomain\"", "false", "false" },
	{ "helo mismatch without a recorded name",
	  "from galangal.org ([203.0.113.20]) by mx.sina.com with ESMTP id 1 "
	  "for <b@sina.com>; " DATE,
	  "HELO_MISMATCH", "FCRDNS_FAIL RDNS_NONE", "",
	  "\"status\":\"ok\"", "true", "false" },
	{ "a broken server proves nothing",
	  "from host.example ([192.0.2.66]) by mx.sina.com with ESMTP id 1 "
	  "for <b@sina.com>; " DATE,
	  "", "RDNS_NONE FCRDNS_FAIL HELO_MISMATCH RDNS_CHANGED", "",
	  "\"status\":\"servfail\"", "null", "false" },
	{ "a documentation address beyond the fixture",
	  "from host.example ([192.0.2.123]) by mx.sina.com with ESMTP id 1 "
	  "for <b@sina.com>; " DATE,
	  "", "RDNS_NONE FCRDNS_FAIL", "",
	  "\"status\":\"skipped\"", "null", "false" },
	{ "forward confirmation stops at MT_MAX_FCRDNS_NAMES",
	  "from n0.example ([192.0.2.30]) by mx.sina.com with ESMTP id 1 "
	  "for <b@sina.com>; " DATE,
	  "FCRDNS_FAIL", "HELO_MISMATCH", "",
	  "\"status\":\"ok\"", "false", "false" },
};

/* has_all - every id of the ' '-separated list is (want) or is not raised
 * on hop 0. */
static void
has_all(const char *name, const struct mt_msg *m, const char *ids, bool want)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", ids);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		if (finding(m, tok, 0) != want)
			T_FAIL("%s: %s: got %s, want %s", name, tok,
			    want ? "absent" : "raised", want ? "raised" :
			    "absent");
	t_checked++;
}

/* test_hops - the findings about the boundary client, with and without
 * DNS. */
static void
test_hops(struct mt_ctx *dns, struct mt_ctx *off)
{
	size_t i;

	for (i = 0; i < sizeof(hopcases) / sizeof(hopcases[0]); i++) {
		const struct hopcase *tc = &hopcases[i];
		char text[2048];
		struct mt_msg *m, *o;

		snprintf(text, sizeof(text), "Received: %s\n%s", tc->received,
		    TAIL);
		m = analyze(dns, text);
		o = analyze(off, text);
		if (m == NULL || o == NULL || m->hops.n == 0) {
			mt_msg_free(m);
			mt_msg_free(o);
			continue;
		}
		has_all(tc->name, m, tc->has, true);
		has_all(tc->name, m, tc->hasnt, false);
		has_all(tc->name, o, tc->offline_has, true);
		T_TRUE(tc->name, "offline: no DNS findings",
		    !finding(o, "FCRDNS_FAIL", -2) &&
		    !finding(o, "RDNS_CHANGED", -2));
		T_TRUE(tc->name, "status", json_has(m, tc->status));
		if (m->hops.v[0].dns != NULL) {
			T_STR(tc->name, "fcrdns",
			    tri(m->hops.v[0].dns->fcrdns), tc->fcrdns);
			T_STR(tc->name, "helo_resolves_to_ip",
			    tri(m->hops.v[0].dns->helo_resolves), tc->helo);
		} else
			T_FAIL("%s: no dns on hop 0", tc->name);
		mt_msg_free(m);
		mt_msg_free(o);
	}
}

/* test_fcrdns_cap - of a PTR answer of ten times MT_MAX_FCRDNS_NAMES
 * names, only the first MT_MAX_FCRDNS_NAMES are looked up. */
static void
test_fcrdns_cap(struct mt_ctx *dns)
{
	struct mt_msg *m = analyze(dns, "Received: from n0.example "
	    "([192.0.2.30]) by mx.sina.com with ESMTP id 1 for <b@sina.com>; "
	    DATE "\n" TAIL);
	size_t i, fwd = 0;

	if (m == NULL)
		return;
	for (i = 0; i < mt_enrich_count(m); i++) {
		const struct mt_dns_answer *a = mt_enrich_answer(m, i);

		fwd += a != NULL && a->type == MT_DNS_A &&
		    a->qname[0] == 'n' && strstr(a->qname, ".example") != NULL;
	}
	T_INT("fcrdns cap", "forward lookups", fwd, MT_MAX_FCRDNS_NAMES);
	T_INT("fcrdns cap", "PTR names kept", m->hops.v[0].dns->ptr.n,
	    10 * MT_MAX_FCRDNS_NAMES);
	mt_msg_free(m);
}

/* test_links - DNS confirms a link the names alone leave open. */
static void
test_links(struct mt_ctx *dns, struct mt_ctx *off)
{
	static const char differ[] =
	    "Received: from a.example (a.example [192.0.2.25]) by mx.sina.com "
	    "with ESMTP id 1 for <b@sina.com>; " DATE "\n"
	    "Received: from pc ([10.0.0.5]) by relay.other.test with ESMTP "
	    "id 2; " DATE "\n" TAIL;
	static const char helo_only[] =
	    "Received: from mail.alpha.com.cn (other.example [198.51.100.78]) "
	    "by mx.sina.com with ESMTP id 1 for <b@sina.com>; " DATE "\n"
	    "Received: from pc ([10.0.0.5]) by mail.alpha.com.cn with ESMTP "
	    "id 2; " DATE "\n" TAIL;
	struct mt_msg *m;

	if ((m = analyze(off, differ)) != NULL)
		T_INT("names differ, offline", "link", m->hops.v[0].link,
		    MT_LINK_PLAUSIBLE);
	mt_msg_free(m);
	if ((m = analyze(dns, differ)) != NULL) {
		T_INT("names differ, DNS", "link", m->hops.v[0].link,
		    MT_LINK_CONTINUOUS);
		T_TRUE("names differ, DNS", "reason", strstr(
		    m->hops.v[0].link_reason.p, "resolves to 192.0.2.25") !=
		    NULL);
	}
	mt_msg_free(m);
	if ((m = analyze(off, helo_only)) != NULL)
		T_INT("HELO only, offline", "link", m->hops.v[0].link,
		    MT_LINK_PLAUSIBLE);
	mt_msg_free(m);
	if ((m = analyze(dns, helo_only)) != NULL)
		T_INT("HELO only, DNS", "link", m->hops.v[0].link,
		    MT_LINK_CONTINUOUS);
	mt_msg_free(m);
}

/* test_mx - the recipient domain's MX moves the boundary down to the
 * filtering service and names the reason. */
static void
test_mx(struct mt_ctx *dns, struct mt_ctx *off)
{
	static const char text[] =
	    "Received: from inbound.filter.test (inbound.filter.test "
	    "[192.0.2.40]) by mail.filtered.test with ESMTP id 1 for "
	    "<bob@filtered.test>; " DATE "\n"
	    "Received: from mail.sender.test (mail.sender.test [192.0.2.41]) "
	    "by inbound.filter.test with ESMTP id 2 for <bob@filtered.test>; "
	    DATE "\n" TAIL;
	struct mt_msg *m;

	if ((m = analyze(off, text)) != NULL) {
		T_INT("mx offline", "boundary", m->boundary_hop, 0);
		T_STR("mx offline", "reason", m->boundary_reason, "inferred");
	}
	mt_msg_free(m);
	if ((m = analyze(dns, text)) != NULL) {
		T_INT("mx", "boundary", m->boundary_hop, 1);
		T_STR("mx", "reason", m->boundary_reason, "mx");
		T_STR("mx", "origin", m->hops.v[m->origin_hop].from.ip.p,
		    "192.0.2.41");
		T_INT("mx", "hop 0 trust", m->hops.v[0].trust,
		    MT_TRUST_TRUSTED);
	}
	mt_msg_free(m);
}

/* test_dnsbl - a listed origin. */
static void
test_dnsbl(void)
{
	struct mt_ctx *ctx = ctx_new(true, true, "BL.test.");
	struct mt_msg *m;
	const struct mt_dns_info *d;

	if (ctx == NULL)
		return;
	if ((m = analyze(ctx, plausible)) != NULL &&
	    (d = m->hops.v[0].dns) != NULL && d->dnsbl.n == 1) {
		T_STR("dnsbl", "zone", d->dnsbl.v[0].zone.p, "bl.test");
		T_TRUE("dnsbl", "listed", d->dnsbl.v[0].listed);
		T_INT("dnsbl", "codes", d->dnsbl.v[0].codes.n, 2);
		T_STR("dnsbl", "reason", d->dnsbl.v[0].reason.p,
		    "spam trap hits");
		T_TRUE("dnsbl", "DNSBL_LISTED", finding(m, "DNSBL_LISTED", 0));
		T_TRUE("dnsbl", "evidence", json_has(m, "\"qname\":"
		    "\"20.113.0.203.bl.test\",\"type\":\"TXT\""));
		/* hop 1 (198.51.100.41) is not in the file: no entry */
		T_INT("dnsbl", "unanswered zone", m->hops.v[1].dns->dnsbl.n, 0);
	} else
		T_FAIL("dnsbl: no DNSBL answer on hop 0");
	mt_msg_free(m);
	mt_ctx_free(ctx);
}

/* test_hop_cap - ten times MT_MAX_DNS_HOPS plausible hops: only the first
 * MT_MAX_DNS_HOPS are asked about, the rest say "skipped". */
static void
test_hop_cap(struct mt_ctx *dns)
{
	size_t n = 10 * MT_MAX_DNS_HOPS, i, len = 0, on = 0, skipped = 0;
	size_t ptrs = 0;
	char *text = malloc(n * 200 + 512);
	struct mt_msg *m;

	if (text == NULL)
		return;
	/* hop i: from h(i+1) by h(i), continuous all the way down; the
	 * top one by the recipient's server */
	for (i = 0; i < n; i++) {
		char by[64];

		snprintf(by, sizeof(by), i == 0 ? "mx.rcpt.test" :
		    "h%zu.chain.test", i);
		len += (size_t)sprintf(text + len, "Received: from "
		    "h%zu.chain.test (h%zu.chain.test [198.51.%zu.%zu]) by %s "
		    "with ESMTP id %zu; " DATE "\n", i + 1, i + 1,
		    100 + i / 200, 1 + i % 200, by, i);
	}
	sprintf(text + len, "%s", TAIL);
	if ((m = analyze(dns, text)) != NULL) {
		T_INT("hop cap", "hops", m->hops.n, n);
		for (i = 0; i < m->hops.n; i++) {
			const struct mt_dns_info *d = m->hops.v[i].dns;

			on += d != NULL && d->status != MT_DNS_SKIPPED;
			skipped += d != NULL && d->status == MT_DNS_SKIPPED;
		}
		for (i = 0; i < mt_enrich_count(m); i++) {
			const struct mt_dns_answer *a = mt_enrich_answer(m, i);

			ptrs += a != NULL && a->type == MT_DNS_PTR;
		}
		T_INT("hop cap", "boundary", m->boundary_hop, 0);
		T_INT("hop cap", "PTR questions", ptrs, MT_MAX_DNS_HOPS);
		T_INT("hop cap", "hops skipped", skipped + on, n);
		T_TRUE("hop cap", "record says skipped",
		    json_has(m, "\"status\":\"skipped\""));
	}
	mt_msg_free(m);
	free(text);
}

/* test_batch - begin on several messages, one resolve, end: the records
 * equal those of mt_analyze one at a time. */
static void
test_batch(void)
{
	static const char *const texts[] = { plausible,
	    "Received: from galangal.org ([203.0.113.20]) by mx.sina.com with "
	    "ESMTP id 1 for <b@sina.com>; " DATE "\n" TAIL,
	    "Received: from n0.example ([192.0.2.30]) by mx.sina.com with "
	    "ESMTP id 1 for <b@sina.com>; " DATE "\n" TAIL };
	struct mt_ctx *a = ctx_new(true, true, "bl.test"), *b = ctx_new(true,
	    true, "bl.test");
	struct mt_msg *ms[3];
	struct mt_input in;
	size_t i;

	if (a == NULL || b == NULL)
		goto out;
	memset(&in, 0, sizeof(in));
	in.path = "t.eml";
	for (i = 0; i < 3; i++) {
		in.size = strlen(texts[2 - i]);
		ms[i] = mt_analyze_begin(a, &in, texts[2 - i], in.size);
	}
	T_INT("batch", "resolve", mt_ctx_resolve(a, ms, 3), 0);
	for (i = 0; i < 3; i++) {
		struct mt_msg *one = analyze(b, texts[2 - i]);
		char *x = NULL, *y = NULL;

		T_INT("batch", "end", mt_analyze_end(ms[i]), 0);
		T_INT("batch", "end again", mt_analyze_end(ms[i]), 0);
		mt_msg_json(ms[i], 0, &x);
		if (one != NULL)
			mt_msg_json(one, 0, &y);
		T_STR("batch", "record", x, y);
		free(x);
		free(y);
		mt_msg_free(one);
		mt_msg_free(ms[i]);
	}
out:
	mt_ctx_free(a);
	mt_ctx_free(b);
}

struct hookstate {
	int	 rounds, ready;
	bool	 second;
	bool	 got_b;
	bool	 foreign;	/* saw an answer m did not ask for */
};

/* hook - a stage that reads spf.a.test, then asks spf.b.test. */
static int
hook(struct mt_msg *m, enum mt_enrich_event ev, void *arg)
{
	struct hookstate *hs = arg;
	const struct mt_dns_answer *a;

	if (mt_enrich_get(m, MT_DNS_TXT, "chunks.example") != NULL ||
	    mt_enrich_get(m, MT_DNS_PTR, "192.0.2.30") != NULL)
		hs->foreign = true;
	if (ev == MT_ENRICH_READY) {
		hs->ready++;
		a = mt_enrich_get(m, MT_DNS_TXT, "spf.b.test");
		hs->got_b = a != NULL && a->status == MT_DNS_OK;
		return 0;
	}
	hs->rounds++;
	a = mt_enrich_get(m, MT_DNS_TXT, "spf.a.test");
	if (a != NULL && !hs->second && a->nanswers == 1 &&
	    strstr(a->answers[0], "include:spf.b.test") != NULL) {
		hs->second = true;
		return mt_enrich_want(m, MT_DNS_TXT, "SPF.B.test.");
	}
	return 0;
}

/* test_hooks - a stage asks in phase 1, follows up between rounds, reads
 * in phase 2; it sees only its own message's questions. */
static void
test_hooks(void)
{
	struct mt_ctx *ctx = ctx_new(true, true, NULL), *off = ctx_new(false,
	    false, NULL);
	struct hookstate hs, ho;
	struct mt_msg *ms[2], *o;
	struct mt_input in;
	const char *text = "Received: from n0.example ([192.0.2.30]) by "
	    "mx.sina.com with ESMTP id 1; " DATE "\n" TAIL;

	if (ctx == NULL || off == NULL)
		goto out;
	memset(&hs, 0, sizeof(hs));
	memset(&ho, 0, sizeof(ho));
	memset(&in, 0, sizeof(in));
	in.path = "t.eml";
	/* another message of the window asks what the hook must not see */
	ms[0] = mt_analyze_begin(ctx, &in, text, strlen(text));
	ms[1] = mt_analyze_begin(ctx, &in, TAIL, strlen(TAIL));
	if (ms[0] == NULL || ms[1] == NULL)
		goto out;
	T_INT("hooks", "want", mt_enrich_want(ms[1], MT_DNS_TXT, "spf.a.test"),
	    0);
	T_INT("hooks", "want twice", mt_enrich_want(ms[1], MT_DNS_TXT,
	    "spf.a.test."), 0);
	T_INT("hooks", "want a bad name", mt_enrich_want(ms[1], MT_DNS_A,
	    "a b"), -1);
	T_INT("hooks", "want the foreign", mt_enrich_want(ms[0], MT_DNS_TXT,
	    "chunks.example"), 0);
	T_INT("hooks", "hook", mt_enrich_hook(ms[1], hook, &hs), 0);
	T_INT("hooks", "resolve", mt_ctx_resolve(ctx, ms, 2), 0);
	T_INT("hooks", "end", mt_analyze_end(ms[1]), 0);
	T_TRUE("hooks", "rounds", hs.rounds >= 2);
	T_INT("hooks", "ready", hs.ready, 1);
	T_TRUE("hooks", "second answer", hs.got_b);
	T_TRUE("hooks", "no foreign answers", !hs.foreign);
	T_TRUE("hooks", "evidence lists the hook's questions",
	    json_has(ms[1], "\"qname\":\"spf.b.test\""));
	mt_analyze_end(ms[0]);
	mt_msg_free(ms[0]);
	mt_msg_free(ms[1]);

	/* Without DNS: nothing is asked, READY still comes. */
	if ((o = mt_analyze_begin(off, &in, TAIL, strlen(TAIL))) != NULL) {
		T_INT("hooks offline", "want", mt_enrich_want(o, MT_DNS_TXT,
		    "spf.a.test"), 0);
		T_INT("hooks offline", "hook", mt_enrich_hook(o, hook, &ho), 0);
		T_INT("hooks offline", "resolve", mt_ctx_resolve(off, &o, 1),
		    0);
		T_INT("hooks offline", "end", mt_analyze_end(o), 0);
		T_INT("hooks offline", "ready", ho.ready, 1);
		T_INT("hooks offline", "rounds", ho.rounds, 0);
		T_TRUE("hooks offline", "get", mt_enrich_get(o, MT_DNS_TXT,
		    "spf.a.test") == NULL);
		T_TRUE("hooks offline", "no evidence",
		    json_has(o, "\"dns_evidence\":[]"));
		mt_msg_free(o);
	}
out:
	mt_ctx_free(ctx);
	mt_ctx_free(off);
}

/* test_options - bad DNS options fail mt_ctx_new with a reason. */
static void
test_options(void)
{
	static const char *const bad_zone[] = { "not a zone" };
	static const char *const bad_server[] = { "mail.example" };
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	char err[256];

	memset(&o, 0, sizeof(o));
	o.no_geoip = true;
	o.dnsbl = bad_zone;
	o.ndnsbl = 1;
	ctx = mt_ctx_new(&o, err, sizeof(err));
	T_TRUE("options", "bad zone", ctx == NULL &&
	    strstr(err, "DNSBL") != NULL);
	mt_ctx_free(ctx);
	memset(&o, 0, sizeof(o));
	o.no_geoip = true;
	o.dns_servers = bad_server;
	o.ndns_servers = 1;
	ctx = mt_ctx_new(&o, err, sizeof(err));
	T_TRUE("options", "bad server", ctx == NULL && err[0] != '\0');
	mt_ctx_free(ctx);
	memset(&o, 0, sizeof(o));
	o.no_geoip = true;
	o.dns_cache = "/nonexistent/cache";
	o.dns_replay = true;
	ctx = mt_ctx_new(&o, err, sizeof(err));
	T_TRUE("options", "replay without a file", ctx == NULL);
	mt_ctx_free(ctx);
}

int
main(void)
{
	struct mt_ctx *dns, *off;

	if (write_world() != 0) {
		T_FAIL("cannot write the cache file");
		return t_done("test_enrich");
	}
	dns = ctx_new(true, true, NULL);
	off = ctx_new(false, false, NULL);
	if (dns != NULL && off != NULL) {
		test_seed(dns, off);
		test_hops(dns, off);
		test_fcrdns_cap(dns);
		test_links(dns, off);
		test_mx(dns, off);
		test_hop_cap(dns);
	}
	mt_ctx_free(dns);
	mt_ctx_free(off);
	test_dnsbl();
	test_batch();
	test_hooks();
	test_options();
	unlink(cache);
	return t_done("test_enrich");
}
