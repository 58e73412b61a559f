/*
 * fuzz_received.c - one Received field body through the clause parser
 * (mt_rcv_parse), then the MTA and dialect rules as mt_analyze() runs
 * them.  Every address kept must be canonical, the port in range, the
 * state one of the four, and every anomaly inside the field.
 */
#include "../../analyzer/lib/rules.h"
#include "fuzz.h"

#define OFF 500		/* the body's pretended offset in the message */

/* canonical - s is an address that formats back to itself. */
static bool
canonical(struct mt_str s)
{
	struct mt_ip ip;
	char buf[64];

	if (!mt_ip_parse(s, &ip))
		return false;
	mt_ip_format(&ip, buf, sizeof(buf));
	return strlen(buf) == s.len && memcmp(buf, s.p, s.len) == 0;
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_ctx *ctx = fz_ctx();
	struct mt_msg *m = fz_msg();
	struct mt_field f;
	struct mt_hop h;
	size_t i;

	memset(&f, 0, sizeof(f));
	f.name = MT_STR_LIT("Received");
	f.value = mt_arena_dup(&m->arena, (const char *)data, size);
	f.raw = f.value;
	f.offset = OFF - 10;
	f.value_offset = OFF;
	memset(&h, 0, sizeof(h));
	h.raw = f.value;
	h.offset = f.offset;
	h.from.port = -1;
	h.tls = h.auth = MT_NULL;
	CHECK(mt_rcv_parse(m, &f, &h) == 0);
	CHECK(h.parsed == MT_PARSED_UNPARSED || h.parsed == MT_PARSED_FULL ||
	    h.parsed == MT_PARSED_PARTIAL || h.parsed == MT_PARSED_COMMENT);
	CHECK(h.from.port >= -1 && h.from.port <= 65535);
	CHECK(h.tls == MT_NULL || h.tls == MT_FALSE || h.tls == MT_TRUE);
	CHECK(h.auth == MT_NULL || h.auth == MT_FALSE || h.auth == MT_TRUE);
	if (h.from.ip.p != NULL)
		CHECK(canonical(h.from.ip));
	if (h.by.ip.p != NULL)
		CHECK(canonical(h.by.ip));
	if (ctx->rules != NULL) {
		(void)mt_rules_mta(ctx->rules, h.raw);
		if (h.parsed != MT_PARSED_FULL)
			(void)mt_rules_received(ctx->rules, m, &h);
		if (h.from.ip.p != NULL)
			CHECK(canonical(h.from.ip));
		CHECK(h.from.port >= -1 && h.from.port <= 65535);
	}
	CHECK(m->anomalies.n <= MT_MAX_ANOMALIES);
	for (i = 0; i < m->anomalies.n; i++) {
		uint64_t o = m->anomalies.v[i].offset;

		CHECK((o >= OFF && o <= OFF + size) || o == h.offset);
	}
	mt_msg_free(m);
	return 0;
}
