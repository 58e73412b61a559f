/*
 * mt.h - internal declarations shared by the library's stages.
 *
 * Nothing here includes a third-party header: the parsers build and fuzz
 * with libc alone.  Data flows one way:
 *   split -> header -> received -> resolve + geoip -> chain -> rules -> report
 * and only analyze.c knows that order.
 *
 * Ownership: every string and array reachable from a struct mt_msg lives in
 * the message's arena and is valid until mt_msg_free().
 */
#ifndef MT_INT_H
#define MT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "mailtrace.h"

/* ------------------------------------------------------------------ */
/* Byte slices and a bounded cursor                                   */
/* ------------------------------------------------------------------ */

/* A run of bytes with a length.  p == NULL means "absent" (JSON null).
 * Strings the library makes are also NUL-terminated at p[len], but message
 * bytes may contain NUL, so code always uses len. */
struct mt_str {
	const char	*p;
	size_t		 len;
};

#define MT_STR_NULL ((struct mt_str){ NULL, 0 })
#define MT_STR_LIT(s) ((struct mt_str){ (s), sizeof(s) - 1 })

static inline struct mt_str
mt_str(const char *p, size_t len)
{
	return (struct mt_str){ p, len };
}

static inline bool
mt_str_is_null(struct mt_str s)
{
	return s.p == NULL;
}

bool	mt_str_eq(struct mt_str a, struct mt_str b);
bool	mt_str_ieq(struct mt_str a, struct mt_str b);
bool	mt_str_ieq_c(struct mt_str a, const char *lit);
bool	mt_str_istarts(struct mt_str a, const char *lit);
bool	mt_str_iends(struct mt_str a, const char *lit);
/* Case-insensitive search of a literal; returns offset or -1. */
long	mt_str_ifind(struct mt_str hay, const char *lit);
struct mt_str mt_str_trim(struct mt_str s);

/*
 * A cursor over a slice.  Reading past the end never happens; a failed
 * take() sets the sticky error flag, which the caller checks once at the
 * end instead of after every step.
 */
struct mt_cur {
	const char	*p;
	size_t		 len;
	size_t		 pos;
	bool		 err;
};

static inline void
mt_cur_init(struct mt_cur *c, const char *p, size_t len)
{
	c->p = p;
	c->len = len;
	c->pos = 0;
	c->err = false;
}

static inline bool
mt_cur_eof(const struct mt_cur *c)
{
	return c->pos >= c->len;
}

/* Next byte, or -1 at the end. */
static inline int
mt_cur_peek(const struct mt_cur *c)
{
	return c->pos < c->len ? (unsigned char)c->p[c->pos] : -1;
}

static inline int
mt_cur_peek_at(const struct mt_cur *c, size_t ahead)
{
	return c->pos + ahead < c->len ?
	    (unsigned char)c->p[c->pos + ahead] : -1;
}

/* tag: consume lit (ASCII case-insensitive) if it is next; true if it was. */
bool		mt_cur_tag(struct mt_cur *c, const char *lit);
/* skip: consume bytes while their class has any bit of mask. */
size_t		mt_cur_skip(struct mt_cur *c, unsigned mask);
/* take_while: like skip, returning the consumed slice. */
struct mt_str	mt_cur_take_while(struct mt_cur *c, unsigned mask);
/* take: exactly n bytes, or set err and return an empty slice. */
struct mt_str	mt_cur_take(struct mt_cur *c, size_t n);
struct mt_str	mt_cur_rest(const struct mt_cur *c);

/* ------------------------------------------------------------------ */
/* Locale-free character classes (never <ctype.h>)                    */
/* ------------------------------------------------------------------ */

enum {
	MT_C_DIGIT = 1 << 0,	/* 0-9 */
	MT_C_ALPHA = 1 << 1,	/* A-Z a-z */
	MT_C_WSP = 1 << 2,	/* SP HTAB */
	MT_C_CRLF = 1 << 3,	/* CR LF */
	MT_C_HEX = 1 << 4,	/* 0-9 A-F a-f */
	MT_C_HOST = 1 << 5,	/* letters, digits, '-', '.', '_' */
	MT_C_ATEXT = 1 << 6,	/* RFC 5322 atext */
	MT_C_SPECIAL = 1 << 7,	/* RFC 5322 specials ()<>[]:;@\,." */
	MT_C_CTL = 1 << 8,	/* 0x00-0x1f, 0x7f */
	MT_C_8BIT = 1 << 9,	/* 0x80-0xff */
	MT_C_FTEXT = 1 << 10,	/* field-name chars: 33-126 except ':' */
};

extern const uint16_t mt_ctype[256];

static inline bool
mt_is(int ch, unsigned mask)
{
	return ch >= 0 && ch < 256 && (mt_ctype[ch] & mask) != 0;
}

static inline int
mt_lower(int ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
}

/* ------------------------------------------------------------------ */
/* Overflow-checked numbers                                           */
/* ------------------------------------------------------------------ */

/* Parse decimal digits of s (all of it) into *out, within [min, max].
 * Returns false on empty input, a non-digit, or a value out of range. */
/* The 6-bit value of a base64 digit (RFC 4648 section 4), or -1. */
int	mt_b64_digit(int ch);
bool	mt_parse_u64(struct mt_str s, uint64_t max, uint64_t *out);
bool	mt_parse_int(struct mt_str s, long min, long max, long *out);

/* ------------------------------------------------------------------ */
/* Per-message arena                                                  */
/* ------------------------------------------------------------------ */

struct mt_arena_chunk;
struct mt_arena {
	struct mt_arena_chunk	*head;
	size_t			 total;
	bool			 failed;	/* an allocation failed */
};

void	 mt_arena_init(struct mt_arena *a);
void	 mt_arena_free(struct mt_arena *a);
/* Zeroed memory, 16-byte aligned; NULL on failure (and a->failed set). */
void	*mt_arena_alloc(struct mt_arena *a, size_t n);
/* Copy of n bytes, NUL-terminated. */
struct mt_str mt_arena_dup(struct mt_arena *a, const char *p, size_t n);
struct mt_str mt_arena_dupz(struct mt_arena *a, const char *z);
/* Lowercased copy. */
struct mt_str mt_arena_lower(struct mt_arena *a, struct mt_str s);
/* printf into the arena. */
struct mt_str mt_arena_printf(struct mt_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A growable array in the arena: a struct of (v, n, cap) grown with
 * mt_vec_push(), which returns a zeroed new last item or NULL when out of
 * memory (the array is then unchanged).  Old storage is abandoned to the
 * arena, which is fine for the small arrays of one message.
 */
void	*mt_vec_push_(struct mt_arena *a, void **items, size_t *count,
	    size_t *cap, size_t size);
#define MT_VEC(type) struct { type *v; size_t n, cap; }
#define mt_vec_push(a, vec) \
	mt_vec_push_((a), (void **)&(vec)->v, &(vec)->n, &(vec)->cap, \
	    sizeof(*(vec)->v))

/* ------------------------------------------------------------------ */
/* UTF-8 and escaping of untrusted text                               */
/* ------------------------------------------------------------------ */

/* mt_utf8_seq - length of the valid UTF-8 sequence at p (1..4), or 0 if
 * invalid (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF);
 * inline: the JSON writer and the validator run it on every byte. */
static inline size_t
mt_utf8_seq(const unsigned char *p, size_t len)
{
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (len >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (len < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (len < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] >= 0x90)
			return 0;	/* above U+10FFFF */
		return 4;
	}
	return 0;
}

/* True if s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool	mt_utf8_valid(const char *p, size_t len);
/* Copy with every invalid byte replaced by U+FFFD and NUL replaced by
 * U+FFFD; *bad set when anything was replaced. */
struct mt_str mt_utf8_clean(struct mt_arena *a, const char *p, size_t len,
	    bool *bad);
/* Length of the longest prefix of s no longer than max that ends on a
 * UTF-8 character boundary. */
size_t	mt_utf8_cut(const char *p, size_t len, size_t max);

/* ------------------------------------------------------------------ */
/* Anomalies: evidence about malformed input, with a byte offset      */
/* ------------------------------------------------------------------ */

#define MT_ANOMALIES(X) \
	X(BARE_CR)			/* CR not followed by LF */ \
	X(BARE_LF)			/* LF line end in a CRLF message */ \
	X(MIXED_LINE_ENDINGS) \
	X(NUL_BYTE) \
	X(EIGHT_BIT_HEADER)		/* raw 8-bit bytes in a header field */ \
	X(INVALID_UTF8)			/* bytes replaced by U+FFFD */ \
	X(NO_HEADER)			/* message does not start with a field */ \
	X(NO_BODY_SEPARATOR)		/* no blank line after the header */ \
	X(OBS_WSP_BEFORE_COLON)		/* "Subject :" (RFC 5322 4.5.8) */ \
	X(EMPTY_FIELD_NAME) \
	X(LINE_WITHOUT_COLON)		/* a header line that is no field */ \
	X(FOLDED_FIRST_LINE)		/* continuation line before any field */ \
	X(EMPTY_FIELD)			/* field with an empty body */ \
	X(HEADER_TRUNCATED)		/* MT_MAX_HEADER_BYTES */ \
	X(FIELDS_TRUNCATED)		/* MT_MAX_FIELDS */ \
	X(FIELD_TRUNCATED)		/* MT_MAX_FIELD_LEN */ \
	X(ADDRESSES_TRUNCATED)		/* MT_MAX_ADDRESSES */ \
	X(ENCODED_WORDS_TRUNCATED)	/* MT_MAX_ENCODED_WORDS */ \
	X(ANOMALIES_TRUNCATED)		/* MT_MAX_ANOMALIES */ \
	X(VALUE_TRUNCATED)		/* MT_MAX_VALUE_OUT */ \
	X(RULE_LIMIT)			/* MT_MAX_RULE_SUBJECT or a PCRE2 match limit */ \
	X(ENCODED_WORD_MALFORMED) \
	X(ENCODED_WORD_CHARSET)		/* unknown or unconvertible charset */ \
	X(ADDRESS_MALFORMED) \
	X(DATE_INVALID) \
	X(DATE_NO_ZONE)			/* no zone: not read as UTC */ \
	X(DATE_OBSOLETE)		/* obsolete form: 2-digit year, named zone */ \
	X(DUPLICATE_FIELD)		/* a field RFC 5322 allows once */ \
	X(MBOX_FROM_UNPARSED)		/* mbox "From " line not understood */ \
	X(MBOX_FROM_TRUNCATED)		/* MT_MAX_MBOX_FROM */ \
	X(RECEIVED_TRUNCATED)		/* MT_MAX_RECEIVED */ \
	X(RECEIVED_NOT_CONTIGUOUS)	/* Received below other fields */ \
	X(RECEIVED_NO_DATE) \
	X(RECEIVED_DATE_INVALID) \
	X(COMMENT_TOO_DEEP)		/* MT_MAX_COMMENT_DEPTH */ \
	X(COMMENT_UNTERMINATED) \
	X(CLAUSES_TRUNCATED)		/* MT_MAX_CLAUSES */ \
	X(INVALID_IP_LITERAL) \
	X(DUPLICATE_CLAUSE) \
	X(AUTH_MALFORMED)		/* an authentication field out of syntax */ \
	X(AUTH_ITEMS_TRUNCATED)		/* MT_MAX_AUTH_ITEMS */ \
	X(DKIM_SIGNATURES_TRUNCATED)	/* MT_MAX_DKIM_SIGNATURES */ \
	X(DKIM_HEADERS_TRUNCATED)	/* MT_MAX_DKIM_HEADERS */

enum mt_anomaly_code {
#define MT_X(name) MT_AN_##name,
	MT_ANOMALIES(MT_X)
#undef MT_X
	MT_AN__COUNT
};

const char *mt_anomaly_name(enum mt_anomaly_code code);

struct mt_anomaly {
	enum mt_anomaly_code	 code;
	uint64_t		 offset;	/* byte offset in the message */
};

/* ------------------------------------------------------------------ */
/* IP addresses                                                       */
/* ------------------------------------------------------------------ */

enum mt_ip_class {
	MT_IPC_NONE = 0,	/* no address: JSON null */
	MT_IPC_PUBLIC,
	MT_IPC_PRIVATE,
	MT_IPC_LOOPBACK,
	MT_IPC_LINK_LOCAL,
	MT_IPC_CGNAT,
	MT_IPC_DOCUMENTATION,
	MT_IPC_RESERVED,
};

struct mt_ip {
	uint8_t	family;		/* 0 none, 4 or 6 */
	uint8_t	addr[16];	/* IPv4 in addr[0..3] */
};

/*
 * Parse an IP literal: IPv4 dotted quad, IPv6 (compressed, "IPv6:" prefix,
 * "%zone" suffix dropped), IPv4-mapped IPv6 folded to IPv4.  No brackets,
 * no port.  Returns false for anything else (300.1.2.3, junk).
 */
bool		 mt_ip_parse(struct mt_str s, struct mt_ip *ip);
/* Canonical text: dotted quad or RFC 5952; buf at least 46 bytes. */
const char	*mt_ip_format(const struct mt_ip *ip, char *buf, size_t len);
enum mt_ip_class mt_ip_classify(const struct mt_ip *ip);
const char	*mt_ip_class_name(enum mt_ip_class c);

/* ------------------------------------------------------------------ */
/* Dates (RFC 5322 and obsolete forms; reused for Received)           */
/* ------------------------------------------------------------------ */

enum {
	MT_DATE_OK = 1 << 0,		/* a date was read */
	MT_DATE_NO_ZONE = 1 << 1,	/* no zone given */
	MT_DATE_OBS_ZONE = 1 << 2,	/* named or military zone */
	MT_DATE_TWO_DIGIT_YEAR = 1 << 3,
	MT_DATE_NO_SECONDS = 1 << 4,
	MT_DATE_NO_DAY_NAME = 1 << 5,
	MT_DATE_ZONE_UNKNOWN = 1 << 6,	/* -0000 or an unknown zone name */
	MT_DATE_DAY_MISMATCH = 1 << 7,	/* day name does not fit the date */
	MT_DATE_OTHER_FORM = 1 << 8,	/* asctime, ISO 8601, Go-style */
};

struct mt_date {
	int64_t	 utc;		/* seconds since the epoch, UTC */
	int	 offset_min;	/* zone offset in minutes east of UTC */
	unsigned flags;		/* MT_DATE_* */
};

/* Parse a date-time; returns true (and MT_DATE_OK in flags) if one was
 * read.  Trailing comments such as "(PST)" are ignored. */
bool	mt_date_parse(const char *p, size_t len, struct mt_date *d);
/* "2003-03-18T22:14:00Z" into buf (at least 32 bytes). */
void	mt_date_format_utc(int64_t utc, char *buf, size_t len);
/* "-0800" into buf (at least 8 bytes). */
void	mt_date_format_offset(int offset_min, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Header fields                                                      */
/* ------------------------------------------------------------------ */

struct mt_field {
	struct mt_str	 name;		/* as written, without trailing WSP */
	struct mt_str	 raw;		/* name, colon and folded body, no final line end */
	struct mt_str	 value;		/* unfolded body, trimmed; NUL-terminated copy */
	uint64_t	 offset;	/* byte offset of the field in the message */
	uint64_t	 value_offset;	/* byte offset of the body's first byte */
	size_t		 index;		/* 0-based position among fields */
};

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

struct mt_addr {
	struct mt_str	name;		/* decoded display name, or null */
	struct mt_str	address;	/* addr-spec, or null for a name without one */
};

struct mt_addr_list {
	struct mt_addr	*v;
	size_t		 n, cap;
};

enum mt_trust {
	MT_TRUST_NONE = 0,	/* chain analysis did not run */
	MT_TRUST_TRUSTED,
	MT_TRUST_BOUNDARY,
	MT_TRUST_UNTRUSTED,
	MT_TRUST_INJECTED,
};

enum mt_link {
	MT_LINK_NONE = 0,	/* the bottom hop: nothing below */
	MT_LINK_CONTINUOUS,
	MT_LINK_PLAUSIBLE,
	MT_LINK_BROKEN,
};

enum mt_sev { MT_SEV_INFO, MT_SEV_LOW, MT_SEV_MEDIUM, MT_SEV_HIGH };

struct mt_finding {
	const char	*id;		/* stable upper-case id, static */
	enum mt_sev	 sev;
	double		 score;
	long		 hop;		/* -1: not about one hop */
	long		 header_index;	/* -1: none */
	int64_t		 offset;	/* -1: none */
	struct mt_str	 detail;	/* one human sentence */
};

enum mt_parsed {
	MT_PARSED_UNPARSED = 0,
	MT_PARSED_FULL,
	MT_PARSED_PARTIAL,
	MT_PARSED_COMMENT,
};

/* A tri-state for JSON true/false/null. */
enum mt_tri { MT_NULL = -1, MT_FALSE = 0, MT_TRUE = 1 };

struct mt_hop {
	size_t		 index;		/* 0 = topmost Received */
	size_t		 header_index;
	uint64_t	 offset;
	struct mt_str	 raw;		/* unfolded field body */
	enum mt_parsed	 parsed;

	bool		 has_from;
	struct {
		struct mt_str	helo;	/* what the client announced */
		struct mt_str	rdns;	/* what the receiver looked up */
		struct mt_str	ip;	/* canonical text */
		long		port;	/* -1 when absent */
		struct mt_str	ident;
		struct mt_ip	addr;
	} from;
	bool		 has_by;
	struct {
		struct mt_str	host;
		struct mt_str	ip;
		struct mt_ip	addr;
	} by;
	struct mt_str	 via;
	struct mt_str	 with;
	enum mt_tri	 tls;
	enum mt_tri	 auth;
	struct mt_str	 id;
	struct mt_str	 for_;
	struct mt_str	 envelope_from;
	bool		 has_time;
	int64_t		 time;		/* UTC */
	int		 utc_offset;	/* minutes */
	bool		 time_no_zone;	/* the date had no zone: offset unknown */
	bool		 has_delay;
	int64_t		 delay_s;
	struct mt_str	 mta;		/* "postfix", ... or null */
	enum mt_ip_class ip_class;	/* class of from.ip */
	struct mt_str	 auth_user;	/* authenticated sender, if recorded */
	/* enrichment, filled by resolve.c and geoip.c; NULL when absent */
	struct mt_dns_info *dns;
	struct mt_geo_info *geo;
	/* chain.c */
	enum mt_trust	 trust;
	enum mt_link	 link;		/* to the hop below */
	struct mt_str	 link_reason;
	struct mt_str	 from_domain;	/* registrable domain of rdns, else helo */
	struct mt_str	 by_domain;	/* registrable domain of by.host */
};

struct mt_envelope {
	struct mt_str	 mail_from;
	struct mt_str	 mail_from_source;
	MT_VEC(struct mt_str) rcpt_to;
	MT_VEC(struct mt_str) rcpt_to_source;
	bool		 has_mbox_date;
	struct mt_date	 mbox_date;
};

struct mt_summary {
	struct mt_addr_list from, to, cc, reply_to;
	bool		 has_sender;
	struct mt_addr	 sender;
	struct mt_str	 return_path;
	struct mt_str	 subject;
	bool		 has_date;
	struct mt_date	 date;
	struct mt_str	 date_raw;
	struct mt_str	 message_id;
	struct mt_str	 x_mailer;
};

/* ------------------------------------------------------------------ */
/* Authentication evidence (auth.c, dkim.c; the record's "auth")      */
/* ------------------------------------------------------------------ */

/* A name and a value: an A-R property ("smtp.mailfrom"), a vendor field. */
struct mt_kv {
	struct mt_str	 name;
	struct mt_str	 value;
};

/* One method result of an Authentication-Results field (RFC 8601 2.2). */
struct mt_auth_method {
	struct mt_str	 method;	/* lowercased, without version: "dkim" */
	struct mt_str	 version;	/* "1" of "dkim/1", or null */
	struct mt_str	 result;	/* lowercased: "pass", "none" */
	struct mt_str	 reason;	/* reason= value, or null */
	struct mt_str	 comment;	/* the comments, joined by "; ", or null */
	MT_VEC(struct mt_kv) props;	/* "header.d" -> "example.com" */
};

/* An Authentication-Results or ARC-Authentication-Results field. */
struct mt_auth_res {
	bool		 arc;		/* ARC-Authentication-Results */
	long		 instance;	/* ARC i=, -1 when none */
	size_t		 header_index;
	uint64_t	 offset;
	struct mt_str	 authserv_id;	/* lowercased; null when the writer
					 * gave none (Exchange Online) */
	bool		 none;		/* "authserv-id; none" */
	bool		 trusted;	/* set by mt_auth_trust() */
	MT_VEC(struct mt_auth_method) methods;
};

/* A Received-SPF field (RFC 7208 9.1). */
struct mt_auth_spf {
	size_t		 header_index;
	uint64_t	 offset;
	struct mt_str	 result;	/* lowercased */
	struct mt_str	 comment;
	struct mt_str	 client_ip;	/* canonical when it parses */
	struct mt_str	 envelope_from;
	struct mt_str	 helo;
	struct mt_str	 receiver;	/* receiver=, else the comment's host */
	struct mt_str	 identity;
	struct mt_str	 mechanism;
	struct mt_str	 problem;
	bool		 trusted;	/* set by mt_auth_trust() */
};

/* mailtrace's own DKIM verdict on one signature (RFC 8601 2.7.1 names). */
enum mt_dkim_res {
	MT_DKIM_NULL = 0,	/* not verified: no key at hand (JSON null) */
	MT_DKIM_PASS,
	MT_DKIM_FAIL,
	MT_DKIM_PERMERROR,
	MT_DKIM_TEMPERROR,
	MT_DKIM_NEUTRAL,
};

struct mt_dkim_state;		/* dkim.c: hashes kept across the DNS round */

/* A DKIM-Signature field (RFC 6376 3.5) and its verification. */
struct mt_auth_dkim {
	size_t		 header_index;
	uint64_t	 offset;
	struct mt_str	 d, s, a, c, i, h, q, bh, b; /* tag values; bh and b
					 * without FWS; null when absent */
	int64_t		 t, x, l;	/* -1 when absent */
	enum mt_dkim_res result;
	struct mt_str	 reason;	/* why, in words */
	enum mt_tri	 aligned;	/* d= and the From domain, relaxed */
	enum mt_tri	 aligned_strict;
	bool		 weak;		/* rsa-sha1 (RFC 8301) */
	bool		 testing;	/* the key says t=y */
	struct mt_str	 key_name;	/* "s._domainkey.d" to look up, or null */
	struct mt_dkim_state *st;
};

/* ARC-Seal instances as claimed (not verified). */
struct mt_auth_arc {
	size_t		 instances;	/* highest i= seen */
	struct mt_str	 chain_claimed;	/* cv= of the highest instance */
	MT_VEC(struct mt_str) sealers;	/* d= of each ARC-Seal, i=1 first */
};

/* DMARC alignment (RFC 7489 3.1) of the From domain. */
struct mt_auth_dmarc {
	struct mt_str	 from_domain;
	enum mt_tri	 dkim_aligned;	/* a verified, aligned DKIM pass */
	enum mt_tri	 spf_aligned;	/* a trusted, aligned SPF pass */
};

/* A spam filter's stamp (rules/vendor.rules says which and what). */
struct mt_auth_vendor {
	struct mt_str	 header;	/* the field name as written */
	const char	*vendor;	/* the rule's VENDOR; owned by rules */
	const char	*org;		/* its org=, or NULL; owned by rules */
	size_t		 header_index;
	uint64_t	 offset;
	MT_VEC(struct mt_kv) fields;
	MT_VEC(struct mt_str) notes;
	bool		 trusted;	/* set by mt_auth_trust() */
};

/* An address a stamp says the message came from, compared with the
 * chain by mt_auth_origin_check(). */
enum mt_ipchk {
	MT_IPCHK_UNCHECKED = 0,
	MT_IPCHK_AGREES,	/* the origin (or the claimed origin) */
	MT_IPCHK_INTERNAL,	/* a client of a hop above the boundary */
	MT_IPCHK_DEEPER,	/* a client of a hop below the boundary */
	MT_IPCHK_CONFLICT,	/* no hop of the chain recorded it */
	MT_IPCHK_UNRELATED,	/* nothing to compare it with */
};

struct mt_auth_ipcheck {
	const char	*source;	/* "Received-SPF client-ip", ...; static */
	size_t		 header_index;
	uint64_t	 offset;
	struct mt_str	 ip;		/* canonical */
	struct mt_ip	 addr;
	bool		 trusted;
	enum mt_ipchk	 state;
	long		 hop;		/* the hop whose client it is, or -1 */
	struct mt_str	 why;
};

struct mt_auth {
	MT_VEC(struct mt_auth_res) results;
	MT_VEC(struct mt_auth_spf) spf;
	MT_VEC(struct mt_auth_dkim) dkim;
	bool		 has_arc;
	struct mt_auth_arc arc;
	bool		 has_dmarc;
	struct mt_auth_dmarc dmarc;
	MT_VEC(struct mt_auth_vendor) vendor;
	MT_VEC(struct mt_auth_ipcheck) ipchecks;
	bool		 trust_done;	/* mt_auth_trust() ran */
	bool		 keys_done;	/* mt_auth_verify() ran */
};

struct mt_msg {
	struct mt_arena	 arena;
	struct mt_ctx	*ctx;

	struct mt_str	 path;
	uint64_t	 index, offset, size;
	struct mt_str	 error;		/* null when analysis succeeded */

	const char	*hdr;		/* arena copy of the header bytes */
	size_t		 hdr_len;
	bool		 no_body_separator; /* the splitter found no blank line:
					    * the first non-field line ends the header */

	MT_VEC(struct mt_field) fields;
	MT_VEC(struct mt_anomaly) anomalies;
	size_t		 anomalies_dropped;
	MT_VEC(struct mt_hop) hops;

	struct mt_envelope env;
	struct mt_summary  sum;
	struct mt_auth	   auth;	/* auth.c */

	/* chain.c */
	MT_VEC(struct mt_finding) findings;
	bool		 has_boundary;
	size_t		 boundary_hop;
	const char	*boundary_reason;	/* "configured", "inferred", "mx" */
	struct mt_str	 recipient_domain;
	bool		 has_origin;
	size_t		 origin_hop;
	const char	*origin_confidence;
	bool		 has_claimed;
	size_t		 claimed_hop;
	const char	*claimed_confidence;
	bool		 has_verdict;
	double		 score;
	const char	*label;

	/* enrich.c: DNS queries asked and answers read (arena), or NULL */
	struct mt_enrich *enrich;
};

/* The context behind the opaque handle (one per thread). */
struct mt_ctx {
	struct mt_enrich_ctx	*enrich;	/* resolver, GeoIP (enrich.c) */
	struct mt_ctx_opts	 opts;
	struct mt_conv		*conv;		/* iconv descriptors by charset */
	struct mt_rules		*rules;		/* compiled rules, or NULL */
	struct psl_ctx_st	*psl;		/* public suffix list (domain.c) */
	bool			 psl_owned;
	struct mt_domcache	*domcache;	/* host -> registrable domain */
	struct mt_trustcfg	*trust;		/* configured side, or NULL */
};

/* msg.c: an empty message of ctx with its input identity copied; NULL
 * when out of memory. */
struct mt_msg *mt_msg_alloc(struct mt_ctx *ctx, const struct mt_input *in);

/* Record an anomaly at a byte offset of the message (deduplicated by code
 * and offset; capped at MT_MAX_ANOMALIES). */
void	mt_anomaly_add(struct mt_msg *m, enum mt_anomaly_code code,
	    uint64_t offset);

/* ------------------------------------------------------------------ */
/* Stage entry points (one file each)                                 */
/* ------------------------------------------------------------------ */

/* header.c: split the header bytes into fields, recording anomalies.
 * Returns 0, or -1 when out of memory. */
int	mt_hdr_parse(struct mt_msg *m, const char *p, size_t len);
/* First field with this name (case-insensitive), or NULL. */
const struct mt_field *mt_hdr_find(const struct mt_msg *m, const char *name);
size_t	mt_hdr_count(const struct mt_msg *m, const char *name);

/* mime.c: decode RFC 2047 encoded words of an unstructured value into
 * UTF-8 in the arena; raw 8-bit bytes are kept if valid UTF-8, else
 * converted with fallback_charset (may be NULL) or replaced. */
struct mt_str mt_mime_decode(struct mt_msg *m, struct mt_str value,
	    uint64_t offset, const char *fallback_charset);

/* addr.c: parse an address-list field body into list. */
int	mt_addr_parse(struct mt_msg *m, struct mt_str value, uint64_t offset,
	    struct mt_addr_list *list);

/* received.c: parse one Received field body into hop (already zeroed,
 * index/header_index/offset/raw set by the caller). */
int	mt_rcv_parse(struct mt_msg *m, const struct mt_field *f,
	    struct mt_hop *hop);

/* text.c: untrusted bytes made safe for a terminal (controls, escapes,
 * bidi and invisible characters shown as \x.. / \u{..}); malloc'd, with
 * the width in columns; NULL when out of memory. */
char	*mt_text_escape(const char *p, size_t len, size_t *width);

/* auth.c: authentication evidence (Authentication-Results, ARC,
 * Received-SPF, DKIM-Signature, vendor stamps) of m; in->body, when kept,
 * is the body for DKIM.  Returns 0, -1 when out of memory. */
int	mt_auth_run(struct mt_msg *m, const struct mt_input *in);

/* chain.c: trust boundary, origin, links, findings and verdict of m's
 * hops (after received, resolve and geoip).  Returns 0, -1 when out of
 * memory. */
int	mt_chain_run(struct mt_msg *m);

/* iconv cache, owned by the context; see ctx.c. */
struct mt_conv;
struct mt_conv *mt_ctx_conv(struct mt_ctx *ctx);
/* Convert from charset to UTF-8 into the arena; returns null slice if the
 * charset is unknown, sets *bad when bytes could not be converted. */
struct mt_str mt_conv_to_utf8(struct mt_conv *cv, struct mt_arena *a,
	    const char *charset, size_t charset_len, const char *p, size_t len,
	    bool *bad);
struct mt_conv *mt_conv_new(void);
void	mt_conv_free(struct mt_conv *cv);

#endif
