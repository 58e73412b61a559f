/*
 * enrich.c - DNS and GeoIP enrichment of the hops, and the questions any
 * stage asks in phase 1 and reads in phase 2 (see enrich.h for the two
 * phases and the rounds between them).
 *
 * Which hops are looked up: the boundary hop (its client is the origin)
 * and the hops below it that the chain did not already show injected
 * before DNS, with a public or documentation address (documentation
 * ranges count as public so that samples and fixtures can use them;
 * private, loopback, link-local, CGNAT and reserved addresses never reach
 * DNS).  Hops above the boundary were written by the recipient's side:
 * DNS adds nothing to them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "enrich.h"
#include "geoip.h"
#include "mt.h"
#include "resolve.h"

struct mt_enrich_ctx {
	struct mt_resolver	*res;		/* NULL: DNS off */
	struct mt_geoip		*geoip;		/* NULL: no database open */
	char			*zones[MT_ENRICH_MAX_ZONES];
	size_t			 nzones;
	bool			 evidence;
	bool			 replay;
	bool			 cache;		/* a cache file to save */
	bool			 shared;	/* res belongs to opts.dns_share */
};

/* One question a message asked. */
struct query {
	enum mt_dns_type	 type;
	struct mt_str		 name;		/* normalized (norm) */
	const struct mt_dns_answer *ans;	/* set by mt_enrich_end */
	bool			 dup;		/* an earlier one has its answer */
};

struct hook {
	mt_enrich_fn	 fn;
	void		*arg;
};

/* What was asked about one hop. */
struct plan {
	bool		 on;		/* looked up */
	bool		 skipped;	/* beyond MT_MAX_DNS_HOPS: not asked */
	bool		 fwd;		/* forward lookups of PTR asked */
	uint32_t	 zones;		/* DNSBL zones whose A was read */
};

struct mt_enrich {
	MT_VEC(struct query) q;
	MT_VEC(struct hook) hooks;
	struct plan	*plan;		/* one per hop, or NULL */
	size_t		 nplan;
	struct mt_str	 rcpt_domain;	/* whose MX was asked, or null */
	bool		 ended;
};

/* ------------------------------------------------------------------ */
/* Context                                                            */
/* ------------------------------------------------------------------ */

/* zone_norm - a DNSBL zone lowercased without its final dot into out
 * (MT_RES_NAME_MAX); -1 when it is not a host name. */
static int
zone_norm(const char *zone, char *out)
{
	static const struct mt_ip probe = { 4, { 127, 0, 0, 2 } };
	char name[MT_RES_NAME_MAX];
	size_t i, n = strlen(zone);

	/* The builder checks the zone is a host name and fits with the
	 * longest reversed address. */
	if (n == 0 || n >= MT_RES_NAME_MAX ||
	    mt_res_dnsbl_name(&probe, zone, name, sizeof(name)) < 0)
		return -1;
	if (zone[n - 1] == '.')
		n--;
	for (i = 0; i < n; i++)
		out[i] = (char)mt_lower((unsigned char)zone[i]);
	out[n] = '\0';
	return (int)n;
}

/* mt_enrich_ctx_new - the resolver and the databases of ctx->opts. */
int
mt_enrich_ctx_new(struct mt_ctx *ctx, char *err, size_t errlen)
{
	const struct mt_ctx_opts *o = &ctx->opts;
	struct mt_enrich_ctx *ec;
	char buf[MT_RES_NAME_MAX];
	size_t i;

	if ((ec = calloc(1, sizeof(*ec))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ctx->enrich = ec;
	ec->evidence = o->dns_evidence && !o->no_dns;
	if (!o->no_dns) {
		struct mt_resolver_opts ro;

		if (o->ndnsbl > MT_ENRICH_MAX_ZONES) {
			snprintf(err, errlen, "too many DNSBL zones (at most "
			    "%d)", MT_ENRICH_MAX_ZONES);
			return -1;
		}
		for (i = 0; i < o->ndnsbl; i++) {
			if (o->dnsbl[i] == NULL ||
			    zone_norm(o->dnsbl[i], buf) < 0) {
				snprintf(err, errlen, "bad DNSBL zone "
				    "\"%.64s\" (want a host name)",
				    o->dnsbl[i] ? o->dnsbl[i] : "");
				return -1;
			}
			if ((ec->zones[ec->nzones++] = strdup(buf)) == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		/* Another context's resolver: one answer cache for every
		 * thread of a run (that context owns it and its file). */
		if (o->dns_share != NULL && o->dns_share->enrich != NULL &&
		    o->dns_share->enrich->res != NULL) {
			ec->res = o->dns_share->enrich->res;
			ec->shared = true;
			ec->replay = o->dns_share->enrich->replay;
			goto geoip;
		}
		memset(&ro, 0, sizeof(ro));
		ro.servers = o->dns_servers;
		ro.nservers = o->ndns_servers;
		ro.timeout_ms = o->dns_timeout_ms;
		ro.concurrency = o->dns_concurrency;
		ro.budget_ms = o->dns_budget_ms;
		ro.cache_file = o->dns_cache;
		ro.replay = o->dns_replay;
		if ((ec->res = mt_resolver_new(&ro, err, errlen)) == NULL)
			return -1;
		ec->replay = o->dns_replay;
		ec->cache = o->dns_cache != NULL;
	}
geoip:
	if (!o->no_geoip) {
		char msg[1024];

		msg[0] = '\0';
		ec->geoip = mt_geoip_open(o->geoip_dbs, o->ngeoip_dbs, msg,
		    sizeof(msg));
		if (ec->geoip == NULL) {
			snprintf(err, errlen, "%s", msg[0] ? msg :
			    "out of memory");
			return -1;
		}
		/* Nothing found in the usual places: no lookups at all. */
		if (mt_geoip_count(ec->geoip) == 0) {
			mt_geoip_close(ec->geoip);
			ec->geoip = NULL;
		}
	}
	return 0;
}

/* mt_enrich_ctx_free - close the resolver and the databases. */
void
mt_enrich_ctx_free(struct mt_ctx *ctx)
{
	struct mt_enrich_ctx *ec;
	size_t i;

	if (ctx == NULL || (ec = ctx->enrich) == NULL)
		return;
	if (!ec->shared)
		mt_resolver_free(ec->res);
	mt_geoip_close(ec->geoip);
	for (i = 0; i < ec->nzones; i++)
		free(ec->zones[i]);
	free(ec);
	ctx->enrich = NULL;
}

/* mt_enrich_dns_on - does the context ask DNS questions. */
bool
mt_enrich_dns_on(const struct mt_ctx *ctx)
{
	return ctx->enrich != NULL && ctx->enrich->res != NULL;
}

/* mt_enrich_unavailable - the resolver's reason once it is unreachable. */
const char *
mt_enrich_unavailable(struct mt_ctx *ctx)
{
	if (!mt_enrich_dns_on(ctx))
		return NULL;
	return mt_res_unavailable_reason(ctx->enrich->res);
}

/* mt_enrich_save - the answer cache into the cache file (not in replay:
 * the file is the input then, and stays as it was). */
int
mt_enrich_save(struct mt_ctx *ctx, char *err, size_t errlen)
{
	struct mt_enrich_ctx *ec = ctx->enrich;

	if (!mt_enrich_dns_on(ctx) || !ec->cache || ec->replay || ec->shared)
		return 0;
	return mt_res_save(ec->res, NULL, err, errlen);
}

/* mt_enrich_evidence - are queries listed in the records. */
bool
mt_enrich_evidence(const struct mt_ctx *ctx)
{
	return ctx->enrich != NULL && ctx->enrich->evidence;
}

/* mt_enrich_status_name - the schema's status names. */
const char *
mt_enrich_status_name(enum mt_dns_status status)
{
	/* The schema has no "formerr" or "other": both mean the server or
	 * its answer failed, which is what "servfail" says. */
	if (status == MT_DNS_FORMERR || status == MT_DNS_OTHER)
		return "servfail";
	return mt_dns_status_name(status);
}

/* ------------------------------------------------------------------ */
/* Questions of one message                                           */
/* ------------------------------------------------------------------ */

/* state - the message's enrichment state, made on first use. */
static struct mt_enrich *
state(struct mt_msg *m)
{
	if (m->enrich == NULL)
		m->enrich = mt_arena_alloc(&m->arena, sizeof(*m->enrich));
	return m->enrich;
}

/*
 * norm - the key a question is kept under, into out (MT_RES_NAME_MAX):
 * for PTR the canonical address text, else the host name lowercased
 * without its final dot (letters, digits, '-', '_', labels of 1-63 bytes,
 * 253 at most: what the resolver accepts).  Returns the length or -1.
 */
static int
norm(enum mt_dns_type type, const char *name, size_t n, char *out)
{
	size_t i, label = 0;

	if (type == MT_DNS_PTR) {
		struct mt_ip ip;

		if (!mt_ip_parse(mt_str(name, n), &ip))
			return -1;
		mt_ip_format(&ip, out, MT_RES_NAME_MAX);
		return (int)strlen(out);
	}
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if ((mt_is(ch, MT_C_ALPHA | MT_C_DIGIT) || ch == '-' ||
		    ch == '_') && ++label <= 63)
			;
		else
			return -1;
		out[i] = (char)mt_lower(ch);
	}
	out[n] = '\0';
	return (int)n;
}

/* find - the message's question (type, key), or NULL. */
static struct query *
find(struct mt_enrich *e, enum mt_dns_type type, const char *key, size_t n)
{
	size_t i;

	if (e == NULL)
		return NULL;
	for (i = 0; i < e->q.n; i++) {
		struct query *q = &e->q.v[i];

		if (q->type == type && q->name.len == n &&
		    memcmp(q->name.p, key, n) == 0)
			return q;
	}
	return NULL;
}

/* ask - mt_enrich_want for a name with a length. */
static int
ask(struct mt_msg *m, enum mt_dns_type type, const char *name, size_t len)
{
	struct mt_enrich_ctx *ec = m->ctx->enrich;
	char key[MT_RES_NAME_MAX];
	struct mt_enrich *e;
	struct query *q;
	int n;

	if (ec == NULL || ec->res == NULL)
		return 0;
	if (name == NULL || (n = norm(type, name, len, key)) < 0) {
		errno = EINVAL;
		return -1;
	}
	if ((e = state(m)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (find(e, type, key, (size_t)n) != NULL)
		return 0;
	if (mt_res_want(ec->res, type, key) != 0)
		return -1;
	if ((q = mt_vec_push(&m->arena, &e->q)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	q->type = type;
	q->name = mt_arena_dup(&m->arena, key, (size_t)n);
	if (q->name.p == NULL) {
		e->q.n--;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* want - ask, where a name that is not one is simply not asked; -1 only
 * when out of memory. */
static int
want(struct mt_msg *m, enum mt_dns_type type, struct mt_str name)
{
	if (name.p == NULL)
		return 0;
	if (ask(m, type, name.p, name.len) != 0 && errno != EINVAL)
		return -1;
	return 0;
}

/* mt_enrich_want - see enrich.h. */
int
mt_enrich_want(struct mt_msg *m, enum mt_dns_type type, const char *name)
{
	return ask(m, type, name, name ? strlen(name) : 0);
}

/* get - the answer to a question m asked (name with a length). */
static const struct mt_dns_answer *
get(struct mt_msg *m, enum mt_dns_type type, const char *name, size_t len)
{
	struct mt_enrich_ctx *ec = m->ctx->enrich;
	char key[MT_RES_NAME_MAX];
	int n;

	if (ec == NULL || ec->res == NULL || m->enrich == NULL ||
	    name == NULL || (n = norm(type, name, len, key)) < 0 ||
	    find(m->enrich, type, key, (size_t)n) == NULL)
		return NULL;
	return mt_res_get(ec->res, type, key);
}

/* mt_enrich_get - see enrich.h. */
const struct mt_dns_answer *
mt_enrich_get(struct mt_msg *m, enum mt_dns_type type, const char *name)
{
	return get(m, type, name, name ? strlen(name) : 0);
}

/* mt_enrich_hook - see enrich.h. */
int
mt_enrich_hook(struct mt_msg *m, mt_enrich_fn fn, void *arg)
{
	struct mt_enrich *e = state(m);
	struct hook *h;

	if (e == NULL || (h = mt_vec_push(&m->arena, &e->hooks)) == NULL)
		return -1;
	h->fn = fn;
	h->arg = arg;
	return 0;
}

/* addr_type - A for an IPv4 address, AAAA for IPv6. */
static enum mt_dns_type
addr_type(const struct mt_ip *ip)
{
	return ip->family == 6 ? MT_DNS_AAAA : MT_DNS_A;
}

/* holds - does an A/AAAA answer list ip. */
static bool
holds(const struct mt_dns_answer *a, const struct mt_ip *ip)
{
	size_t i;

	for (i = 0; i < a->nanswers; i++) {
		struct mt_ip x;

		if (mt_ip_parse(mt_str(a->answers[i], a->lens[i]), &x) &&
		    x.family == ip->family && memcmp(x.addr, ip->addr,
		    ip->family == 4 ? 4 : 16) == 0)
			return true;
	}
	return false;
}

/* mt_enrich_resolves_to - see enrich.h. */
enum mt_tri
mt_enrich_resolves_to(struct mt_msg *m, struct mt_str host,
    const struct mt_ip *ip)
{
	const struct mt_dns_answer *a;

	if (host.p == NULL || ip == NULL || ip->family == 0 ||
	    !mt_dom_is_fqdn(host))
		return MT_NULL;
	if ((a = get(m, addr_type(ip), host.p, host.len)) == NULL)
		return MT_NULL;
	if (a->status == MT_DNS_NXDOMAIN)
		return MT_FALSE;
	if (a->status != MT_DNS_OK)
		return MT_NULL;
	return holds(a, ip) ? MT_TRUE : MT_FALSE;
}

/* mt_enrich_is_mx - is host an MX host of the recipient's domain. */
bool
mt_enrich_is_mx(struct mt_msg *m, struct mt_str host)
{
	const struct mt_dns_answer *a;
	struct mt_enrich *e = m->enrich;
	size_t i;

	if (e == NULL || e->rcpt_domain.p == NULL || host.p == NULL ||
	    host.len == 0)
		return false;
	a = get(m, MT_DNS_MX, e->rcpt_domain.p, e->rcpt_domain.len);
	if (a == NULL || a->status != MT_DNS_OK)
		return false;
	for (i = 0; i < a->nanswers; i++) {
		/* "PREFERENCE HOST" (resolve.h); a null MX (RFC 7505) is
		 * "0 ." and names no host. */
		const char *sp = memchr(a->answers[i], ' ', a->lens[i]);
		struct mt_str mx;

		if (sp == NULL)
			continue;
		mx = mt_str(sp + 1, a->lens[i] - (size_t)(sp + 1 -
		    a->answers[i]));
		if (mx.len > 0 && mx.p[mx.len - 1] == '.')
			mx.len--;
		if (mx.len > 0 && mt_str_ieq(mx, host))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Phase 1: what the chain will need                                  */
/* ------------------------------------------------------------------ */

/* looked_up - may the hop's client address go to DNS at all. */
static bool
looked_up(const struct mt_hop *h)
{
	return h->from.ip.p != NULL && h->from.addr.family != 0 &&
	    (h->ip_class == MT_IPC_PUBLIC ||
	    h->ip_class == MT_IPC_DOCUMENTATION);
}

/* dnsbl_name - the query name of ip under zone z into buf; -1 if none. */
static int
dnsbl_name(const struct mt_ip *ip, const char *zone, char *buf)
{
	return mt_res_dnsbl_name(ip, zone, buf, MT_RES_NAME_MAX);
}

/* rcpt_domain - the domain part of the first envelope recipient. */
static struct mt_str
rcpt_domain(struct mt_msg *m)
{
	struct mt_str a;
	size_t i;

	if (m->env.rcpt_to.n == 0)
		return MT_STR_NULL;
	a = m->env.rcpt_to.v[0];
	for (i = a.len; i > 0; i--)
		if (a.p[i - 1] == '@')
			return mt_arena_lower(&m->arena, mt_str(a.p + i,
			    a.len - i));
	return MT_STR_NULL;
}

/* ask_hop - the questions about hop i (see mt_enrich_begin). */
static int
ask_hop(struct mt_msg *m, size_t i)
{
	struct mt_enrich_ctx *ec = m->ctx->enrich;
	const struct mt_hop *h = &m->hops.v[i];
	enum mt_dns_type t = addr_type(&h->from.addr);
	char name[MT_RES_NAME_MAX];
	size_t z;

	if (want(m, MT_DNS_PTR, h->from.ip) != 0)
		return -1;
	if (mt_dom_is_fqdn(h->from.helo) && want(m, t, h->from.helo) != 0)
		return -1;
	/* The name the receiver recorded is usually today's PTR name too:
	 * asking its address now saves the forward-confirmation round. */
	if (mt_dom_is_fqdn(h->from.rdns) && want(m, t, h->from.rdns) != 0)
		return -1;
	for (z = 0; z < ec->nzones; z++) {
		int n = dnsbl_name(&h->from.addr, ec->zones[z], name);

		if (n > 0 && want(m, MT_DNS_A, mt_str(name, (size_t)n)) != 0)
			return -1;
	}
	/* A plausible link below may be confirmed by the lower by host
	 * resolving to this client's address. */
	if (i + 1 < m->hops.n && h->link == MT_LINK_PLAUSIBLE &&
	    m->hops.v[i + 1].trust != MT_TRUST_INJECTED &&
	    mt_dom_is_fqdn(m->hops.v[i + 1].by.host) &&
	    want(m, t, m->hops.v[i + 1].by.host) != 0)
		return -1;
	return 0;
}

/* mt_enrich_begin - phase 1 questions; see enrich.h. */
int
mt_enrich_begin(struct mt_msg *m)
{
	struct mt_enrich *e;
	struct mt_str d;
	size_t i, count = 0;

	if (!mt_enrich_dns_on(m->ctx))
		return 0;
	if ((e = state(m)) == NULL)
		return -1;
	if (m->hops.n > 0 && m->has_boundary) {
		e->plan = mt_arena_alloc(&m->arena, m->hops.n *
		    sizeof(*e->plan));
		if (e->plan == NULL)
			return -1;
		e->nplan = m->hops.n;
		for (i = m->boundary_hop; i < m->hops.n; i++) {
			const struct mt_hop *h = &m->hops.v[i];

			/* Below a proven break every line is the sender's. */
			if (h->trust == MT_TRUST_INJECTED)
				break;
			if (!looked_up(h))
				continue;
			if (count >= MT_MAX_DNS_HOPS) {
				e->plan[i].skipped = true;
				continue;
			}
			count++;
			e->plan[i].on = true;
			if (ask_hop(m, i) != 0)
				return -1;
		}
	}
	/* The recipient's MX hosts tell where its side begins. */
	if ((d = rcpt_domain(m)).p != NULL && mt_dom_is_fqdn(d)) {
		e->rcpt_domain = d;
		if (want(m, MT_DNS_MX, d) != 0)
			return -1;
	}
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Rounds                                                             */
/* ------------------------------------------------------------------ */

/* is_code - a DNSBL A answer that lists: 127.0.0.0/8 (RFC 5782 2.1;
 * anything else is a resolver's wildcard, not a listing). */
static bool
is_code(const char *p, size_t n)
{
	struct mt_ip ip;

	return mt_ip_parse(mt_str(p, n), &ip) && ip.family == 4 &&
	    ip.addr[0] == 127;
}

/* followups - questions that depend on answers: the forward lookups of
 * the PTR names (at most MT_MAX_FCRDNS_NAMES of them) and the TXT reason
 * of each listing. */
static int
followups(struct mt_msg *m)
{
	struct mt_enrich_ctx *ec = m->ctx->enrich;
	struct mt_enrich *e = m->enrich;
	char name[MT_RES_NAME_MAX];
	size_t i, j, z;

	for (i = 0; i < e->nplan; i++) {
		struct plan *p = &e->plan[i];
		const struct mt_hop *h = &m->hops.v[i];
		const struct mt_dns_answer *a;

		if (!p->on)
			continue;
		if (!p->fwd && (a = get(m, MT_DNS_PTR, h->from.ip.p,
		    h->from.ip.len)) != NULL) {
			p->fwd = true;
			for (j = 0; a->status == MT_DNS_OK && j < a->nanswers &&
			    j < MT_MAX_FCRDNS_NAMES; j++)
				if (want(m, addr_type(&h->from.addr),
				    mt_str(a->answers[j], a->lens[j])) != 0)
					return -1;
		}
		for (z = 0; z < ec->nzones; z++) {
			int n;

			if (p->zones & (1u << z) ||
			    (n = dnsbl_name(&h->from.addr, ec->zones[z],
			    name)) <= 0 ||
			    (a = get(m, MT_DNS_A, name, (size_t)n)) == NULL)
				continue;
			p->zones |= 1u << z;
			for (j = 0; a->status == MT_DNS_OK && j < a->nanswers;
			    j++)
				if (is_code(a->answers[j], a->lens[j])) {
					if (want(m, MT_DNS_TXT, mt_str(name,
					    (size_t)n)) != 0)
						return -1;
					break;
				}
		}
	}
	return 0;
}

/* run_hooks - call every hook of m with ev. */
static int
run_hooks(struct mt_msg *m, enum mt_enrich_event ev)
{
	struct mt_enrich *e = m->enrich;
	size_t i;

	for (i = 0; e != NULL && i < e->hooks.n; i++)
		if (e->hooks.v[i].fn(m, ev, e->hooks.v[i].arg) != 0)
			return -1;
	return 0;
}

/* mt_enrich_resolve - rounds until nothing new is asked; see enrich.h.
 * Messages of other contexts that share this resolver (dns_share) take
 * part: their contexts must not be in use by another thread meanwhile. */
int
mt_enrich_resolve(struct mt_ctx *ctx, struct mt_msg *const *msgs, size_t n)
{
	struct mt_enrich_ctx *ec = ctx->enrich;
	unsigned round;
	size_t i;

	if (!mt_enrich_dns_on(ctx))
		return 0;
	for (round = 0; round < MT_ENRICH_MAX_ROUNDS; round++) {
		bool more = false;

		if (mt_res_run(ec->res) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			struct mt_msg *m = msgs[i];
			size_t asked;

			if (m == NULL || m->ctx->enrich == NULL ||
			    m->ctx->enrich->res != ec->res ||
			    m->error.p != NULL || m->enrich == NULL ||
			    m->enrich->ended)
				continue;
			asked = m->enrich->q.n;
			if (followups(m) != 0 ||
			    run_hooks(m, MT_ENRICH_ROUND) != 0)
				return -1;
			more |= m->enrich->q.n != asked;
		}
		if (!more)
			break;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phase 2: the facts of each hop                                     */
/* ------------------------------------------------------------------ */

/* fcrdns - does some PTR name (of the first MT_MAX_FCRDNS_NAMES) resolve
 * back to the address (RFC 8601 2.7.3 "iprev"). */
static enum mt_tri
fcrdns(struct mt_msg *m, const struct mt_hop *h,
    const struct mt_dns_answer *ptr)
{
	bool unknown = false;
	size_t j;

	if (ptr->status == MT_DNS_NXDOMAIN ||
	    (ptr->status == MT_DNS_OK && ptr->nanswers == 0))
		return MT_FALSE;
	if (ptr->status != MT_DNS_OK)
		return MT_NULL;
	for (j = 0; j < ptr->nanswers && j < MT_MAX_FCRDNS_NAMES; j++) {
		struct mt_str name = mt_str(ptr->answers[j], ptr->lens[j]);
		enum mt_tri r;

		/* A name with bytes no host name has resolves to nothing. */
		if (!mt_dom_is_fqdn(name))
			continue;
		r = mt_enrich_resolves_to(m, name, &h->from.addr);
		if (r == MT_TRUE)
			return MT_TRUE;
		if (r == MT_NULL)
			unknown = true;
	}
	return unknown ? MT_NULL : MT_FALSE;
}

/* dnsbl - the zones' answers for a hop. */
static int
dnsbl(struct mt_msg *m, const struct mt_hop *h, struct mt_dns_info *d)
{
	struct mt_enrich_ctx *ec = m->ctx->enrich;
	char name[MT_RES_NAME_MAX];
	size_t z, j;

	for (z = 0; z < ec->nzones; z++) {
		const struct mt_dns_answer *a, *t;
		struct mt_dnsbl_result *r;
		int n = dnsbl_name(&h->from.addr, ec->zones[z], name);

		if (n <= 0 || (a = get(m, MT_DNS_A, name, (size_t)n)) == NULL ||
		    (a->status != MT_DNS_OK && a->status != MT_DNS_NXDOMAIN))
			continue;
		if ((r = mt_vec_push(&m->arena, &d->dnsbl)) == NULL)
			return -1;
		r->zone = mt_arena_dupz(&m->arena, ec->zones[z]);
		for (j = 0; a->status == MT_DNS_OK && j < a->nanswers; j++) {
			struct mt_str *c;

			if (!is_code(a->answers[j], a->lens[j]))
				continue;
			if ((c = mt_vec_push(&m->arena, &r->codes)) == NULL)
				return -1;
			*c = mt_arena_dup(&m->arena, a->answers[j], a->lens[j]);
		}
		r->listed = r->codes.n > 0;
		if (r->listed && (t = get(m, MT_DNS_TXT, name, (size_t)n)) !=
		    NULL && t->status == MT_DNS_OK && t->nanswers > 0)
			r->reason = mt_arena_dup(&m->arena, t->answers[0],
			    t->lens[0]);
	}
	return 0;
}

/* hop_dns - hop->dns of a hop that was (or would have been) looked up. */
static int
hop_dns(struct mt_msg *m, struct mt_hop *h, const struct plan *p)
{
	const struct mt_dns_answer *a;
	struct mt_dns_info *d;
	size_t j;

	if ((d = mt_arena_alloc(&m->arena, sizeof(*d))) == NULL)
		return -1;
	h->dns = d;
	d->fcrdns = d->helo_resolves = MT_NULL;
	d->status = MT_DNS_SKIPPED;
	if (!p->on)
		return 0;
	if ((a = get(m, MT_DNS_PTR, h->from.ip.p, h->from.ip.len)) != NULL) {
		d->status = a->status;
		/* The resolver is found unreachable only when no query ever
		 * got an answer: the queries that found it out timed out
		 * for that reason (their evidence keeps "timeout"). */
		if (d->status == MT_DNS_TIMEOUT &&
		    mt_res_unavailable(m->ctx->enrich->res))
			d->status = MT_DNS_UNAVAILABLE;
		for (j = 0; a->status == MT_DNS_OK && j < a->nanswers; j++) {
			struct mt_str *s = mt_vec_push(&m->arena, &d->ptr);

			if (s == NULL)
				return -1;
			*s = mt_arena_dup(&m->arena, a->answers[j], a->lens[j]);
		}
		d->fcrdns = fcrdns(m, h, a);
	}
	d->helo_resolves = mt_enrich_resolves_to(m, h->from.helo,
	    &h->from.addr);
	return dnsbl(m, h, d);
}

/* geo - hop->geo of every hop with a public or documentation address. */
static int
geo(struct mt_msg *m)
{
	struct mt_geoip *g = m->ctx->enrich->geoip;
	size_t i;

	for (i = 0; i < m->hops.n; i++) {
		struct mt_hop *h = &m->hops.v[i];
		struct mt_geo_info info;

		if (!looked_up(h) || !mt_geoip_lookup(g, &h->from.addr,
		    &m->arena, &info))
			continue;
		if ((h->geo = mt_arena_alloc(&m->arena, sizeof(info))) == NULL)
			return -1;
		*h->geo = info;
	}
	return 0;
}

/* evidence - the answer of every question, each answer once. */
static void
evidence(struct mt_msg *m)
{
	struct mt_enrich *e = m->enrich;
	size_t i, j;

	for (i = 0; i < e->q.n; i++) {
		struct query *q = &e->q.v[i];

		q->ans = mt_res_get(m->ctx->enrich->res, q->type, q->name.p);
		for (j = 0; q->ans != NULL && j < i; j++)
			if (e->q.v[j].ans == q->ans)
				q->dup = true;
	}
}

/* mt_enrich_end - phase 2; see enrich.h. */
int
mt_enrich_end(struct mt_msg *m)
{
	struct mt_enrich *e = m->enrich;
	size_t i;

	if (m->ctx->enrich == NULL)
		return 0;
	if (e != NULL && !e->ended) {
		e->ended = true;
		if (run_hooks(m, MT_ENRICH_READY) != 0)
			return -1;
		for (i = 0; i < e->nplan; i++)
			if ((e->plan[i].on || e->plan[i].skipped) &&
			    hop_dns(m, &m->hops.v[i], &e->plan[i]) != 0)
				return -1;
		if (mt_enrich_dns_on(m->ctx))
			evidence(m);
	}
	if (m->ctx->enrich->geoip != NULL && geo(m) != 0)
		return -1;
	return m->arena.failed ? -1 : 0;
}

/* mt_enrich_count - the number of questions m asked. */
size_t
mt_enrich_count(const struct mt_msg *m)
{
	return m->enrich != NULL ? m->enrich->q.n : 0;
}

/* mt_enrich_answer - the answer of question i, NULL for a duplicate or
 * an unanswered question. */
const struct mt_dns_answer *
mt_enrich_answer(const struct mt_msg *m, size_t i)
{
	const struct query *q;

	if (m->enrich == NULL || i >= m->enrich->q.n)
		return NULL;
	q = &m->enrich->q.v[i];
	return q->dup ? NULL : q->ans;
}
