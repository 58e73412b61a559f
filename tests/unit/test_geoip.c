/*
 * test_geoip.c - GeoIP/ASN enrichment against real MaxMind test databases
 * (../shared/mmdb, skipped when absent) and the text fixtures of
 * tests/geoip built by tools/mmdb-build (directory in MT_GEOIP_FIXTURE_DIR,
 * skipped when unset; tests/geoip/geoip.test sets it).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "geoip.h"
#include "mt.h"
#include "t.h"

#ifndef MT_SOURCE_DIR
#define MT_SOURCE_DIR "."
#endif

/* One lookup and what it should give; found false means "nothing". */
struct want {
	const char	*ip;
	bool		 found;
	const char	*country;
	const char	*city;
	long		 asn;
	const char	*org;
};

#define NONE(ip) { (ip), false, NULL, NULL, -1, NULL }

/* check - run a table of lookups against g. */
static void
check(const char *set, struct mt_geoip *g, const struct want *w, size_t n)
{
	struct mt_arena a;
	struct mt_geo_info gi;
	struct mt_ip ip;
	char ctx[128];
	size_t i;
	bool ok;

	mt_arena_init(&a);
	for (i = 0; i < n; i++) {
		snprintf(ctx, sizeof(ctx), "%s %s", set, w[i].ip);
		if (!mt_ip_parse(mt_str(w[i].ip, strlen(w[i].ip)), &ip)) {
			T_FAIL("%s: test address does not parse", ctx);
			continue;
		}
		ok = mt_geoip_lookup(g, &ip, &a, &gi);
		T_INT(ctx, "found", ok, w[i].found);
		T_STR(ctx, "country", gi.country.p, w[i].country);
		T_STR(ctx, "city", gi.city.p, w[i].city);
		T_INT(ctx, "asn", gi.asn, w[i].asn);
		T_STR(ctx, "as_org", gi.as_org.p, w[i].org);
	}
	mt_arena_free(&a);
}

/* open_in - open the named files of dir, in order; NULL (and a failure)
 * when that does not work. */
static struct mt_geoip *
open_in(const char *dir, const char *const *names, size_t n)
{
	char paths[8][1024], err[1024];
	const char *pv[8];
	struct mt_geoip *g;
	size_t i;

	for (i = 0; i < n && i < 8; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
		pv[i] = paths[i];
	}
	g = mt_geoip_open(pv, n, err, sizeof(err));
	if (g == NULL)
		T_FAIL("open %s/%s...: %s", dir, names[0], err);
	else
		T_STR(names[0], "open notes", err, "");
	return g;
}

/* ------------------------------------------------------------------ */
/* (a) MaxMind's own test databases (table in ../shared/mmdb/README.md) */
/* ------------------------------------------------------------------ */

static const struct want shared_all[] = {
	{ "89.160.20.112", true, "SE", "Linköping", 29518, "Bredband2 AB" },
	{ "81.2.69.160", true, "GB", "London", -1, NULL },
	{ "2001:218::1", true, "JP", NULL, -1, NULL },
	{ "1.0.0.1", true, NULL, NULL, 15169, "Google Inc." },
	{ "216.160.83.56", true, "US", "Milton", 209, NULL },
	{ "214.78.120.1", true, "US", "San Diego", 721,
	    "DoD Network Information Center" },
	{ "149.101.100.1", true, "US", NULL, 6167, "CELLCO-PART" },
	{ "67.43.156.1", true, "BT", NULL, 35908, NULL },
	{ "175.16.199.1", true, "CN", "Changchun", -1, NULL },
	/* located in PH, represents US: the physical country wins */
	{ "202.196.224.1", true, "PH", NULL, -1, NULL },
	/* anycast only in City/Country, ASN known */
	{ "214.1.1.1", true, NULL, NULL, 721,
	    "DoD Network Information Center" },
	{ "214.0.0.1", true, "SG", "Singapore", 721,
	    "DoD Network Information Center" },
	{ "2001:480:10::1", true, "US", "San Diego", -1, NULL },
	{ "2600:7000::1", true, NULL, NULL, 6939, "Hurricane Electric, Inc." },
	{ "::ffff:89.160.20.112", true, "SE", "Linköping", 29518,
	    "Bredband2 AB" },
	NONE("8.8.8.8"),
	NONE("192.0.2.1"),
	NONE("2001:db8::1"),
};

static const struct want shared_country[] = {
	{ "89.160.20.112", true, "SE", NULL, -1, NULL },
	{ "2001:218::1", true, "JP", NULL, -1, NULL },
	NONE("1.0.0.1"),
};

/* test_shared - the MaxMind test databases, when present. */
static void
test_shared(void)
{
	static const char *const all[] = { "GeoIP2-City-Test.mmdb",
	    "GeoIP2-Country-Test.mmdb", "GeoLite2-ASN-Test.mmdb" };
	static const char *const country[] = { "GeoIP2-Country-Test.mmdb" };
	const char *dir = getenv("MT_GEOIP_SHARED_DIR");
	char probe[1024];
	struct mt_geoip *g;

	if (dir == NULL)
		dir = MT_SOURCE_DIR "/../shared/mmdb";
	snprintf(probe, sizeof(probe), "%s/%s", dir, all[0]);
	if (access(probe, R_OK) != 0) {
		printf("test_geoip: shared databases: skipped (%s absent)\n",
		    dir);
		return;
	}
	g = open_in(dir, all, 3);
	if (g != NULL) {
		T_INT("shared", "count", mt_geoip_count(g), 3);
		T_INT("shared", "kind 0", mt_geoip_kind(g, 0), MT_GEOIP_CITY);
		T_INT("shared", "kind 1", mt_geoip_kind(g, 1),
		    MT_GEOIP_COUNTRY);
		T_INT("shared", "kind 2", mt_geoip_kind(g, 2), MT_GEOIP_ASN);
		T_STR("shared", "type 2", mt_geoip_type(g, 2), "GeoLite2-ASN");
		check("shared", g, shared_all,
		    sizeof(shared_all) / sizeof(shared_all[0]));
	}
	mt_geoip_close(g);
	g = open_in(dir, country, 1);
	if (g != NULL)
		check("shared-country", g, shared_country,
		    sizeof(shared_country) / sizeof(shared_country[0]));
	mt_geoip_close(g);
}

/* ------------------------------------------------------------------ */
/* (b) fixtures built from the tests/geoip text files                */
/* ------------------------------------------------------------------ */

/* All four, City first: the textbook scenario and the merge rules. */
static const struct want fx_all[] = {
	/* mail.alpha.com.cn */
	{ "192.0.2.5", true, "CN", "Beijing", 64496, "Alpha Science Network" },
	/* a more specific network wins */
	{ "192.0.2.70", true, "CN", "Shanghai", 64496,
	    "Alpha Science Network" },
	/* not in City: country from the flat country file, city from the
	 * flat city file (they agree), an AS number without organization */
	{ "192.0.2.200", true, "CN", "Beijing", 64497, NULL },
	/* mail.sina.com: quotes survive */
	{ "198.51.100.10", true, "CN", "Beijing", 64498,
	    "Sina Mail \"Beijing\" Co." },
	/* linuxaid.com.cn: a 32-bit AS number */
	{ "198.51.100.130", true, "CN", "Shenyang", 65536, "Linuxaid Hosting" },
	/* City knows only the registration (JP); the flat file locates it:
	 * the located country wins over an earlier registered one */
	{ "198.51.100.200", true, "KR", NULL, -1, NULL },
	/* unwilling.intermedia.com */
	{ "203.0.113.10", true, "US", "Palo Alto", 65551,
	    "Intermedia Relay, Inc." },
	/* City first: SE wins over the flat file's US */
	{ "203.0.113.130", true, "SE", "Linköping", 64511, "Östgöta Nät AB" },
	{ "203.0.113.200", true, "PH", NULL, -1, NULL },
	/* anycast: the flat file gives the country */
	{ "203.0.113.245", true, "AU", NULL, 64500, "Anycast Example" },
	{ "2001:db8:a::1", true, "CN", "Beijing", 64496,
	    "Alpha Science Network" },
	{ "2001:db8:5::1", true, "CN", NULL, 64498,
	    "Sina Mail \"Beijing\" Co." },
	/* no English city name */
	{ "2001:db8:e::1", true, "DE", NULL, -1, NULL },
	/* covering network */
	{ "2001:db8:ffff::1", true, "JP", NULL, -1, NULL },
	/* City says JP, the flat city file SE/Linköping: the city of
	 * another country is not mixed in.  The ASN file says 64509 with
	 * no organization; the flat file's 64510 "Flat AS" is not mixed
	 * in either */
	{ "2001:db8:c::1", true, "JP", NULL, 64509, NULL },
	/* an AS number above 2^31 */
	{ "2001:db8:f::1", true, "JP", NULL, 4200000000L, "Private Use AS" },
	{ "::ffff:192.0.2.5", true, "CN", "Beijing", 64496,
	    "Alpha Science Network" },
	NONE("2001:db9::1"),
	NONE("10.0.0.1"),
	NONE("8.8.8.8"),
	NONE("::"),
};

/* City alone: the fallbacks of the country. */
static const struct want fx_city[] = {
	{ "198.51.100.200", true, "JP", NULL, -1, NULL },	/* registered */
	{ "203.0.113.230", true, "US", NULL, -1, NULL },	/* represented */
	{ "203.0.113.200", true, "PH", NULL, -1, NULL },	/* located */
	{ "203.0.113.130", true, "SE", "Linköping", -1, NULL },
	NONE("203.0.113.245"),		/* anycast flag only: nothing known */
	NONE("192.0.2.200"),
};

/* Flat country file first: its US beats City's SE, and City's city of SE
 * is not attached to US. */
static const struct want fx_flat_first[] = {
	{ "203.0.113.130", true, "US", NULL, -1, NULL },
	{ "192.0.2.5", true, "CN", "Beijing", -1, NULL },
	/* IPv6 in the IPv4-only flat file: City answers alone */
	{ "2001:db8:a::1", true, "CN", "Beijing", -1, NULL },
};

static const struct want fx_flat_v4[] = {
	{ "192.0.2.1", true, "CN", NULL, -1, NULL },
	{ "203.0.113.241", true, "AU", NULL, -1, NULL },
	NONE("2001:db8::1"),		/* IPv6 in an IPv4 tree */
	NONE("100.64.0.1"),
};

static const struct want fx_flat_city[] = {
	{ "2001:db8:c::1", true, "SE", "Linköping", 64510, "Flat AS" },
	{ "192.0.2.129", true, "CN", "Beijing", -1, NULL },
	NONE("192.0.2.1"),
};

/* The ASN file built with --ipv4-aliases answers the same. */
static const struct want fx_aliases[] = {
	{ "192.0.2.5", true, NULL, NULL, 64496, "Alpha Science Network" },
	{ "2001:db8:f::1", true, NULL, NULL, 4200000000L, "Private Use AS" },
	NONE("203.0.113.200"),
};

/* The lenient readers: nested records under a non-vendor name, AS
 * numbers of every integer type and as text, codes that are not codes. */
static const struct want fx_compat[] = {
	{ "192.0.2.1", true, "NO", "Oslo", 64501, "Compat Net" },
	{ "192.0.2.65", true, "NO", NULL, 64502, NULL },
	/* ZZ and N0 are no countries; the city stands alone */
	{ "192.0.2.129", true, NULL, "Nowhere", 64503, NULL },
	{ "192.0.2.193", true, NULL, NULL, 64504, NULL },
	{ "198.51.100.1", true, "FI", NULL, -1, NULL },
	{ "198.51.100.129", true, "FI", NULL, -1, NULL },
	/* the number is unreadable, the organization is still its own */
	{ "203.0.113.1", true, NULL, NULL, -1, "Big" },
	{ "203.0.113.129", true, NULL, NULL, -1, "Text" },
};

static const struct want fx_vendor_flat[] = {
	{ "198.51.100.7", true, "IS", "Reykjavík", -1, NULL },
	NONE("2001:db8::1"),
};

static const struct want fx_enterprise[] = {
	{ "2001:db8:1::1", true, "NL", "Amsterdam", 64505, "Enterprise AS" },
	NONE("2001:db8:2::1"),
};

/* test_kinds - kinds of the odd fixtures, and a type that is skipped. */
static void
test_kinds(const char *fx)
{
	static const char *const odd[] = { "compat.mmdb", "vendor-flat.mmdb",
	    "enterprise.mmdb" };
	char paths[2][1024], err[1024];
	const char *pv[2];
	struct mt_geoip *g;

	g = open_in(fx, odd, 3);
	if (g != NULL) {
		T_INT("kinds", "compat", mt_geoip_kind(g, 0), MT_GEOIP_FLAT);
		T_INT("kinds", "vendor-flat", mt_geoip_kind(g, 1),
		    MT_GEOIP_COUNTRY);
		T_INT("kinds", "enterprise", mt_geoip_kind(g, 2),
		    MT_GEOIP_CITY);
	}
	mt_geoip_close(g);

	snprintf(paths[0], sizeof(paths[0]), "%s/anonymous.mmdb", fx);
	snprintf(paths[1], sizeof(paths[1]), "%s/asn.mmdb", fx);
	pv[0] = paths[0];
	pv[1] = paths[1];
	g = mt_geoip_open(pv, 2, err, sizeof(err));
	T_TRUE("anonymous", "opened", g != NULL);
	T_INT("anonymous", "count", mt_geoip_count(g), 1);
	T_INT("anonymous", "kept", mt_geoip_kind(g, 0), MT_GEOIP_ASN);
	T_TRUE("anonymous", "noted", strstr(err, "/anonymous.mmdb: database "
	    "type GeoIP2-Anonymous-IP has no location or AS data (skipped)") !=
	    NULL);
	mt_geoip_close(g);
	T_INT("kind name", "city", strcmp(mt_geoip_kind_name(MT_GEOIP_CITY),
	    "city"), 0);
	T_INT("kind name", "other", strcmp(mt_geoip_kind_name(MT_GEOIP_OTHER),
	    "other"), 0);
}

/* test_discovery - a directory with well-known names, a foreign file, a
 * broken one and a non-database name. */
static void
test_discovery(const char *fx)
{
	static const struct {
		const char *link, *target;
	} files[] = {
		{ "GeoLite2-ASN.mmdb", "asn.mmdb" },
		{ "GeoLite2-City.mmdb", "city.mmdb" },
		{ "geo-whois-asn-country-ipv4.mmdb", "flat-country-ipv4.mmdb" },
		{ "README.txt", "city.mmdb" },
	};
	char dir[] = "/tmp/mt-geoip-XXXXXX", path[1024], target[1024];
	char err[2048], other[512];
	const char *dirs[2];
	struct mt_geoip *g;
	struct mt_arena a;
	struct mt_geo_info gi;
	struct mt_ip ip;
	size_t i;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		T_FAIL("mkdtemp failed");
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].link);
		snprintf(target, sizeof(target), "%s/%s", fx, files[i].target);
		if (symlink(target, path) != 0)
			T_FAIL("symlink %s", path);
	}
	snprintf(path, sizeof(path), "%s/broken.mmdb", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("not a database\n", f);
		fclose(f);
	}
	/* a second directory holding the same name again: not opened twice */
	snprintf(other, sizeof(other), "%s/again", dir);
	if (mkdir(other, 0700) == 0) {
		snprintf(path, sizeof(path), "%s/GeoLite2-City.mmdb", other);
		snprintf(target, sizeof(target), "%s/city.mmdb", fx);
		if (symlink(target, path) != 0)
			T_FAIL("symlink %s", path);
	}
	dirs[0] = dir;
	dirs[1] = other;
	g = mt_geoip_open_dirs(dirs, 2, err, sizeof(err));
	T_TRUE("discovery", "opened", g != NULL);
	T_INT("discovery", "count", mt_geoip_count(g), 3);
	T_INT("discovery", "kind 0 (City first)", mt_geoip_kind(g, 0),
	    MT_GEOIP_CITY);
	T_INT("discovery", "kind 1", mt_geoip_kind(g, 1), MT_GEOIP_ASN);
	T_INT("discovery", "kind 2", mt_geoip_kind(g, 2), MT_GEOIP_FLAT);
	T_STR("discovery", "kind name", mt_geoip_kind_name(mt_geoip_kind(g,
	    2)), "flat");
	T_TRUE("discovery", "broken file noted",
	    strstr(err, "/broken.mmdb: ") != NULL &&
	    strstr(err, "(skipped)") != NULL);
	mt_arena_init(&a);
	mt_ip_parse(MT_STR_LIT("198.51.100.130"), &ip);
	T_TRUE("discovery", "lookup", mt_geoip_lookup(g, &ip, &a, &gi));
	T_STR("discovery", "city", gi.city.p, "Shenyang");
	T_INT("discovery", "asn", gi.asn, 65536);
	mt_arena_free(&a);
	mt_geoip_close(g);

	/* clean up what was made */
	unlink(path);
	rmdir(other);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].link);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/broken.mmdb", dir);
	unlink(path);
	rmdir(dir);
}

/* One thread's share of test_threads. */
struct worker {
	pthread_t		 tid;
	struct mt_geoip		*g;
	const struct want	*w;
	size_t			 n;
	int			 bad;
};

/* work - repeat a table of lookups with an own arena; count mismatches
 * (T_ macros are not thread-safe, so the main thread reports). */
static void *
work(void *arg)
{
	struct worker *k = arg;
	struct mt_geo_info gi;
	struct mt_arena a;
	struct mt_ip ip;
	size_t i, round;
	bool ok;

	mt_arena_init(&a);
	for (round = 0; round < 500; round++) {
		for (i = 0; i < k->n; i++) {
			mt_ip_parse(mt_str(k->w[i].ip, strlen(k->w[i].ip)), &ip);
			ok = mt_geoip_lookup(k->g, &ip, &a, &gi);
			if (ok != k->w[i].found || gi.asn != k->w[i].asn ||
			    (gi.country.p == NULL) != (k->w[i].country == NULL) ||
			    (gi.country.p != NULL &&
			    strcmp(gi.country.p, k->w[i].country) != 0))
				k->bad++;
		}
		if (round % 50 == 0) {
			mt_arena_free(&a);
			mt_arena_init(&a);
		}
	}
	mt_arena_free(&a);
	return NULL;
}

/* test_threads - one set, several threads looking up at once. */
static void
test_threads(struct mt_geoip *g, const struct want *w, size_t n)
{
	struct worker k[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		k[i] = (struct worker){ .g = g, .w = w, .n = n };
		if (pthread_create(&k[i].tid, NULL, work, &k[i]) != 0) {
			T_FAIL("pthread_create failed");
			return;
		}
	}
	for (i = 0; i < 4; i++) {
		pthread_join(k[i].tid, NULL);
		T_INT("threads", "mismatches", k[i].bad, 0);
	}
}

/* test_fixtures - the databases built by tools/mmdb-build. */
static void
test_fixtures(void)
{
	static const char *const all[] = { "city.mmdb", "asn.mmdb",
	    "flat-country-ipv4.mmdb", "flat-city-ipv6.mmdb" };
	static const char *const city[] = { "city.mmdb" };
	static const char *const flat_first[] = { "flat-country-ipv4.mmdb",
	    "city.mmdb" };
	static const char *const flat_v4[] = { "flat-country-ipv4.mmdb" };
	static const char *const flat_city[] = { "flat-city-ipv6.mmdb" };
	static const char *const aliases[] = { "asn-aliases.mmdb" };
	static const char *const compat[] = { "compat.mmdb" };
	static const char *const vendor_flat[] = { "vendor-flat.mmdb" };
	static const char *const enterprise[] = { "enterprise.mmdb" };
	const char *fx = getenv("MT_GEOIP_FIXTURE_DIR");
	struct mt_geoip *g;

	if (fx == NULL || fx[0] == '\0') {
		printf("test_geoip: fixtures: skipped (MT_GEOIP_FIXTURE_DIR "
		    "unset)\n");
		return;
	}
	g = open_in(fx, all, 4);
	if (g != NULL) {
		T_INT("fixtures", "count", mt_geoip_count(g), 4);
		T_INT("fixtures", "kind city", mt_geoip_kind(g, 0),
		    MT_GEOIP_CITY);
		T_INT("fixtures", "kind asn", mt_geoip_kind(g, 1), MT_GEOIP_ASN);
		/* "asn" in the name, countries in the data */
		T_INT("fixtures", "kind flat country", mt_geoip_kind(g, 2),
		    MT_GEOIP_FLAT);
		/* a lowercase source name, flat schema */
		T_INT("fixtures", "kind flat city", mt_geoip_kind(g, 3),
		    MT_GEOIP_FLAT);
		T_STR("fixtures", "type", mt_geoip_type(g, 3),
		    "dbip-city-ipv6");
		T_TRUE("fixtures", "path", strstr(mt_geoip_path(g, 0),
		    "/city.mmdb") != NULL);
		T_TRUE("fixtures", "path out of range",
		    mt_geoip_path(g, 4) == NULL);
		check("fixtures", g, fx_all, sizeof(fx_all) / sizeof(fx_all[0]));
		test_threads(g, fx_all, sizeof(fx_all) / sizeof(fx_all[0]));
	}
	mt_geoip_close(g);

#define RUN(name, files, table) do { \
	g = open_in(fx, files, sizeof(files) / sizeof(files[0])); \
	if (g != NULL) \
		check(name, g, table, sizeof(table) / sizeof(table[0])); \
	mt_geoip_close(g); \
} while (0)
	RUN("fixture-city", city, fx_city);
	RUN("fixture-flat-first", flat_first, fx_flat_first);
	RUN("fixture-flat-v4", flat_v4, fx_flat_v4);
	RUN("fixture-flat-city", flat_city, fx_flat_city);
	RUN("fixture-aliases", aliases, fx_aliases);
	RUN("fixture-compat", compat, fx_compat);
	RUN("fixture-vendor-flat", vendor_flat, fx_vendor_flat);
	RUN("fixture-enterprise", enterprise, fx_enterprise);
#undef RUN
	test_kinds(fx);
	test_discovery(fx);
}

/* ------------------------------------------------------------------ */
/* (c) no databases and (d) files that are no databases               */
/* ------------------------------------------------------------------ */

/* test_empty - zero databases: lookups find nothing, nothing fails. */
static void
test_empty(void)
{
	char dir[] = "/tmp/mt-geoip-XXXXXX", err[512];
	const char *dirs[2];
	struct mt_geoip *g;
	struct mt_arena a;
	struct mt_geo_info gi;
	struct mt_ip ip;

	mt_arena_init(&a);
	mt_ip_parse(MT_STR_LIT("89.160.20.112"), &ip);
	if (mkdtemp(dir) == NULL) {
		T_FAIL("mkdtemp failed");
		return;
	}
	dirs[0] = dir;
	dirs[1] = "/nonexistent/mailtrace/geoip";
	g = mt_geoip_open_dirs(dirs, 2, err, sizeof(err));
	T_TRUE("empty", "opened", g != NULL);
	T_INT("empty", "count", mt_geoip_count(g), 0);
	T_STR("empty", "err", err, "");
	T_INT("empty", "lookup", mt_geoip_lookup(g, &ip, &a, &gi), false);
	T_INT("empty", "asn", gi.asn, -1);
	T_TRUE("empty", "country null", gi.country.p == NULL);
	T_INT("empty", "kind out of range", mt_geoip_kind(g, 0),
	    MT_GEOIP_OTHER);
	mt_geoip_close(g);
	rmdir(dir);

	/* NULL set, family 0 */
	T_INT("empty", "NULL set", mt_geoip_lookup(NULL, &ip, &a, &gi), false);
	T_INT("empty", "NULL count", mt_geoip_count(NULL), 0);
	mt_geoip_close(NULL);

	/* the default places: whatever is installed, it must open */
	g = mt_geoip_open(NULL, 0, err, sizeof(err));
	T_TRUE("default dirs", "opened", g != NULL);
	memset(&ip, 0, sizeof(ip));
	T_INT("default dirs", "family 0", mt_geoip_lookup(g, &ip, &a, &gi),
	    false);
	mt_geoip_close(g);
	mt_arena_free(&a);
}

/* test_invalid - files that are no databases: "path: reason". */
static void
test_invalid(void)
{
	char txt[] = "/tmp/mt-geoip-txt-XXXXXX";
	char empty[] = "/tmp/mt-geoip-empty-XXXXXX";
	char err[512], want[600];
	const char *paths[2];
	struct mt_geoip *g;
	int fd;

	fd = mkstemp(txt);
	if (fd < 0 || write(fd, "From: not a database\n", 21) != 21)
		T_FAIL("mkstemp/write failed");
	if (fd >= 0)
		close(fd);
	fd = mkstemp(empty);
	if (fd >= 0)
		close(fd);

	paths[0] = txt;
	g = mt_geoip_open(paths, 1, err, sizeof(err));
	T_TRUE("text file", "refused", g == NULL);
	snprintf(want, sizeof(want), "%s: not a MaxMind DB file (no valid "
	    "metadata)", txt);
	T_STR("text file", "err", err, want);
	mt_geoip_close(g);

	paths[0] = empty;
	g = mt_geoip_open(paths, 1, err, sizeof(err));
	T_TRUE("empty file", "refused", g == NULL);
	snprintf(want, sizeof(want), "%s: ", empty);
	T_TRUE("empty file", "err names the path",
	    strncmp(err, want, strlen(want)) == 0 && strlen(err) > strlen(want));
	mt_geoip_close(g);

	paths[0] = "/nonexistent/GeoLite2-City.mmdb";
	g = mt_geoip_open(paths, 1, err, sizeof(err));
	T_TRUE("missing file", "refused", g == NULL);
	T_STR("missing file", "err", err,
	    "/nonexistent/GeoLite2-City.mmdb: No such file or directory");

	/* a good file then a bad one: nothing leaks, the bad one is named */
	if (access(MT_SOURCE_DIR "/../shared/mmdb/GeoLite2-ASN-Test.mmdb",
	    R_OK) == 0) {
		paths[0] = MT_SOURCE_DIR "/../shared/mmdb/GeoLite2-ASN-Test.mmdb";
		paths[1] = txt;
		g = mt_geoip_open(paths, 2, err, sizeof(err));
		T_TRUE("good then bad", "refused", g == NULL);
		snprintf(want, sizeof(want), "%s: not a MaxMind DB file (no "
		    "valid metadata)", txt);
		T_STR("good then bad", "err", err, want);
	}

	/* err may be NULL */
	paths[0] = txt;
	T_TRUE("NULL err", "refused", mt_geoip_open(paths, 1, NULL, 0) == NULL);
	unlink(txt);
	unlink(empty);
}

int
main(void)
{
	test_shared();
	test_fixtures();
	test_empty();
	test_invalid();
	return t_done("test_geoip");
}
