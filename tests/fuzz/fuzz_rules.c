/*
 * fuzz_rules.c - the rules loader (mt_rules_load_buf) on any text.  What
 * loads is loaded a second time into the same set (every rule then
 * replaces itself), self-tested, and matched against a Received line, a
 * hop and a header, so a pattern that backtracks forever must stop at
 * the PCRE2 limits.  A load that fails must say why, as "file:line: ...".
 */
#include "../../analyzer/lib/rules.h"
#include "fuzz.h"

static const char rcv[] = "from mail.example.test (dsl-198-51-100-7.example."
    "net [198.51.100.7]) by mx.example.org (Postfix) with ESMTPS id 4AbC; "
    "Tue, 18 Mar 2003 14:20:24 -0800";
static const char hdr[] = "X-Mailer: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n"
    "Received: from x (y [192.0.2.1]) by z; Tue, 18 Mar 2003 14:20:24 -0800\n"
    "Subject: =?utf-8?q?caf=C3=A9?=\n\n";

/* hit - count a match. */
static bool
hit(void *arg, const struct mt_rules_hit *h)
{
	CHECK(h->finding != NULL && h->field != NULL);
	(*(size_t *)arg)++;
	return true;
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_rules *r;
	struct mt_msg *m;
	struct mt_hop h;
	char err[512];
	size_t n = 0, count;
	double th;

	if ((r = mt_rules_new()) == NULL)
		abort();
	err[0] = '\0';
	if (mt_rules_load_buf(r, "fuzz.rules", (const char *)data, size, err,
	    sizeof(err)) != 0) {
		CHECK(strncmp(err, "fuzz.rules", 10) == 0);
		CHECK(mt_rules_count(r) == 0);
		mt_rules_free(r);
		return 0;
	}
	count = mt_rules_count(r);
	CHECK(mt_rules_load_buf(r, "fuzz.rules", (const char *)data, size, err,
	    sizeof(err)) == 0);
	CHECK(mt_rules_count(r) == count);
	(void)mt_rules_selftest(r, err, sizeof(err));

	m = fz_msg();
	CHECK(mt_hdr_parse(m, hdr, sizeof(hdr) - 1) == 0);
	(void)mt_rules_mta(r, MT_STR_LIT(rcv));
	memset(&h, 0, sizeof(h));
	h.raw = MT_STR_LIT(rcv);
	h.from.port = -1;
	h.tls = h.auth = MT_NULL;
	h.from.helo = MT_STR_LIT("mail.example.test");
	h.from.rdns = MT_STR_LIT("dsl-198-51-100-7.example.net");
	h.from.ip = MT_STR_LIT("198.51.100.7");
	(void)mt_rules_received(r, m, &h);
	CHECK(h.from.port >= -1 && h.from.port <= 65535);
	(void)mt_rules_match_hop(r, m, &h, hit, &n);
	(void)mt_rules_match_header(r, m, hit, &n);
	(void)mt_rules_score(r, "HELO_MISMATCH", 3.0);
	(void)mt_rules_label(r, "forged", &th);
	(void)mt_rules_verdict(r, 5.0);
	(void)mt_rules_org(r, MT_STR_LIT("outlook.com"));
	(void)mt_rules_description(r, "RDNS_NONE");
	mt_msg_free(m);
	mt_rules_free(r);
	return 0;
}
