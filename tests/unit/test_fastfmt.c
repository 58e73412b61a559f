/*
 * test_fastfmt.c - the formatters that records call once per hop and
 * that are written without printf for speed: IP addresses (mt_ip_format
 * must give exactly inet_ntop()'s text, RFC 5952) and times
 * (mt_date_format_utc/offset must give exactly their printf formats).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mt.h"
#include "t.h"

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

/* rnd - xorshift64: repeatable pseudo-random numbers. */
static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void
test_ip_table(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "192.0.2.1", "192.0.2.1" },
		{ "0.0.0.0", "0.0.0.0" },
		{ "255.255.255.255", "255.255.255.255" },
		{ "10.0.100.9", "10.0.100.9" },
		{ "2001:db8::1", "2001:db8::1" },
		{ "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
		{ "::", "::" },
		{ "::1", "::1" },
		{ "1::", "1::" },
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
		{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "::ffff:192.0.2.5", "192.0.2.5" },	/* folded to IPv4 */
		{ "::192.0.2.5", "::192.0.2.5" },
		{ "::1:0:0:0", "::1:0:0:0" },
		{ "0:0:0:1::", "0:0:0:1::" },
		{ "1:0:0:2:0:0:3:4", "1::2:0:0:3:4" },	/* a tie: the first */
		{ "2603:10a6:20b:23::92", "2603:10a6:20b:23::92" },
		{ "fe80::f44d:dc0d:8247:8ee4", "fe80::f44d:dc0d:8247:8ee4" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_ip ip;
		char buf[64];
		const char *got = NULL;

		if (mt_ip_parse(mt_str(cases[i].in, strlen(cases[i].in)), &ip))
			got = mt_ip_format(&ip, buf, sizeof(buf));
		T_STR(cases[i].in, "formatted", got, cases[i].want);
	}
}

static void
test_ip_random(void)
{
	size_t i, bad = 0;

	/* Many zero words, so every placement of "::" comes up. */
	for (i = 0; i < 200000; i++) {
		struct mt_ip ip;
		char got[64], want[64];
		size_t k;

		memset(&ip, 0, sizeof(ip));
		ip.family = (i % 5 == 0) ? 4 : 6;
		for (k = 0; k < (ip.family == 4 ? 4u : 16u); k += 2) {
			uint64_t r = rnd();

			if (ip.family == 6 && r % 3 == 0)
				continue;	/* a zero word */
			ip.addr[k] = (uint8_t)(r >> 8);
			ip.addr[k + 1] = (uint8_t)(r >> 16);
			if (r % 7 == 0)
				ip.addr[k] = 0;	/* short words */
		}
		if (ip.family == 6 && i % 11 == 0) {
			memset(ip.addr, 0, 10);	/* ::ffff:a.b.c.d, ::a.b.c.d */
			ip.addr[10] = ip.addr[11] = (i % 2) ? 0xff : 0;
		}
		mt_ip_format(&ip, got, sizeof(got));
		inet_ntop(ip.family == 4 ? AF_INET : AF_INET6, ip.addr, want,
		    sizeof(want));
		if (strcmp(got, want) != 0 && bad++ < 5)
			T_STR("random address", "formatted", got, want);
	}
	T_INT("random addresses", "differences from inet_ntop", bad, 0);
	/* A short buffer still gets inet_ntop's answer (NULL). */
	{
		struct mt_ip ip;
		char buf[8];

		mt_ip_parse(mt_str("2001:db8::1", 11), &ip);
		T_TRUE("short buffer", "NULL",
		    mt_ip_format(&ip, buf, sizeof(buf)) == NULL);
	}
}

static void
test_dates(void)
{
	static const int64_t fixed[] = { 0, -1, 86399, 86400, 1047996840,
	    951782400 /* 2000-02-29 */, 253402300799 /* 9999-12-31 */,
	    253402300800 /* 10000-01-01 */, -62135596800 /* 0001-01-01 */,
	    -62167219200 /* 0000-01-01 */, -62167219201 };
	size_t i, bad = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]) + 200000; i++) {
		int64_t t = i < sizeof(fixed) / sizeof(fixed[0]) ? fixed[i] :
		    (int64_t)(rnd() % 20000000000ULL) - 3000000000LL;
		char got[40], want[96];
		struct mt_date d;
		time_t tt = (time_t)t;
		struct tm tm;

		mt_date_format_utc(t, got, sizeof(got));
		/* The reference: the C library's calendar and the format the
		 * fast path replaces. */
		if (gmtime_r(&tt, &tm) == NULL) {
			T_TRUE("utc", "gmtime_r", false);
			continue;
		}
		snprintf(want, sizeof(want),
		    "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
		    (long long)tm.tm_year + 1900, (long long)tm.tm_mon + 1,
		    (long long)tm.tm_mday, (long long)tm.tm_hour,
		    (long long)tm.tm_min, (long long)tm.tm_sec);
		if (strcmp(got, want) != 0 && bad++ < 5)
			T_STR("utc", "format", got, want);
		/* and the text means t again */
		if (tm.tm_year + 1900 >= 1000 && tm.tm_year + 1900 <= 9999 &&
		    mt_date_parse(got, strlen(got), &d) && d.utc != t &&
		    bad++ < 5)
			T_INT(got, "round trip", d.utc, t);
	}
	T_INT("utc times", "differences", bad, 0);
	{
		char buf[40];

		mt_date_format_utc(1047996840, buf, sizeof(buf));
		T_STR("utc", "2003-03-18", buf, "2003-03-18T14:14:00Z");
		mt_date_format_utc(253402300800, buf, sizeof(buf));
		T_STR("utc", "year 10000", buf, "10000-01-01T00:00:00Z");
		mt_date_format_utc(0, buf, 8);
		T_STR("utc", "short buffer", buf, "1970-01");
	}
	bad = 0;
	for (i = 0; i < 40000; i++) {
		int off = (int)i - 20000;
		char got[16], want[48];
		long long a = off < 0 ? -(long long)off : off;

		mt_date_format_offset(off, got, sizeof(got));
		snprintf(want, sizeof(want), "%c%02lld%02lld", off < 0 ? '-' :
		    '+', a / 60, a % 60);
		if (strcmp(got, want) != 0 && bad++ < 5)
			T_STR("offset", "format", got, want);
	}
	T_INT("offsets", "differences", bad, 0);
	{
		char buf[16];

		mt_date_format_offset(-480, buf, sizeof(buf));
		T_STR("offset", "-0800", buf, "-0800");
		mt_date_format_offset(330, buf, sizeof(buf));
		T_STR("offset", "+0530", buf, "+0530");
		mt_date_format_offset(0, buf, 4);
		T_STR("offset", "short buffer", buf, "+00");
	}
}

int
main(void)
{
	test_ip_table();
	test_ip_random();
	test_dates();
	return t_done("fastfmt");
}
