/*
 * resolve.c - DNS lookups over c-ares 1.18 (the only file that includes
 * <ares.h>), with a shared answer cache, a cache file for offline replay,
 * and the reverse / DNSBL name builders.
 *
 * c-ares 1.18 has no event thread: mt_res_run() drives the channel itself
 * with ares_getsock() + ares_timeout() + poll() + ares_process_fd().
 * ARES_FLAG_NOCHECKRESP makes SERVFAIL and REFUSED come back as such instead
 * of being retried on the next server and reported as a generic failure.
 * ares_gethostbyaddr() is not used: it reads /etc/hosts and folds SERVFAIL
 * into "not found".
 *
 * What c-ares hands back (checked against 1.18.1): ares_expand_name() writes
 * non-printable bytes as "\DDD" and . ; \ " ( ) @ $ as "\c"; the parsers
 * that build a hostent (A, AAAA, PTR) refuse any name with such bytes and
 * return ARES_EBADRESP.  An answer is untrusted but it is evidence, so on
 * ARES_EBADRESP this file reads the answer section itself (walk()) and keeps
 * the names, undoing c-ares' escapes except for '.', '\' and NUL inside a
 * label (see resolve.h).
 *
 * Cache file format (version 1), line-based text, one answer a line:
 *
 *   mailtrace-dns-cache 1
 *   # comment lines and empty lines are ignored
 *   TYPE<TAB>QNAME<TAB>STATUS<TAB>TTL<TAB>MS<TAB>N<TAB>ANSWER1 ... <TAB>ANSWERn
 *
 * TYPE is PTR, A, AAAA, MX or TXT; QNAME the name sent (the .arpa name for
 * PTR); STATUS one of ok nxdomain servfail refused timeout skipped
 * unavailable formerr other; TTL, MS and N decimal; then exactly N answers
 * (each may be empty).  In QNAME and the answers every byte below 0x21,
 * above 0x7e, and '%' itself is written "%HH" (two upper-case hex digits),
 * so a field holds no TAB, space or line end and any byte round-trips.
 * Lines are sorted by type then qname, so saving the same cache twice gives
 * the same file.  Reading is strict: an unknown type or status, a bad
 * escape, a raw byte outside 0x21-0x7e, a field count other than 6 + N or a
 * line over MAX_LINE bytes fails with the line number.  A later line for the
 * same (type, qname) replaces an earlier one.
 *
 * Replay answers a (type, name) missing from the file SKIPPED: nothing was
 * asked, which is what happened; UNAVAILABLE would claim a resolver failure
 * that never took place.
 */
#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mt.h"
#include "resolve.h"

/* Outcomes at the start of a resolver's life that decide it is unreachable
 * when none of them is an answer. */
#define UNAVAIL_FIRST 8
/* Longest cache file line accepted (a 64 KiB reply escaped three times over,
 * with room to spare). */
#define MAX_LINE (1024 * 1024)
/* Answers kept per reply; a UDP or TCP reply (64 KiB) cannot hold more. */
#define MAX_ANSWERS 8192
#define MAGIC "mailtrace-dns-cache 1"

#define DEF_TIMEOUT_MS 2000
#define DEF_TRIES 2
#define DEF_CONCURRENCY 128
#define RCVBUF (1024 * 1024)

enum { E_PENDING, E_FLIGHT, E_DONE };

/* One cache entry: a (type, qname) and its answer. */
struct ent {
	struct mt_resolver	*res;
	struct ent		*next;		/* pending queue */
	struct mt_dns_answer	*ans;		/* NULL until answered */
	struct timespec		 sent;
	struct mt_ip		 ip;		/* PTR: the address asked */
	uint32_t		 hash;
	uint8_t			 type;
	uint8_t			 state;
	bool			 retry;		/* loaded, transient: re-ask */
	size_t			 qlen;
	char			 qname[];
};

struct mt_resolver {
	pthread_mutex_t		 lock;
	ares_channel		 ch;
	bool			 have_ch;
	int			 conc;
	int			 budget_ms;
	bool			 replay;
	char			*cache_file;
	char			*servers;	/* for the unavailable reason */

	struct ent		**tab;		/* open addressing, 2^n */
	size_t			 tabcap, count;
	struct ent		*qhead, *qtail;
	size_t			 inflight;
	struct mt_dns_answer	**retired;	/* replaced, kept until free */
	size_t			 nretired, retcap;

	bool			 started;
	struct timespec		 t0;
	bool			 unavail;
	char			 reason[320];
	unsigned		 outcomes;
	bool			 seen_answer;
	enum mt_dns_status	 cancel_status;
	struct mt_res_stats	 st;
};

/* One answer being built: items malloc'ed, packed into one block later. */
struct item {
	char	*p;
	size_t	 len;
	long	 pref;		/* MX preference, -1 for other types */
};

struct build {
	struct item	*v;
	size_t		 n, cap;
	bool		 oom;
};

static const struct {
	const char	*name;
	int		 qtype;		/* RFC 1035 3.2.2, RFC 3596 2.1 */
} types[] = {
	[MT_DNS_PTR] = { "PTR", 12 },
	[MT_DNS_A] = { "A", 1 },
	[MT_DNS_AAAA] = { "AAAA", 28 },
	[MT_DNS_MX] = { "MX", 15 },
	[MT_DNS_TXT] = { "TXT", 16 },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

static const char *const statuses[] = {
	[MT_DNS_OK] = "ok",
	[MT_DNS_NXDOMAIN] = "nxdomain",
	[MT_DNS_SERVFAIL] = "servfail",
	[MT_DNS_REFUSED] = "refused",
	[MT_DNS_TIMEOUT] = "timeout",
	[MT_DNS_SKIPPED] = "skipped",
	[MT_DNS_UNAVAILABLE] = "unavailable",
	[MT_DNS_FORMERR] = "formerr",
	[MT_DNS_OTHER] = "other",
};
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_status = ARES_SUCCESS;

/* mt_dns_type_name - "PTR", "A", ... */
const char *
mt_dns_type_name(enum mt_dns_type type)
{
	return (unsigned)type < NTYPES ? types[type].name : "?";
}

/* mt_dns_status_name - "ok", "nxdomain", ... */
const char *
mt_dns_status_name(enum mt_dns_status status)
{
	return (unsigned)status < NSTATUSES ? statuses[status] : "other";
}

/* seterr - format a one-line error into err. */
static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

/* host - validate a host name (RFC 1123 2.1 letters, digits, '-', plus '_'
 * as seen in service names; labels 1-63, 253 at most, one final '.'
 * allowed) and write it lowercased, without the final dot, into out
 * (MT_RES_NAME_MAX).  Returns the length or -1. */
static int
host(const char *name, char *out)
{
	size_t n, i, label = 0;

	n = strnlen(name, MT_RES_NAME_MAX);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return -1;
	for (i = 0; i < n; i++) {
		int ch = (unsigned char)name[i];

		if (ch == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if (mt_is(ch, MT_C_DIGIT | MT_C_ALPHA) || ch == '-' ||
		    ch == '_') {
			if (++label > 63)
				return -1;
		} else {
			return -1;
		}
		out[i] = (char)mt_lower(ch);
	}
	out[n] = '\0';
	return (int)n;
}

/* nibbles - the reversed address of ip ("4.3.2.1." or 32 nibbles and
 * dots) into out; returns the length.  out holds at least 64 bytes. */
static size_t
nibbles(const struct mt_ip *ip, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int i;

	if (ip->family == 4) {
		for (i = 3; i >= 0; i--)
			n += (size_t)snprintf(out + n, 8, "%u.",
			    (unsigned)ip->addr[i]);
		return n;
	}
	for (i = 15; i >= 0; i--) {
		out[n++] = hex[ip->addr[i] & 0xf];
		out[n++] = '.';
		out[n++] = hex[ip->addr[i] >> 4];
		out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}

/* mt_res_ptr_name - reverse name of ip (RFC 1035 3.5, RFC 3596 2.5). */
int
mt_res_ptr_name(const struct mt_ip *ip, char *buf, size_t len)
{
	char rev[80];
	size_t n;
	const char *suffix;

	if (ip == NULL || (ip->family != 4 && ip->family != 6))
		return -1;
	n = nibbles(ip, rev);
	suffix = ip->family == 4 ? "in-addr.arpa" : "ip6.arpa";
	if (n + strlen(suffix) + 1 > len)
		return -1;
	memcpy(buf, rev, n);
	memcpy(buf + n, suffix, strlen(suffix) + 1);
	return (int)(n + strlen(suffix));
}

/* mt_res_ptr_name_text - reverse name of an IP literal. */
int
mt_res_ptr_name_text(const char *ip, char *buf, size_t len)
{
	struct mt_ip a;

	if (ip == NULL || !mt_ip_parse(mt_str(ip, strnlen(ip, 64)), &a))
		return -1;
	return mt_res_ptr_name(&a, buf, len);
}

/* mt_res_dnsbl_name - DNSBL query name (RFC 5782 2.1, 2.4). */
int
mt_res_dnsbl_name(const struct mt_ip *ip, const char *zone, char *buf,
    size_t len)
{
	char rev[80], z[MT_RES_NAME_MAX];
	size_t n;
	int zl;

	if (ip == NULL || (ip->family != 4 && ip->family != 6) ||
	    zone == NULL || (zl = host(zone, z)) < 0)
		return -1;
	n = nibbles(ip, rev);
	if (n + (size_t)zl > 253 || n + (size_t)zl + 1 > len)
		return -1;
	memcpy(buf, rev, n);
	memcpy(buf + n, z, (size_t)zl + 1);
	return (int)(n + (size_t)zl);
}

/* norm - the cache key (qname) of (type, name) into q; for PTR also the
 * address.  Returns the length or -1 when name is not usable. */
static int
norm(enum mt_dns_type type, const char *name, char *q, struct mt_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (name == NULL || (unsigned)type >= NTYPES)
		return -1;
	if (type == MT_DNS_PTR) {
		size_t n = strnlen(name, 65);

		if (n > 64 || !mt_ip_parse(mt_str(name, n), ip))
			return -1;
		return mt_res_ptr_name(ip, q, MT_RES_NAME_MAX);
	}
	return host(name, q);
}

/* hash - FNV-1a of the type and qname. */
static uint32_t
hash(enum mt_dns_type type, const char *q, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	h = (h ^ (uint8_t)type) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)q[i]) * 16777619u;
	return h;
}

/* find - the entry for a key, or NULL; caller holds the lock. */
static struct ent *
find(struct mt_resolver *res, enum mt_dns_type type, const char *q,
    size_t n, uint32_t h)
{
	size_t i, mask = res->tabcap - 1;
	struct ent *e;

	if (res->tabcap == 0)
		return NULL;
	for (i = h & mask; (e = res->tab[i]) != NULL; i = (i + 1) & mask)
		if (e->hash == h && e->type == type && e->qlen == n &&
		    memcmp(e->qname, q, n) == 0)
			return e;
	return NULL;
}

/* insert - a new entry for a key (not present); caller holds the lock.
 * NULL when out of memory. */
static struct ent *
insert(struct mt_resolver *res, enum mt_dns_type type, const char *q,
    size_t n, uint32_t h)
{
	struct ent *e;
	size_t i, mask;

	if ((res->count + 1) * 2 > res->tabcap) {
		size_t ncap = res->tabcap ? res->tabcap * 2 : 1024;
		struct ent **nt = calloc(ncap, sizeof(*nt));

		if (nt == NULL)
			return NULL;
		for (i = 0; i < res->tabcap; i++) {
			size_t j;

			if (res->tab[i] == NULL)
				continue;
			for (j = res->tab[i]->hash & (ncap - 1); nt[j] != NULL;
			    j = (j + 1) & (ncap - 1))
				;
			nt[j] = res->tab[i];
		}
		free(res->tab);
		res->tab = nt;
		res->tabcap = ncap;
	}
	e = calloc(1, sizeof(*e) + n + 1);
	if (e == NULL)
		return NULL;
	e->res = res;
	e->hash = h;
	e->type = (uint8_t)type;
	e->qlen = n;
	memcpy(e->qname, q, n);
	e->qname[n] = '\0';
	mask = res->tabcap - 1;
	for (i = h & mask; res->tab[i] != NULL; i = (i + 1) & mask)
		;
	res->tab[i] = e;
	res->count++;
	return e;
}

/* ------------------------------------------------------------------ */
/* Answers                                                            */
/* ------------------------------------------------------------------ */

/* add - append a copy of n bytes (and the MX preference) to b. */
static void
add(struct build *b, const char *p, size_t n, long pref)
{
	char *c;

	if (b->oom)
		return;
	if (b->n >= MAX_ANSWERS)
		return;
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 8;
		struct item *nv = realloc(b->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			b->oom = true;
			return;
		}
		b->v = nv;
		b->cap = ncap;
	}
	if ((c = malloc(n + 1)) == NULL) {
		b->oom = true;
		return;
	}
	memcpy(c, p, n);
	c[n] = '\0';
	b->v[b->n++] = (struct item){ c, n, pref };
}

/* build_free - release the items of b. */
static void
build_free(struct build *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].p);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* cmp - order answers: MX preference first, then bytes, then length. */
static int
cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int r;

	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	if ((r = memcmp(a->p, b->p, n)) != 0)
		return r;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* pack - one allocation holding the answer, its arrays and its bytes;
 * the items are sorted first.  NULL when out of memory. */
static struct mt_dns_answer *
pack(struct build *b, const struct ent *e, enum mt_dns_status status,
    uint32_t ttl, uint32_t ms)
{
	struct mt_dns_answer *a;
	size_t i, size, bytes = 0;
	char *p;

	if (b->n > 1)
		qsort(b->v, b->n, sizeof(*b->v), cmp);
	for (i = 0; i < b->n; i++)
		bytes += b->v[i].len + 1;
	size = sizeof(*a) + b->n * (sizeof(char *) + sizeof(size_t)) + bytes;
	if ((a = calloc(1, size)) == NULL)
		return NULL;
	a->type = (enum mt_dns_type)e->type;
	a->status = status;
	a->qname = e->qname;
	a->nanswers = b->n;
	a->ttl = ttl;
	a->ms = ms;
	a->answers = (char **)(a + 1);
	a->lens = (size_t *)(a->answers + b->n);
	p = (char *)(a->lens + b->n);
	for (i = 0; i < b->n; i++) {
		a->answers[i] = p;
		a->lens[i] = b->v[i].len;
		memcpy(p, b->v[i].p, b->v[i].len + 1);
		p += b->v[i].len + 1;
	}
	return a;
}

/* simple - an answer with no records. */
static struct mt_dns_answer *
simple(const struct ent *e, enum mt_dns_status status, uint32_t ms)
{
	struct build b = { 0 };

	return pack(&b, e, status, 0, ms);
}

/* unesc - turn c-ares' escaped name text into resolve.h's form: "\DDD" and
 * "\c" become the raw byte, except '.', '\' and NUL inside a label, which
 * stay "\.", "\\" and "\000".  Appends the result to b. */
static void
unesc(struct build *b, const char *s, const char *prefix, long pref)
{
	size_t n = strlen(s), pl = prefix ? strlen(prefix) : 0, o = 0, i;
	char *out = malloc(pl + n + 1);

	if (out == NULL) {
		b->oom = true;
		return;
	}
	if (pl > 0)
		memcpy(out, prefix, pl);
	o = pl;
	for (i = 0; i < n; i++) {
		int ch = (unsigned char)s[i];

		if (ch == '\\' && i + 1 < n) {
			const char *d = s + i + 1;

			if (i + 3 < n &&
			    mt_is((unsigned char)d[0], MT_C_DIGIT) &&
			    mt_is((unsigned char)d[1], MT_C_DIGIT) &&
			    mt_is((unsigned char)d[2], MT_C_DIGIT)) {
				ch = (d[0] - '0') * 100 + (d[1] - '0') * 10 +
				    (d[2] - '0');
				i += 3;
			} else {
				ch = (unsigned char)s[++i];
			}
			if (ch == 0) {
				memcpy(out + o, "\\000", 4);
				o += 4;
				continue;
			}
			if (ch == '.' || ch == '\\')
				out[o++] = '\\';
			out[o++] = (char)ch;
			continue;
		}
		out[o++] = (char)ch;
	}
	add(b, out, o, pref);
	free(out);
}

/* rr - one resource record met by walk(). */
struct rr {
	char			*owner;		/* c-ares escaped text */
	unsigned		 type, cls;
	uint32_t		 ttl;
	const unsigned char	*rd;
	unsigned		 rdlen;
};

/* walk - call fn for each record of the answer section (RFC 1035 4.1);
 * *qname gets a malloc'ed copy of the question name (caller frees).
 * Returns 0, or -1 when the reply is malformed or fn returns nonzero. */
static int
walk(const unsigned char *ab, int alen, char **qname,
    int (*fn)(void *, const unsigned char *, int, const struct rr *),
    void *arg)
{
	const unsigned char *p = ab + 12, *end = ab + alen;
	unsigned qd, an, i;
	long enc;
	char *s;

	*qname = NULL;
	if (alen < 12)
		return -1;
	qd = (unsigned)ab[4] << 8 | ab[5];
	an = (unsigned)ab[6] << 8 | ab[7];
	if (qd != 1)
		return -1;
	if (ares_expand_name(p, ab, alen, &s, &enc) != ARES_SUCCESS)
		return -1;
	*qname = strdup(s);
	ares_free_string(s);
	if (*qname == NULL)
		return -1;
	p += enc;
	if (end - p < 4)
		return -1;
	p += 4;
	for (i = 0; i < an; i++) {
		struct rr r;
		int bad;

		if (p >= end ||
		    ares_expand_name(p, ab, alen, &s, &enc) != ARES_SUCCESS)
			return -1;
		p += enc;
		if (end - p < 10) {
			ares_free_string(s);
			return -1;
		}
		r.owner = s;
		r.type = (unsigned)p[0] << 8 | p[1];
		r.cls = (unsigned)p[2] << 8 | p[3];
		r.ttl = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
		    (uint32_t)p[6] << 8 | p[7];
		r.rdlen = (unsigned)p[8] << 8 | p[9];
		p += 10;
		if ((size_t)(end - p) < r.rdlen) {
			ares_free_string(s);
			return -1;
		}
		r.rd = p;
		p += r.rdlen;
		bad = fn ? fn(arg, ab, alen, &r) : 0;
		ares_free_string(s);
		if (bad)
			return -1;
	}
	return 0;
}

/* ieq - ASCII case-insensitive equality of two C strings. */
static bool
ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (mt_lower((unsigned char)*a) != mt_lower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* Walk state: the owner name answers must have (following CNAMEs). */
struct walkst {
	struct build	*b;
	char		*cur;
	unsigned	 want;		/* RR type asked */
	uint32_t	 ttl;
	bool		 any;
};

/* ttl_fn - smallest TTL of the answer records (RFC 2181 8: a TTL with the
 * top bit set counts as 0). */
static int
ttl_fn(void *arg, const unsigned char *ab, int alen, const struct rr *r)
{
	struct walkst *w = arg;
	uint32_t t = r->ttl > 0x7fffffffu ? 0 : r->ttl;

	if (!w->any || t < w->ttl)
		w->ttl = t;
	w->any = true;
	return 0;
}

/* take_fn - collect the records of the asked type owned by the asked name
 * or its CNAME target; the fallback when c-ares refuses a reply. */
static int
take_fn(void *arg, const unsigned char *ab, int alen, const struct rr *r)
{
	struct walkst *w = arg;
	char *s, buf[64];
	long enc;

	ttl_fn(arg, ab, alen, r);
	if (r->cls != 1 || !ieq(r->owner, w->cur))
		return 0;
	if (r->type == 5) {	/* CNAME, RFC 1035 3.3.1 */
		if (ares_expand_name(r->rd, ab, alen, &s, &enc) != ARES_SUCCESS)
			return -1;
		free(w->cur);
		w->cur = strdup(s);
		ares_free_string(s);
		return w->cur == NULL ? -1 : 0;
	}
	if (r->type != w->want)
		return 0;
	switch (r->type) {
	case 1:		/* A */
	case 28:	/* AAAA */
		if (r->rdlen != (r->type == 1 ? 4u : 16u))
			return -1;
		inet_ntop(r->type == 1 ? AF_INET : AF_INET6, r->rd, buf,
		    sizeof(buf));
		add(w->b, buf, strlen(buf), -1);
		return 0;
	case 12:	/* PTR */
	case 15:	/* MX: preference, then exchange (RFC 1035 3.3.9) */
		if (r->type == 15 && r->rdlen < 3)
			return -1;
		if (ares_expand_name(r->rd + (r->type == 15 ? 2 : 0), ab, alen,
		    &s, &enc) != ARES_SUCCESS)
			return -1;
		if (r->type == 15) {
			long pref = (long)r->rd[0] << 8 | r->rd[1];

			snprintf(buf, sizeof(buf), "%ld ", pref);
			unesc(w->b, s, buf, pref);
		} else {
			unesc(w->b, s, NULL, -1);
		}
		ares_free_string(s);
		return 0;
	default:
		return 0;
	}
}

/* fallback - read the answer section without c-ares' parsers. */
static int
fallback(const struct ent *e, const unsigned char *ab, int alen,
    struct build *b, uint32_t *ttl)
{
	struct walkst w = { b, NULL, (unsigned)types[e->type].qtype, 0, false };
	int r;

	r = walk(ab, alen, &w.cur, take_fn, &w);
	*ttl = w.ttl;
	free(w.cur);
	return r;
}

/* reply_ttl - smallest TTL of the answer section. */
static uint32_t
reply_ttl(const unsigned char *ab, int alen)
{
	struct walkst w = { 0 };
	char *q = NULL;

	walk(ab, alen, &q, ttl_fn, &w);
	free(q);
	return w.ttl;
}

/* parse - read a successful reply with c-ares' parsers into b; ARES_*
 * status (ARES_EBADRESP sends the caller to fallback()). */
static int
parse(const struct ent *e, const unsigned char *ab, int alen,
    struct build *b, uint32_t *ttl)
{
	int st = ARES_SUCCESS, n, i;
	char buf[64];

	*ttl = 0;
	switch ((enum mt_dns_type)e->type) {
	case MT_DNS_A: {
		struct ares_addrttl *t;

		n = alen / 16 + 1;
		if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
			return ARES_ENOMEM;
		st = ares_parse_a_reply(ab, alen, NULL, t, &n);
		for (i = 0; st == ARES_SUCCESS && i < n; i++) {
			inet_ntop(AF_INET, &t[i].ipaddr, buf, sizeof(buf));
			add(b, buf, strlen(buf), -1);
			if (i == 0 || (uint32_t)t[i].ttl < *ttl)
				*ttl = t[i].ttl < 0 ? 0 : (uint32_t)t[i].ttl;
		}
		free(t);
		break;
	}
	case MT_DNS_AAAA: {
		struct ares_addr6ttl *t;

		n = alen / 28 + 1;
		if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
			return ARES_ENOMEM;
		st = ares_parse_aaaa_reply(ab, alen, NULL, t, &n);
		for (i = 0; st == ARES_SUCCESS && i < n; i++) {
			inet_ntop(AF_INET6, &t[i].ip6addr, buf, sizeof(buf));
			add(b, buf, strlen(buf), -1);
			if (i == 0 || (uint32_t)t[i].ttl < *ttl)
				*ttl = t[i].ttl < 0 ? 0 : (uint32_t)t[i].ttl;
		}
		free(t);
		break;
	}
	case MT_DNS_PTR: {
		struct hostent *h = NULL;
		int fam = e->ip.family == 6 ? AF_INET6 : AF_INET;

		/* h_aliases holds every PTR name in order; h_name only the
		 * last one. */
		st = ares_parse_ptr_reply(ab, alen, e->ip.addr,
		    e->ip.family == 6 ? 16 : 4, fam, &h);
		if (st == ARES_SUCCESS) {
			for (i = 0; h->h_aliases && h->h_aliases[i]; i++)
				unesc(b, h->h_aliases[i], NULL, -1);
			ares_free_hostent(h);
			*ttl = reply_ttl(ab, alen);
		}
		break;
	}
	case MT_DNS_MX: {
		struct ares_mx_reply *mx = NULL, *m;

		st = ares_parse_mx_reply(ab, alen, &mx);
		for (m = mx; st == ARES_SUCCESS && m; m = m->next) {
			snprintf(buf, sizeof(buf), "%u ",
			    (unsigned)m->priority);
			unesc(b, m->host, buf, (long)m->priority);
		}
		if (mx)
			ares_free_data(mx);
		if (st == ARES_SUCCESS)
			*ttl = reply_ttl(ab, alen);
		break;
	}
	case MT_DNS_TXT: {
		struct ares_txt_ext *txt = NULL, *t, *u;

		st = ares_parse_txt_reply_ext(ab, alen, &txt);
		for (t = txt; st == ARES_SUCCESS && t; t = u) {
			size_t len = 0;
			char *p;

			/* one record: its first string and those after it
			 * until the next record_start */
			for (u = t; u && (u == t || !u->record_start);
			    u = u->next)
				len += u->length;
			if ((p = malloc(len + 1)) == NULL) {
				b->oom = true;
				break;
			}
			len = 0;
			for (u = t; u && (u == t || !u->record_start);
			    u = u->next) {
				memcpy(p + len, u->txt, u->length);
				len += u->length;
			}
			add(b, p, len, -1);
			free(p);
		}
		if (txt)
			ares_free_data(txt);
		if (st == ARES_SUCCESS)
			*ttl = reply_ttl(ab, alen);
		break;
	}
	}
	if (st == ARES_SUCCESS && b->oom)
		st = ARES_ENOMEM;
	return st;
}

/* ------------------------------------------------------------------ */
/* Running queries                                                    */
/* ------------------------------------------------------------------ */

/* ms_since - milliseconds from t to now, saturated. */
static uint32_t
ms_since(const struct timespec *t)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
	if (ms < 0)
		return 0;
	return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* publish - make a the answer of e; caller holds the lock.  A replaced
 * answer is kept (readers may hold it) until the resolver is freed. */
static void
publish(struct mt_resolver *res, struct ent *e, struct mt_dns_answer *a)
{
	if (e->ans != NULL) {
		if (res->nretired == res->retcap) {
			size_t ncap = res->retcap ? res->retcap * 2 : 16;
			struct mt_dns_answer **nv = realloc(res->retired,
			    ncap * sizeof(*nv));

			if (nv == NULL) {
				free(a);	/* keep the old answer */
				e->state = E_DONE;
				return;
			}
			res->retired = nv;
			res->retcap = ncap;
		}
		res->retired[res->nretired++] = e->ans;
	}
	if (a != NULL)
		e->ans = a;
	e->state = E_DONE;
}

/* give_up - answer e with status without a reply; caller holds the lock. */
static void
give_up(struct mt_resolver *res, struct ent *e, enum mt_dns_status status,
    uint32_t ms)
{
	struct mt_dns_answer *a = simple(e, status, ms);

	if (status == MT_DNS_UNAVAILABLE)
		res->st.unavailable++;
	publish(res, e, a);
}

/* mark_unavail - record that the resolver is unreachable; caller holds
 * the lock. */
static void
mark_unavail(struct mt_resolver *res, int status)
{
	res->unavail = true;
	if (status == ARES_ECONNREFUSED)
		snprintf(res->reason, sizeof(res->reason),
		    "DNS server %s refused the connection; no DNS lookups "
		    "were made", res->servers);
	else
		snprintf(res->reason, sizeof(res->reason),
		    "DNS server %s did not answer the first %u queries; no "
		    "more DNS lookups were made", res->servers, res->outcomes);
}

/* done_cb - c-ares' callback for one query (runs inside ares_process_fd,
 * ares_query or ares_cancel, on the mt_res_run thread). */
static void
done_cb(void *arg, int status, int timeouts, unsigned char *ab, int alen)
{
	struct ent *e = arg;
	struct mt_resolver *res = e->res;
	struct build b = { 0 };
	struct mt_dns_answer *a;
	enum mt_dns_status st;
	uint32_t ttl = 0, ms;

	if (status == ARES_EDESTRUCTION)	/* mt_resolver_free() */
		return;
	ms = ms_since(&e->sent);
	switch (status) {
	case ARES_SUCCESS:
		st = MT_DNS_OK;
		if (ab == NULL)
			st = MT_DNS_OTHER;
		else {
			int r = parse(e, ab, alen, &b, &ttl);

			if (r == ARES_EBADRESP) {
				/* c-ares refuses names holding a byte that is
				 * not a letter, digit or one of - . _ / * :
				 * read the answer ourselves */
				build_free(&b);
				if (fallback(e, ab, alen, &b, &ttl) != 0 ||
				    b.oom)
					st = MT_DNS_OTHER;
			} else if (r == ARES_ENODATA) {
				ttl = 0;	/* e.g. only a CNAME */
			} else if (r != ARES_SUCCESS) {
				st = MT_DNS_OTHER;
			}
			if (st != MT_DNS_OK)
				build_free(&b);
		}
		break;
	case ARES_ENODATA:		/* NOERROR, no record of the type */
		st = MT_DNS_OK;
		break;
	case ARES_ENOTFOUND:
		st = MT_DNS_NXDOMAIN;
		break;
	case ARES_ESERVFAIL:
		st = MT_DNS_SERVFAIL;
		break;
	case ARES_EREFUSED:
		st = MT_DNS_REFUSED;
		break;
	case ARES_EFORMERR:
		st = MT_DNS_FORMERR;
		break;
	case ARES_ETIMEOUT:
		st = MT_DNS_TIMEOUT;
		break;
	case ARES_ECONNREFUSED:
		st = MT_DNS_UNAVAILABLE;
		break;
	case ARES_ECANCELLED:
		st = res->cancel_status;
		break;
	default:			/* ENOTIMP, EBADRESP, ENOMEM, ... */
		st = MT_DNS_OTHER;
		break;
	}
	a = pack(&b, e, st, ttl, ms);
	build_free(&b);

	pthread_mutex_lock(&res->lock);
	if (status != ARES_ECANCELLED) {
		bool bad = status == ARES_ETIMEOUT ||
		    status == ARES_ECONNREFUSED;

		res->outcomes++;
		if (!bad) {
			res->seen_answer = true;
			res->st.answered++;
		} else if (!res->seen_answer && !res->unavail &&
		    (res->outcomes >= UNAVAIL_FIRST ||
		    status == ARES_ECONNREFUSED)) {
			mark_unavail(res, status);
		}
	}
	if (st == MT_DNS_TIMEOUT && status == ARES_ETIMEOUT)
		res->st.timeouts++;
	else if (st == MT_DNS_TIMEOUT)
		res->st.over_budget++;
	else if (st == MT_DNS_UNAVAILABLE)
		res->st.unavailable++;
	if (a == NULL)
		a = simple(e, MT_DNS_OTHER, ms);
	publish(res, e, a);
	res->inflight--;
	pthread_mutex_unlock(&res->lock);
}

/* now_ts - the monotonic clock. */
static struct timespec
now_ts(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

/* budget_left - milliseconds left of the budget (INT64_MAX when none). */
static int64_t
budget_left(const struct mt_resolver *res)
{
	struct timespec n;

	if (res->budget_ms <= 0)
		return INT64_MAX;
	n = now_ts();
	return (int64_t)res->budget_ms -
	    ((int64_t)(n.tv_sec - res->t0.tv_sec) * 1000 +
	    (n.tv_nsec - res->t0.tv_nsec) / 1000000);
}

/* drain - answer every pending query with status, unsent; caller holds
 * the lock. */
static void
drain(struct mt_resolver *res, enum mt_dns_status status)
{
	struct ent *e;

	while ((e = res->qhead) != NULL) {
		res->qhead = e->next;
		e->next = NULL;
		if (status == MT_DNS_TIMEOUT)
			res->st.over_budget++;
		give_up(res, e, status, 0);
	}
	res->qtail = NULL;
}

/* wait_io - one poll() round over c-ares' sockets, at most left ms. */
static int
wait_io(struct mt_resolver *res, int64_t left)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval maxtv, tv, *tvp;
	unsigned bits;
	int i, n = 0, ms, r;

	/* the bits tested unsigned: ARES_GETSOCK_WRITABLE shifts a signed
	 * 1 into the sign bit for the 16th socket */
	bits = (unsigned)ares_getsock(res->ch, socks, ARES_GETSOCK_MAXNUM);
	for (i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		short ev = 0;

		if (bits & (1u << i))
			ev |= POLLIN;
		if (bits & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev |= POLLOUT;
		if (ev == 0)
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = ev;
		pfd[n].revents = 0;
		n++;
	}
	if (left > 1000)
		left = 1000;	/* look at the budget and the queue again */
	if (left < 0)
		left = 0;
	maxtv.tv_sec = (time_t)(left / 1000);
	maxtv.tv_usec = (suseconds_t)(left % 1000) * 1000;
	tvp = ares_timeout(res->ch, &maxtv, &tv);
	ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
	r = poll(pfd, (nfds_t)n, ms);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	if (r == 0) {
		ares_process_fd(res->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		return 0;
	}
	for (i = 0; i < n; i++) {
		bool rd = (pfd[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
		bool wr = (pfd[i].revents & POLLOUT) != 0;

		if (rd || wr)
			ares_process_fd(res->ch,
			    rd ? pfd[i].fd : ARES_SOCKET_BAD,
			    wr ? pfd[i].fd : ARES_SOCKET_BAD);
	}
	return 0;
}

/* mt_res_run - resolve everything pending, see resolve.h. */
int
mt_res_run(struct mt_resolver *res)
{
	int rc = 0;

	if (res == NULL || res->replay || !res->have_ch)
		return 0;
	pthread_mutex_lock(&res->lock);
	if (!res->started) {
		res->started = true;
		res->t0 = now_ts();
	}
	pthread_mutex_unlock(&res->lock);

	for (;;) {
		int64_t left = budget_left(res);
		bool stop, unavail;
		size_t flight;

		pthread_mutex_lock(&res->lock);
		stop = res->unavail || left <= 0;
		if (stop) {
			enum mt_dns_status s = res->unavail ?
			    MT_DNS_UNAVAILABLE : MT_DNS_TIMEOUT;

			drain(res, s);
			flight = res->inflight;
			res->cancel_status = s;
			pthread_mutex_unlock(&res->lock);
			if (flight > 0)	/* callbacks run inside, with s */
				ares_cancel(res->ch);
			pthread_mutex_lock(&res->lock);
			flight = res->inflight;
			stop = res->qhead == NULL;
			pthread_mutex_unlock(&res->lock);
			if (stop || flight > 0)
				break;
			continue;
		}
		/* A failure before any answer: send nothing more until the
		 * queries in flight tell whether the server is there. */
		while (res->inflight < (size_t)res->conc && res->qhead &&
		    !res->unavail && !(res->outcomes > 0 && !res->seen_answer &&
		    res->inflight > 0)) {
			struct ent *e = res->qhead;

			res->qhead = e->next;
			if (res->qhead == NULL)
				res->qtail = NULL;
			e->next = NULL;
			e->state = E_FLIGHT;
			e->sent = now_ts();
			res->inflight++;
			res->st.sent++;
			pthread_mutex_unlock(&res->lock);
			/* may call done_cb at once, which takes the lock */
			ares_query(res->ch, e->qname, 1 /* C_IN */,
			    types[e->type].qtype, done_cb, e);
			pthread_mutex_lock(&res->lock);
		}
		flight = res->inflight;
		stop = flight == 0 && res->qhead == NULL;
		unavail = res->unavail;
		pthread_mutex_unlock(&res->lock);
		if (stop)
			break;
		if (unavail)
			continue;
		if (wait_io(res, left) != 0) {
			rc = -1;
			break;
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The cache API                                                      */
/* ------------------------------------------------------------------ */

/* mt_res_want - queue (type, name) unless cached, see resolve.h. */
int
mt_res_want(struct mt_resolver *res, enum mt_dns_type type, const char *name)
{
	char q[MT_RES_NAME_MAX];
	struct mt_ip ip;
	struct ent *e;
	int n, rc = 0;
	uint32_t h;

	if (res == NULL || (n = norm(type, name, q, &ip)) < 0) {
		errno = EINVAL;
		return -1;
	}
	h = hash(type, q, (size_t)n);
	pthread_mutex_lock(&res->lock);
	e = find(res, type, q, (size_t)n, h);
	if (e != NULL) {
		if (e->ip.family == 0)
			e->ip = ip;
		if (e->state == E_DONE && e->retry && !res->replay) {
			e->retry = false;
			e->state = E_PENDING;
			goto queue;
		}
		res->st.hits++;
		goto out;
	}
	if ((e = insert(res, type, q, (size_t)n, h)) == NULL) {
		errno = ENOMEM;
		rc = -1;
		goto out;
	}
	e->ip = ip;
	if (res->replay) {
		struct mt_dns_answer *a = simple(e, MT_DNS_SKIPPED, 0);

		if (a == NULL) {
			errno = ENOMEM;
			rc = -1;	/* the entry stays, unanswered */
			goto out;
		}
		publish(res, e, a);
		goto out;
	}
	e->state = E_PENDING;
queue:
	if (res->qtail)
		res->qtail->next = e;
	else
		res->qhead = e;
	res->qtail = e;
out:
	pthread_mutex_unlock(&res->lock);
	return rc;
}

/* mt_res_get - the cached answer, see resolve.h. */
const struct mt_dns_answer *
mt_res_get(struct mt_resolver *res, enum mt_dns_type type, const char *name)
{
	char q[MT_RES_NAME_MAX];
	struct mt_ip ip;
	const struct mt_dns_answer *a = NULL;
	struct ent *e;
	int n;

	if (res == NULL || (n = norm(type, name, q, &ip)) < 0)
		return NULL;
	pthread_mutex_lock(&res->lock);
	e = find(res, type, q, (size_t)n, hash(type, q, (size_t)n));
	if (e != NULL)
		a = e->ans;
	pthread_mutex_unlock(&res->lock);
	return a;
}

/* mt_res_unavailable - has the resolver been found unreachable. */
bool
mt_res_unavailable(struct mt_resolver *res)
{
	bool u;

	if (res == NULL)
		return false;
	pthread_mutex_lock(&res->lock);
	u = res->unavail;
	pthread_mutex_unlock(&res->lock);
	return u;
}

/* mt_res_unavailable_reason - why, or NULL. */
const char *
mt_res_unavailable_reason(struct mt_resolver *res)
{
	const char *r;

	if (res == NULL)
		return NULL;
	pthread_mutex_lock(&res->lock);
	r = res->unavail ? res->reason : NULL;
	pthread_mutex_unlock(&res->lock);
	return r;
}

/* mt_res_stats - copy the counters. */
void
mt_res_stats(struct mt_resolver *res, struct mt_res_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (res == NULL)
		return;
	pthread_mutex_lock(&res->lock);
	*st = res->st;
	pthread_mutex_unlock(&res->lock);
}

/* ------------------------------------------------------------------ */
/* Cache file                                                         */
/* ------------------------------------------------------------------ */

/* put - write one field of the cache file, escaping as the format says. */
static void
put(FILE *f, const char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch > 0x20 && ch < 0x7f && ch != '%')
			continue;
		fwrite(p + run, 1, i - run, f);
		fputc('%', f);
		fputc(hex[ch >> 4], f);
		fputc(hex[ch & 15], f);
		run = i + 1;
	}
	fwrite(p + run, 1, n - run, f);
}

/* by_key - order entries by type, then qname. */
static int
by_key(const void *pa, const void *pb)
{
	const struct ent *a = *(const struct ent *const *)pa;
	const struct ent *b = *(const struct ent *const *)pb;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return strcmp(a->qname, b->qname);
}

/* mt_res_save - write the cache file, see resolve.h. */
int
mt_res_save(struct mt_resolver *res, const char *path, char *err,
    size_t errlen)
{
	struct ent **v = NULL;
	char *tmp = NULL;
	FILE *f = NULL;
	size_t i, n = 0;
	int fd = -1, rc = -1;

	if (res == NULL) {
		seterr(err, errlen, "no resolver");
		return -1;
	}
	if (path == NULL)
		path = res->cache_file;
	if (path == NULL) {
		seterr(err, errlen, "no cache file given");
		return -1;
	}
	pthread_mutex_lock(&res->lock);
	v = malloc((res->count ? res->count : 1) * sizeof(*v));
	for (i = 0; v != NULL && i < res->tabcap; i++)
		if (res->tab[i] != NULL && res->tab[i]->ans != NULL)
			v[n++] = res->tab[i];
	pthread_mutex_unlock(&res->lock);
	/* answers never change once published: no lock needed below */
	if (v == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	qsort(v, n, sizeof(*v), by_key);
	if ((tmp = malloc(strlen(path) + 16)) == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	snprintf(tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	fputs(MAGIC "\n# TYPE QNAME STATUS TTL MS N ANSWER... "
	    "(TAB-separated, bytes outside 0x21-0x7e and '%' as %HH)\n", f);
	for (i = 0; i < n; i++) {
		const struct mt_dns_answer *a = v[i]->ans;
		size_t j;

		fprintf(f, "%s\t", mt_dns_type_name(a->type));
		put(f, v[i]->qname, v[i]->qlen);
		fprintf(f, "\t%s\t%lu\t%lu\t%zu",
		    mt_dns_status_name(a->status), (unsigned long)a->ttl,
		    (unsigned long)a->ms, a->nanswers);
		for (j = 0; j < a->nanswers; j++) {
			fputc('\t', f);
			put(f, a->answers[j], a->lens[j]);
		}
		fputc('\n', f);
	}
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(v);
	return rc;
}

/* hexval - value of a hex digit, or -1. */
static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* unput - decode one escaped field in place; returns its length or -1. */
static long
unput(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch <= 0x20 || ch >= 0x7f)
			return -1;
		if (ch == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval((unsigned char)p[i + 1]);
			lo = hexval((unsigned char)p[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		p[o++] = (char)ch;
	}
	return (long)o;
}

/* load_line - one data line of the cache file (NUL-terminated, no line
 * end); returns 0 or -1 with err set. */
static int
load_line(struct mt_resolver *res, char *line, size_t len, char *err,
    size_t errlen)
{
	struct mt_str *f = NULL;
	size_t nf = 1, i, k;
	uint64_t ttl, ms, cnt;
	long ql;
	int type = -1, status = -1, rc = -1;
	struct build b = { 0 };
	struct mt_dns_answer *a;
	struct ent *e;
	char q[MT_RES_NAME_MAX];
	uint32_t h;

	for (i = 0; i < len; i++)
		nf += line[i] == '\t';
	if (nf < 6) {
		seterr(err, errlen, "too few fields");
		goto out;
	}
	if ((f = malloc(nf * sizeof(*f))) == NULL)
		goto nomem;
	for (i = 0, k = 0; k < nf; k++) {
		size_t start = i;

		while (i < len && line[i] != '\t')
			i++;
		f[k] = mt_str(line + start, i - start);
		i++;
	}
	for (k = 0; k < NTYPES; k++)
		if (mt_str_eq(f[0], mt_str(types[k].name,
		    strlen(types[k].name))))
			type = (int)k;
	for (k = 0; k < NSTATUSES; k++)
		if (mt_str_eq(f[2], mt_str(statuses[k], strlen(statuses[k]))))
			status = (int)k;
	if (type < 0 || status < 0) {
		seterr(err, errlen, "unknown %s", type < 0 ? "type" : "status");
		goto out;
	}
	if (!mt_parse_u64(f[3], UINT32_MAX, &ttl) ||
	    !mt_parse_u64(f[4], UINT32_MAX, &ms) ||
	    !mt_parse_u64(f[5], MAX_ANSWERS, &cnt)) {
		seterr(err, errlen, "bad number");
		goto out;
	}
	if (nf != 6 + cnt) {
		seterr(err, errlen, "%zu answers where %llu were counted",
		    nf - 6, (unsigned long long)cnt);
		goto out;
	}
	/* the qname: escaped like the rest, and a valid host name */
	if ((ql = unput((char *)f[1].p, f[1].len)) < 0 ||
	    ql >= MT_RES_NAME_MAX) {
		seterr(err, errlen, "bad qname");
		goto out;
	}
	((char *)f[1].p)[ql] = '\0';
	if (host(f[1].p, q) != (int)ql || memcmp(q, f[1].p, (size_t)ql) != 0) {
		seterr(err, errlen, "bad qname (not a lower-case host name)");
		goto out;
	}
	for (k = 6; k < nf; k++) {
		long al = unput((char *)f[k].p, f[k].len);
		long pref = -1;

		if (al < 0) {
			seterr(err, errlen, "bad escape in answer %zu", k - 5);
			goto out;
		}
		if (type == MT_DNS_MX) {
			/* "PREF HOST": sort as the resolver did */
			uint64_t v;
			size_t d = 0;

			while (d < (size_t)al &&
			    mt_is((unsigned char)f[k].p[d], MT_C_DIGIT))
				d++;
			pref = mt_parse_u64(mt_str(f[k].p, d), 65535, &v) ?
			    (long)v : 65536;
		}
		add(&b, f[k].p, (size_t)al, pref);
	}
	if (b.oom)
		goto nomem;
	h = hash((enum mt_dns_type)type, q, (size_t)ql);
	e = find(res, (enum mt_dns_type)type, q, (size_t)ql, h);
	if (e == NULL &&
	    (e = insert(res, (enum mt_dns_type)type, q, (size_t)ql, h)) == NULL)
		goto nomem;
	a = pack(&b, e, (enum mt_dns_status)status, (uint32_t)ttl,
	    (uint32_t)ms);
	if (a == NULL)
		goto nomem;
	publish(res, e, a);
	/* without replay, what was not an answer is asked again */
	e->retry = !res->replay && (status == MT_DNS_TIMEOUT ||
	    status == MT_DNS_SKIPPED || status == MT_DNS_UNAVAILABLE);
	rc = 0;
	goto out;
nomem:
	seterr(err, errlen, "out of memory");
out:
	build_free(&b);
	free(f);
	return rc;
}

/* load - read the cache file at path; returns 0, 1 when it does not exist,
 * or -1 with err set. */
static int
load(struct mt_resolver *res, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *line = NULL, why[128];
	size_t cap = 0, len;
	unsigned long lineno = 0;
	int ch, rc = -1;
	bool eof = false;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 1;
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!eof) {
		len = 0;
		for (;;) {
			ch = getc_unlocked(f);
			if (ch == EOF) {
				eof = true;
				break;
			}
			if (ch == '\n')
				break;
			if (len + 1 >= cap) {
				size_t ncap = cap ? cap * 2 : 256;
				char *nl;

				if (cap >= MAX_LINE) {
					seterr(err, errlen, "%s:%lu: line "
					    "longer than %d bytes", path,
					    lineno + 1, MAX_LINE);
					goto out;
				}
				if (ncap > MAX_LINE)
					ncap = MAX_LINE;
				if ((nl = realloc(line, ncap)) == NULL) {
					seterr(err, errlen, "out of memory");
					goto out;
				}
				line = nl;
				cap = ncap;
			}
			line[len++] = (char)ch;
		}
		if (ferror(f)) {
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (eof && len == 0)
			break;
		lineno++;
		if (line == NULL && (line = malloc(cap = 256)) == NULL) {
			seterr(err, errlen, "out of memory");
			goto out;
		}
		line[len] = '\0';
		if (lineno == 1) {
			if (len != strlen(MAGIC) ||
			    memcmp(line, MAGIC, len) != 0) {
				seterr(err, errlen, "%s: not a mailtrace DNS "
				    "cache file (first line is not \"%s\")",
				    path, MAGIC);
				goto out;
			}
			continue;
		}
		if (len == 0 || line[0] == '#')
			continue;
		if (load_line(res, line, len, why, sizeof(why)) != 0) {
			seterr(err, errlen, "%s:%lu: %s", path, lineno, why);
			goto out;
		}
	}
	if (lineno == 0) {
		seterr(err, errlen, "%s: empty file", path);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                         */
/* ------------------------------------------------------------------ */

/* lib_init - c-ares' one-time global set-up (a no-op on POSIX, but
 * ares_library_init is not thread-safe, so it runs once). */
static void
lib_init(void)
{
	lib_status = ares_library_init(ARES_LIB_INIT_ALL);
}

/* server_ok - an "IP", "IP:PORT" or "[IPv6]:PORT" made of plain bytes
 * (c-ares parses it; this keeps ',' and control bytes out of the list and
 * of the unavailable reason). */
static bool
server_ok(const char *s)
{
	size_t i, n = strnlen(s, 80);

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!mt_is((unsigned char)s[i], MT_C_HEX) && s[i] != '.' &&
		    s[i] != ':' && s[i] != '[' && s[i] != ']')
			return false;
	return true;
}

/* mt_resolver_new - see resolve.h. */
struct mt_resolver *
mt_resolver_new(const struct mt_resolver_opts *opts, char *err, size_t errlen)
{
	static const struct mt_resolver_opts none = { 0 };
	struct mt_resolver *res = NULL;
	struct ares_options ao;
	size_t i, csvlen = 0;
	int timeout, tries, r;

	if (opts == NULL)
		opts = &none;
	timeout = opts->timeout_ms ? opts->timeout_ms : DEF_TIMEOUT_MS;
	tries = opts->tries ? opts->tries : DEF_TRIES;
	if (timeout < 1 || timeout > 600000 || tries < 1 || tries > 10 ||
	    opts->concurrency < 0 || opts->concurrency > 4096 ||
	    opts->budget_ms < 0) {
		seterr(err, errlen, "DNS option out of range (timeout 1-600000 "
		    "ms, tries 1-10, concurrency 1-4096, budget >= 0)");
		return NULL;
	}
	if (opts->replay && opts->cache_file == NULL) {
		seterr(err, errlen, "DNS replay needs a cache file");
		return NULL;
	}
	for (i = 0; i < opts->nservers; i++) {
		if (opts->servers[i] == NULL || !server_ok(opts->servers[i])) {
			seterr(err, errlen, "bad DNS server address (want IP, "
			    "IP:PORT or [IPv6]:PORT)");
			return NULL;
		}
		csvlen += strlen(opts->servers[i]) + 1;
	}
	if ((res = calloc(1, sizeof(*res))) == NULL)
		goto nomem;
	pthread_mutex_init(&res->lock, NULL);
	res->conc = opts->concurrency ? opts->concurrency : DEF_CONCURRENCY;
	res->budget_ms = opts->budget_ms;
	res->replay = opts->replay;
	res->cancel_status = MT_DNS_TIMEOUT;
	if (opts->cache_file &&
	    (res->cache_file = strdup(opts->cache_file)) == NULL)
		goto nomem;
	if ((res->servers = malloc(csvlen + 32)) == NULL)
		goto nomem;
	res->servers[0] = '\0';
	for (i = 0; i < opts->nservers; i++) {
		if (i > 0)
			strcat(res->servers, ",");
		strcat(res->servers, opts->servers[i]);
	}
	if (opts->cache_file) {
		r = load(res, opts->cache_file, err, errlen);
		if (r < 0 || (r == 1 && res->replay)) {
			if (r == 1)
				seterr(err, errlen, "%s: %s", opts->cache_file,
				    strerror(ENOENT));
			goto fail;
		}
	}
	if (res->replay)
		return res;

	pthread_once(&lib_once, lib_init);
	if (lib_status != ARES_SUCCESS) {
		seterr(err, errlen, "c-ares: %s", ares_strerror(lib_status));
		goto fail;
	}
	memset(&ao, 0, sizeof(ao));
	ao.flags = ARES_FLAG_NOCHECKRESP;
	ao.timeout = timeout;
	ao.tries = tries;
	ao.socket_receive_buffer_size = RCVBUF;
	r = ares_init_options(&res->ch, &ao, ARES_OPT_FLAGS |
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_RCVBUF);
	if (r != ARES_SUCCESS) {
		seterr(err, errlen, "c-ares: %s", ares_strerror(r));
		goto fail;
	}
	res->have_ch = true;
	if (opts->nservers > 0 &&
	    (r = ares_set_servers_ports_csv(res->ch, res->servers)) !=
	    ARES_SUCCESS) {
		seterr(err, errlen, "DNS servers \"%s\": %s", res->servers,
		    ares_strerror(r));
		goto fail;
	}
	if (opts->nservers == 0)
		strcpy(res->servers, "(system resolv.conf)");
	return res;
nomem:
	seterr(err, errlen, "out of memory");
fail:
	mt_resolver_free(res);
	return NULL;
}

/* mt_resolver_free - see resolve.h. */
void
mt_resolver_free(struct mt_resolver *res)
{
	size_t i;

	if (res == NULL)
		return;
	if (res->have_ch)
		ares_destroy(res->ch);	/* callbacks see EDESTRUCTION */
	for (i = 0; i < res->tabcap; i++)
		if (res->tab[i] != NULL) {
			free(res->tab[i]->ans);
			free(res->tab[i]);
		}
	for (i = 0; i < res->nretired; i++)
		free(res->retired[i]);
	free(res->retired);
	free(res->tab);
	free(res->servers);
	free(res->cache_file);
	pthread_mutex_destroy(&res->lock);
	free(res);
}
