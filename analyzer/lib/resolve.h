/*
 * resolve.h - the DNS resolver: PTR, A, AAAA, MX and TXT lookups for the
 * enrichment stage, run concurrently over c-ares, with one answer cache per
 * resolver that every message of a run shares, an optional cache file that
 * makes a verdict reproducible offline, and the name builders the chain
 * engine needs (reverse names, DNSBL query names).
 *
 * This header includes no third-party header; only resolve.c sees <ares.h>.
 *
 * Use: mt_res_want() every (type, name) a batch needs, mt_res_run() once,
 * then mt_res_get() the answers.  Asking twice for the same (type, name) in
 * the life of a resolver sends one query: the second ask is a cache hit.
 *
 * Ownership: a resolver owns every answer it hands out.  A
 * const struct mt_dns_answer * from mt_res_get() is borrowed and stays valid,
 * unchanged, until mt_resolver_free(), even across later runs.
 *
 * Threads: the cache (mt_res_want, mt_res_get, mt_res_save, the status
 * queries) is guarded by a mutex, so several threads may ask and read at
 * once; mt_res_run() must have one caller at a time.  The library never
 * prints: unavailability is reported through mt_res_unavailable() for the
 * CLI to say once.
 */
#ifndef MT_RESOLVE_H
#define MT_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mt_ip;

/* Longest text a name builder writes, with its NUL (RFC 1035 2.3.4: 253
 * characters of presentation text for a 255-byte wire name). */
#define MT_RES_NAME_MAX 256

enum mt_dns_type {
	MT_DNS_PTR,		/* name is an IPv4 or IPv6 literal */
	MT_DNS_A,
	MT_DNS_AAAA,
	MT_DNS_MX,
	MT_DNS_TXT,
};

enum mt_dns_status {
	MT_DNS_OK = 0,		/* answered; nanswers may be 0 (NODATA) */
	MT_DNS_NXDOMAIN,	/* the name does not exist (RCODE 3) */
	MT_DNS_SERVFAIL,	/* RCODE 2 */
	MT_DNS_REFUSED,		/* RCODE 5 */
	MT_DNS_TIMEOUT,		/* no answer within the tries, or over budget */
	MT_DNS_SKIPPED,		/* not asked: replay, no recorded answer */
	MT_DNS_UNAVAILABLE,	/* resolver unreachable: nothing was answered */
	MT_DNS_FORMERR,		/* RCODE 1: server could not read the query */
	MT_DNS_OTHER,		/* NOTIMP, a malformed answer, out of memory */
};

/*
 * One answer.  qname is the name sent (lowercase, no final dot; the
 * in-addr.arpa or ip6.arpa name for PTR).  answers[i] is NUL-terminated,
 * lens[i] its length; answers are sorted (MX by preference, the rest
 * bytewise) so output does not depend on the server's order.
 *
 * Answers are untrusted bytes, kept as received for the output stage to
 * escape:
 *  - names (PTR, and the host of MX): the label bytes as they came, labels
 *    joined by '.'; only three bytes inside a label are written the
 *    RFC 1035 5.1 way, so the name stays unambiguous and never holds a NUL:
 *    '.' as "\.", '\' as "\\", NUL as "\000".  Control characters, quotes
 *    and 8-bit bytes arrive raw.  (c-ares 1.18 refuses such PTR answers as
 *    "misformatted"; resolve.c then reads the answer itself.)
 *  - A / AAAA: the address as text (dotted quad, RFC 5952).
 *  - MX: "PREFERENCE HOST", e.g. "10 mail.sina.com".
 *  - TXT: the character-strings of one record joined with nothing between
 *    them (RFC 7208 3.3); raw bytes, which may include NUL: use lens.
 *
 * ttl is the smallest TTL among the answer records (0 when there are none);
 * ms is the time from sending to the answer (0 when none was sent).
 */
struct mt_dns_answer {
	enum mt_dns_type	 type;
	enum mt_dns_status	 status;
	const char		*qname;
	char			**answers;
	size_t			*lens;
	size_t			 nanswers;
	uint32_t		 ttl;
	uint32_t		 ms;
};

struct mt_resolver_opts {
	/* "IP", "IP:PORT" or "[IPv6]:PORT"; none = the system's resolv.conf */
	const char *const *servers;
	size_t		 nservers;
	int		 timeout_ms;	/* per try; 0 = 2000 */
	int		 tries;		/* 0 = 2 */
	int		 concurrency;	/* queries in flight; 0 = 128 */
	int		 budget_ms;	/* life of the resolver; 0 = none */
	const char	*cache_file;	/* NULL = no cache file */
	bool		 replay;	/* answer only from cache_file */
};

struct mt_res_stats {
	uint64_t	sent;		/* queries handed to the network */
	uint64_t	hits;		/* mt_res_want() found in the cache */
	uint64_t	answered;	/* network queries that got a reply */
	uint64_t	timeouts;
	uint64_t	unavailable;	/* marked UNAVAILABLE */
	uint64_t	over_budget;	/* marked TIMEOUT by the budget */
};

struct mt_resolver;

/*
 * mt_resolver_new - a resolver configured by opts (NULL = all defaults).
 * With a cache_file and replay, the file must exist; it is loaded and no
 * network is used at all.  Without replay, an existing cache_file is loaded
 * first (its timeouts, skips and unavailable entries are asked again when
 * wanted) and a missing one is fine.  Returns NULL with a one-line reason in
 * err (errlen bytes, may be 0) on a bad option, an unreadable or malformed
 * cache file, or out of memory.
 */
struct mt_resolver *mt_resolver_new(const struct mt_resolver_opts *opts,
	    char *err, size_t errlen);
/* mt_resolver_free - close the channel and free every answer; NULL is fine. */
void	mt_resolver_free(struct mt_resolver *res);

/*
 * mt_res_want - ask for (type, name) in the next run, unless the cache
 * already has it.  name is a C string: for PTR an IPv4 or IPv6 literal, for
 * the other types a host name (letters, digits, '-', '_', labels of 1-63
 * bytes, 253 at most; one final '.' is dropped; case does not matter).
 * Returns 0, or -1 with errno EINVAL for a name that is not one (nothing is
 * recorded or sent) or ENOMEM.  In replay mode a name missing from the file
 * is answered SKIPPED at once.
 */
int	mt_res_want(struct mt_resolver *res, enum mt_dns_type type,
	    const char *name);

/*
 * mt_res_run - resolve everything wanted and not yet answered, at most
 * opts.concurrency queries in flight, and return when each has an answer
 * (OK ... TIMEOUT, UNAVAILABLE).  Budget: once budget_ms have passed since
 * the first run began, queries in flight are abandoned and the rest are
 * answered TIMEOUT without being sent.  Unreachable resolver: after a
 * failure that comes before any answer, no new query is sent until those in
 * flight are settled; when the first 8 outcomes of the resolver are all
 * timeouts or refused connections (or a connection is refused before any
 * answer), nothing more is sent and every query left becomes UNAVAILABLE,
 * now and in later runs.  So a dead server costs one round of tries
 * (timeout_ms x (1 + 2 + ...) over the tries), not one per query.  One caller
 * at a time.  Returns 0, or -1 on a system error (poll, out of memory).
 */
int	mt_res_run(struct mt_resolver *res);

/*
 * mt_res_get - the answer for (type, name) (name as for mt_res_want), or
 * NULL when it was never wanted or is not answered yet.  Borrowed: valid
 * until mt_resolver_free().
 */
const struct mt_dns_answer *mt_res_get(struct mt_resolver *res,
	    enum mt_dns_type type, const char *name);

/* mt_res_unavailable - true once the resolver was found unreachable. */
bool	mt_res_unavailable(struct mt_resolver *res);
/* mt_res_unavailable_reason - one line (no newline) saying why, or NULL
 * while the resolver is not unavailable.  Owned by res. */
const char *mt_res_unavailable_reason(struct mt_resolver *res);

/* mt_res_stats - counters since mt_resolver_new() into *st. */
void	mt_res_stats(struct mt_resolver *res, struct mt_res_stats *st);

/*
 * mt_res_save - write every answer of the cache to path (NULL = the
 * opts.cache_file) in the cache file format (see resolve.c), through a
 * temporary file renamed over path.  Returns 0, or -1 with a reason in err.
 */
int	mt_res_save(struct mt_resolver *res, const char *path, char *err,
	    size_t errlen);

/*
 * mt_res_ptr_name - the reverse name of ip into buf: "4.3.2.1.in-addr.arpa"
 * (RFC 1035 3.5) or 32 nibbles then "ip6.arpa" (RFC 3596 2.5).  Returns the
 * length written, or -1 when ip has no address or buf is too small
 * (MT_RES_NAME_MAX always suffices).
 */
int	mt_res_ptr_name(const struct mt_ip *ip, char *buf, size_t len);
/* mt_res_ptr_name_text - the same for an IP literal in text; -1 when it is
 * not one. */
int	mt_res_ptr_name_text(const char *ip, char *buf, size_t len);

/*
 * mt_res_dnsbl_name - the DNSBL query name of ip under zone:
 * "2.2.0.192.bl.example" for 192.0.2.2 (RFC 5782 2.1), nibbles for IPv6
 * (RFC 5782 2.4).  zone may end with '.'.  Returns the length, or -1 when
 * ip has no address, zone is not a host name, or the name would be longer
 * than 253 characters or len.
 */
int	mt_res_dnsbl_name(const struct mt_ip *ip, const char *zone, char *buf,
	    size_t len);

/* Names: "PTR", "A", ... and "ok", "nxdomain", ... ("formerr"
 * and "other" have no schema value yet; the report maps them). */
const char *mt_dns_type_name(enum mt_dns_type type);
const char *mt_dns_status_name(enum mt_dns_status status);

#endif
