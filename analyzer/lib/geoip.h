/*
 * geoip.h - country, city and AS number of an address, from MaxMind DB
 * (.mmdb) files: GeoIP2/GeoLite2, DB-IP lite and the flat files of the
 * ip-location-db packages.  geoip.c is the only file that includes
 * <maxminddb.h>; nothing here depends on it.
 *
 * Ownership: a struct mt_geoip owns its open databases (memory-mapped
 * files); the context that opened it owns the set.  A lookup copies every
 * string it returns into the caller's arena, so no pointer into a database
 * outlives mt_geoip_lookup().
 *
 * Threads: opening and closing are not thread-safe, lookups are.  Once
 * mt_geoip_open() has returned, the set is never written to again, and
 * libmaxminddb's MMDB_s is read-only after MMDB_open() (since 1.3.1, which
 * fixed a race on its cached IPv4 start node), so any number of threads
 * may call mt_geoip_lookup() on one set at the same time, each with its
 * own arena.  mt_geoip_close() must wait until every lookup has ended.
 */
#ifndef MT_GEOIP_H
#define MT_GEOIP_H

#include <stdbool.h>
#include <stddef.h>

#include "mt.h"

/* What the databases say about one address; JSON "geo" of a hop. */
struct mt_geo_info {
	struct mt_str	country;	/* ISO 3166-1 alpha-2 code, or null */
	struct mt_str	city;		/* English name, or null */
	long		asn;		/* autonomous system number, -1 unknown */
	struct mt_str	as_org;		/* AS organization, or null */
};

/*
 * The kind of a database, read from its metadata (database_type), never
 * from its file name.  It decides which fields a lookup reads.
 */
enum mt_geoip_kind {
	MT_GEOIP_OTHER = 0,	/* a MaxMind/DB-IP type without location or AS
				 * data (Anonymous-IP, Domain, ...): ignored */
	MT_GEOIP_CITY,		/* GeoIP2 schema with city: GeoIP2/GeoLite2-City,
				 * GeoIP2-Enterprise, DBIP-City-Lite, DBIP-Location */
	MT_GEOIP_COUNTRY,	/* GeoIP2 schema, country only: GeoIP2/GeoLite2-
				 * Country, DBIP-Country-Lite */
	MT_GEOIP_ASN,		/* top-level autonomous_system_number and
				 * _organization: GeoLite2-ASN, GeoIP2-ISP,
				 * DBIP-ASN-Lite */
	MT_GEOIP_FLAT,		/* any other type: the flat schema of the
				 * ip-location-db packages (top-level
				 * country_code, city, autonomous_system_*) */
};

struct mt_geoip;

/*
 * mt_geoip_open - open a set of databases.
 * With n > 0, opens paths[0..n-1] in that order (earlier files win when
 * they disagree); a file that cannot be opened as a MaxMind DB makes the
 * call fail with "path: reason" in err.  With n == 0, looks in the usual
 * directories (see mt_geoip_open_dirs) and opens whatever it finds; finding
 * nothing is not an error.  Returns the set, or NULL on failure (err set).
 * On success err holds "" or notes about files that were opened but not
 * kept ("path: reason (skipped)", "; "-separated): a database type with no
 * location or AS data, or in discovery mode a file that is not a MaxMind
 * DB.  err may be NULL.  Close with mt_geoip_close().
 */
struct mt_geoip	*mt_geoip_open(const char *const *paths, size_t n, char *err,
		    size_t errlen);

/*
 * mt_geoip_open_dirs - open the well-known databases found in dirs.
 * Each directory is searched in order for GeoIP2-City.mmdb,
 * GeoLite2-City.mmdb, dbip-city-lite*.mmdb, GeoIP2-Country.mmdb,
 * GeoLite2-Country.mmdb, dbip-country-lite*.mmdb, GeoIP2-ISP.mmdb,
 * GeoLite2-ASN.mmdb, dbip-asn-lite*.mmdb, then any other *.mmdb (the
 * ip-location-db files); a file name already found in an earlier directory
 * is not opened twice.  Missing directories are skipped, and so are files
 * that are not MaxMind DBs or whose type carries no location or AS data
 * (noted in err).  Returns the set (possibly empty), or NULL when out of
 * memory.  With dirs == NULL the defaults are used: the project data
 * directory (MT_DATA_DIR), /var/lib/GeoIP, /usr/share/GeoIP,
 * /usr/local/share/GeoIP.
 */
struct mt_geoip	*mt_geoip_open_dirs(const char *const *dirs, size_t n,
		    char *err, size_t errlen);

/* mt_geoip_close - close every database of g; NULL does nothing. */
void		 mt_geoip_close(struct mt_geoip *g);

/* mt_geoip_count - number of open databases. */
size_t		 mt_geoip_count(const struct mt_geoip *g);

/* The i-th database: its path, kind and metadata database_type (borrowed,
 * valid until mt_geoip_close); NULL/OTHER when i is out of range. */
const char	*mt_geoip_path(const struct mt_geoip *g, size_t i);
enum mt_geoip_kind mt_geoip_kind(const struct mt_geoip *g, size_t i);
const char	*mt_geoip_type(const struct mt_geoip *g, size_t i);
/* "city", "country", "asn", "flat" or "other". */
const char	*mt_geoip_kind_name(enum mt_geoip_kind k);

/*
 * mt_geoip_lookup - what the open databases say about ip.
 * Fills *out (country, city, asn, as_org; absent fields null or -1) with
 * the merged answers of all databases: for each field the first database
 * that knows it wins, a city is taken only with its own country (or when
 * no country is known) and an organization only with its own AS number.
 * Strings are valid UTF-8, copied into arena a.  Returns true when any
 * field was found, false when none was (no database, an address in no
 * database, family 0, out of memory).  A database that cannot answer
 * (IPv6 address in an IPv4-only file, corrupt data) is treated as not
 * knowing the address.
 */
bool		 mt_geoip_lookup(struct mt_geoip *g, const struct mt_ip *ip,
		    struct mt_arena *a, struct mt_geo_info *out);

#endif
