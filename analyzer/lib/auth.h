/*
 * auth.h - the authentication stage: Authentication-Results (RFC 8601),
 * ARC-Authentication-Results, ARC-Seal and ARC-Message-Signature (RFC
 * 8617), Received-SPF (RFC 7208 9.1), DKIM-Signature (RFC 6376, verified
 * by dkim.c), spam filters' stamps (rules/vendor.rules), and what they say
 * about the origin.  Results land in m->auth (mt.h) and the record's
 * "auth" object.
 *
 * Order, as analyze.c and chain.c run it:
 *   phase 1  mt_auth_run() (mt.h): parse every field, DKIM hashes, ask
 *            the DKIM key lookups through enrich.h, hook the verification.
 *   phase 2  the READY hook verifies the DKIM signatures with the keys.
 *            Then, in the chain engine, once the boundary is known:
 *            mt_auth_trust(); once the origin is known:
 *            mt_auth_origin_check() and mt_auth_findings() (before the
 *            verdict is summed).
 *
 * What counts.  A result or stamp is "trusted" only when the recipient's
 * side wrote it: it stands above the boundary's Received field (a server
 * prepends its fields, so everything above the boundary line was added
 * after the message entered the recipient's side) and its authserv-id (or
 * Received-SPF receiver) belongs to that side (see mt_auth_trust).  The
 * rest are claims, listed with "trusted": false.  No claim changes the
 * verdict: the only finding this stage raises, ORIGIN_IP_CONFLICT, comes
 * from trusted stamps (and from the sender's own X-Originating-IP against
 * the sender's own chain, see mt_auth_origin_check); DKIM results are
 * mailtrace's own verification and DMARC alignment uses only verified
 * DKIM passes and trusted SPF results, and neither adds to the score.
 */
#ifndef MT_AUTH_H
#define MT_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "mt.h"

/*
 * mt_auth_trust - set the trusted flags of m->auth's results, SPF fields
 * and vendor stamps from the boundary (m->has_boundary, m->boundary_hop,
 * set by chain.c), then DMARC alignment.  Call it after the boundary is
 * final; calling it again recomputes.  Without a boundary nothing is
 * trusted.  The trusted side's authserv-ids are: those an "authserv" rule
 * names, and any whose registrable domain is that of the by host of the
 * boundary hop or a hop above it (or of the same org, orgs.rules).
 * Leniency (marked in auth.c): a result without authserv-id (Exchange
 * Online writes none) and a Received-SPF without receiver are judged by
 * position alone.
 */
void	mt_auth_trust(struct mt_msg *m);

/*
 * mt_auth_origin_check - compare the addresses trusted stamps give for
 * the connecting client (Received-SPF client-ip, Authentication-Results
 * smtp.remote-ip / smtp.client-ip / Exchange's "sender IP is", the
 * Forefront CIP) with the origin, and X-Originating-IP with the claimed
 * origin, into m->auth.ipchecks (see enum mt_ipchk).  Runs mt_auth_trust()
 * first when it has not run.  Returns the number of conflicts.
 *
 * A trusted address conflicts when no hop of the chain recorded it: equal
 * to the origin it agrees; equal to the client of a hop above the boundary
 * it is internal (a filter inside the recipient's side); equal to a client
 * below the boundary it is deeper (the recipient's filter trusted more of
 * the chain than mailtrace's boundary); a private or loopback address is
 * internal.  X-Originating-IP (the sender's webmail or submission server
 * names the submitting client) conflicts only when the chain is supported
 * down to its bottom hop, that hop recorded a submission (HTTP, ESMTPA,
 * authenticated) from a public address, and X-Originating-IP is another
 * public address no hop recorded; it names a client behind NAT (private)
 * or a submission the chain does not show, which is no conflict.
 */
size_t	mt_auth_origin_check(struct mt_msg *m);

/*
 * mt_auth_findings - add ORIGIN_IP_CONFLICT (score from the rules,
 * default 2.0) for the conflicts of mt_auth_origin_check() (run first
 * when it has not run): one about the origin hop for trusted stamps, one
 * about the claimed hop for X-Originating-IP.  Call before the verdict is
 * summed.
 */
void	mt_auth_findings(struct mt_msg *m);

/* mt_auth_dmarc - (re)compute m->auth.dmarc from what is known now;
 * mt_auth_trust() and the DKIM verification call it. */
void	mt_auth_dmarc(struct mt_msg *m);

/* mt_auth_ipchk_name - "agrees", "internal", "deeper", "conflict",
 * "unrelated", or NULL for unchecked. */
const char *mt_auth_ipchk_name(enum mt_ipchk s);

#endif
