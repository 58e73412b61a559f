/*
 * enrich.h - the enrichment stage: DNS answers (through resolve.c) and
 * GeoIP/ASN data (through geoip.c) for the hops the chain engine judges,
 * and the one way any stage asks DNS questions and reads the answers.
 *
 * Analysis runs in two phases so that a batch of messages is bound by DNS
 * round trips, not by waiting on each query in turn:
 *
 *   phase 1  mt_analyze_begin(): header, Received, authentication parsing,
 *            a first chain pass without DNS (mt_chain_plan), then
 *            mt_enrich_begin() asks what the chain will need.  Nothing is
 *            sent.
 *   rounds   mt_enrich_resolve() on a whole window of messages: one
 *            mt_res_run() for all their questions (queries in flight
 *            concurrently), then each message's follow-ups (forward
 *            confirmation of PTR names, DNSBL reasons, and the ROUND hooks
 *            below) may ask more, and another run answers those, until a
 *            round asks nothing new (at most MT_ENRICH_MAX_ROUNDS).
 *   phase 2  mt_analyze_end(): mt_enrich_end() fills hops[].dns and
 *            hops[].geo and calls the READY hooks; then the chain engine
 *            runs with the answers.
 *
 * With DNS off (mt_ctx_opts.no_dns) nothing is asked, rounds do nothing,
 * and every mt_enrich_get() is NULL: the same code paths run, without DNS.
 *
 * For another stage (authentication: DKIM keys, SPF and DMARC records):
 *  - In phase 1 (inside mt_auth_run(), where the message's input is still
 *    at hand) call mt_enrich_want() for each (type, name) needed.  The
 *    input (struct mt_input, its body) is NOT available later: copy into
 *    m->arena, or compute (a body hash), whatever phase 2 needs.
 *  - For questions that depend on answers (an SPF include:, a CNAME-like
 *    chain), register a hook with mt_enrich_hook(): it is called with
 *    MT_ENRICH_ROUND after each round, may read answers with
 *    mt_enrich_get() and ask more with mt_enrich_want().  Keep it
 *    idempotent: it is called after every round, also when its answers
 *    were already read.
 *  - The hook is called once with MT_ENRICH_READY in phase 2, after the
 *    last round and before the chain engine runs: read the answers then.
 *    READY is called also when DNS is off (every mt_enrich_get() is then
 *    NULL), so a stage has one code path.
 *  - A message sees only the answers of the questions it asked itself
 *    (mt_enrich_get() is NULL for anything else), so its record never
 *    depends on which other messages shared its window.  Every question a
 *    message asked is listed in its dns_evidence (with --dns-evidence).
 *
 * Ownership: a context's enrichment state (struct mt_enrich_ctx: the
 * resolver, the GeoIP databases, the DNSBL zones) belongs to the context;
 * a message's (struct mt_enrich: its questions, hooks and plan) lives in
 * the message's arena.  Answers from mt_enrich_get() are owned by the
 * context's resolver and valid until mt_ctx_free(); hop->dns and hop->geo
 * are copies in the message's arena.
 */
#ifndef MT_ENRICH_H
#define MT_ENRICH_H

#include <stdbool.h>
#include <stddef.h>

#include "mt.h"
#include "resolve.h"

/* Resolution rounds per window: the first, plus follow-ups (forward
 * confirmation needs one; RFC 7208 4.6.4 allows an SPF evaluation ten
 * DNS-querying terms). */
#define MT_ENRICH_MAX_ROUNDS 12

/* DNSBL zones a context accepts (--dnsbl). */
#define MT_ENRICH_MAX_ZONES 16

/* One DNSBL zone's answer for a hop's address (RFC 5782 2.1): listed when
 * the A query answers with 127.0.0.0/8 addresses (the codes), with the
 * TXT record as the reason.  A zone whose A query failed (timeout,
 * SERVFAIL, ...) has no entry; its query is in the evidence. */
struct mt_dnsbl_result {
	struct mt_str	 zone;
	bool		 listed;
	MT_VEC(struct mt_str) codes;
	struct mt_str	 reason;	/* TXT text, or null */
};

/* What DNS says about a hop's client address; JSON "hops[].dns". */
struct mt_dns_info {
	enum mt_dns_status status;	/* of the PTR query; SKIPPED when the
					 * hop was beyond MT_MAX_DNS_HOPS;
					 * UNAVAILABLE also for a timeout once
					 * the resolver was found unreachable */
	MT_VEC(struct mt_str) ptr;	/* today's PTR names, as answered */
	/* Some PTR name resolves back to the address (forward-confirmed
	 * reverse DNS); false when none does or there is no PTR name; null
	 * when a lookup that could have confirmed it failed. */
	enum mt_tri	 fcrdns;
	/* The HELO name's A/AAAA records hold the address; null when the
	 * HELO is no host name or the lookup failed. */
	enum mt_tri	 helo_resolves;
	MT_VEC(struct mt_dnsbl_result) dnsbl;
};

/* ------------------------------------------------------------------ */
/* Context                                                            */
/* ------------------------------------------------------------------ */

/*
 * mt_enrich_ctx_new - open the resolver (unless opts.no_dns) and the GeoIP
 * databases of ctx->opts into ctx->enrich.  Returns 0, or -1 with a
 * one-line reason in err (a bad DNS option, an unreadable cache file or
 * database, out of memory).
 */
int	mt_enrich_ctx_new(struct mt_ctx *ctx, char *err, size_t errlen);
/* mt_enrich_ctx_free - close what mt_enrich_ctx_new opened. */
void	mt_enrich_ctx_free(struct mt_ctx *ctx);

/* mt_enrich_dns_on - does ctx send (or replay) DNS queries. */
bool	mt_enrich_dns_on(const struct mt_ctx *ctx);
/* mt_enrich_unavailable - why DNS is unreachable, or NULL. */
const char *mt_enrich_unavailable(struct mt_ctx *ctx);
/* mt_enrich_save - write the answer cache to the cache file; 0 or -1. */
int	mt_enrich_save(struct mt_ctx *ctx, char *err, size_t errlen);
/* mt_enrich_evidence - is dns_evidence wanted in the records. */
bool	mt_enrich_evidence(const struct mt_ctx *ctx);

/* ------------------------------------------------------------------ */
/* The stage, called by analyze.c                                     */
/* ------------------------------------------------------------------ */

/*
 * mt_enrich_begin - phase 1: ask what the chain will need, for the hops
 * mt_chain_plan() left open (the boundary and the hops below it not
 * already shown injected, at most MT_MAX_DNS_HOPS, public or
 * documentation addresses only): PTR of the client address, A/AAAA of the
 * HELO name and of the recorded rDNS name, A/AAAA of the next lower by
 * host where that link is only plausible, the DNSBL zones; and MX of the
 * recipient's domain.  Returns 0, -1 when out of memory.
 */
int	mt_enrich_begin(struct mt_msg *m);

/*
 * mt_enrich_resolve - the resolution rounds for msgs[0..n-1] (NULL
 * entries and messages of another context are skipped).  Returns 0, or -1
 * on a system error or out of memory.
 */
int	mt_enrich_resolve(struct mt_ctx *ctx, struct mt_msg *const *msgs,
	    size_t n);

/*
 * mt_enrich_end - phase 2: the READY hooks, hop->dns of the hops asked
 * about and hop->geo of every hop with a public (or documentation)
 * address.  Returns 0, -1 when out of memory.
 */
int	mt_enrich_end(struct mt_msg *m);

/* ------------------------------------------------------------------ */
/* Asking and reading, for any stage                                  */
/* ------------------------------------------------------------------ */

/*
 * mt_enrich_want - ask (type, name) for m in the next round (name as for
 * mt_res_want: an IP literal for PTR, else a host name).  Asking twice is
 * one question.  Returns 0 (also when DNS is off: nothing is asked), or
 * -1 with errno EINVAL for a name that is not one, ENOMEM.
 */
int	mt_enrich_want(struct mt_msg *m, enum mt_dns_type type,
	    const char *name);

/*
 * mt_enrich_get - the answer to a question m asked, or NULL when DNS is
 * off, m did not ask it, or it is not answered yet.  Borrowed from the
 * context's resolver: valid until mt_ctx_free().
 */
const struct mt_dns_answer *mt_enrich_get(struct mt_msg *m,
	    enum mt_dns_type type, const char *name);

/*
 * mt_enrich_resolves_to - do the A (IPv4) or AAAA (IPv6) records of host,
 * as m asked them, hold ip?  MT_TRUE; MT_FALSE when the answer is
 * definite (NOERROR without it, NXDOMAIN); MT_NULL when not asked, not a
 * host name, or the lookup failed.
 */
enum mt_tri mt_enrich_resolves_to(struct mt_msg *m, struct mt_str host,
	    const struct mt_ip *ip);

/* mt_enrich_is_mx - is host an MX host of the recipient's domain, as m's
 * MX answer says (false without one). */
bool	mt_enrich_is_mx(struct mt_msg *m, struct mt_str host);

enum mt_enrich_event {
	MT_ENRICH_ROUND,	/* a round ended: read, and ask more */
	MT_ENRICH_READY,	/* phase 2: all answers are in */
};

/* A stage's hook; returns 0, or -1 when out of memory (analysis of the
 * message then fails). */
typedef int (*mt_enrich_fn)(struct mt_msg *m, enum mt_enrich_event ev,
	    void *arg);

/*
 * mt_enrich_hook - call fn(m, ev, arg) after every round of m's window and
 * once in phase 2 (see the top of this file).  arg must live until phase
 * 2: put it in m->arena.  Hooks run in the order registered.  Returns 0,
 * -1 when out of memory.
 */
int	mt_enrich_hook(struct mt_msg *m, mt_enrich_fn fn, void *arg);

/* ------------------------------------------------------------------ */
/* For the record (report.c)                                          */
/* ------------------------------------------------------------------ */

/* The questions m asked, in order, each with its answer (NULL when none
 * came); duplicates (one answer asked under two spellings) once. */
size_t	mt_enrich_count(const struct mt_msg *m);
const struct mt_dns_answer *mt_enrich_answer(const struct mt_msg *m,
	    size_t i);

/* mt_enrich_status_name - the schema's name of a status: "formerr" and
 * "other" are written "servfail". */
const char *mt_enrich_status_name(enum mt_dns_status status);

#endif
