/*
 * test_foundation.c - slices, cursor, numbers, arena, UTF-8, IP literals
 * and anomalies.
 */
#include <stdlib.h>
#include <string.h>

#include "mt.h"
#include "t.h"

static void
test_numbers(void)
{
	static const struct {
		const char	*in;
		long		 min, max;
		bool		 ok;
		long		 want;
	} cases[] = {
		{ "0", 0, 10, true, 0 },
		{ "10", 0, 10, true, 10 },
		{ "11", 0, 10, false, 0 },
		{ "-5", -10, 10, true, -5 },
		{ "+7", -10, 10, true, 7 },
		{ "", 0, 10, false, 0 },
		{ "1a", 0, 10, false, 0 },
		{ "-", -10, 10, false, 0 },
		{ "99999999999999999999999", 0, 1000000, false, 0 },
		{ "9223372036854775807", 0, 9223372036854775807L, true,
		    9223372036854775807L },
		{ "-9223372036854775808", -9223372036854775807L - 1, 0, true,
		    -9223372036854775807L - 1 },
		{ "-9223372036854775809", -9223372036854775807L - 1, 0, false, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = 0;
		bool ok = mt_parse_int(mt_str(cases[i].in, strlen(cases[i].in)),
		    cases[i].min, cases[i].max, &got);

		T_INT(cases[i].in, "ok", ok, cases[i].ok);
		if (ok && cases[i].ok)
			T_INT(cases[i].in, "value", got, cases[i].want);
	}
}

static void
test_cursor(void)
{
	struct mt_cur c;
	struct mt_str s;

	mt_cur_init(&c, "FROM  host.example (x)", 22);
	T_TRUE("cursor", "tag case-insensitive", mt_cur_tag(&c, "from"));
	T_INT("cursor", "skip wsp", mt_cur_skip(&c, MT_C_WSP), 2);
	s = mt_cur_take_while(&c, MT_C_HOST);
	T_INT("cursor", "host length", s.len, 12);
	T_TRUE("cursor", "no tag", !mt_cur_tag(&c, "by"));
	s = mt_cur_take(&c, 100);
	T_TRUE("cursor", "take past end sets err", c.err && s.len == 0);
	T_INT("cursor", "peek", mt_cur_peek(&c), ' ');
}

static void
test_strings(void)
{
	struct mt_str a = MT_STR_LIT("Mail.Example.COM");

	T_TRUE("str", "ieq", mt_str_ieq_c(a, "mail.example.com"));
	T_TRUE("str", "iends", mt_str_iends(a, ".com"));
	T_TRUE("str", "istarts", mt_str_istarts(a, "MAIL."));
	T_INT("str", "ifind", mt_str_ifind(a, "example"), 5);
	T_INT("str", "ifind none", mt_str_ifind(a, "org"), -1);
	T_INT("str", "trim", mt_str_trim(MT_STR_LIT(" \t x \r\n")).len, 1);
}

static void
test_utf8(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		bool		 valid;
		const char	*clean;
	} cases[] = {
		{ "ascii", "abc", 3, true, "abc" },
		{ "chinese", "\xe6\x98\x8e\xe5\xa4\xa9", 6, true,
		    "\xe6\x98\x8e\xe5\xa4\xa9" },
		{ "lone continuation", "a\x80" "b", 3, false,
		    "a\xef\xbf\xbd" "b" },
		{ "overlong slash", "\xc0\xaf", 2, false,
		    "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "surrogate", "\xed\xa0\x80", 3, false,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "above max", "\xf4\x90\x80\x80", 4, false,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "truncated", "x\xe6\x98", 3, false,
		    "x\xef\xbf\xbd\xef\xbf\xbd" },
		{ "nul", "a\0b", 3, true, "a\xef\xbf\xbd" "b" },
		{ "latin1", "caf\xe9", 4, false, "caf\xef\xbf\xbd" },
	};
	struct mt_arena a;
	size_t i;

	mt_arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool bad;
		struct mt_str c;

		T_INT(cases[i].name, "valid",
		    mt_utf8_valid(cases[i].in, cases[i].len), cases[i].valid);
		c = mt_utf8_clean(&a, cases[i].in, cases[i].len, &bad);
		T_STR(cases[i].name, "clean", c.p, cases[i].clean);
		T_TRUE(cases[i].name, "clean output valid",
		    mt_utf8_valid(c.p, c.len));
	}
	/* A cut never splits a character. */
	T_INT("cut", "before 3-byte char", mt_utf8_cut("ab\xe6\x98\x8e", 5, 3), 2);
	T_INT("cut", "after 3-byte char", mt_utf8_cut("ab\xe6\x98\x8e", 5, 5), 5);
	mt_arena_free(&a);
}

static void
test_arena(void)
{
	struct mt_arena a;
	MT_VEC(int) v = { NULL, 0, 0 };
	size_t i;
	bool ok = true;

	mt_arena_init(&a);
	for (i = 0; i < 100000; i++) {
		int *slot = mt_vec_push(&a, &v);

		if (slot == NULL) {
			ok = false;
			break;
		}
		*slot = (int)i;
	}
	for (i = 0; ok && i < v.n; i++)
		if (v.v[i] != (int)i)
			ok = false;
	T_TRUE("arena", "vector of 100000 keeps its items", ok && v.n == 100000);
	{
		char *big = mt_arena_alloc(&a, 10 * 1024 * 1024);

		T_TRUE("arena", "large allocation", big != NULL && big[0] == 0 &&
		    big[10 * 1024 * 1024 - 1] == 0);
	}
	T_STR("arena", "printf", mt_arena_printf(&a, "%s-%d", "x", 42).p,
	    "x-42");
	T_STR("arena", "lower", mt_arena_lower(&a, MT_STR_LIT("MiXeD")).p,
	    "mixed");
	T_TRUE("arena", "no failure", !a.failed);
	mt_arena_free(&a);
}

static void
test_ip(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: rejected */
		const char	*cls;
	} cases[] = {
		{ "192.0.2.1", "192.0.2.1", "documentation" },
		{ "203.0.113.20", "203.0.113.20", "documentation" },
		{ "198.51.100.7", "198.51.100.7", "documentation" },
		{ "8.8.8.8", "8.8.8.8", "public" },
		{ "10.1.2.3", "10.1.2.3", "private" },
		{ "172.16.0.1", "172.16.0.1", "private" },
		{ "172.32.0.1", "172.32.0.1", "public" },
		{ "192.168.1.5", "192.168.1.5", "private" },
		{ "127.0.0.1", "127.0.0.1", "loopback" },
		{ "169.254.1.1", "169.254.1.1", "link-local" },
		{ "100.64.0.1", "100.64.0.1", "cgnat" },
		{ "100.128.0.1", "100.128.0.1", "public" },
		{ "0.0.0.0", "0.0.0.0", "reserved" },
		{ "255.255.255.255", "255.255.255.255", "reserved" },
		{ "300.1.2.3", NULL, NULL },
		{ "1.2.3", NULL, NULL },
		{ "1.2.3.4.5", NULL, NULL },
		{ "01.2.3.4", NULL, NULL },
		{ "1.2.3.4 ", NULL, NULL },
		{ "2001:db8::1", "2001:db8::1", "documentation" },
		{ "2001:DB8:0:0:0:0:0:1", "2001:db8::1", "documentation" },
		{ "IPv6:2603:10b6:a03:1::5", "2603:10b6:a03:1::5", "public" },
		{ "fe80::1%eth0", "fe80::1", "link-local" },
		{ "::1", "::1", "loopback" },
		{ "::", "::", "reserved" },
		{ "fd00::1", "fd00::1", "private" },
		{ "::ffff:192.0.2.9", "192.0.2.9", "documentation" },
		{ "::FFFF:8.8.4.4", "8.8.4.4", "public" },
		{ "2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1",
		    "documentation" },
		{ "gggg::1", NULL, NULL },
		{ "1:2:3:4:5:6:7:8:9", NULL, NULL },
		{ "", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_ip ip;
		char buf[64];
		bool ok = mt_ip_parse(mt_str(cases[i].in, strlen(cases[i].in)),
		    &ip);

		T_INT(cases[i].in, "accepted", ok, cases[i].want != NULL);
		if (!ok || cases[i].want == NULL)
			continue;
		T_STR(cases[i].in, "canonical", mt_ip_format(&ip, buf,
		    sizeof(buf)), cases[i].want);
		T_STR(cases[i].in, "class",
		    mt_ip_class_name(mt_ip_classify(&ip)), cases[i].cls);
	}
}

static void
test_anomalies(void)
{
	struct mt_ctx *ctx;
	struct mt_msg *m;
	char err[128];
	size_t i;

	ctx = mt_ctx_new(NULL, err, sizeof(err));
	m = mt_msg_alloc(ctx, NULL);
	T_TRUE("anomaly", "message", m != NULL);
	if (m == NULL)
		return;
	mt_anomaly_add(m, MT_AN_BARE_CR, 5);
	mt_anomaly_add(m, MT_AN_BARE_CR, 5);
	T_INT("anomaly", "deduplicated", m->anomalies.n, 1);
	T_STR("anomaly", "name", mt_anomaly_name(m->anomalies.v[0].code),
	    "BARE_CR");
	/* Ten times the cap: kept at the cap, the last slot says so. */
	for (i = 0; i < 10 * MT_MAX_ANOMALIES; i++)
		mt_anomaly_add(m, MT_AN_NUL_BYTE, i + 100);
	T_INT("anomaly", "capped", m->anomalies.n, MT_MAX_ANOMALIES);
	T_STR("anomaly", "truncation recorded",
	    mt_anomaly_name(m->anomalies.v[MT_MAX_ANOMALIES - 1].code),
	    "ANOMALIES_TRUNCATED");
	T_TRUE("anomaly", "dropped counted", m->anomalies_dropped > 0);
	mt_msg_free(m);
	mt_ctx_free(ctx);
	mt_ctx_free(NULL);
	mt_msg_free(NULL);
}

int
main(void)
{
	test_numbers();
	test_cursor();
	test_strings();
	test_utf8();
	test_arena();
	test_ip();
	test_anomalies();
	return t_done("foundation");
}
