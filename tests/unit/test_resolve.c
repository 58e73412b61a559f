/*
 * test_resolve.c - the resolver against real DNS traffic.
 *
 * Always run (no DNS server needed, loopback only): the name builders, the
 * cache file format (round trip, malformed files, the line cap fed ten
 * times over), option errors, an unreachable resolver (a port where nothing
 * listens, a socket that never answers), the budget, and a tiny in-process
 * UDP responder that answers FORMERR, NOTIMP and a truncated reply.
 *
 * With MT_DNS_SERVER=IP:PORT (tests/dns/unbound-harness sets it, serving
 * tests/dns/fixture.conf): every status, the seed's PTR match and mismatch,
 * several PTR names, PTR to a name with no address, IPv6, MX, TXT, hostile
 * bytes kept exact, long names, cache sharing (counted by the library and,
 * with MT_DNS_PROXY_SERVER and MT_DNS_PROXY_LOG from tools/dns-delay-proxy,
 * on the wire), save + replay with no server, and 2,000 addresses in one
 * run.  MT_DNS_CACHE_OUT names the cache file to write.  Without
 * MT_DNS_SERVER those cases print "skipped" and the program still passes.
 *
 * With MT_DNS_REPLAY=FILE (and no server running): the fixture answers are
 * checked again from that cache file alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mt.h"
#include "resolve.h"
#include "t.h"

#define B10 "bbbbbbbbbb"
#define B60 B10 B10 B10 B10 B10 B10
#define A63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG253 B60 "." B60 "." B60 "." B60 ".long.test"
#define V6BL "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
/* the hostile PTR of 192.0.2.50 as resolve.h promises to keep it */
#define EVIL "evil\a\n\"{}<x>\\\\name\\000x\\.y\xff.example"
/* bin.example's TXT: a NUL b " c \ d ESC e (zone-file "\027" is decimal) */
#define BIN "a\0b\"c\\d\033e"
#define MAGIC_LINE "mailtrace-dns-cache 1\n"

static char tmpdir[] = "/tmp/mt-resolve-XXXXXX";

/* now_ms - a monotonic clock in milliseconds. */
static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* joined - answers of a joined with '|' ("" for none), or NULL. */
static const char *
joined(const struct mt_dns_answer *a)
{
	static char buf[8192];
	size_t i, n = 0;

	if (a == NULL)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < a->nanswers; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? "|" : "", a->answers[i]);
	return buf;
}

/* status_of - status name of a, or "(none)". */
static const char *
status_of(const struct mt_dns_answer *a)
{
	return a ? mt_dns_status_name(a->status) : "(none)";
}

/* write_file - write n bytes to path; false on error. */
static bool
write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (f == NULL)
		return false;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* udp_bound - a UDP socket on 127.0.0.1 at a free port; fd or -1. */
static int
udp_bound(int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* ------------------------------------------------------------------ */
/* Name builders                                                      */
/* ------------------------------------------------------------------ */

/* test_names - the reverse and DNSBL name builders. */
static void
test_names(void)
{
	static const struct {
		const char *ip, *ptr;
	} ptrs[] = {
		{ "203.0.113.20", "20.113.0.203.in-addr.arpa" },
		{ "0.0.0.0", "0.0.0.0.in-addr.arpa" },
		{ "255.255.255.255", "255.255.255.255.in-addr.arpa" },
		{ "::ffff:192.0.2.1", "1.2.0.192.in-addr.arpa" },
		{ "2001:db8::25", V6BL ".ip6.arpa" },
		{ "2001:DB8:0:0:0:0:0:25", V6BL ".ip6.arpa" },
		{ "IPv6:2001:db8::25", V6BL ".ip6.arpa" },
		{ "300.1.2.3", NULL },
		{ "01.2.3.4", NULL },
		{ "mail.example", NULL },
		{ "", NULL },
		{ "1.2.3.4 ", NULL },
	};
	static const struct {
		const char *ip, *zone, *want;
	} bls[] = {
		{ "192.0.2.2", "bl.test", "2.2.0.192.bl.test" },
		{ "192.0.2.2", "BL.Test.", "2.2.0.192.bl.test" },
		{ "127.0.0.2", "bl.test", "2.0.0.127.bl.test" },
		{ "2001:db8::25", "bl.test", V6BL ".bl.test" },
		{ "192.0.2.2", "bad zone", NULL },
		{ "192.0.2.2", "", NULL },
		{ "192.0.2.2", "a..b", NULL },
		/* "2.2.0.192." is 10 characters, the zone 243: 253 fits */
		{ "192.0.2.2", B60 "." B60 "." B60 "." B60,
		    "2.2.0.192." B60 "." B60 "." B60 "." B60 },
		{ "192.0.2.2", B60 "." B60 "." B60 "." B60 "b", NULL },
		/* 64 nibble characters and a 193-character zone: 257 */
		{ "2001:db8::25", B60 "." B60 "." B60 "." B10, NULL },
		{ "2001:db8::25", B60 "." B60 "." B60, V6BL "." B60 "." B60 "." B60 },
	};
	char buf[MT_RES_NAME_MAX];
	size_t i;

	for (i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		int n = mt_res_ptr_name_text(ptrs[i].ip, buf, sizeof(buf));

		T_STR(ptrs[i].ip, "ptr name", n < 0 ? NULL : buf, ptrs[i].ptr);
		if (n >= 0)
			T_INT(ptrs[i].ip, "ptr length", n, strlen(buf));
	}
	for (i = 0; i < sizeof(bls) / sizeof(bls[0]); i++) {
		struct mt_ip ip;
		int n;

		mt_ip_parse(mt_str(bls[i].ip, strlen(bls[i].ip)), &ip);
		n = mt_res_dnsbl_name(&ip, bls[i].zone, buf, sizeof(buf));
		T_STR(bls[i].zone, "dnsbl name", n < 0 ? NULL : buf, bls[i].want);
	}
	{
		struct mt_ip none = { 0 };

		T_INT("no address", "ptr", mt_res_ptr_name(&none, buf,
		    sizeof(buf)), -1);
		mt_ip_parse(MT_STR_LIT("2001:db8::25"), &none);
		T_INT("small buffer", "ptr", mt_res_ptr_name(&none, buf, 72), -1);
		T_INT("exact buffer", "ptr", mt_res_ptr_name(&none, buf, 73), 72);
	}
	T_STR("names", "type", mt_dns_type_name(MT_DNS_AAAA), "AAAA");
	T_STR("names", "status", mt_dns_status_name(MT_DNS_UNAVAILABLE),
	    "unavailable");
}

/* ------------------------------------------------------------------ */
/* Options and the cache file                                         */
/* ------------------------------------------------------------------ */

/* replay_of - a replay resolver over a file holding text; NULL with err. */
static struct mt_resolver *
replay_of(const char *text, size_t len, char *err, size_t errlen)
{
	char path[512];
	struct mt_resolver_opts o = { 0 };

	snprintf(path, sizeof(path), "%s/in.cache", tmpdir);
	if (!write_file(path, text, len))
		return NULL;
	o.cache_file = path;
	o.replay = true;
	return mt_resolver_new(&o, err, errlen);
}

/* test_options - option checks of mt_resolver_new. */
static void
test_options(void)
{
	static const char *const bad_servers[] = { "1.2.3.4,5.6.7.8" };
	static const char *const bad_servers2[] = { "dns.example" };
	static const char *const good_servers[] = { "192.0.2.1", "192.0.2.2:53",
		"[2001:db8::1]:5353" };
	static const struct {
		const char *name;
		struct mt_resolver_opts o;
		const char *err;	/* substring; NULL = succeeds */
	} cases[] = {
		{ "defaults", { 0 }, NULL },
		{ "servers", { good_servers, 3, 0, 0, 0, 0, NULL, false }, NULL },
		{ "comma", { bad_servers, 1, 0, 0, 0, 0, NULL, false },
		    "bad DNS server" },
		{ "name", { bad_servers2, 1, 0, 0, 0, 0, NULL, false },
		    "bad DNS server" },
		{ "timeout", { NULL, 0, -1, 0, 0, 0, NULL, false }, "range" },
		{ "tries", { NULL, 0, 0, 11, 0, 0, NULL, false }, "range" },
		{ "concurrency", { NULL, 0, 0, 0, 5000, 0, NULL, false }, "range" },
		{ "budget", { NULL, 0, 0, 0, 0, -5, NULL, false }, "range" },
		{ "replay no file", { NULL, 0, 0, 0, 0, 0, NULL, true },
		    "needs a cache file" },
		{ "replay missing file", { NULL, 0, 0, 0, 0, 0,
		    "/nonexistent/mt.cache", true }, "No such file" },
		{ "update missing file", { NULL, 0, 0, 0, 0, 0,
		    "/nonexistent/mt.cache", false }, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct mt_resolver *r = mt_resolver_new(&cases[i].o, err,
		    sizeof(err));

		if (cases[i].err == NULL) {
			T_TRUE(cases[i].name, err, r != NULL);
		} else {
			T_TRUE(cases[i].name, "fails", r == NULL);
			T_TRUE(cases[i].name, err,
			    strstr(err, cases[i].err) != NULL);
		}
		mt_resolver_free(r);
	}
	mt_resolver_free(NULL);
}

/* A canonical cache file: what mt_res_save writes for these answers. */
static const char canon[] =
    "mailtrace-dns-cache 1\n"
    "# TYPE QNAME STATUS TTL MS N ANSWER... (TAB-separated, bytes outside "
    "0x21-0x7e and '%' as %HH)\n"
    "PTR\t20.113.0.203.in-addr.arpa\tok\t3600\t2\t1\tlinuxaid.com.cn\n"
    "PTR\t50.2.0.192.in-addr.arpa\tok\t3600\t1\t2\t"
    "evil%07%0A\"{}<x>\\\\name\\000x\\.y%FF.example\tplain.example\n"
    "PTR\t66.2.0.192.in-addr.arpa\tservfail\t0\t0\t0\n"
    "PTR\t68.2.0.192.in-addr.arpa\ttimeout\t0\t300\t0\n"
    "A\tghost.example\tnxdomain\t0\t1\t0\n"
    "A\tnoaddr.example\tok\t0\t1\t0\n"
    "A\trefused.test\trefused\t0\t0\t0\n"
    "A\tx.formerr.test\tformerr\t0\t7\t0\n"
    "A\tx.other.test\tother\t0\t7\t0\n"
    "A\tx.skipped.test\tskipped\t0\t0\t0\n"
    "A\tx.unavailable.test\tunavailable\t0\t0\t0\n"
    "MX\tsina.com\tok\t600\t3\t2\t10%20mail.sina.com\t20%20mx2.sina.com\n"
    "TXT\tbin.example\tok\t300\t0\t3\t\t100%25%20%09tab\ta%00b\"c\\d%1Be\n";

/* test_cache_file - round trip, replay, bad files and the line cap. */
static void
test_cache_file(void)
{
	static const struct {
		const char *what, *text, *err;
	} bad[] = {
		{ "empty", "", "empty file" },
		{ "magic", "mailtrace-dns-cache 2\n", "not a mailtrace" },
		{ "type", MAGIC_LINE "SRV\tx.test\tok\t0\t0\t0\n", ":2: unknown type" },
		{ "status", MAGIC_LINE "A\tx.test\tfine\t0\t0\t0\n",
		    ":2: unknown status" },
		{ "few", MAGIC_LINE "A\tx.test\tok\t0\t0\n", ":2: too few" },
		{ "count", MAGIC_LINE "\n# c\nA\tx.test\tok\t0\t0\t2\t192.0.2.1\n",
		    ":4: 1 answers where 2" },
		{ "extra", MAGIC_LINE "A\tx.test\tok\t0\t0\t0\t192.0.2.1\n",
		    ":2: 1 answers where 0" },
		{ "ttl", MAGIC_LINE "A\tx.test\tok\t4294967296\t0\t0\n",
		    ":2: bad number" },
		{ "ms", MAGIC_LINE "A\tx.test\tok\t0\t-1\t0\n", ":2: bad number" },
		{ "escape", MAGIC_LINE "TXT\tx.test\tok\t0\t0\t1\t100%\n",
		    ":2: bad escape" },
		{ "escape hex", MAGIC_LINE "TXT\tx.test\tok\t0\t0\t1\t%G0\n",
		    ":2: bad escape" },
		{ "raw space", MAGIC_LINE "TXT\tx.test\tok\t0\t0\t1\ta b\n",
		    ":2: bad escape" },
		{ "raw 8bit", MAGIC_LINE "TXT\tx.test\tok\t0\t0\t1\t\xc3\xa9\n",
		    ":2: bad escape" },
		{ "qname case", MAGIC_LINE "A\tX.test\tok\t0\t0\t0\n", ":2: bad qname" },
		{ "qname junk", MAGIC_LINE "A\tx%20y.test\tok\t0\t0\t0\n",
		    ":2: bad qname" },
	};
	char err[512], path[512], out[512];
	struct mt_resolver *r;
	const struct mt_dns_answer *a;
	struct mt_res_stats st;
	char *text;
	size_t i, len;

	/* round trip: load, check, save, compare bytes */
	r = replay_of(canon, sizeof(canon) - 1, err, sizeof(err));
	T_TRUE("canon", err, r != NULL);
	if (r == NULL)
		return;
	a = mt_res_get(r, MT_DNS_PTR, "192.0.2.50");
	T_STR("canon evil", "status", status_of(a), "ok");
	if (a && a->nanswers == 2) {
		T_INT("canon evil", "len", a->lens[0], sizeof(EVIL) - 1);
		T_TRUE("canon evil", "bytes",
		    memcmp(a->answers[0], EVIL, sizeof(EVIL)) == 0);
		T_INT("canon evil", "ms", a->ms, 1);
		T_STR("canon evil", "qname", a->qname,
		    "50.2.0.192.in-addr.arpa");
	}
	a = mt_res_get(r, MT_DNS_TXT, "BIN.example.");
	T_INT("canon bin", "n", a ? a->nanswers : 99, 3);
	if (a && a->nanswers == 3) {
		/* sorted bytewise: "" < "100% \ttab" < "a\0b..." */
		T_INT("canon bin", "len0", a->lens[0], 0);
		T_STR("canon bin", "1", a->answers[1], "100% \ttab");
		T_INT("canon bin", "len2", a->lens[2], sizeof(BIN) - 1);
		T_TRUE("canon bin", "bytes",
		    memcmp(a->answers[2], BIN, sizeof(BIN)) == 0);
	}
	T_STR("canon mx", "answers", joined(mt_res_get(r, MT_DNS_MX,
	    "sina.com")), "10 mail.sina.com|20 mx2.sina.com");
	T_STR("canon", "servfail", status_of(mt_res_get(r, MT_DNS_PTR,
	    "192.0.2.66")), "servfail");
	T_STR("canon", "formerr", status_of(mt_res_get(r, MT_DNS_A,
	    "x.formerr.test")), "formerr");
	T_STR("canon", "nodata", joined(mt_res_get(r, MT_DNS_A,
	    "noaddr.example")), "");
	T_TRUE("canon", "never wanted", mt_res_get(r, MT_DNS_A,
	    "mail.sina.com") == NULL);
	/* replay: a missing name is SKIPPED at once, nothing is sent */
	T_INT("replay want", "rc", mt_res_want(r, MT_DNS_A, "mail.sina.com"), 0);
	T_INT("replay run", "rc", mt_res_run(r), 0);
	T_STR("replay missing", "status", status_of(mt_res_get(r, MT_DNS_A,
	    "mail.sina.com")), "skipped");
	T_INT("replay want", "cached", mt_res_want(r, MT_DNS_PTR,
	    "203.0.113.20"), 0);
	mt_res_stats(r, &st);
	T_INT("replay", "sent", st.sent, 0);
	T_INT("replay", "hits", st.hits, 1);
	T_TRUE("replay", "available", !mt_res_unavailable(r) &&
	    mt_res_unavailable_reason(r) == NULL);

	/* invalid names: refused, nothing recorded */
	{
		static const struct {
			enum mt_dns_type type;
			const char *name;
			int rc;
		} names[] = {
			{ MT_DNS_A, A63 ".long.test", 0 },
			{ MT_DNS_A, "a" A63 ".long.test", -1 },
			{ MT_DNS_A, LONG253, 0 },
			{ MT_DNS_A, LONG253 ".", 0 },
			{ MT_DNS_A, "b" LONG253, -1 },
			{ MT_DNS_A, "with space.example", -1 },
			{ MT_DNS_A, "semi;colon.example", -1 },
			{ MT_DNS_A, "back\\slash.example", -1 },
			{ MT_DNS_A, "..example", -1 },
			{ MT_DNS_A, ".", -1 },
			{ MT_DNS_A, "", -1 },
			{ MT_DNS_MX, "_dmarc.example", 0 },
			{ MT_DNS_PTR, "mail.example", -1 },
			{ MT_DNS_PTR, "192.0.2.300", -1 },
			{ MT_DNS_PTR, "fe80::1%eth0", 0 },
			{ (enum mt_dns_type)42, "x.example", -1 },
		};

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int rc = mt_res_want(r, names[i].type, names[i].name);

			T_INT(names[i].name, "want", rc, names[i].rc);
			if (rc < 0)
				T_INT(names[i].name, "errno", errno, EINVAL);
			T_TRUE(names[i].name, "recorded",
			    (mt_res_get(r, names[i].type, names[i].name) != NULL) ==
			    (rc == 0));
		}
	}

	snprintf(out, sizeof(out), "%s/out.cache", tmpdir);
	T_INT("save", "rc", mt_res_save(r, out, err, sizeof(err)), 0);
	mt_resolver_free(r);
	text = t_slurp(out, &len);
	T_TRUE("save", "read", text != NULL);
	if (text) {
		/* the new SKIPPED entries are saved too; the rest is canon */
		T_TRUE("save", "skipped saved", strstr(text,
		    "A\tmail.sina.com\tskipped\t0\t0\t0\n") != NULL);
		r = replay_of(text, len, err, sizeof(err));
		T_TRUE("resave", err, r != NULL);
		if (r) {
			snprintf(path, sizeof(path), "%s/out2.cache", tmpdir);
			mt_res_save(r, path, err, sizeof(err));
			mt_resolver_free(r);
			{
				size_t len2;
				char *t2 = t_slurp(path, &len2);

				T_TRUE("resave", "identical", t2 && len2 == len &&
				    memcmp(t2, text, len) == 0);
				free(t2);
			}
		}
		free(text);
	}
	/* the canonical file saves to itself */
	r = replay_of(canon, sizeof(canon) - 1, err, sizeof(err));
	if (r) {
		mt_res_save(r, out, err, sizeof(err));
		mt_resolver_free(r);
		text = t_slurp(out, &len);
		T_STR("canon", "saved as read", text, canon);
		free(text);
	}
	/* a save to a directory that does not exist fails cleanly */
	r = replay_of(canon, sizeof(canon) - 1, err, sizeof(err));
	if (r) {
		T_INT("save bad dir", "rc", mt_res_save(r, "/nonexistent/x",
		    err, sizeof(err)), -1);
		T_TRUE("save bad dir", err, strstr(err, "/nonexistent/x") != NULL);
		mt_resolver_free(r);
	}

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		r = replay_of(bad[i].text, strlen(bad[i].text), err, sizeof(err));
		T_TRUE(bad[i].what, "refused", r == NULL);
		T_TRUE(bad[i].what, err, strstr(err, bad[i].err) != NULL);
		mt_resolver_free(r);
	}

	/* the line cap (1 MiB), fed ten times over: refused, no crash */
	{
		size_t big = 10u * 1024 * 1024;
		char *p = malloc(big + 64);

		if (p) {
			size_t n = (size_t)sprintf(p, MAGIC_LINE "TXT\tx.test\tok"
			    "\t0\t0\t1\t");

			memset(p + n, 'x', big);
			p[n + big] = '\n';
			err[0] = '\0';
			r = replay_of(p, n + big + 1, err, sizeof(err));
			T_TRUE("line cap", "refused", r == NULL);
			T_TRUE("line cap", err, strstr(err, ":2: line longer") !=
			    NULL);
			mt_resolver_free(r);
			free(p);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Unreachable resolvers, budget, odd replies (loopback only)         */
/* ------------------------------------------------------------------ */

/* resolver_at - a resolver at 127.0.0.1:port. */
static struct mt_resolver *
resolver_at(int port, int timeout_ms, int tries, int conc, int budget_ms)
{
	static char addr[64];
	static const char *servers[1] = { addr };
	struct mt_resolver_opts o = { 0 };
	char err[256];
	struct mt_resolver *r;

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	o.servers = servers;
	o.nservers = 1;
	o.timeout_ms = timeout_ms;
	o.tries = tries;
	o.concurrency = conc;
	o.budget_ms = budget_ms;
	r = mt_resolver_new(&o, err, sizeof(err));
	if (r == NULL)
		T_FAIL("resolver_at %d: %s", port, err);
	return r;
}

/* want_many - want n names "qN.<zone>" of type A; returns failures. */
static int
want_many(struct mt_resolver *r, int n, const char *zone)
{
	char name[128];
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "q%d.%s", i, zone);
		bad += mt_res_want(r, MT_DNS_A, name) != 0;
	}
	return bad;
}

/* count_status - how many of "qN.<zone>" have status s. */
static int
count_status(struct mt_resolver *r, int n, const char *zone,
    enum mt_dns_status s)
{
	char name[128];
	int i, c = 0;

	for (i = 0; i < n; i++) {
		const struct mt_dns_answer *a;

		snprintf(name, sizeof(name), "q%d.%s", i, zone);
		a = mt_res_get(r, MT_DNS_A, name);
		c += a != NULL && a->status == s;
	}
	return c;
}

/* test_unreachable - a dead port, a silent socket, and the budget. */
static void
test_unreachable(void)
{
	struct mt_res_stats st;
	struct mt_resolver *r;
	long long t0, ms;
	int port, fd;

	/* nothing listens: ICMP port unreachable, c-ares ECONNREFUSED */
	fd = udp_bound(&port);
	close(fd);
	r = resolver_at(port, 2000, 2, 16, 0);
	if (r) {
		T_INT("refused", "want", want_many(r, 500, "dead.test"), 0);
		t0 = now_ms();
		T_INT("refused", "run", mt_res_run(r), 0);
		ms = now_ms() - t0;
		mt_res_stats(r, &st);
		T_TRUE("refused", "fast", ms < 1000);
		T_TRUE("refused", "unavailable", mt_res_unavailable(r));
		T_TRUE("refused", "reason", mt_res_unavailable_reason(r) &&
		    strstr(mt_res_unavailable_reason(r), "refused") != NULL);
		T_INT("refused", "all unavailable", count_status(r, 500,
		    "dead.test", MT_DNS_UNAVAILABLE), 500);
		T_TRUE("refused", "stopped sending", st.sent <= 16);
		printf("unreachable (refused): 500 queries in %lld ms, %llu sent\n",
		    ms, (unsigned long long)st.sent);
		/* later wants are UNAVAILABLE without a packet */
		mt_res_want(r, MT_DNS_PTR, "192.0.2.1");
		mt_res_run(r);
		T_STR("refused later", "status", status_of(mt_res_get(r,
		    MT_DNS_PTR, "192.0.2.1")), "unavailable");
		mt_res_stats(r, &st);
		T_TRUE("refused later", "not sent", st.sent <= 16);
		mt_resolver_free(r);
	}

	/* a socket that reads nothing: every query times out */
	fd = udp_bound(&port);
	r = fd >= 0 ? resolver_at(port, 200, 2, 16, 0) : NULL;
	if (r) {
		want_many(r, 500, "drop.test");
		t0 = now_ms();
		T_INT("dropped", "run", mt_res_run(r), 0);
		ms = now_ms() - t0;
		mt_res_stats(r, &st);
		/* one round of tries (200 + 400 ms), not 500 x 600 ms */
		T_TRUE("dropped", "fast", ms < 3000);
		T_TRUE("dropped", "unavailable", mt_res_unavailable(r));
		T_TRUE("dropped", "reason", mt_res_unavailable_reason(r) &&
		    strstr(mt_res_unavailable_reason(r), "did not answer") !=
		    NULL);
		T_INT("dropped", "all answered", count_status(r, 500, "drop.test",
		    MT_DNS_UNAVAILABLE) + count_status(r, 500, "drop.test",
		    MT_DNS_TIMEOUT), 500);
		T_TRUE("dropped", "first ones timed out", count_status(r, 500,
		    "drop.test", MT_DNS_TIMEOUT) >= 8);
		T_TRUE("dropped", "stopped sending", st.sent <= 16);
		printf("unreachable (dropped): 500 queries in %lld ms, %llu sent\n",
		    ms, (unsigned long long)st.sent);
		mt_resolver_free(r);
	}

	/* budget: 300 ms for queries that would take 6 s each */
	r = fd >= 0 ? resolver_at(port, 2000, 2, 8, 300) : NULL;
	if (r) {
		want_many(r, 50, "budget.test");
		t0 = now_ms();
		T_INT("budget", "run", mt_res_run(r), 0);
		ms = now_ms() - t0;
		mt_res_stats(r, &st);
		T_TRUE("budget", "on time", ms >= 250 && ms < 1500);
		T_INT("budget", "all timeout", count_status(r, 50, "budget.test",
		    MT_DNS_TIMEOUT), 50);
		T_INT("budget", "sent", st.sent, 8);
		T_INT("budget", "over budget", st.over_budget, 50);
		T_TRUE("budget", "not unavailable", !mt_res_unavailable(r));
		/* the budget covers the resolver's life: a later run sends
		 * nothing */
		mt_res_want(r, MT_DNS_A, "late.budget.test");
		mt_res_run(r);
		T_STR("budget later", "status", status_of(mt_res_get(r, MT_DNS_A,
		    "late.budget.test")), "timeout");
		mt_res_stats(r, &st);
		T_INT("budget later", "sent", st.sent, 8);
		mt_resolver_free(r);
	}
	if (fd >= 0)
		close(fd);
}

/* A small UDP responder for replies unbound will not give. */
struct odd {
	int		fd;
	atomic_bool	stop;
};

/* odd_server - answer each query by its first label: "formerr" RCODE 1,
 * "notimp" RCODE 4, "garbage" claims an answer record it does not hold. */
static void *
odd_server(void *arg)
{
	struct odd *o = arg;
	unsigned char buf[512];

	while (!atomic_load(&o->stop)) {
		struct pollfd p = { o->fd, POLLIN, 0 };
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		ssize_t n;
		size_t len;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recvfrom(o->fd, buf, sizeof(buf) - 2, 0,
		    (struct sockaddr *)&ss, &sl);
		if (n < 13)
			continue;
		len = (size_t)n;
		buf[2] |= 0x80;		/* QR */
		buf[3] = 0x80;		/* RA, RCODE 0 */
		if (buf[12] == 7 && memcmp(buf + 13, "formerr", 7) == 0)
			buf[3] |= 1;
		else if (buf[12] == 6 && memcmp(buf + 13, "notimp", 6) == 0)
			buf[3] |= 4;
		else if (buf[12] == 7 && memcmp(buf + 13, "garbage", 7) == 0) {
			buf[7] = 1;	/* ANCOUNT 1, then half a record */
			buf[len++] = 0xc0;
			buf[len++] = 0x0c;
		}
		sendto(o->fd, buf, len, 0, (struct sockaddr *)&ss, sl);
	}
	return NULL;
}

/* test_odd_replies - FORMERR, NOTIMP and a truncated reply. */
static void
test_odd_replies(void)
{
	static const struct {
		enum mt_dns_type type;
		const char *name, *status;
	} cases[] = {
		{ MT_DNS_A, "formerr.odd.test", "formerr" },
		{ MT_DNS_A, "notimp.odd.test", "other" },
		{ MT_DNS_A, "garbage.odd.test", "other" },
		{ MT_DNS_MX, "garbage.odd.test", "other" },
		{ MT_DNS_TXT, "garbage.odd.test", "other" },
		{ MT_DNS_A, "fine.odd.test", "ok" },	/* NOERROR, no data */
	};
	struct odd o;
	pthread_t th;
	struct mt_resolver *r;
	int port;
	size_t i;

	o.fd = udp_bound(&port);
	atomic_init(&o.stop, false);
	if (o.fd < 0 || pthread_create(&th, NULL, odd_server, &o) != 0) {
		T_FAIL("odd server: %s", strerror(errno));
		return;
	}
	r = resolver_at(port, 1000, 1, 8, 0);
	for (i = 0; r && i < sizeof(cases) / sizeof(cases[0]); i++)
		mt_res_want(r, cases[i].type, cases[i].name);
	if (r)
		mt_res_run(r);
	for (i = 0; r && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mt_dns_answer *a = mt_res_get(r, cases[i].type,
		    cases[i].name);

		T_STR(cases[i].name, mt_dns_type_name(cases[i].type),
		    status_of(a), cases[i].status);
		T_INT(cases[i].name, "no answers", a ? a->nanswers : 1, 0);
	}
	mt_resolver_free(r);
	atomic_store(&o.stop, true);
	pthread_join(th, NULL);
	close(o.fd);
}

/* ------------------------------------------------------------------ */
/* Against the fixture server                                         */
/* ------------------------------------------------------------------ */

static const struct live {
	enum mt_dns_type type;
	const char	*name;
	enum mt_dns_status status;
	const char	*answers;	/* joined with '|' */
	long		 ttl;
} live[] = {
	/* the seed: PTR and A agree */
	{ MT_DNS_A, "mail.alpha.com.cn", MT_DNS_OK, "203.0.113.10", 300 },
	{ MT_DNS_PTR, "203.0.113.10", MT_DNS_OK, "mail.alpha.com.cn", 3600 },
	{ MT_DNS_PTR, "203.0.113.11", MT_DNS_OK, "tom-pc.alpha.com.cn", 3600 },
	/* the seed: 203.0.113.20 is linuxaid.com.cn, its HELO galangal.org
	 * lives elsewhere */
	{ MT_DNS_PTR, "203.0.113.20", MT_DNS_OK, "linuxaid.com.cn", 3600 },
	{ MT_DNS_A, "linuxaid.com.cn", MT_DNS_OK, "203.0.113.20", 300 },
	{ MT_DNS_A, "galangal.org", MT_DNS_OK, "192.0.2.99", 300 },
	{ MT_DNS_PTR, "192.0.2.99", MT_DNS_NXDOMAIN, "", 0 },
	{ MT_DNS_A, "mail.sina.com", MT_DNS_OK, "203.0.113.30", 300 },
	{ MT_DNS_MX, "sina.com", MT_DNS_OK, "10 mail.sina.com|20 mx2.sina.com",
	    600 },
	{ MT_DNS_A, "unwilling.intermedia.com", MT_DNS_OK, "203.0.113.40", 300 },
	{ MT_DNS_PTR, "203.0.113.40", MT_DNS_OK, "unwilling.intermedia.com",
	    3600 },
	/* several PTR names, sorted */
	{ MT_DNS_PTR, "192.0.2.25", MT_DNS_OK,
	    "multi-a.example|multi-b.example|multi-c.example", 3600 },
	/* PTR to a name with no address: NODATA is OK with no answers */
	{ MT_DNS_PTR, "192.0.2.26", MT_DNS_OK, "noaddr.example", 3600 },
	{ MT_DNS_A, "noaddr.example", MT_DNS_OK, "", 0 },
	{ MT_DNS_AAAA, "noaddr.example", MT_DNS_OK, "", 0 },
	{ MT_DNS_TXT, "noaddr.example", MT_DNS_OK, "this name has no address",
	    300 },
	/* IPv6 */
	{ MT_DNS_PTR, "2001:db8::25", MT_DNS_OK, "v6host.example", 3600 },
	{ MT_DNS_AAAA, "v6host.example", MT_DNS_OK, "2001:db8::25", 300 },
	{ MT_DNS_A, "v6host.example", MT_DNS_OK, "", 0 },
	/* DNSBL-like zone */
	{ MT_DNS_A, "2.2.0.192.bl.test", MT_DNS_OK, "127.0.0.2", 300 },
	{ MT_DNS_TXT, "2.2.0.192.bl.test", MT_DNS_OK,
	    "Listed: 192.0.2.2 sent spam, see <http://bl.test/q?192.0.2.2&v=1>",
	    300 },
	{ MT_DNS_A, "3.2.0.192.bl.test", MT_DNS_NXDOMAIN, "", 0 },
	{ MT_DNS_A, V6BL ".bl.test", MT_DNS_OK, "127.0.0.3", 300 },
	/* TXT: strings of one record joined, records sorted */
	{ MT_DNS_TXT, "chunks.example", MT_DNS_OK, "second record|v=spf1 -all",
	    300 },
	/* failures */
	{ MT_DNS_A, "ghost.example", MT_DNS_NXDOMAIN, "", 0 },
	{ MT_DNS_PTR, "192.0.2.200", MT_DNS_NXDOMAIN, "", 0 },
	{ MT_DNS_A, "refused.test", MT_DNS_REFUSED, "", 0 },
	{ MT_DNS_PTR, "192.0.2.67", MT_DNS_REFUSED, "", 0 },
	{ MT_DNS_A, "www.example.com", MT_DNS_REFUSED, "", 0 },
	{ MT_DNS_A, "x.servfail.test", MT_DNS_SERVFAIL, "", 0 },
	{ MT_DNS_PTR, "192.0.2.66", MT_DNS_SERVFAIL, "", 0 },
	{ MT_DNS_A, "drop.test", MT_DNS_TIMEOUT, "", 0 },
	{ MT_DNS_PTR, "192.0.2.68", MT_DNS_TIMEOUT, "", 0 },
	/* long names */
	{ MT_DNS_A, A63 ".long.test", MT_DNS_OK, "192.0.2.63", 300 },
	{ MT_DNS_A, LONG253, MT_DNS_OK, "192.0.2.64", 300 },
	{ MT_DNS_PTR, "192.0.2.64", MT_DNS_OK, LONG253, 3600 },
	/* the same entries asked another way */
	{ MT_DNS_A, "MAIL.Alpha.COM.cn.", MT_DNS_OK, "203.0.113.10", 300 },
	{ MT_DNS_PTR, "::ffff:203.0.113.20", MT_DNS_OK, "linuxaid.com.cn", 3600 },
};
#define NLIVE (sizeof(live) / sizeof(live[0]))

/* check_live - the fixture's answers in r (live or replayed). */
static void
check_live(struct mt_resolver *r, const char *phase)
{
	const struct mt_dns_answer *a;
	char what[64];
	size_t i;

	for (i = 0; i < NLIVE; i++) {
		a = mt_res_get(r, live[i].type, live[i].name);
		snprintf(what, sizeof(what), "%s %s", phase,
		    mt_dns_type_name(live[i].type));
		T_STR(live[i].name, what, status_of(a),
		    mt_dns_status_name(live[i].status));
		T_STR(live[i].name, what, joined(a), live[i].answers);
		T_INT(live[i].name, what, a ? (long)a->ttl : -1, live[i].ttl);
	}
	/* hostile PTR bytes, kept exact */
	a = mt_res_get(r, MT_DNS_PTR, "192.0.2.50");
	T_STR("192.0.2.50", phase, status_of(a), "ok");
	T_INT("192.0.2.50", phase, a ? a->nanswers : 0, 2);
	if (a && a->nanswers == 2) {
		T_INT("192.0.2.50 evil", "len", a->lens[0], sizeof(EVIL) - 1);
		T_TRUE("192.0.2.50 evil", "bytes",
		    memcmp(a->answers[0], EVIL, sizeof(EVIL)) == 0);
		T_INT("192.0.2.50 evil", "no NUL inside",
		    strlen(a->answers[0]), a->lens[0]);
		T_STR("192.0.2.50", "plain", a->answers[1], "plain.example");
		T_INT("192.0.2.50", "ttl", a->ttl, 3600);
	}
	a = mt_res_get(r, MT_DNS_TXT, "bin.example");
	T_INT("bin.example", phase, a ? a->nanswers : 0, 1);
	if (a && a->nanswers == 1) {
		T_INT("bin.example", "len", a->lens[0], sizeof(BIN) - 1);
		T_TRUE("bin.example", "bytes",
		    memcmp(a->answers[0], BIN, sizeof(BIN)) == 0);
	}
	a = mt_res_get(r, MT_DNS_PTR, "192.0.2.1");
	T_TRUE("qname", phase, a == NULL || strcmp(a->qname,
	    "1.2.0.192.in-addr.arpa") == 0);
}

/* want_live - want the fixture names in r. */
static void
want_live(struct mt_resolver *r)
{
	size_t i;

	for (i = 0; i < NLIVE; i++)
		T_INT(live[i].name, "want", mt_res_want(r, live[i].type,
		    live[i].name), 0);
	mt_res_want(r, MT_DNS_PTR, "192.0.2.50");
	mt_res_want(r, MT_DNS_TXT, "bin.example");
}

/* has - does answer a list text. */
static bool
has(const struct mt_dns_answer *a, const char *text)
{
	size_t i;

	for (i = 0; a && i < a->nanswers; i++)
		if (strcmp(a->answers[i], text) == 0)
			return true;
	return false;
}

/* fcrdns - some PTR name of ip resolves back to ip (A or AAAA). */
static bool
fcrdns(struct mt_resolver *r, const char *ip)
{
	const struct mt_dns_answer *p = mt_res_get(r, MT_DNS_PTR, ip);
	size_t i;

	for (i = 0; p && i < p->nanswers; i++)
		if (has(mt_res_get(r, MT_DNS_A, p->answers[i]), ip) ||
		    has(mt_res_get(r, MT_DNS_AAAA, p->answers[i]), ip))
			return true;
	return false;
}

/* count_log - lines of the proxy log equal to line. */
static int
count_log(const char *path, const char *line)
{
	size_t len, n = strlen(line);
	char *t = t_slurp(path, &len), *p;
	int c = 0;

	for (p = t; p && (p = strstr(p, line)) != NULL; p += n)
		if ((p == t || p[-1] == '\n') && p[n] == '\n')
			c++;
	free(t);
	return c;
}

/* test_sharing - one query per (type, name) however often it is asked. */
static void
test_sharing(const char *server)
{
	const char *proxy = getenv("MT_DNS_PROXY_SERVER");
	const char *plog = getenv("MT_DNS_PROXY_LOG");
	const char *servers[1] = { proxy ? proxy : server };
	struct mt_resolver_opts o = { 0 };
	struct mt_res_stats st;
	struct mt_resolver *r;
	char err[256];
	int round;

	o.servers = servers;
	o.nservers = 1;
	if ((r = mt_resolver_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("sharing: %s", err);
		return;
	}
	/* two "messages" asking the same things, two runs */
	for (round = 0; round < 2; round++) {
		mt_res_want(r, MT_DNS_A, "mail.sina.com");
		mt_res_want(r, MT_DNS_A, "MAIL.SINA.COM.");
		mt_res_want(r, MT_DNS_PTR, "203.0.113.30");
		mt_res_want(r, MT_DNS_PTR, "::ffff:203.0.113.30");
		T_INT("sharing", "run", mt_res_run(r), 0);
	}
	mt_res_stats(r, &st);
	T_INT("sharing", "sent", st.sent, 2);
	T_INT("sharing", "hits", st.hits, 6);
	T_STR("sharing", "A", joined(mt_res_get(r, MT_DNS_A, "mail.sina.com")),
	    "203.0.113.30");
	T_STR("sharing", "PTR", joined(mt_res_get(r, MT_DNS_PTR,
	    "203.0.113.30")), "mail.sina.com");
	if (proxy && plog) {
		/* counted where the server sees them */
		T_INT("sharing on the wire", "A", count_log(plog,
		    "mail.sina.com A"), 1);
		T_INT("sharing on the wire", "PTR", count_log(plog,
		    "30.113.0.203.in-addr.arpa PTR"), 1);
	} else {
		printf("sharing: no MT_DNS_PROXY_SERVER: counted by the library "
		    "only\n");
	}
	mt_resolver_free(r);
}

/* A second thread reading the cache while the batch runs. */
struct reader {
	struct mt_resolver	*r;
	atomic_bool		 stop;
	int			 last_seen;	/* answers seen on the last pass */
	int			 passes;
};

/* batch_ip - the i-th address of the batch into buf. */
static void
batch_ip(int i, char *buf, size_t len)
{
	if (i < 256)
		snprintf(buf, len, "198.51.100.%d", i);
	else
		snprintf(buf, len, "2001:db8:1::%x", i - 256);
}

/* reader - mt_res_get every batch address (and mt_res_want one more name)
 * until told to stop, then once more. */
static void *
reader(void *arg)
{
	struct reader *rd = arg;
	char ip[64];
	bool last = false;
	int i, seen;

	mt_res_want(rd->r, MT_DNS_A, "ready.test");
	while (!last) {
		last = atomic_load(&rd->stop);
		for (i = 0, seen = 0; i < 2000; i++) {
			const struct mt_dns_answer *a;

			batch_ip(i, ip, sizeof(ip));
			a = mt_res_get(rd->r, MT_DNS_PTR, ip);
			seen += a != NULL && a->nanswers == 1 &&
			    a->answers[0][0] == 'b';
		}
		rd->last_seen = seen;
		rd->passes++;
	}
	return NULL;
}

/* test_batch - 2,000 PTR lookups in one run, none lost, with a second
 * thread reading the cache meanwhile. */
static void
test_batch(const char *server)
{
	const char *servers[1] = { server };
	struct mt_resolver_opts o = { 0 };
	struct mt_res_stats st;
	struct mt_resolver *r;
	char err[256], ip[64], want[64];
	long long t0, ms;
	int i, ok = 0, right = 0;
	struct reader rd;
	pthread_t th;
	bool have_reader;

	o.servers = servers;
	o.nservers = 1;
	o.concurrency = 128;
	if ((r = mt_resolver_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("batch: %s", err);
		return;
	}
	for (i = 0; i < 2000; i++) {
		batch_ip(i, ip, sizeof(ip));
		mt_res_want(r, MT_DNS_PTR, ip);
	}
	rd.r = r;
	atomic_init(&rd.stop, false);
	rd.last_seen = rd.passes = 0;
	have_reader = pthread_create(&th, NULL, reader, &rd) == 0;
	t0 = now_ms();
	T_INT("batch", "run", mt_res_run(r), 0);
	ms = now_ms() - t0;
	if (have_reader) {
		atomic_store(&rd.stop, true);
		pthread_join(th, NULL);
		T_INT("batch reader", "saw all", rd.last_seen, 2000);
		/* its want may have come after the run: run again */
		mt_res_run(r);
		T_STR("batch reader", "want from a thread", joined(mt_res_get(r,
		    MT_DNS_A, "ready.test")), "192.0.2.1");
	}
	for (i = 0; i < 2000; i++) {
		const struct mt_dns_answer *a;

		batch_ip(i, ip, sizeof(ip));
		if (i < 256)
			snprintf(want, sizeof(want), "b4-%d.batch.test", i);
		else
			snprintf(want, sizeof(want), "b6-%d.batch.test", i - 256);
		a = mt_res_get(r, MT_DNS_PTR, ip);
		ok += a != NULL && a->status == MT_DNS_OK;
		right += a != NULL && a->nanswers == 1 &&
		    strcmp(a->answers[0], want) == 0;
	}
	mt_res_stats(r, &st);
	T_INT("batch", "ok", ok, 2000);
	T_INT("batch", "right names", right, 2000);
	T_TRUE("batch", "sent", st.sent == 2000 || st.sent == 2001);
	T_INT("batch", "timeouts", st.timeouts, 0);
	printf("batch: 2000 PTR queries, concurrency 128, in %lld ms\n", ms);
	mt_resolver_free(r);
}

/* test_live - the fixture: every status, FCrDNS, save and replay, budget. */
static void
test_live(const char *server)
{
	const char *servers[1] = { server };
	const char *out = getenv("MT_DNS_CACHE_OUT");
	struct mt_resolver_opts o = { 0 };
	struct mt_res_stats st;
	struct mt_resolver *r, *p;
	char err[256], path[512], path2[512], dead[64];
	const char *dead_servers[1] = { dead };
	int fd, port;
	size_t i;

	o.servers = servers;
	o.nservers = 1;
	o.timeout_ms = 300;
	o.tries = 1;
	if ((r = mt_resolver_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("live: %s", err);
		return;
	}
	want_live(r);
	T_INT("live", "run", mt_res_run(r), 0);
	check_live(r, "live");
	T_TRUE("live", "available", !mt_res_unavailable(r));
	{
		const struct mt_dns_answer *a = mt_res_get(r, MT_DNS_A,
		    "drop.test");

		T_TRUE("drop.test", "waited the timeout", a && a->ms >= 250);
	}

	/* second run: the A records of every PTR name, then FCrDNS */
	for (i = 0; i < NLIVE; i++) {
		const struct mt_dns_answer *a;
		size_t j;

		if (live[i].type != MT_DNS_PTR)
			continue;
		a = mt_res_get(r, MT_DNS_PTR, live[i].name);
		for (j = 0; a && j < a->nanswers; j++) {
			mt_res_want(r, MT_DNS_A, a->answers[j]);
			mt_res_want(r, MT_DNS_AAAA, a->answers[j]);
		}
	}
	T_INT("live 2", "run", mt_res_run(r), 0);
	T_TRUE("fcrdns", "mail.alpha.com.cn", fcrdns(r, "203.0.113.10"));
	T_TRUE("fcrdns", "linuxaid.com.cn", fcrdns(r, "203.0.113.20"));
	T_TRUE("fcrdns", "multi", fcrdns(r, "192.0.2.25"));
	T_TRUE("fcrdns", "ipv6", fcrdns(r, "2001:db8::25"));
	T_TRUE("fcrdns", "long name", fcrdns(r, "192.0.2.64"));
	T_TRUE("fcrdns", "no address", !fcrdns(r, "192.0.2.26"));
	T_TRUE("helo mismatch", "galangal.org", !has(mt_res_get(r, MT_DNS_A,
	    "galangal.org"), "203.0.113.20"));

	/* save, then replay with nothing to talk to */
	if (out)
		snprintf(path, sizeof(path), "%s", out);
	else
		snprintf(path, sizeof(path), "%s/live.cache", tmpdir);
	T_INT("save", err, mt_res_save(r, path, err, sizeof(err)), 0);
	fd = udp_bound(&port);
	close(fd);
	snprintf(dead, sizeof(dead), "127.0.0.1:%d", port);
	o.servers = dead_servers;
	o.cache_file = path;
	o.replay = true;
	if ((p = mt_resolver_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("replay: %s", err);
	} else {
		want_live(p);
		T_INT("replay", "run", mt_res_run(p), 0);
		check_live(p, "replay");
		for (i = 0; i < NLIVE; i++) {
			const struct mt_dns_answer *a = mt_res_get(r,
			    live[i].type, live[i].name);
			const struct mt_dns_answer *b = mt_res_get(p,
			    live[i].type, live[i].name);
			size_t j;
			bool same = a && b && a->status == b->status &&
			    a->ttl == b->ttl && a->ms == b->ms &&
			    a->nanswers == b->nanswers &&
			    strcmp(a->qname, b->qname) == 0;

			for (j = 0; same && j < a->nanswers; j++)
				same = a->lens[j] == b->lens[j] &&
				    memcmp(a->answers[j], b->answers[j],
				    a->lens[j]) == 0;
			T_TRUE(live[i].name, "replayed identically", same);
		}
		mt_res_stats(p, &st);
		T_INT("replay", "sent", st.sent, 0);
		snprintf(path2, sizeof(path2), "%s/replay.cache", tmpdir);
		mt_res_save(p, path2, err, sizeof(err));
		{
			size_t l1 = 0, l2 = 0;
			char *t1 = t_slurp(path, &l1), *t2 = t_slurp(path2, &l2);

			T_TRUE("replay", "saves the same file", t1 && t2 &&
			    l1 == l2 && memcmp(t1, t2, l1) == 0);
			free(t1);
			free(t2);
		}
		mt_resolver_free(p);
	}

	/* update mode: the file answers what it knows; its timeouts are
	 * asked again (here of a server that is gone) */
	o.replay = false;
	if ((p = mt_resolver_new(&o, err, sizeof(err))) != NULL) {
		mt_res_want(p, MT_DNS_A, "mail.alpha.com.cn");
		mt_res_want(p, MT_DNS_A, "drop.test");
		mt_res_run(p);
		mt_res_stats(p, &st);
		T_INT("update", "sent", st.sent, 1);
		T_STR("update", "cached", joined(mt_res_get(p, MT_DNS_A,
		    "mail.alpha.com.cn")), "203.0.113.10");
		T_STR("update", "asked again", status_of(mt_res_get(p,
		    MT_DNS_A, "drop.test")), "unavailable");
		mt_resolver_free(p);
	}
	mt_resolver_free(r);

	/* budget against the server: answers keep coming, drops stop */
	o.cache_file = NULL;
	o.servers = servers;
	o.timeout_ms = 2000;
	o.tries = 2;
	o.concurrency = 4;
	o.budget_ms = 400;
	if ((r = mt_resolver_new(&o, err, sizeof(err))) != NULL) {
		long long t0 = now_ms(), ms;

		mt_res_want(r, MT_DNS_A, "ready.test");
		want_many(r, 12, "drop.test");
		mt_res_run(r);
		ms = now_ms() - t0;
		mt_res_stats(r, &st);
		T_STR("live budget", "answered", joined(mt_res_get(r, MT_DNS_A,
		    "ready.test")), "192.0.2.1");
		T_INT("live budget", "timeouts", count_status(r, 12, "drop.test",
		    MT_DNS_TIMEOUT), 12);
		T_TRUE("live budget", "on time", ms < 1500);
		T_TRUE("live budget", "unsent", st.sent <= 5);
		mt_resolver_free(r);
	}
}

int
main(void)
{
	const char *server = getenv("MT_DNS_SERVER");
	const char *replay = getenv("MT_DNS_REPLAY");

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_names();
	test_options();
	test_cache_file();
	test_unreachable();
	test_odd_replies();
	if (server != NULL && *server != '\0') {
		test_live(server);
		test_sharing(server);
		test_batch(server);
	} else if (replay == NULL) {
		printf("test_resolve: live DNS cases skipped (MT_DNS_SERVER "
		    "unset; tests/dns/resolve.test runs them)\n");
	}
	if (replay != NULL && *replay != '\0') {
		struct mt_resolver_opts o = { 0 };
		struct mt_res_stats st;
		struct mt_resolver *r;
		char err[256];

		o.cache_file = replay;
		o.replay = true;
		if ((r = mt_resolver_new(&o, err, sizeof(err))) == NULL) {
			T_FAIL("replay %s: %s", replay, err);
		} else {
			want_live(r);
			mt_res_run(r);
			check_live(r, "replay file");
			mt_res_stats(r, &st);
			T_INT("replay file", "sent", st.sent, 0);
			mt_resolver_free(r);
		}
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return t_done("test_resolve");
}
