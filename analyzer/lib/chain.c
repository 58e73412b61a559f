/*
 * chain.c - the chain-consistency engine: which Received lines can be
 * believed, where the message entered the recipient's side (the trust
 * boundary), who handed it over (the origin), which lines the sender
 * forged, and the findings that say so with evidence.
 *
 * The idea (RFC 5321 4.4 and the seed article): each server prepends its
 * Received line, so the chain reads newest first, and the server that
 * wrote a lower line should be the client the line above it recorded.
 * Everything below the first line written by a server the sender does not
 * control is the sender's own claim; the first link that does not hold
 * below that point marks the lines under it as injected.
 *
 * DNS answers (enrich.h) sharpen the judgement where the record alone
 * cannot decide: whether a HELO name or a by host really is the client's
 * address, what the address's PTR names are today, whether a host is an
 * MX of the recipient's domain, DNSBL listings.  Without answers (offline,
 * or a lookup that failed) every rule below judges exactly as it would
 * without DNS: an unanswered question never proves anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "domain.h"
#include "enrich.h"
#include "geoip.h"
#include "mt.h"
#include "auth.h"
#include "rules.h"
#include "trust.h"

/* Tolerances: clocks drift, queues delay. */
#define CLOCK_TOLERANCE_S	(5 * 60)	/* TIME_TRAVEL below this is noise */
#define DATE_FUTURE_S		(2 * 3600)	/* Date after the boundary time */
#define DATE_PAST_S		(7 * 86400)	/* Date before the boundary time */
#define LINK_TIME_S		3600		/* a lower hop dated after its
						 * receiver breaks the link */

struct def {
	const char	*id;
	enum mt_sev	 sev;
	double		 score;		/* default; rules/findings.rules rule */
};

/* Every finding id the engine raises, with its default severity and
 * score (the rules files may change the score). */
static const struct def defs[] = {
	{ "HELO_MISMATCH", MT_SEV_MEDIUM, 3.0 },
	{ "HELO_IP_LITERAL_MISMATCH", MT_SEV_MEDIUM, 2.5 },
	{ "HELO_NOT_FQDN", MT_SEV_LOW, 1.0 },
	{ "HELO_IS_RECIPIENT_DOMAIN", MT_SEV_HIGH, 4.0 },
	{ "HELO_CLAIMS_PROVIDER", MT_SEV_HIGH, 3.5 },
	{ "RDNS_NONE", MT_SEV_LOW, 1.5 },
	{ "RDNS_DYNAMIC", MT_SEV_LOW, 1.5 },
	{ "FCRDNS_FAIL", MT_SEV_LOW, 2.0 },
	{ "RDNS_CHANGED", MT_SEV_INFO, 1.0 },
	{ "CHAIN_BROKEN", MT_SEV_HIGH, 4.0 },
	{ "INJECTED_RECEIVED", MT_SEV_HIGH, 4.0 },
	{ "RECEIVED_GARBAGE", MT_SEV_HIGH, 1.5 },
	{ "RECEIVED_NOT_CONTIGUOUS", MT_SEV_MEDIUM, 1.0 },
	{ "TIME_TRAVEL", MT_SEV_MEDIUM, 2.0 },
	{ "CLOCK_SKEW", MT_SEV_INFO, 0.5 },
	{ "DATE_FUTURE", MT_SEV_LOW, 1.5 },
	{ "DATE_PAST", MT_SEV_LOW, 1.0 },
	{ "DATE_NO_ZONE", MT_SEV_LOW, 0.5 },
	{ "RELAY_HOP", MT_SEV_LOW, 1.0 },
	{ "MSGID_FROM_RELAY", MT_SEV_MEDIUM, 3.0 },
	{ "MSGID_MISSING", MT_SEV_LOW, 1.0 },
	{ "PRIVATE_IP_EXTERNAL", MT_SEV_MEDIUM, 1.5 },
	{ "ORIGIN_IP_CONFLICT", MT_SEV_MEDIUM, 2.0 },
	{ "DNSBL_LISTED", MT_SEV_HIGH, 3.0 },
	{ "ENVELOPE_FROM_MISMATCH", MT_SEV_INFO, 1.0 },
};

/* find_def - the definition of id, or NULL for ids only rules know. */
static const struct def *
find_def(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (strcmp(defs[i].id, id) == 0)
			return &defs[i];
	return NULL;
}

/* add - record a finding; detail is printf-formatted into the arena. */
static void
add(struct mt_msg *m, const char *id, long hop, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct mt_msg *m, const char *id, long hop, const char *fmt, ...)
{
	const struct def *d = find_def(id);
	struct mt_finding *f;
	char buf[1024];
	va_list ap;
	size_t i;

	/* One finding per id and hop: evidence, not noise. */
	for (i = 0; i < m->findings.n; i++)
		if (strcmp(m->findings.v[i].id, id) == 0 &&
		    m->findings.v[i].hop == hop)
			return;
	if ((f = mt_vec_push(&m->arena, &m->findings)) == NULL)
		return;
	f->id = id;
	f->sev = d ? d->sev : MT_SEV_LOW;
	f->score = mt_rules_score(m->ctx->rules, id, d ? d->score : 1.0);
	f->hop = hop;
	f->header_index = hop >= 0 ? (long)m->hops.v[hop].header_index : -1;
	f->offset = hop >= 0 ? (int64_t)m->hops.v[hop].offset : -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f->detail = mt_arena_dupz(&m->arena, buf);
}

/* has_finding - is there a finding id on hop. */
static bool
has_finding(const struct mt_msg *m, const char *id, long hop)
{
	size_t i;

	for (i = 0; i < m->findings.n; i++)
		if (m->findings.v[i].hop == hop &&
		    strcmp(m->findings.v[i].id, id) == 0)
			return true;
	return false;
}

/* add_field - a finding about a header field rather than a hop. */
static void
add_field(struct mt_msg *m, const char *id, const struct mt_field *fld,
    const char *detail)
{
	struct mt_finding *f;
	const struct def *d = find_def(id);
	size_t i;

	for (i = 0; i < m->findings.n; i++)
		if (strcmp(m->findings.v[i].id, id) == 0)
			return;
	if ((f = mt_vec_push(&m->arena, &m->findings)) == NULL)
		return;
	f->id = id;
	f->sev = d ? d->sev : MT_SEV_LOW;
	f->score = mt_rules_score(m->ctx->rules, id, d ? d->score : 1.0);
	f->hop = -1;
	f->header_index = fld ? (long)fld->index : -1;
	f->offset = fld ? (int64_t)fld->offset : -1;
	f->detail = mt_arena_dupz(&m->arena, detail);
}

/* S - a printable C string of a slice for details ("-" when absent). */
static const char *
S(struct mt_str s)
{
	return s.p ? s.p : "-";
}

/* Per-message working state. */
struct chain {
	struct mt_msg	*m;
	struct mt_ctx	*ctx;
	struct mt_str	 orgs[32];	/* registrable domains of the
					 * recipient's side */
	size_t		 norgs;
	struct mt_str	 sender_domain;	/* From: address domain */
	struct mt_str	 senders[8];	/* domains of the sender's side: From,
					 * Sender, envelope, List-Id */
	size_t		 nsenders;
	bool		 quiet;		/* mt_chain_plan: no findings */
};

/* reg - registrable domain of a host name, in the message arena. */
static struct mt_str
reg(struct chain *c, struct mt_str host)
{
	return mt_dom_registrable(c->ctx, &c->m->arena, host);
}

/* addr_domain - the registrable domain of an address's domain part. */
static struct mt_str
addr_domain(struct chain *c, struct mt_str addr)
{
	size_t i;

	if (addr.p == NULL)
		return MT_STR_NULL;
	for (i = addr.len; i > 0; i--)
		if (addr.p[i - 1] == '@') {
			struct mt_str d = mt_str(addr.p + i, addr.len - i);

			if (d.len > 0 && d.p[d.len - 1] == '>')
				d.len--;
			return reg(c, d);
		}
	return MT_STR_NULL;
}

/* same_org - one registrable domain, or two that an "org" rule joins. */
static bool
same_org(const struct chain *c, struct mt_str a, struct mt_str b)
{
	const char *oa, *ob;

	if (a.p == NULL || b.p == NULL)
		return false;
	if (mt_str_eq(a, b))
		return true;
	oa = mt_rules_org(c->ctx->rules, a);
	ob = oa ? mt_rules_org(c->ctx->rules, b) : NULL;
	return ob != NULL && strcmp(oa, ob) == 0;
}

/* is_org - is d one of the recipient side's domains. */
static bool
is_org(const struct chain *c, struct mt_str d)
{
	size_t i;

	if (d.p == NULL)
		return false;
	for (i = 0; i < c->norgs; i++)
		if (same_org(c, c->orgs[i], d))
			return true;
	return false;
}

/* add_org - remember a domain of the recipient's side. */
static void
add_org(struct chain *c, struct mt_str d)
{
	if (d.p == NULL || is_org(c, d) || c->norgs >= 32)
		return;
	c->orgs[c->norgs++] = d;
}

/* is_sender - is d a domain of the sender's side. */
static bool
is_sender(const struct chain *c, struct mt_str d)
{
	size_t i;

	for (i = 0; i < c->nsenders; i++)
		if (same_org(c, c->senders[i], d))
			return true;
	return false;
}

/* add_sender - remember a domain of the sender's side. */
static void
add_sender(struct chain *c, struct mt_str d)
{
	if (d.p != NULL && !is_sender(c, d) && c->nsenders < 8)
		c->senders[c->nsenders++] = d;
}

/* list_domain - the registrable domain of a List-Id ("<x.lists.example>"). */
static struct mt_str
list_domain(struct chain *c)
{
	const struct mt_field *f = mt_hdr_find(c->m, "List-Id");
	struct mt_str v;
	size_t i, start;

	if (f == NULL)
		return MT_STR_NULL;
	v = f->value;
	for (i = 0; i < v.len && v.p[i] != '<'; i++)
		;
	if (i == v.len)
		i = 0;
	else
		i++;
	start = i;
	while (i < v.len && v.p[i] != '>')
		i++;
	return reg(c, mt_str_trim(mt_str(v.p + start, i - start)));
}

/* local_ip - a hand-over that never crossed the Internet. */
static bool
local_ip(const struct mt_hop *h)
{
	return h->ip_class == MT_IPC_PRIVATE ||
	    h->ip_class == MT_IPC_LOOPBACK ||
	    h->ip_class == MT_IPC_LINK_LOCAL;
}

/* local_stage - a hop inside one host: LMTP delivery, a content filter
 * on loopback, local pickup, a line that is only a comment. */
static bool
local_stage(const struct mt_hop *h)
{
	if (h->parsed == MT_PARSED_COMMENT)
		return true;
	if (!h->has_from || (h->from.helo.p == NULL &&
	    h->from.rdns.p == NULL && h->from.ip.p == NULL))
		return true;
	if (h->with.p != NULL && (mt_str_istarts(h->with, "LMTP") ||
	    mt_str_ieq_c(h->with, "local") || mt_str_ieq_c(h->with, "mapi") ||
	    mt_str_ieq_c(h->with, "HTTP") || mt_str_ieq_c(h->with, "HTTPS")))
		return h->ip_class == MT_IPC_NONE || local_ip(h);
	return false;
}

/* from_domain - the client's registrable domain as the receiver recorded
 * it: the rDNS name when one was recorded, else the HELO name (a claim). */
static struct mt_str
from_domain(struct chain *c, const struct mt_hop *h, bool *claimed)
{
	struct mt_str d;

	*claimed = false;
	if ((d = reg(c, h->from.rdns)).p != NULL)
		return d;
	*claimed = true;
	return reg(c, h->from.helo);
}

static bool garbage(const struct mt_hop *);

/* configured_client - is a hop's client on the configured side: its
 * recorded address in a network, or its recorded rDNS name a configured
 * host or in a configured domain (never the HELO name: a claim). */
static bool
configured_client(const struct mt_ctx *ctx, const struct mt_hop *h)
{
	return mt_trust_ip(ctx->trust, &h->from.addr) ||
	    mt_trust_host(ctx->trust, h->from.rdns);
}

/* boundary_configured - walk down while the clients are on the
 * configured side (and local stages); the first outside client's hop is
 * the boundary. */
static void
boundary_configured(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i;

	for (i = 0; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];

		add_org(c, h->by_domain);
		if (i + 1 == m->hops.n || garbage(&m->hops.v[i + 1]))
			break;
		if (local_stage(h) || configured_client(m->ctx, h))
			continue;
		break;
	}
	m->has_boundary = true;
	m->boundary_hop = i;
	m->boundary_reason = "configured";
	m->recipient_domain = m->hops.v[0].by_domain;
}

/* no_rdns_mta - does this line's MTA never record the client's reverse
 * DNS name (Microsoft Exchange writes the HELO name and the address). */
static bool
no_rdns_mta(const struct mt_hop *h)
{
	return h->mta.p != NULL && mt_str_ieq_c(h->mta, "exchange");
}

/*
 * boundary - walk down from the top while the hops are written by the
 * recipient's own infrastructure; the first hop whose client is outside
 * it is the boundary.  RFC 5321 4.4: the top line is written by the final
 * receiving server, so its by host names the recipient's side.
 */
static void
boundary(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i, j;

	if (m->ctx->trust != NULL && m->hops.n > 0) {
		boundary_configured(c);
		return;
	}
	for (i = 0; i < m->hops.n; i++) {
		struct mt_hop *h = &m->hops.v[i];
		bool claimed;
		struct mt_str fd;

		add_org(c, h->by_domain);
		/* Nothing below, or nothing a server wrote: the message
		 * entered here. */
		if (i + 1 == m->hops.n || garbage(&m->hops.v[i + 1]))
			break;
		if (local_stage(h) || local_ip(h))
			continue;
		/* A client the receiver recorded under the name of one of the
		 * recipient domain's MX hosts is the recipient's own inbound
		 * server (a filtering service, a backup MX). */
		if (mt_enrich_is_mx(m, h->from.rdns))
			continue;
		fd = from_domain(c, h, &claimed);
		/* A HELO name alone is the client's claim: it vouches for
		 * nothing unless the receiver never records more (Exchange
		 * writes no rDNS) and the link holds below.  Where the MTA
		 * would have recorded a name, a bare HELO is an outsider's
		 * word, and the line below it may be the outsider's too. */
		if (fd.p != NULL && is_org(c, fd) &&
		    (!claimed || (no_rdns_mta(h) &&
		    same_org(c, fd, m->hops.v[i + 1].by_domain))))
			continue;
		break;
	}
	if (m->hops.n == 0)
		return;
	m->has_boundary = true;
	m->boundary_hop = i;
	m->boundary_reason = "inferred";
	m->recipient_domain = m->hops.v[0].by_domain;
	/* The recipient domain's MX records confirm the walk when a hop
	 * written by its side names one of them as its by host. */
	for (j = 0; j <= i; j++)
		if (mt_enrich_is_mx(m, m->hops.v[j].by.host)) {
			m->boundary_reason = "mx";
			break;
		}
}

/* garbage - a line no real MTA writes: nothing parsed, or neither a host
 * name nor an address nor a date ("from nowhere by fictitious-site"). */
static bool
garbage(const struct mt_hop *h)
{
	if (h->parsed == MT_PARSED_UNPARSED)
		return true;
	if (h->parsed == MT_PARSED_COMMENT || h->has_time)
		return false;
	return !mt_dom_is_fqdn(h->by.host) && h->by.ip.p == NULL &&
	    !mt_dom_is_fqdn(h->from.helo) && !mt_dom_is_fqdn(h->from.rdns) &&
	    h->from.ip.p == NULL;
}

/* zone_error - a difference of whole half-hours up to 14 hours is a host
 * that wrote local time with the wrong zone, not a forged date. */
static bool
zone_error(int64_t d)
{
	int64_t r;

	if (d < 0)
		d = -d;
	r = d % 1800;
	return d <= 14 * 3600 && (r <= 120 || r >= 1800 - 120);
}

/* dns_of - the DNS facts of a hop at or below the boundary (above it DNS
 * is neither asked nor needed), or NULL. */
static const struct mt_dns_info *
dns_of(const struct chain *c, const struct mt_hop *h)
{
	if (!c->m->has_boundary || h->index < c->m->boundary_hop)
		return NULL;
	return h->dns;
}

/* definite - a PTR answer that says what the names are (maybe none). */
static bool
definite(const struct mt_dns_info *d)
{
	return d != NULL && (d->status == MT_DNS_OK ||
	    d->status == MT_DNS_NXDOMAIN);
}

/* ptr_in - is one of today's PTR names of h's address in domain d (or
 * another domain of its operator)?  MT_FALSE when the PTR answer is
 * definite and none is; MT_NULL without a definite answer. */
static enum mt_tri
ptr_in(struct chain *c, const struct mt_hop *h, struct mt_str d)
{
	const struct mt_dns_info *dns = dns_of(c, h);
	size_t i;

	if (!definite(dns) || d.p == NULL)
		return MT_NULL;
	for (i = 0; i < dns->ptr.n; i++)
		if (same_org(c, reg(c, dns->ptr.v[i]), d))
			return MT_TRUE;
	return MT_FALSE;
}

/* ptr_list - today's PTR names, ", "-separated ("none"), for details. */
static const char *
ptr_list(struct chain *c, const struct mt_dns_info *d)
{
	struct mt_str s = MT_STR_LIT("none");
	size_t i;

	for (i = 0; i < d->ptr.n && i < 4; i++)
		s = i == 0 ? d->ptr.v[0] : mt_arena_printf(&c->m->arena,
		    "%s, %s", s.p, d->ptr.v[i].p);
	if (d->ptr.n > 4)
		s = mt_arena_printf(&c->m->arena, "%s, ...", s.p);
	return s.p ? s.p : "none";
}

/*
 * link - does the lower hop's by (who wrote it) match the upper hop's
 * from (who the upper server saw)?  The receiver's record (address, rDNS
 * name) is evidence; the HELO name is the client's claim, so a link that
 * only the HELO supports is plausible, never proven.  Broken means the
 * lower line names a writer that matches nothing the upper server saw.
 */
static enum mt_link
link(struct chain *c, const struct mt_hop *up, const struct mt_hop *down,
    struct mt_str *why)
{
	struct mt_arena *a = &c->m->arena;
	struct mt_str byd = down->by_domain;
	/* setup() keeps the registrable domain of the rDNS name, else of
	 * the HELO name: one of the two is known already. */
	struct mt_str rd = up->from.rdns.p ? up->from_domain : MT_STR_NULL;
	struct mt_str hd = up->from.rdns.p ? reg(c, up->from.helo) :
	    up->from_domain;

	if (garbage(down)) {
		*why = mt_arena_printf(a, "hop %zu is not Received syntax",
		    down->index);
		return MT_LINK_BROKEN;
	}
	if (up->from.ip.p != NULL && down->by.ip.p != NULL &&
	    mt_str_eq(up->from.ip, down->by.ip)) {
		*why = mt_arena_printf(a, "same address %s", up->from.ip.p);
		return MT_LINK_CONTINUOUS;
	}
	if (down->by.host.p == NULL) {
		*why = mt_arena_printf(a, "hop %zu names no receiving host",
		    down->index);
		return MT_LINK_PLAUSIBLE;
	}
	if ((up->from.rdns.p && mt_str_eq(up->from.rdns, down->by.host)) ||
	    (rd.p && byd.p && mt_str_eq(rd, byd))) {
		*why = mt_arena_printf(a, "%s matches the recorded name %s",
		    down->by.host.p, up->from.rdns.p);
		return MT_LINK_CONTINUOUS;
	}
	/* A lower line dated well after the server that received the
	 * message from its writer was not written on the way: only the
	 * receiver's own record (above) outweighs the dates.  A host with
	 * an internal name ("mailenable", "localhost") is the sender's own
	 * box, whose clock is often simply wrong: its date proves nothing. */
	if (up->has_time && down->has_time &&
	    down->time - up->time > LINK_TIME_S &&
	    !zone_error(down->time - up->time) &&
	    mt_dom_is_fqdn(down->by.host)) {
		*why = mt_arena_printf(a, "hop %zu (by %s) is dated %lld s "
		    "after hop %zu, which received the message from it",
		    down->index, down->by.host.p ? down->by.host.p : "-",
		    (long long)(down->time - up->time), up->index);
		return MT_LINK_BROKEN;
	}
	if (up->ip_class == MT_IPC_LOOPBACK || up->ip_class == MT_IPC_PRIVATE ||
	    up->ip_class == MT_IPC_LINK_LOCAL) {
		*why = mt_arena_printf(a, "hand-over on a %s address (%s)",
		    mt_ip_class_name(up->ip_class), up->from.ip.p);
		return MT_LINK_PLAUSIBLE;
	}
	if (!mt_dom_is_fqdn(down->by.host)) {
		*why = mt_arena_printf(a, "%s is an internal name",
		    down->by.host.p);
		return MT_LINK_PLAUSIBLE;
	}
	if (rd.p && same_org(c, rd, byd)) {
		*why = mt_arena_printf(a, "%s and %s belong to one operator",
		    down->by.host.p, up->from.rdns.p);
		return MT_LINK_PLAUSIBLE;
	}
	/* Supported by the HELO name alone: the client's claim. */
	if ((up->from.helo.p && mt_str_eq(up->from.helo, down->by.host)) ||
	    (hd.p && byd.p && same_org(c, hd, byd))) {
		const struct mt_dns_info *d = dns_of(c, up);
		enum mt_tri hr = d ? d->helo_resolves : MT_NULL;
		enum mt_tri pd = ptr_in(c, up, byd);

		/* DNS decides what the claim alone cannot: the HELO name
		 * (or a PTR name of the address) leads to the client, or
		 * neither does and the lower line was written by a host the
		 * upper server never talked to. */
		if (hr == MT_TRUE || pd == MT_TRUE) {
			*why = mt_arena_printf(a, "%s matches the HELO name, "
			    "and DNS confirms it: %s", down->by.host.p,
			    hr == MT_TRUE ? mt_arena_printf(a, "%s resolves "
			    "to %s", up->from.helo.p, up->from.ip.p).p :
			    mt_arena_printf(a, "the PTR names of %s are %s",
			    up->from.ip.p, ptr_list(c, d)).p);
			return MT_LINK_CONTINUOUS;
		}
		if (hr == MT_FALSE && pd == MT_FALSE) {
			*why = mt_arena_printf(a, "%s matches only the HELO "
			    "name, and DNS contradicts it: %s does not "
			    "resolve to %s, %s %s", down->by.host.p,
			    up->from.helo.p, up->from.ip.p, d->ptr.n ?
			    "whose PTR names are" : "which has",
			    d->ptr.n ? ptr_list(c, d) : "no PTR name");
			return MT_LINK_BROKEN;
		}
		if (hd.p && byd.p && !mt_str_eq(hd, byd))
			*why = mt_arena_printf(a, "%s and the HELO name %s "
			    "belong to one operator", down->by.host.p,
			    up->from.helo.p);
		else
			*why = mt_arena_printf(a, "%s matches the HELO name "
			    "only%s%s", down->by.host.p, up->from.rdns.p ?
			    "; the address was recorded as " : "",
			    up->from.rdns.p ? up->from.rdns.p : "");
		return MT_LINK_PLAUSIBLE;
	}
	/* The lower line's writer is the client after all when its name
	 * resolves to the address the upper server recorded. */
	if (dns_of(c, up) != NULL && mt_enrich_resolves_to(c->m,
	    down->by.host, &up->from.addr) == MT_TRUE) {
		*why = mt_arena_printf(a, "%s, which wrote hop %zu, resolves "
		    "to %s, the address hop %zu received the message from",
		    down->by.host.p, down->index, up->from.ip.p, up->index);
		return MT_LINK_CONTINUOUS;
	}
	/*
	 * Names that share nothing are weak evidence on their own: real
	 * chains skip internal hops (a provider's submission host hands
	 * over to its outbound relay without a Received line), one operator
	 * runs several domains, and a host has several addresses (so a by
	 * address that differs proves nothing either).  Without a time or
	 * DNS to contradict it, the link stays plausible.
	 */
	*why = mt_arena_printf(a, "hop %zu says it was written by %s, while "
	    "hop %zu received the message from %s (HELO %s) [%s]: the names "
	    "differ, nothing else contradicts", down->index, down->by.host.p,
	    up->index, S(up->from.rdns), S(up->from.helo), S(up->from.ip));
	return MT_LINK_PLAUSIBLE;
}

/* links - judge every link below the boundary and mark injected hops. */
static void
links(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t b = m->boundary_hop, i, broken = SIZE_MAX;

	for (i = 0; i < m->hops.n; i++)
		m->hops.v[i].trust = i < b ? MT_TRUST_TRUSTED :
		    i == b ? MT_TRUST_BOUNDARY : MT_TRUST_UNTRUSTED;
	for (i = 0; i + 1 < m->hops.n; i++) {
		struct mt_hop *up = &m->hops.v[i];

		up->link = link(c, up, &m->hops.v[i + 1], &up->link_reason);
		if (i >= b && up->link == MT_LINK_BROKEN && broken == SIZE_MAX)
			broken = i;
	}
	if (broken == SIZE_MAX)
		return;
	for (i = broken + 1; i < m->hops.n; i++)
		m->hops.v[i].trust = MT_TRUST_INJECTED;
	if (c->quiet)
		return;
	add(m, "CHAIN_BROKEN", (long)broken + 1,
	    "The chain breaks between hop %zu and hop %zu: %s. Every "
	    "Received line from hop %zu down was written by the sender.",
	    broken, broken + 1, m->hops.v[broken].link_reason.p, broken + 1);
	for (i = broken + 1; i < m->hops.n; i++)
		add(m, "INJECTED_RECEIVED", (long)i,
		    "Hop %zu lies below the break between hop %zu and hop "
		    "%zu: injected by the sender, not written by a relay.", i,
		    broken, broken + 1);
}

/* origin - who handed the message to the recipient's side, and the
 * earliest hop the chain still supports below it. */
static void
origin(struct chain *c)
{
	struct mt_msg *m = c->m;
	const struct mt_hop *h;
	size_t i;
	bool all_continuous = true;

	if (!m->has_boundary)
		return;
	h = &m->hops.v[m->boundary_hop];
	m->has_origin = true;
	m->origin_hop = m->boundary_hop;
	m->origin_confidence = h->from.ip.p == NULL ? "low" :
	    h->parsed == MT_PARSED_FULL ? "high" : "medium";
	for (i = m->boundary_hop + 1; i < m->hops.n; i++) {
		const struct mt_hop *up = &m->hops.v[i - 1];

		if (m->hops.v[i].trust == MT_TRUST_INJECTED)
			break;
		if (up->link != MT_LINK_CONTINUOUS)
			all_continuous = false;
		if (m->hops.v[i].from.ip.p != NULL) {
			m->has_claimed = true;
			m->claimed_hop = i;
			m->claimed_confidence = all_continuous ? "medium" :
			    "low";
		}
	}
}

/* is_recipient - is d the recipient's registrable domain. */
static bool
is_recipient(const struct chain *c, struct mt_str d)
{
	return d.p != NULL && c->m->recipient_domain.p != NULL &&
	    mt_str_eq(d, c->m->recipient_domain);
}

/* other_domain - are today's PTR names of h's address (the ones not
 * generic access-provider names; at least one) all outside the HELO's
 * registrable domain and its operator's? */
static bool
other_domain(struct chain *c, const struct mt_hop *h,
    const struct mt_dns_info *d, struct mt_str helo)
{
	struct mt_str hd = reg(c, helo);
	size_t i, named = 0;

	if (d == NULL || d->status != MT_DNS_OK || hd.p == NULL)
		return false;
	for (i = 0; i < d->ptr.n; i++) {
		if (mt_dom_is_generic(d->ptr.v[i], &h->from.addr))
			continue;
		named++;
		if (same_org(c, reg(c, d->ptr.v[i]), hd))
			return false;
	}
	return named > 0;
}

/*
 * helo_findings - what the client said about itself against what the
 * receiver recorded.  Only the boundary hop counts: below it both the
 * name and the record are the sender's own claims.
 */
static void
helo_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i = m->boundary_hop;
	const struct mt_hop *h = &m->hops.v[i];
	struct mt_str helo = h->from.helo;
	const struct mt_dns_info *d;
	enum mt_tri hr;

	if (!h->has_from || helo.p == NULL || local_ip(h))
		return;
	if (helo.len > 2 && helo.p[0] == '[') {
		struct mt_ip lit;
		enum mt_ip_class lc;

		if (h->from.ip.p == NULL || !mt_ip_parse(mt_str(helo.p + 1,
		    helo.len - 2), &lit) || memcmp(&lit, &h->from.addr,
		    sizeof(lit)) == 0)
			return;
		/* A client behind NAT announces its private address: normal
		 * for a mail program, not a lie about who it is. */
		lc = mt_ip_classify(&lit);
		if (lc == MT_IPC_PUBLIC || lc == MT_IPC_DOCUMENTATION)
			add(m, "HELO_IP_LITERAL_MISMATCH", (long)i, "Hop %zu: "
			    "the client announced HELO %s but connected from "
			    "%s.", i, helo.p, h->from.ip.p);
		return;
	}
	if (!mt_dom_is_fqdn(helo)) {
		add(m, "HELO_NOT_FQDN", (long)i, "Hop %zu: the client "
		    "announced HELO %s, not a fully qualified domain name "
		    "(RFC 5321 4.1.1.1).", i, helo.p);
		return;
	}
	d = dns_of(c, h);
	hr = d ? d->helo_resolves : MT_NULL;
	/* A HELO name that resolves to the client's address is its name,
	 * whatever else the address is called. */
	if (h->from.rdns.p != NULL && hr != MT_TRUE &&
	    !same_org(c, reg(c, helo), reg(c, h->from.rdns)) &&
	    !mt_dom_is_generic(h->from.rdns, &h->from.addr))
		add(m, "HELO_MISMATCH", (long)i, "Hop %zu: the client "
		    "announced HELO %s, but %s recorded its address %s as "
		    "%s.%s", i, helo.p, S(h->by.host), S(h->from.ip),
		    h->from.rdns.p, hr == MT_FALSE ? mt_arena_printf(&m->arena,
		    " DNS: %s does not resolve to %s.", helo.p,
		    h->from.ip.p).p : "");
	else if (h->from.rdns.p == NULL && hr == MT_FALSE &&
	    other_domain(c, h, d, helo))
		add(m, "HELO_MISMATCH", (long)i, "Hop %zu: the client "
		    "announced HELO %s, which does not resolve to its address "
		    "%s; the PTR names of %s are %s, in another domain (%s "
		    "recorded no name).", i, helo.p, h->from.ip.p,
		    h->from.ip.p, ptr_list(c, d), S(h->by.host));
	/* On a multi-tenant provider (Exchange Online, Gmail) the
	 * "receiving domain" is the provider's, which every tenant's
	 * outbound host legitimately shares: HELO_CLAIMS_PROVIDER judges
	 * those with the AS number. */
	if (is_recipient(c, reg(c, helo)) &&
	    !is_recipient(c, reg(c, h->from.rdns)) &&
	    mt_rules_org(m->ctx->rules, m->recipient_domain) == NULL)
		add(m, "HELO_IS_RECIPIENT_DOMAIN", (long)i, "Hop %zu: the "
		    "client claimed to be %s, a name of the receiving domain, "
		    "from %s [%s].", i, helo.p, S(h->from.rdns),
		    S(h->from.ip));
}

/* in_ptr - is name one of today's PTR names. */
static bool
in_ptr(const struct mt_dns_info *d, struct mt_str name)
{
	size_t i;

	for (i = 0; i < d->ptr.n; i++)
		if (mt_str_ieq(d->ptr.v[i], name))
			return true;
	return false;
}

/* rdns_findings - the boundary client's reverse DNS as recorded, and as
 * DNS answers it today. */
static void
rdns_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i = m->boundary_hop;
	const struct mt_hop *h = &m->hops.v[i];
	const struct mt_dns_info *d = dns_of(c, h);

	if (h->from.ip.p == NULL || (h->ip_class != MT_IPC_PUBLIC &&
	    h->ip_class != MT_IPC_DOCUMENTATION))
		return;
	/* Only where the receiving MTA writes "unknown" for a missing PTR
	 * is its absence evidence (Postfix, Sendmail with no name). */
	if (h->from.rdns.p == NULL &&
	    (mt_str_ifind(h->raw, "unknown [") >= 0 ||
	    mt_str_ifind(h->raw, "(unknown") >= 0))
		add(m, "RDNS_NONE", (long)i, "Hop %zu: %s found no reverse "
		    "DNS name for the client %s.", i, S(h->by.host),
		    h->from.ip.p);
	if (!definite(d))
		return;
	if (d->ptr.n == 0 && h->from.rdns.p == NULL)
		add(m, "RDNS_NONE", (long)i, "Hop %zu: the client's address "
		    "%s has no PTR record (DNS: %s).", i, h->from.ip.p,
		    mt_enrich_status_name(d->status));
	if (d->ptr.n > 0 && d->fcrdns == MT_FALSE)
		add(m, "FCRDNS_FAIL", (long)i, "Hop %zu: the PTR names of the "
		    "client's address %s (%s) do not resolve back to it.", i,
		    h->from.ip.p, ptr_list(c, d));
	/* Reverse DNS changes (addresses are reassigned): information
	 * about the record's age, not an accusation. */
	if (h->from.rdns.p != NULL && !in_ptr(d, h->from.rdns))
		add(m, "RDNS_CHANGED", (long)i, "Hop %zu: %s recorded the "
		    "client %s as %s; today %s %s.", i, S(h->by.host),
		    h->from.ip.p, h->from.rdns.p, d->ptr.n ?
		    "its PTR names are" : "it has", d->ptr.n ?
		    ptr_list(c, d) : "no PTR name");
}

/*
 * provider_findings - the boundary client named itself (HELO) or was
 * recorded (rDNS) under a large provider's domain, while its address is in
 * an autonomous system that provider does not run ("asn" lines of
 * rules/orgs.rules; needs an ASN database).  Anyone can announce
 * gmail.com, or point the PTR record of an address they hold at it.
 */
static void
provider_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i = m->boundary_hop, k;
	const struct mt_hop *h = &m->hops.v[i];
	const struct mt_str names[2] = { h->from.helo, h->from.rdns };

	if (h->geo == NULL || h->geo->asn < 0 || local_ip(h))
		return;
	for (k = 0; k < 2; k++) {
		const char *org = mt_rules_org(c->ctx->rules, reg(c, names[k]));

		if (org == NULL || mt_rules_org_asn(c->ctx->rules, org,
		    h->geo->asn) != MT_FALSE)
			continue;
		add(m, "HELO_CLAIMS_PROVIDER", (long)i, "Hop %zu: the client "
		    "%s %s, a name of %s, but its address %s is in "
		    "AS%ld%s%s%s, not one of %s's networks.", i, k == 0 ? "announced HELO" :
		    "was recorded as", names[k].p, org, h->from.ip.p,
		    h->geo->asn, h->geo->as_org.p ? " (" : "",
		    h->geo->as_org.p ? h->geo->as_org.p : "",
		    h->geo->as_org.p ? ")" : "", org);
		return;
	}
}

/* dnsbl_findings - the origin and the hops below the boundary that the
 * chain still supports, listed on a DNS blocklist. */
static void
dnsbl_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i, z;

	for (i = m->boundary_hop; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];
		const struct mt_dns_info *d = dns_of(c, h);
		struct mt_str zones = MT_STR_NULL;

		if (h->trust == MT_TRUST_INJECTED)
			break;
		for (z = 0; d != NULL && z < d->dnsbl.n; z++) {
			const struct mt_dnsbl_result *r = &d->dnsbl.v[z];

			if (!r->listed)
				continue;
			zones = mt_arena_printf(&m->arena, "%s%s%s (%s%s%s)",
			    zones.p ? zones.p : "", zones.p ? ", " : "",
			    r->zone.p, r->codes.v[0].p, r->reason.p ? ": " : "",
			    r->reason.p ? r->reason.p : "");
		}
		if (zones.p != NULL)
			add(m, "DNSBL_LISTED", (long)i, "Hop %zu: %s, the "
			    "%s, is listed on %s.", i, h->from.ip.p,
			    i == m->boundary_hop ? "origin" : "client of a "
			    "hop below the boundary", zones.p);
	}
}

struct hopctx {
	struct chain	*c;
	size_t		 hop;
};

/* base - a rules file's name without its directory: records must not
 * depend on where the rules are installed. */
static const char *
base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* hop_rule - a "hop" rule matched: record its finding. */
static bool
hop_rule(void *arg, const struct mt_rules_hit *hit)
{
	struct hopctx *hc = arg;
	struct mt_msg *m = hc->c->m;

	add(m, hit->finding, (long)hc->hop, "Hop %zu: %s \"%.*s\" matches the "
	    "%s rule (%s:%u).", hc->hop, hit->field, (int)(hit->match.len >
	    200 ? 200 : hit->match.len), hit->match.p, hit->finding,
	    base(hit->file), hit->line);
	return true;
}

/* header_rule - a "header" rule matched. */
static bool
header_rule(void *arg, const struct mt_rules_hit *hit)
{
	struct chain *c = arg;
	char buf[512];

	snprintf(buf, sizeof(buf), "%s: \"%.*s\" matches the %s rule (%s:%u).",
	    hit->field, (int)(hit->match.len > 200 ? 200 : hit->match.len),
	    hit->match.p, hit->finding, base(hit->file), hit->line);
	add_field(c->m, hit->finding, hit->hdr, buf);
	return true;
}

/* rule_findings - admin-editable patterns on untrusted hops and fields. */
static void
rule_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i;

	if (m->ctx->rules == NULL)
		return;
	/* Hop patterns judge the client the recipient's side saw. */
	i = m->boundary_hop;
	{
		struct hopctx hc = { c, i };

		mt_rules_match_hop(m->ctx->rules, m, &m->hops.v[i], hop_rule,
		    &hc);
	}
	mt_rules_match_header(m->ctx->rules, m, header_rule, c);
}

/* garbage_findings - untrusted lines that are not Received syntax. */
static void
garbage_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i;

	for (i = m->boundary_hop + 1; i < m->hops.n; i++)
		if (garbage(&m->hops.v[i]))
			add(m, "RECEIVED_GARBAGE", (long)i, "Hop %zu is not a "
			    "Received line any mail server writes: \"%.80s\".",
			    i, m->hops.v[i].raw.p);
}

/*
 * time_findings - timestamps must not run backwards going up the chain.
 * One hop off against both neighbours that agree with each other is a
 * host with a wrong clock (CLOCK_SKEW); otherwise time runs backwards
 * (TIME_TRAVEL).
 */
static void
time_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	size_t i;

	for (i = 0; i + 1 < m->hops.n; i++) {
		const struct mt_hop *up = &m->hops.v[i];

		if (!up->has_delay || up->delay_s >= -CLOCK_TOLERANCE_S)
			continue;
		if (m->hops.v[i + 1].trust == MT_TRUST_INJECTED)
			break;
		/* up is earlier than the hop below it.  Is up alone off? */
		if (i > 0 && m->hops.v[i - 1].has_time &&
		    m->hops.v[i + 1].has_time && m->hops.v[i - 1].time -
		    m->hops.v[i + 1].time >= -CLOCK_TOLERANCE_S) {
			add(m, "CLOCK_SKEW", (long)i, "Hop %zu is %lld s "
			    "earlier than the hop below it, while the hops "
			    "around it agree: %s has a wrong clock.", i,
			    (long long)-up->delay_s, S(up->by.host));
			continue;
		}
		/* Or is the lower hop alone off? */
		if (i + 2 < m->hops.n && m->hops.v[i + 2].has_time &&
		    up->time - m->hops.v[i + 2].time >= -CLOCK_TOLERANCE_S) {
			add(m, "CLOCK_SKEW", (long)i + 1, "Hop %zu is %lld s "
			    "later than the hop above it, while the hops "
			    "around it agree: %s has a wrong clock.", i + 1,
			    (long long)-up->delay_s,
			    S(m->hops.v[i + 1].by.host));
			continue;
		}
		add(m, "TIME_TRAVEL", (long)i, "Hop %zu was received %lld s "
		    "before hop %zu below it.", i, (long long)-up->delay_s,
		    i + 1);
	}
}

/* date_findings - the Date header against the boundary's receipt time. */
static void
date_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	const struct mt_field *f = mt_hdr_find(m, "Date");
	const struct mt_hop *b = m->has_boundary ?
	    &m->hops.v[m->boundary_hop] : NULL;
	char buf[256];

	if (f == NULL || !m->sum.has_date)
		return;
	if (m->sum.date.flags & MT_DATE_NO_ZONE)
		add_field(m, "DATE_NO_ZONE", f, "The Date field has no time "
		    "zone (RFC 5322 3.3 requires one).");
	if (b == NULL || !b->has_time)
		return;
	if (m->sum.date.utc - b->time > DATE_FUTURE_S) {
		snprintf(buf, sizeof(buf), "The Date field is %lld s later than "
		    "the time %s received the message (hop %zu).",
		    (long long)(m->sum.date.utc - b->time), S(b->by.host),
		    m->boundary_hop);
		add_field(m, "DATE_FUTURE", f, buf);
	} else if (b->time - m->sum.date.utc > DATE_PAST_S) {
		snprintf(buf, sizeof(buf), "The Date field is %lld days older "
		    "than the time %s received the message (hop %zu).",
		    (long long)((b->time - m->sum.date.utc) / 86400),
		    S(b->by.host), m->boundary_hop);
		add_field(m, "DATE_PAST", f, buf);
	}
}

/*
 * relay_findings - below the boundary, a hop written by a host that
 * belongs neither to the sender's domain nor to the recipient's is a relay
 * (the seed's unwilling.intermedia.com); a Message-ID in a relay's domain
 * was filled in by the relay, not by the sender's software.
 */
static void
relay_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	const struct mt_field *mid = mt_hdr_find(m, "Message-ID");
	struct mt_str mid_dom = addr_domain(c, m->sum.message_id);
	size_t i;

	if (mid == NULL && m->hops.n > 0)
		add_field(m, "MSGID_MISSING", NULL,
		    "The message has no Message-ID field.");
	if (c->nsenders == 0)
		return;
	for (i = m->boundary_hop + 1; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];
		char buf[512];

		if (h->trust == MT_TRUST_INJECTED)
			break;
		/* A relay takes mail from another server: not a submission
		 * by an authenticated user, not a hand-over inside a host
		 * or a private network. */
		if (h->by_domain.p == NULL || is_org(c, h->by_domain) ||
		    is_sender(c, h->by_domain) || h->auth == MT_TRUE ||
		    local_stage(h) || local_ip(h))
			continue;
		/* One relay operator counts once, however many of its hosts
		 * the message passed. */
		{
			size_t k;
			bool seen = false;

			for (k = m->boundary_hop + 1; k < i; k++)
				if (m->hops.v[k].by_domain.p != NULL &&
				    same_org(c, m->hops.v[k].by_domain,
				    h->by_domain) && has_finding(m,
				    "RELAY_HOP", (long)k))
					seen = true;
			if (seen)
				continue;
		}
		add(m, "RELAY_HOP", (long)i, "Hop %zu was written by %s, which "
		    "belongs neither to the sender's domain %s nor to the "
		    "recipient's side: a relay.", i, h->by.host.p,
		    c->sender_domain.p);
		if (mid_dom.p != NULL && mt_str_eq(mid_dom, h->by_domain) &&
		    !mt_str_eq(mid_dom, c->sender_domain)) {
			snprintf(buf, sizeof(buf), "The Message-ID <%s> was "
			    "made in %s, the relay of hop %zu, not by the "
			    "sender's domain %s.", m->sum.message_id.p,
			    mid_dom.p, i, c->sender_domain.p);
			add_field(m, "MSGID_FROM_RELAY", mid, buf);
		}
	}
}

/* envelope_findings - MAIL FROM domain against From domain (info). */
static void
envelope_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	struct mt_str ed = addr_domain(c, m->env.mail_from);
	char buf[512];

	/* Mailing lists and forwarders set their own envelope (VERP, SRS):
	 * expected, not evidence. */
	if (ed.p == NULL || c->sender_domain.p == NULL ||
	    same_org(c, ed, c->sender_domain) ||
	    mt_hdr_find(m, "List-Id") != NULL)
		return;
	snprintf(buf, sizeof(buf), "The envelope sender %s (%s) is in %s, the "
	    "From address in %s.", m->env.mail_from.p,
	    m->env.mail_from_source.p ? m->env.mail_from_source.p : "?", ed.p,
	    c->sender_domain.p);
	add_field(m, "ENVELOPE_FROM_MISMATCH", mt_hdr_find(m, "From"), buf);
}

/* other_findings - anomalies that are also findings. */
static void
other_findings(struct chain *c)
{
	struct mt_msg *m = c->m;
	const struct mt_hop *b = &m->hops.v[m->boundary_hop];
	size_t i;

	for (i = 0; i < m->anomalies.n; i++)
		if (m->anomalies.v[i].code == MT_AN_RECEIVED_NOT_CONTIGUOUS) {
			size_t h;

			for (h = 0; h < m->hops.n; h++)
				if (m->hops.v[h].offset ==
				    m->anomalies.v[i].offset)
					break;
			add(m, "RECEIVED_NOT_CONTIGUOUS", h < m->hops.n ?
			    (long)h : -1, "A Received field stands below the "
			    "message's own fields, apart from the trace block "
			    "(RFC 5321 4.4: trace fields are prepended).");
			break;
		}
	if (b->from.ip.p != NULL && m->boundary_reason != NULL &&
	    strcmp(m->boundary_reason, "configured") == 0 &&
	    (b->ip_class == MT_IPC_PRIVATE || b->ip_class == MT_IPC_RESERVED ||
	    b->ip_class == MT_IPC_CGNAT))
		add(m, "PRIVATE_IP_EXTERNAL", (long)m->boundary_hop, "Hop %zu: "
		    "the message entered from %s, a %s address, where a "
		    "public hand-over must be.", m->boundary_hop,
		    b->from.ip.p, mt_ip_class_name(b->ip_class));
}

/* verdict - the sum of the scores and its label. */
static void
verdict(struct mt_msg *m)
{
	const char *label;
	size_t i;

	m->score = 0;
	for (i = 0; i < m->findings.n; i++)
		m->score += m->findings.v[i].score;
	label = mt_rules_verdict(m->ctx->rules, m->score);
	if (label == NULL) {
		/* No thresholds loaded: the defaults of findings.rules. */
		label = m->score >= 8 ? "forged" : m->score >= 4 ?
		    "suspicious" : "clean";
	}
	m->label = label;
	m->has_verdict = true;
}

/* setup - the working state of m: hop domains and the sender's side. */
static void
setup(struct chain *c, struct mt_msg *m)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->m = m;
	c->ctx = m->ctx;
	for (i = 0; i < m->hops.n; i++) {
		struct mt_hop *h = &m->hops.v[i];

		h->by_domain = reg(c, h->by.host);
		h->from_domain = reg(c, h->from.rdns.p ? h->from.rdns :
		    h->from.helo);
	}
	if (m->sum.from.n > 0)
		c->sender_domain = addr_domain(c, m->sum.from.v[0].address);
	add_sender(c, c->sender_domain);
	if (m->sum.has_sender)
		add_sender(c, addr_domain(c, m->sum.sender.address));
	add_sender(c, addr_domain(c, m->env.mail_from));
	add_sender(c, list_domain(c));
}

/* mt_chain_plan - boundary, links and injected hops without DNS and
 * without findings; see chain.h. */
int
mt_chain_plan(struct mt_msg *m)
{
	struct chain c;

	setup(&c, m);
	c.quiet = true;
	if (m->hops.n > 0) {
		boundary(&c);
		links(&c);
	}
	return m->arena.failed ? -1 : 0;
}

/* mt_chain_run - judge the chain of m; see mt.h. */
int
mt_chain_run(struct mt_msg *m)
{
	struct chain c;

	/* A plan may have run before: judge afresh. */
	m->has_boundary = m->has_origin = m->has_claimed = false;
	setup(&c, m);
	if (m->hops.n > 0) {
		boundary(&c);
		links(&c);
		origin(&c);
		mt_auth_trust(m);	/* trusted flags need the final boundary */
		mt_auth_findings(m);	/* ORIGIN_IP_CONFLICT, before verdict() */
		helo_findings(&c);
		provider_findings(&c);
		rdns_findings(&c);
		dnsbl_findings(&c);
		garbage_findings(&c);
		rule_findings(&c);
		relay_findings(&c);
		time_findings(&c);
		other_findings(&c);
	} else {
		mt_auth_trust(m);	/* no boundary: every result is a claim */
		if (m->ctx->rules != NULL)
			mt_rules_match_header(m->ctx->rules, m, header_rule,
			    &c);
	}
	date_findings(&c);
	envelope_findings(&c);
	verdict(m);
	return m->arena.failed ? -1 : 0;
}
