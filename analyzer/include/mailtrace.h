/*
 * mailtrace.h - the one public header of the mailtrace library.
 *
 * mailtrace reads e-mail messages and says where each really came from:
 * it parses the header, every Received hop, and emits one JSON verdict per
 * message (the contract is doc/SCHEMA.md and doc/mailtrace.schema.json).
 *
 * Ownership, stated once:
 *  1. A context (struct mt_ctx) owns everything that outlives a message:
 *     charset converters, compiled rules, databases, the resolver.  One
 *     context per thread; it outlives every message made from it.
 *  2. mt_analyze() and mt_analyze_begin() copy the header bytes they keep
 *     into the message; the caller may free its buffer on return.
 *  3. Everything reachable from a message is valid until mt_msg_free().
 *  4. Every _new has a _free, and _free(NULL) does nothing.
 *
 * The library never prints and never exits.
 */
#ifndef MAILTRACE_H
#define MAILTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MT_VERSION "0.1.0"

/* Body bytes the reader keeps per message for DKIM (mt_split_keep_body). */
#define MT_MAX_BODY_KEEP (1024 * 1024)
#define MT_SCHEMA "mailtrace/1"

struct mt_ctx;
struct mt_msg;
struct mt_split;

/*
 * Options for a context.  Zero-initialised means the defaults: DNS on with
 * the system's resolver configuration, GeoIP databases looked for in the
 * usual directories.  Strings and arrays are read by mt_ctx_new() and
 * copied where they are kept; the caller may free them on return.
 */
struct mt_ctx_opts {
	bool		 no_dns;	/* never send DNS queries (the DNS
					 * options below are then ignored) */
	const char	*rules_dir;	/* shipped rules; NULL: the default */
	const char *const *rules;	/* extra rule files or directories,
					 * loaded after the shipped ones */
	size_t		 nrules;

	/* DNS */
	const char *const *dns_servers;	/* "IP", "IP:PORT", "[IPv6]:PORT";
					 * none: the system's resolv.conf */
	size_t		 ndns_servers;
	int		 dns_timeout_ms;	/* per try; 0: 2000 */
	int		 dns_concurrency;	/* queries in flight; 0: 128 */
	int		 dns_budget_ms;		/* for the whole run; 0: none */
	const char	*dns_cache;	/* answer cache file: loaded when
					 * it exists, mt_ctx_dns_save()
					 * writes it */
	bool		 dns_replay;	/* answer only from dns_cache, no
					 * network at all */
	bool		 dns_evidence;	/* list every query in dns_evidence */
	const char *const *dnsbl;	/* DNSBL zones to look hops up in */
	size_t		 ndnsbl;

	/* The recipient side, configured (--trusted, --internal): addresses,
	 * CIDR networks, hosts and domains whose servers' Received lines
	 * are believed; the trust boundary is then walked with these
	 * instead of being inferred (boundary.reason "configured"). */
	const char *const *trusted;
	size_t		 ntrusted;
	const char *const *internal;
	size_t		 ninternal;

	/* GeoIP / ASN (MaxMind DB files) */
	const char *const *geoip_dbs;	/* files; none: the usual directories */
	size_t		 ngeoip_dbs;
	bool		 no_geoip;	/* open no database at all */

	/*
	 * Threads: use this context's resolver and its answer cache instead
	 * of opening one (the other DNS options then come from it; the DNSBL
	 * zones and dns_evidence still from these options).  It must outlive
	 * this context; only it saves the cache file.  NULL: a resolver of
	 * this context's own.
	 */
	struct mt_ctx	*dns_share;
};

/*
 * mt_ctx_new - make an analysis context.
 * opts may be NULL for defaults.  On failure (bad rules, a bad DNS option,
 * an unreadable cache file or database) returns NULL and writes a
 * one-line reason into err (errlen bytes).  Free with mt_ctx_free().
 */
struct mt_ctx	*mt_ctx_new(const struct mt_ctx_opts *opts, char *err,
		    size_t errlen);
void		 mt_ctx_free(struct mt_ctx *ctx);

/* Where a message came from; copied by mt_analyze(). */
struct mt_input {
	const char	*path;		/* "-" for standard input */
	uint64_t	 index;		/* 0-based message number in path */
	uint64_t	 offset;	/* byte offset of the message in path */
	uint64_t	 size;		/* bytes of the whole message */
	const char	*mbox_from;	/* the mbox "From " line, without "From " and line end, or NULL */
	size_t		 mbox_from_len;
	bool		 header_truncated; /* the splitter cut the header at MT_MAX_HEADER_BYTES */
	bool		 no_body_separator; /* the message has no blank line after its header */
	bool		 mbox_from_truncated; /* the "From " line was cut */
	const char	*body;		/* the body, when the reader kept it (for
					 * DKIM), else NULL; borrowed */
	size_t		 body_len;
	bool		 body_truncated; /* the body is longer than was kept */
};

/*
 * mt_analyze - analyze one message header.
 * hdr/len are the header bytes of the message (from its first byte up to
 * and including the blank line, or the whole message; a body after the
 * blank line is ignored).  Returns a message, or NULL when out of memory.
 * Malformed input never fails: it is recorded as anomalies.
 */
struct mt_msg	*mt_analyze(struct mt_ctx *ctx, const struct mt_input *in,
		    const char *hdr, size_t len);

/*
 * Batches: the same analysis in two phases, so that the DNS queries of many
 * messages are in flight together (mt_analyze() is begin, resolve and end
 * for one message).
 *
 * mt_analyze_begin - phase 1: parse the header and ask (not send) the DNS
 * questions the message needs.  Arguments and ownership as mt_analyze();
 * in (and in->body) is not used after it returns.  Returns the message
 * (NULL when out of memory), which is not complete until mt_analyze_end().
 *
 * mt_ctx_resolve - send every question msgs[0..n-1] asked and the
 * follow-up questions their answers raise, queries in flight concurrently,
 * and return when all are answered (or timed out, or the resolver was found
 * unavailable).  Error records and NULL entries are skipped; messages are
 * borrowed.  Returns 0, or -1 on a system error (out of memory, poll).
 * With DNS off it does nothing.  Threads: msgs may come from any contexts
 * that share ctx's resolver (mt_ctx_opts.dns_share); the call uses them,
 * so no other thread may use those contexts or messages meanwhile, and
 * one call at a time per resolver (phase 1 and phase 2 of other messages
 * may run in other threads before and after it).
 *
 * mt_analyze_end - phase 2: the chain engine with the answers, findings and
 * verdict.  Call once per message from mt_analyze_begin(), after
 * mt_ctx_resolve() of a batch holding it; calling it again, or on an error
 * record, does nothing.  Returns 0, or -1 when out of memory (the message
 * must then be freed and is not a valid record).
 */
struct mt_msg	*mt_analyze_begin(struct mt_ctx *ctx, const struct mt_input *in,
		    const char *hdr, size_t len);
int		 mt_ctx_resolve(struct mt_ctx *ctx, struct mt_msg *const *msgs,
		    size_t n);
int		 mt_analyze_end(struct mt_msg *m);

/*
 * mt_ctx_dns_unavailable - once the resolver was found unreachable, a
 * one-line reason (owned by ctx), else NULL.  Hops looked up after that are
 * marked "unavailable" without waiting on the network.
 */
const char	*mt_ctx_dns_unavailable(struct mt_ctx *ctx);

/*
 * mt_ctx_dns_save - write every DNS answer of the run to opts.dns_cache, so
 * that a later run with dns_replay reproduces the records byte for byte.
 * Returns 0 (also when there is no cache file or DNS is off), or -1 with
 * a one-line reason in err.
 */
int		 mt_ctx_dns_save(struct mt_ctx *ctx, char *err, size_t errlen);

/*
 * mt_msg_error - make the record of a message that could not be analyzed.
 * error is a one-line reason, copied.  Returns NULL when out of memory.
 */
struct mt_msg	*mt_msg_error(struct mt_ctx *ctx, const struct mt_input *in,
		    const char *error);

void		 mt_msg_free(struct mt_msg *m);

/* The message's error text, or NULL when it was analyzed. */
const char	*mt_msg_get_error(const struct mt_msg *m);

enum {
	MT_JSON_PRETTY = 1 << 0,	/* indented, for people */
	MT_JSON_ECS = 1 << 1,		/* mt_sum_json: in ECS shape */
};

/*
 * mt_msg_json - the JSON record of a message (SCHEMA.md).
 * On success returns 0 and sets *out to a malloc'd, NUL-terminated string
 * without a trailing newline, which the caller frees.  Returns -1 when out
 * of memory.
 */
int		 mt_msg_json(const struct mt_msg *m, unsigned flags,
		    char **out);

/*
 * mt_msg_ecs - the record under Elastic Common Schema field names
 * (@timestamp, email.*, source.*, event.*, rule.name, related.*), with
 * the rest under mailtrace.* (doc/mailtrace.ecs.md).  Flags, return and
 * ownership as mt_msg_json().
 */
int		 mt_msg_ecs(const struct mt_msg *m, unsigned flags,
		    char **out);

/* mt_msg_get_label - the verdict label ("clean", "suspicious", "forged",
 * static), or NULL for an error record. */
const char	*mt_msg_get_label(const struct mt_msg *m);
/* mt_msg_get_score - the verdict score, 0 without a verdict. */
double		 mt_msg_get_score(const struct mt_msg *m);
/* mt_msg_count_findings - the number of findings of the message. */
size_t		 mt_msg_count_findings(const struct mt_msg *m);

enum {
	MT_TEXT_COLOR = 1 << 0,		/* ANSI colours for a terminal */
};

/*
 * mt_msg_text - the terminal report of a message: hop table, boundary and
 * origin, findings, verdict, at most 100 columns wide.  Every byte from
 * the message or DNS is escaped (no control, escape or bidi character
 * reaches the terminal).  On success returns 0 and sets *out to a malloc'd
 * NUL-terminated text ending in a newline; -1 when out of memory.
 */
int		 mt_msg_text(const struct mt_msg *m, unsigned flags,
		    char **out);

/* ------------------------------------------------------------------ */
/* Batch summary                                                      */
/* ------------------------------------------------------------------ */

/* The aggregate of a batch (--summary).  It copies what it counts, so
 * messages may be freed after mt_sum_add(). */
struct mt_sum;

enum mt_sum_table {
	MT_SUM_ORIGIN_IP,	/* origin addresses of suspicious and forged */
	MT_SUM_NETWORK,		/* their /24 (IPv4) and /48 (IPv6) networks */
	MT_SUM_ASN,		/* their AS numbers ("AS4134") */
	MT_SUM_COUNTRY,		/* their countries */
	MT_SUM_HELO,		/* the HELO names their origins announced */
	MT_SUM_RELAY,		/* relay hosts (RELAY_HOP) they passed */
	MT_SUM_FINDING,		/* finding ids over all messages */
	MT_SUM__COUNT
};

struct mt_sum	*mt_sum_new(void);
void		 mt_sum_free(struct mt_sum *s);
/* mt_sum_add - count one message (error records count as not analyzed).
 * Not thread-safe: one thread adds, in the order the records are written. */
void		 mt_sum_add(struct mt_sum *s, const struct mt_msg *m);
/* mt_sum_counts - messages, error records, and clean/suspicious/forged. */
void		 mt_sum_counts(const struct mt_sum *s, uint64_t *messages,
		    uint64_t *errors, uint64_t labels[3]);
/* mt_sum_top - the n most frequent keys of a table, most first, into
 * keys/counts (keys borrowed until the next mt_sum_add); returns how many. */
size_t		 mt_sum_top(struct mt_sum *s, enum mt_sum_table t, size_t n,
		    const char **keys, uint64_t *counts);
const char	*mt_sum_table_name(enum mt_sum_table t);
/* mt_sum_failed - true when counting ran out of memory (counts are low). */
bool		 mt_sum_failed(const struct mt_sum *s);
/* mt_sum_size - how many distinct keys a table holds. */
size_t		 mt_sum_size(const struct mt_sum *s, enum mt_sum_table t);
/* mt_sum_asn_org - the AS organization first seen with an MT_SUM_ASN key
 * ("AS4134"), or NULL; borrowed until mt_sum_free(). */
const char	*mt_sum_asn_org(const struct mt_sum *s, const char *asn);
/* mt_sum_text - the aggregate as tables for a terminal, at most 100
 * columns, every key escaped (top entries of each table; every finding);
 * a malloc'd string in *out, 0 on success, -1 when out of memory. */
int		 mt_sum_text(struct mt_sum *s, size_t top, char **out);
/* mt_sum_json - the aggregate as the summary record ("type": "summary",
 * doc/mailtrace.schema.json): top entries of each table, every finding.
 * flags: MT_JSON_PRETTY; MT_JSON_ECS wraps it as an ECS metric event
 * (@timestamp now, the record under mailtrace.summary).  A malloc'd
 * string without a newline in *out, 0 on success, -1 when out of
 * memory. */
int		 mt_sum_json(struct mt_sum *s, size_t top, unsigned flags,
		    char **out);

/* ------------------------------------------------------------------ */
/* Splitting inputs into messages                                     */
/* ------------------------------------------------------------------ */

/* What one message of an input looks like to the analyzer. */
struct mt_span {
	uint64_t	 index;		/* 0-based message number in this input */
	uint64_t	 offset;	/* byte offset of the message (after the mbox "From " line) */
	uint64_t	 size;		/* bytes of the message, without the separator line */
	const char	*hdr;		/* header bytes (mboxrd ">From " unescaped), borrowed */
	size_t		 hdr_len;
	bool		 hdr_truncated;	/* header longer than MT_MAX_HEADER_BYTES */
	bool		 no_body_separator;
	const char	*mbox_from;	/* "From " line text after "From ", borrowed, or NULL */
	size_t		 mbox_from_len;
	bool		 mbox_from_truncated; /* longer than MT_MAX_MBOX_FROM */
	const char	*body;		/* body bytes kept (mt_split_keep_body), borrowed, or NULL */
	size_t		 body_len;
	bool		 body_truncated;	/* more body than was kept */
};

/*
 * mt_split_new - read messages from a file descriptor.
 * The input is an mbox when its first line starts with "From ", else one
 * RFC 5322 message.  The descriptor stays the caller's.  Returns NULL when
 * out of memory.
 */
struct mt_split	*mt_split_new(int fd);

/*
 * mt_split_next - the next message.
 * Returns 1 and fills *span (valid until the next call), 0 at the end of
 * the input, -1 on a read error (errno set).  Bodies are skipped, never
 * held: memory stays bounded whatever the input's size.
 */
int		 mt_split_next(struct mt_split *s, struct mt_span *span);
/*
 * mt_split_keep_body - keep up to max bytes of each message's body in the
 * span (for DKIM body hashes); 0, the default, keeps none.  Memory stays
 * bounded by max.  Returns 0.
 */
int		 mt_split_keep_body(struct mt_split *s, size_t max);
/* Bytes consumed so far. */
uint64_t	 mt_split_tell(const struct mt_split *s);
void		 mt_split_free(struct mt_split *s);

#ifdef __cplusplus
}
#endif

#endif
