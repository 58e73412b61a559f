/*
 * geoip.c - country, city and AS number of an address from MaxMind DB
 * files.  The only file that includes <maxminddb.h>.
 *
 * The kind of each database comes from its metadata (database_type): the
 * MaxMind and DB-IP names select the nested GeoIP2 schema, any other name
 * the flat schema of the ip-location-db packages.  Lookups merge the
 * answers of all open databases; see mt_geoip_lookup() in geoip.h.
 *
 * Every string a lookup returns is copied into the caller's arena before
 * the call ends: MMDB entries point into the mapped file, and nothing from
 * it may outlive the call (STYLE.md, ownership rule 5).
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <maxminddb.h>

#include "geoip.h"
#include "mt.h"

/* The project's own data directory, searched first in discovery mode. */
#ifndef MT_DATA_DIR
#define MT_DATA_DIR "/usr/local/share/mailtrace"
#endif

/* Answers kept on the stack per lookup; more databases use the arena. */
#define STACK_DBS 8

struct db {
	MMDB_s			 mmdb;	/* never moved once open */
	enum mt_geoip_kind	 kind;
	bool			 traits;	/* AS data under "traits" */
	char			*path;
};

struct mt_geoip {
	struct db	**v;
	size_t		  n, cap;
};

/* What one database says about one address; slices point into the
 * mapped file and live only during the lookup. */
struct ans {
	struct mt_str	phys, reg, rep;	/* country, registered, represented */
	struct mt_str	city;
	long		asn;
	struct mt_str	org;
};

static void note(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* note - append a formatted note to err, "; "-separated, truncating. */
static void
note(char *err, size_t errlen, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	used = strnlen(err, errlen);
	if (used >= errlen - 1)
		return;
	if (used > 0) {
		snprintf(err + used, errlen - used, "; ");
		used = strnlen(err, errlen);
		if (used >= errlen - 1)
			return;
	}
	va_start(ap, fmt);
	vsnprintf(err + used, errlen - used, fmt, ap);
	va_end(ap);
}

/* why - the reason an MMDB_open() failed, in words. */
static const char *
why(int status, int saved_errno)
{
	if ((status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR) &&
	    saved_errno != 0)
		return strerror(saved_errno);
	if (status == MMDB_INVALID_METADATA_ERROR)
		return "not a MaxMind DB file (no valid metadata)";
	return MMDB_strerror(status);
}

/* prefix - true if s starts with lit (case-sensitive). */
static bool
prefix(const char *s, const char *lit)
{
	return strncmp(s, lit, strlen(lit)) == 0;
}

/*
 * classify - the kind of a database from its metadata database_type.
 * MaxMind writes "GeoIP2-City", "GeoLite2-ASN", "GeoIP2-Enterprise", ...;
 * DB-IP writes "DBIP-City-Lite", "DBIP-ASN-Lite (compat=GeoLite2-ASN)",
 * "DBIP-Location-ISP (compat=Enterprise)", all in the GeoIP2 schema.  The
 * match is case-sensitive on purpose: the ip-location-db packages reuse
 * lowercase source names ("dbip-city-ipv6", "geo-whois-asn-country") for
 * their flat files, whose schema is different.  A name containing "asn"
 * says nothing there (geo-whois-asn-country holds countries), so every
 * non-vendor file is FLAT and its lookups read all the flat fields.
 */
static enum mt_geoip_kind
classify(const char *type)
{
	if (type == NULL)
		return MT_GEOIP_FLAT;
	if (!prefix(type, "GeoIP2-") && !prefix(type, "GeoLite2-") &&
	    !prefix(type, "GeoIP-") && !prefix(type, "DBIP-"))
		return MT_GEOIP_FLAT;
	if (strstr(type, "City") != NULL || strstr(type, "Enterprise") != NULL ||
	    strstr(type, "Location") != NULL)
		return MT_GEOIP_CITY;
	if (strstr(type, "Country") != NULL)
		return MT_GEOIP_COUNTRY;
	if (strstr(type, "ASN") != NULL || strstr(type, "ISP") != NULL)
		return MT_GEOIP_ASN;
	return MT_GEOIP_OTHER;
}

/* mt_geoip_kind_name - short name of a kind. */
const char *
mt_geoip_kind_name(enum mt_geoip_kind k)
{
	switch (k) {
	case MT_GEOIP_CITY:	return "city";
	case MT_GEOIP_COUNTRY:	return "country";
	case MT_GEOIP_ASN:	return "asn";
	case MT_GEOIP_FLAT:	return "flat";
	case MT_GEOIP_OTHER:	break;
	}
	return "other";
}

/* set_new - an empty set, or NULL when out of memory. */
static struct mt_geoip *
set_new(void)
{
	return calloc(1, sizeof(struct mt_geoip));
}

/*
 * add - open path and append it to g.  Returns 0 when added, 1 when the
 * file was opened but skipped (a type without location or AS data), -1
 * when it cannot be opened and -2 when out of memory; for 1 and -1 the
 * reason, starting with the path, is in msg.
 */
static int
add(struct mt_geoip *g, const char *path, char *msg, size_t msglen)
{
	struct db *d = NULL, **v;
	int status, rc = -2;
	size_t cap;

	d = calloc(1, sizeof(*d));
	if (d == NULL)
		goto out;
	d->path = strdup(path);
	if (d->path == NULL)
		goto out;
	errno = 0;
	status = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb);
	if (status != MMDB_SUCCESS) {
		snprintf(msg, msglen, "%s: %s", path, why(status, errno));
		rc = -1;
		goto out;
	}
	d->kind = classify(d->mmdb.metadata.database_type);
	/* GeoIP2-Enterprise and DBIP-Location-ISP carry the AS pair under
	 * "traits" */
	d->traits = d->kind == MT_GEOIP_CITY &&
	    (strstr(d->mmdb.metadata.database_type, "Enterprise") != NULL ||
	    strstr(d->mmdb.metadata.database_type, "ISP") != NULL);
	if (d->kind == MT_GEOIP_OTHER) {
		snprintf(msg, msglen, "%s: database type %s has no location "
		    "or AS data", path, d->mmdb.metadata.database_type);
		MMDB_close(&d->mmdb);
		rc = 1;
		goto out;
	}
	if (g->n == g->cap) {
		cap = g->cap ? g->cap * 2 : 4;
		v = realloc(g->v, cap * sizeof(*v));
		if (v == NULL) {
			MMDB_close(&d->mmdb);
			goto out;
		}
		g->v = v;
		g->cap = cap;
	}
	g->v[g->n++] = d;
	d = NULL;
	rc = 0;
out:
	if (d != NULL) {
		free(d->path);
		free(d);
	}
	return rc;
}

/* mt_geoip_close - close every database and free the set. */
void
mt_geoip_close(struct mt_geoip *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		MMDB_close(&g->v[i]->mmdb);
		free(g->v[i]->path);
		free(g->v[i]);
	}
	free(g->v);
	free(g);
}

/* mt_geoip_open - open the given files, or discover the usual ones. */
struct mt_geoip *
mt_geoip_open(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct mt_geoip *g;
	char msg[1024];
	size_t i;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (n == 0)
		return mt_geoip_open_dirs(NULL, 0, err, errlen);
	g = set_new();
	if (g == NULL)
		goto oom;
	for (i = 0; i < n; i++) {
		rc = add(g, paths[i], msg, sizeof(msg));
		if (rc == -2)
			goto oom;
		if (rc == 1)
			note(err, errlen, "%s (skipped)", msg);
		if (rc == -1) {
			mt_geoip_close(g);
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "%s", msg);
			return NULL;
		}
	}
	return g;
oom:
	mt_geoip_close(g);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "out of memory");
	return NULL;
}

/* A file found in a directory, ranked by how useful its name says it is. */
struct found {
	char	*name;
	int	 rank;
};

/* Well-known names in the order they are opened; the earlier wins. */
static const char *const known[] = {
	"GeoIP2-City.mmdb",
	"GeoLite2-City.mmdb",
	"dbip-city-lite*.mmdb",
	"GeoIP2-Country.mmdb",
	"GeoLite2-Country.mmdb",
	"dbip-country-lite*.mmdb",
	"GeoIP2-ISP.mmdb",
	"GeoLite2-ASN.mmdb",
	"dbip-asn-lite*.mmdb",
	"*.mmdb",		/* ip-location-db and anything else */
};

/* cmp_found - by rank, then name descending (dated DB-IP names such as
 * dbip-city-lite-2024-05.mmdb put the newest first). */
static int
cmp_found(const void *x, const void *y)
{
	const struct found *a = x, *b = y;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(b->name, a->name);
}

/* seen - true if a file of this name was already opened from another
 * directory. */
static bool
seen(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * scan - open the well-known databases of one directory into g, skipping
 * names in *names and adding those opened.  Returns -1 when out of
 * memory, else 0.
 */
static int
scan(struct mt_geoip *g, const char *dir, char ***names, size_t *nnames,
    char *err, size_t errlen)
{
	struct found *f = NULL, *nf;
	size_t nf_n = 0, nf_cap = 0, i, k;
	struct dirent *de;
	struct stat st;
	char *path = NULL, **nn, msg[1024];
	DIR *dp = NULL;
	int rc = -1, r;

	dp = opendir(dir);
	if (dp == NULL)
		return 0;	/* a missing directory is normal */
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (fnmatch(known[k], de->d_name, 0) == 0)
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			continue;
		if (seen(*names, *nnames, de->d_name))
			continue;
		if (nf_n == nf_cap) {
			nf_cap = nf_cap ? nf_cap * 2 : 8;
			nf = realloc(f, nf_cap * sizeof(*f));
			if (nf == NULL)
				goto out;
			f = nf;
		}
		f[nf_n].name = strdup(de->d_name);
		if (f[nf_n].name == NULL)
			goto out;
		f[nf_n++].rank = (int)k;
	}
	if (nf_n > 1)
		qsort(f, nf_n, sizeof(*f), cmp_found);
	for (i = 0; i < nf_n; i++) {
		free(path);
		if (asprintf(&path, "%s/%s", dir, f[i].name) < 0) {
			path = NULL;
			goto out;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		r = add(g, path, msg, sizeof(msg));
		if (r == -2)
			goto out;
		if (r != 0) {
			note(err, errlen, "%s (skipped)", msg);
			continue;
		}
		nn = realloc(*names, (*nnames + 1) * sizeof(*nn));
		if (nn == NULL)
			goto out;
		*names = nn;
		nn[(*nnames)++] = f[i].name;
		f[i].name = NULL;
	}
	rc = 0;
out:
	free(path);
	for (i = 0; i < nf_n; i++)
		free(f[i].name);
	free(f);
	closedir(dp);
	return rc;
}

/* mt_geoip_open_dirs - open what the given (or default) directories hold. */
struct mt_geoip *
mt_geoip_open_dirs(const char *const *dirs, size_t n, char *err,
    size_t errlen)
{
	static const char *const defaults[] = {
		MT_DATA_DIR,
		"/var/lib/GeoIP",		/* geoipupdate on Debian */
		"/usr/share/GeoIP",		/* distribution packages */
		"/usr/local/share/GeoIP",	/* geoipupdate built from source */
	};
	struct mt_geoip *g = NULL;
	char **names = NULL;
	size_t nnames = 0, i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (dirs == NULL) {
		dirs = defaults;
		n = sizeof(defaults) / sizeof(defaults[0]);
	}
	g = set_new();
	if (g == NULL)
		goto oom;
	for (i = 0; i < n; i++)
		if (scan(g, dirs[i], &names, &nnames, err, errlen) < 0)
			goto oom;
	goto out;
oom:
	mt_geoip_close(g);
	g = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	note(err, errlen, "out of memory");
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return g;
}

/* mt_geoip_count - number of open databases. */
size_t
mt_geoip_count(const struct mt_geoip *g)
{
	return g != NULL ? g->n : 0;
}

/* mt_geoip_path - the file name the i-th database was opened from. */
const char *
mt_geoip_path(const struct mt_geoip *g, size_t i)
{
	return g != NULL && i < g->n ? g->v[i]->path : NULL;
}

/* mt_geoip_kind - the kind of the i-th database. */
enum mt_geoip_kind
mt_geoip_kind(const struct mt_geoip *g, size_t i)
{
	return g != NULL && i < g->n ? g->v[i]->kind : MT_GEOIP_OTHER;
}

/* mt_geoip_type - the metadata database_type of the i-th database. */
const char *
mt_geoip_type(const struct mt_geoip *g, size_t i)
{
	return g != NULL && i < g->n ? g->v[i]->mmdb.metadata.database_type :
	    NULL;
}

/* get - the value at path under entry e, or false when absent or not of
 * that type (a corrupt file reads as absent). */
static bool
get(MMDB_entry_s *e, const char *const *path, uint32_t type,
    MMDB_entry_data_s *out)
{
	if (MMDB_aget_value(e, out, path) != MMDB_SUCCESS)
		return false;
	return out->has_data && out->type == type;
}

/* str_at - a non-empty UTF-8 string at path, as a slice into the file. */
static struct mt_str
str_at(MMDB_entry_s *e, const char *const *path)
{
	MMDB_entry_data_s d;

	if (!get(e, path, MMDB_DATA_TYPE_UTF8_STRING, &d) || d.data_size == 0)
		return MT_STR_NULL;
	return mt_str(d.utf8_string, d.data_size);
}

/*
 * country_at - an ISO 3166-1 alpha-2 code at path: two ASCII letters.
 * Anything else is treated as unknown, and so is "ZZ", which DB-IP and
 * others use for "unknown or reserved" (ISO 3166 user-assigned code).
 */
static struct mt_str
country_at(MMDB_entry_s *e, const char *const *path)
{
	struct mt_str s = str_at(e, path);

	if (s.p == NULL || s.len != 2 ||
	    !mt_is((unsigned char)s.p[0], MT_C_ALPHA) ||
	    !mt_is((unsigned char)s.p[1], MT_C_ALPHA))
		return MT_STR_NULL;
	if (mt_lower((unsigned char)s.p[0]) == 'z' &&
	    mt_lower((unsigned char)s.p[1]) == 'z')
		return MT_STR_NULL;
	return s;
}

/*
 * asn_at - an AS number at path, or -1.  MaxMind stores uint32; other
 * writers use other integer widths, and a few store text ("AS64496"),
 * read here on purpose (leniency).  0 means "no AS" (RFC 7607) and reads
 * as unknown, as does anything above 2^32 - 1 (RFC 6793).
 */
static long
asn_at(MMDB_entry_s *e, const char *const *path)
{
	MMDB_entry_data_s d;
	uint64_t v = 0;
	struct mt_str s;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data)
		return -1;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16:
		v = d.uint16;
		break;
	case MMDB_DATA_TYPE_UINT32:
		v = d.uint32;
		break;
	case MMDB_DATA_TYPE_UINT64:
		v = d.uint64;
		break;
	case MMDB_DATA_TYPE_INT32:
		if (d.int32 < 0)
			return -1;
		v = (uint64_t)d.int32;
		break;
	case MMDB_DATA_TYPE_UTF8_STRING:
		s = mt_str(d.utf8_string, d.data_size);
		if (s.len >= 2 && mt_lower((unsigned char)s.p[0]) == 'a' &&
		    mt_lower((unsigned char)s.p[1]) == 's')
			s = mt_str(s.p + 2, s.len - 2);
		if (!mt_parse_u64(s, UINT32_MAX, &v))
			return -1;
		break;
	default:
		return -1;
	}
	if (v == 0 || v > UINT32_MAX || v > (uint64_t)(~0UL >> 1))
		return -1;
	return (long)v;
}

/* The paths read, per schema. */
static const char *const p_country[] = { "country", "iso_code", NULL };
static const char *const p_registered[] =
	{ "registered_country", "iso_code", NULL };
static const char *const p_represented[] =
	{ "represented_country", "iso_code", NULL };
static const char *const p_city[] = { "city", "names", "en", NULL };
static const char *const p_asn[] = { "autonomous_system_number", NULL };
static const char *const p_org[] = { "autonomous_system_organization", NULL };
static const char *const p_traits_asn[] =
	{ "traits", "autonomous_system_number", NULL };
static const char *const p_traits_org[] =
	{ "traits", "autonomous_system_organization", NULL };
static const char *const p_flat_country[] = { "country_code", NULL };
static const char *const p_flat_city[] = { "city", NULL };

/* nested - fill what r lacks from the GeoIP2 schema (City, Country,
 * Enterprise).  The registered and represented countries only matter when
 * no database locates the address, so they are read only when this one
 * does not. */
static void
nested(MMDB_entry_s *e, struct ans *r)
{
	if (r->phys.p == NULL)
		r->phys = country_at(e, p_country);
	if (r->phys.p == NULL) {
		r->reg = country_at(e, p_registered);
		r->rep = country_at(e, p_represented);
	}
	if (r->city.p == NULL)
		r->city = str_at(e, p_city);
}

/* flat - fill what r lacks from the flat ip-location-db schema. */
static void
flat(MMDB_entry_s *e, struct ans *r)
{
	if (r->phys.p == NULL)
		r->phys = country_at(e, p_flat_country);
	if (r->city.p == NULL)
		r->city = str_at(e, p_flat_city);  /* a string, not the map */
}

/* one - what database d says about sa into r; false when it does not
 * know the address or cannot answer. */
static bool
one(struct db *d, const struct sockaddr *sa, struct ans *r)
{
	MMDB_lookup_result_s res;
	int merr = MMDB_SUCCESS;

	*r = (struct ans){ .asn = -1 };
	res = MMDB_lookup_sockaddr(&d->mmdb, sa, &merr);
	/* MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR and corrupt trees land
	 * here: that database simply does not know the address. */
	if (merr != MMDB_SUCCESS || !res.found_entry)
		return false;
	switch (d->kind) {
	case MT_GEOIP_CITY:
	case MT_GEOIP_COUNTRY:
		nested(&res.entry, r);
		/* Leniency: a vendor-named file in the flat schema (some
		 * converters keep the source's name) still answers. */
		if (r->phys.p == NULL && r->reg.p == NULL && r->rep.p == NULL)
			flat(&res.entry, r);
		if (d->traits) {
			r->asn = asn_at(&res.entry, p_traits_asn);
			r->org = str_at(&res.entry, p_traits_org);
		}
		break;
	case MT_GEOIP_ASN:
		r->asn = asn_at(&res.entry, p_asn);
		r->org = str_at(&res.entry, p_org);
		break;
	case MT_GEOIP_FLAT:
		flat(&res.entry, r);
		/* Leniency: GeoIP2-compatible files under other names (the
		 * IP2Location and ipinfo "compatible" MMDBs) */
		if (r->phys.p == NULL)
			nested(&res.entry, r);
		r->asn = asn_at(&res.entry, p_asn);
		r->org = str_at(&res.entry, p_org);
		break;
	case MT_GEOIP_OTHER:
		break;
	}
	return true;
}

/* own_country - the best country of one answer, physical first. */
static struct mt_str
own_country(const struct ans *r)
{
	if (r->phys.p != NULL)
		return r->phys;
	if (r->reg.p != NULL)
		return r->reg;
	return r->rep;
}

/* copy - a UTF-8-clean arena copy of a slice into the file; null stays
 * null. */
static struct mt_str
copy(struct mt_arena *a, struct mt_str s)
{
	bool bad;

	if (s.p == NULL)
		return s;
	return mt_utf8_clean(a, s.p, s.len, &bad);
}

/* upper - an uppercase arena copy of a two-letter code. */
static struct mt_str
upper(struct mt_arena *a, struct mt_str s)
{
	char buf[2];

	if (s.p == NULL)
		return s;
	buf[0] = (char)(mt_lower((unsigned char)s.p[0]) - 'a' + 'A');
	buf[1] = (char)(mt_lower((unsigned char)s.p[1]) - 'a' + 'A');
	return mt_arena_dup(a, buf, 2);
}

/*
 * mt_geoip_lookup - merge what every database says about ip.
 *
 * Country, for an abuse desk: where the host physically is decides who to
 * write to and which law applies, so country.iso_code (the located
 * country) of any database comes first.  When no database locates the
 * address, registered_country (the country of the organization the block
 * is registered to, which is where RIR abuse contacts point) is the next
 * best answer; represented_country (the country an embassy or a military
 * base abroad represents) is a political tie, not a place, and comes
 * last.  A city is taken only from a database that agrees on the country,
 * and an organization only from one that agrees on the AS number, so the
 * result never mixes two databases' contradicting stories.
 */
bool
mt_geoip_lookup(struct mt_geoip *g, const struct mt_ip *ip,
    struct mt_arena *a, struct mt_geo_info *out)
{
	struct ans stack[STACK_DBS], *r = stack;
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	const struct sockaddr *sa;
	struct mt_str cc = MT_STR_NULL, city = MT_STR_NULL, org = MT_STR_NULL;
	struct mt_str own;
	long asn = -1;
	size_t i, nr = 0;
	bool found = false, located = false, have_org = false;

	*out = (struct mt_geo_info){ .asn = -1 };
	if (g == NULL || g->n == 0 || ip == NULL)
		goto out;
	if (ip->family == 4) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, ip->addr, 4);
		sa = (const struct sockaddr *)&s4;
	} else if (ip->family == 6) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, ip->addr, 16);
		sa = (const struct sockaddr *)&s6;
	} else {
		goto out;
	}
	if (g->n > STACK_DBS) {
		if (g->n > SIZE_MAX / sizeof(*r))
			goto out;
		r = mt_arena_alloc(a, g->n * sizeof(*r));
		if (r == NULL)
			goto out;
	}
	for (i = 0; i < g->n; i++) {
		/* Skip a tree walk that cannot change the result: a Country
		 * file once a database has located the address, an ASN file
		 * once the AS number and its organization are known. */
		if (g->v[i]->kind == MT_GEOIP_COUNTRY && located)
			continue;
		if (g->v[i]->kind == MT_GEOIP_ASN && asn >= 0 && have_org)
			continue;
		if (!one(g->v[i], sa, &r[nr]))
			continue;
		located = located || r[nr].phys.p != NULL;
		if (asn < 0 && r[nr].asn >= 0) {
			asn = r[nr].asn;
			have_org = r[nr].org.p != NULL;
		}
		nr++;
	}

	/* country: located, then registered, then represented */
	for (i = 0; i < nr && cc.p == NULL; i++)
		cc = r[i].phys;
	for (i = 0; i < nr && cc.p == NULL; i++)
		cc = r[i].reg;
	for (i = 0; i < nr && cc.p == NULL; i++)
		cc = r[i].rep;
	for (i = 0; i < nr && city.p == NULL; i++) {
		own = own_country(&r[i]);
		if (r[i].city.p != NULL &&
		    (own.p == NULL || mt_str_ieq(own, cc)))
			city = r[i].city;
	}
	for (i = 0; i < nr && org.p == NULL; i++)
		if (r[i].org.p != NULL && r[i].asn == asn)
			org = r[i].org;

	if (cc.p == NULL && city.p == NULL && asn < 0 && org.p == NULL)
		goto out;
	out->country = upper(a, cc);
	out->city = copy(a, city);
	out->asn = asn;
	out->as_org = copy(a, org);
	if (a->failed) {
		*out = (struct mt_geo_info){ .asn = -1 };
		goto out;
	}
	found = true;
out:
	return found;
}
