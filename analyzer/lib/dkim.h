/*
 * dkim.h - DKIM signatures (RFC 6376, RFC 8301, RFC 8463): tag lists,
 * canonicalization, body and header hashes, and verification with a key
 * record.  dkim.c is the only file that includes OpenSSL headers.
 *
 * Two phases, as the analysis runs (enrich.h):
 *  - mt_dkim_run() in phase 1, while the message's body is at hand: parse
 *    every DKIM-Signature field into m->auth.dkim, check its tags, compute
 *    the body hash (and compare it with bh=) and the hash of the signed
 *    header fields.  Only these hashes and the decoded signature are kept
 *    (in the message's arena): the body itself is never needed again.
 *  - mt_dkim_answer() or mt_dkim_verify() in phase 2 with the key record
 *    (a TXT record of s._domainkey.d): the signature check proper.
 * A signature whose outcome is known without the key (a syntax error, a
 * body hash mismatch, a body too large to hash) has its result set in
 * phase 1 and no key_name: nothing is looked up for it.
 */
#ifndef MT_DKIM_H
#define MT_DKIM_H

#include <stdbool.h>
#include <stddef.h>

#include "mt.h"

struct mt_dns_answer;

/*
 * One tag of a tag-list (RFC 6376 3.2): name and value trimmed of FWS at
 * both ends (the value keeps inner FWS), and where the value lies in the
 * parsed text (vstart..vend, for removing b= from a signature).
 */
struct mt_dkim_tag {
	struct mt_str	 name;
	struct mt_str	 value;
	size_t		 vstart, vend;
};

/* mt_dkim_tags - outcomes of a tag-list parse, or'ed. */
enum {
	MT_TAGS_BAD = 1 << 0,		/* a tag without '=', a bad name */
	MT_TAGS_DUP = 1 << 1,		/* a tag name twice (RFC 6376 3.2) */
	MT_TAGS_CUT = 1 << 2,		/* more than max tags */
};

/*
 * mt_dkim_tags - parse the tag-list p[0..len) into tags[0..max).  Returns
 * the number of tags stored; *flags gets MT_TAGS_* (0 when well formed).
 * Lenient (marked): empty tag-specs (";;") are skipped.
 */
size_t	mt_dkim_tags(const char *p, size_t len, struct mt_dkim_tag *tags,
	    size_t max, unsigned *flags);

/* mt_dkim_tag - the tag called name in tags[0..n), or NULL. */
const struct mt_dkim_tag *mt_dkim_tag(const struct mt_dkim_tag *tags,
	    size_t n, const char *name);

/*
 * mt_dkim_b64 - decode base64 in p[0..len), skipping FWS (RFC 6376 2.6),
 * into out (at most cap bytes).  Returns the length, or -1 on a byte that
 * is no base64, bad padding, or more than cap bytes.
 */
long	mt_dkim_b64(const char *p, size_t len, unsigned char *out, size_t cap);

/*
 * mt_dkim_run - phase 1 for every DKIM-Signature field of m (see above);
 * in->body (when the reader kept it) is the body.  Signatures beyond
 * MT_MAX_DKIM_SIGNATURES are listed, not verified.  Returns 0, or -1 when
 * out of memory.
 */
int	mt_dkim_run(struct mt_msg *m, const struct mt_input *in);

/* mt_dkim_needs_key - is signature i waiting for its key record. */
bool	mt_dkim_needs_key(const struct mt_msg *m, size_t i);

/*
 * mt_dkim_verify - phase 2 for signature i with the text of its key record
 * (key, key_len; the TXT strings joined).  Needs no DNS: usable by tests.
 * Sets m->auth.dkim.v[i].result and .reason and *res (may be NULL).  A
 * signature whose result phase 1 already decided keeps it.  Returns 0, or
 * -1 when out of memory or i is out of range.
 */
int	mt_dkim_verify(struct mt_msg *m, size_t i, const char *key,
	    size_t key_len, enum mt_dkim_res *res);

/*
 * mt_dkim_answer - phase 2 for signature i with the DNS answer to its
 * key_name (RFC 6376 6.1.2): the first TXT record that is a DKIM key is
 * verified with; no such record or NXDOMAIN is a permerror ("key not
 * found"), a failed lookup a temperror; a NULL answer (DNS off, or not in
 * a replayed cache) leaves the result null with the reason.  Returns 0,
 * -1 when out of memory.
 */
int	mt_dkim_answer(struct mt_msg *m, size_t i,
	    const struct mt_dns_answer *a, enum mt_dkim_res *res);

/* mt_dkim_res_name - "pass", "fail", ... or NULL for MT_DKIM_NULL. */
const char *mt_dkim_res_name(enum mt_dkim_res r);

#endif
