/*
 * domain.c - host names: registrable domains from the Public Suffix List
 * (libpsl with Debian's publicsuffix data; the only file that includes
 * <libpsl.h>), FQDN and generic-name tests.
 */
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "domain.h"

/*
 * A per-context memo of host -> registrable domain: the same few hundred
 * relay names recur across a mailbox, and a suffix-list walk costs far
 * more than a hash probe.  Direct-mapped: a collision replaces the slot.
 */
#define DOMCACHE_SLOTS 16384	/* 3 MiB at most, touched as used */
#define DOMCACHE_KEY 96

struct slot {
	char	host[DOMCACHE_KEY];	/* lowercased; "" = empty slot */
	char	reg[DOMCACHE_KEY];	/* "" = no registrable domain */
};

struct mt_domcache {
	struct slot	slots[DOMCACHE_SLOTS];
};

/* slot_of - the cache slot of a lowercased host name, by its hash. */
static struct slot *
slot_of(struct mt_ctx *ctx, uint32_t h)
{
	if (ctx->domcache == NULL &&
	    (ctx->domcache = calloc(1, sizeof(*ctx->domcache))) == NULL)
		return NULL;
	return &ctx->domcache->slots[h % DOMCACHE_SLOTS];
}

/* psl - the context's suffix list, loaded on first use so a run that never
 * compares domains does not pay for it. */
static const psl_ctx_t *
psl(struct mt_ctx *ctx)
{
	if (ctx->psl == NULL) {
		/* The system list (publicsuffix package) is newer than the
		 * copy built into the library; fall back to the latter. */
		ctx->psl = psl_latest(NULL);
		if (ctx->psl == NULL)
			ctx->psl = (psl_ctx_t *)psl_builtin();
		else
			ctx->psl_owned = true;
	}
	return ctx->psl;
}

/* mt_dom_free - release what domain.c keeps in a context. */
void
mt_dom_free(struct mt_ctx *ctx)
{
	if (ctx->psl != NULL && ctx->psl_owned)
		psl_free(ctx->psl);
	ctx->psl = NULL;
	free(ctx->domcache);
	ctx->domcache = NULL;
}

/* mt_dom_is_fqdn - a dotted host name of letters, digits, '-' and '_',
 * not an address literal and not a bare IP. */
bool
mt_dom_is_fqdn(struct mt_str host)
{
	struct mt_ip ip;
	size_t i, dots = 0;

	bool numeric = true;

	if (host.p == NULL || host.len < 3 || host.len > 253)
		return false;
	for (i = 0; i < host.len; i++) {
		if (host.p[i] == '.') {
			if (i == 0 || host.p[i - 1] == '.')
				return false;
			dots++;
		} else if (!mt_is((unsigned char)host.p[i], MT_C_HOST))
			return false;
		else if (!mt_is((unsigned char)host.p[i], MT_C_DIGIT))
			numeric = false;
	}
	/* Only digits and dots can still be an address literal (an IPv6
	 * one has a ':', which no host name has). */
	if (numeric && mt_ip_parse(host, &ip))
		return false;
	return dots > 0 && host.p[host.len - 1] != '.';
}

static const char *registrable(struct mt_ctx *, char *, size_t);

/* mt_dom_registrable - the registrable domain of host ("mail.sina.com" ->
 * "sina.com", "a.b.example.co.uk" -> "example.co.uk"), lowercased in the
 * arena; null for literals, names without a dot, and public suffixes. */
struct mt_str
mt_dom_registrable(struct mt_ctx *ctx, struct mt_arena *a, struct mt_str host)
{
	char buf[256];
	struct slot *sl = NULL;
	const char *r;
	uint32_t h = 2166136261u;	/* FNV-1a of the lowercased name */
	size_t i;

	if (!mt_dom_is_fqdn(host))
		return MT_STR_NULL;
	for (i = 0; i < host.len; i++) {
		buf[i] = (char)mt_lower((unsigned char)host.p[i]);
		h = (h ^ (unsigned char)buf[i]) * 16777619u;
	}
	buf[host.len] = '\0';
	if (host.len < DOMCACHE_KEY && (sl = slot_of(ctx, h)) != NULL &&
	    memcmp(sl->host, buf, host.len + 1) == 0)
		return sl->reg[0] ? mt_arena_dupz(a, sl->reg) : MT_STR_NULL;
	r = registrable(ctx, buf, host.len);
	if (sl != NULL) {
		size_t rl = r ? strlen(r) : 0;

		if (rl < DOMCACHE_KEY) {
			memcpy(sl->host, buf, host.len + 1);
			memcpy(sl->reg, r ? r : "", rl + 1);
		}
	}
	return r ? mt_arena_dupz(a, r) : MT_STR_NULL;
}

/* registrable - the suffix-list answer for a lowercased host in buf. */
static const char *
registrable(struct mt_ctx *ctx, char *buf, size_t len)
{
	const char *r;
	size_t i;

	r = psl_registrable_domain(psl(ctx), buf);
	if (r == NULL) {
		/* Unknown to the list ("host.internal"): the last two
		 * labels, deliberately lenient. */
		const char *dot = NULL;
		int seen = 0;

		for (i = len; i > 0; i--)
			if (buf[i - 1] == '.' && ++seen == 2) {
				dot = buf + i;
				break;
			}
		r = dot ? dot : buf;
		if (psl_is_public_suffix(psl(ctx), r))
			return NULL;
	}
	return r;
}

/* mt_dom_same - do two host names share a registrable domain. */
bool
mt_dom_same(struct mt_ctx *ctx, struct mt_arena *a, struct mt_str x,
    struct mt_str y)
{
	struct mt_str rx = mt_dom_registrable(ctx, a, x);
	struct mt_str ry;

	if (rx.p == NULL)
		return false;
	ry = mt_dom_registrable(ctx, a, y);
	return ry.p != NULL && mt_str_eq(rx, ry);
}

/*
 * mt_dom_is_generic - does a PTR name look assigned by an access provider
 * rather than chosen by the host's owner: it embeds the address's octets
 * ("1-2-3-4.dsl.example", "host-203-0-113-20.example",
 * "c-203-0-113-20.hsd1.example", "203.0.113.20.static.example").  Names
 * like these say whose network the host is on, not who runs it.
 */
bool
mt_dom_is_generic(struct mt_str name, const struct mt_ip *ip)
{
	char oct[4][4];
	size_t i, found = 0;

	if (name.p == NULL || ip == NULL || ip->family != 4)
		return false;
	for (i = 0; i < 4; i++) {
		unsigned v = ip->addr[i];
		size_t n = 0;

		if (v >= 100)
			oct[i][n++] = (char)('0' + v / 100);
		if (v >= 10)
			oct[i][n++] = (char)('0' + v / 10 % 10);
		oct[i][n++] = (char)('0' + v % 10);
		oct[i][n] = '\0';
	}
	/* Count octets that appear as whole digit runs of the name. */
	for (i = 0; i < 4; i++) {
		size_t j = 0, n = strlen(oct[i]);

		while (j + n <= name.len) {
			if (memcmp(name.p + j, oct[i], n) == 0 &&
			    (j == 0 || !mt_is((unsigned char)name.p[j - 1],
			    MT_C_DIGIT)) &&
			    (j + n == name.len ||
			    !mt_is((unsigned char)name.p[j + n], MT_C_DIGIT))) {
				found++;
				break;
			}
			j++;
		}
	}
	return found >= 3;
}
