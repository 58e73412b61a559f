/*
 * dkim.c - DKIM signatures: tag lists (RFC 6376 3.2), canonicalization
 * (3.4), body and header hashes (3.7), key records (3.6.1) and the
 * signature check with OpenSSL's libcrypto: rsa-sha256, rsa-sha1 (RFC 8301
 * calls it obsolete: verified, reported weak) and ed25519-sha256 (RFC
 * 8463).  The only file that includes OpenSSL headers.
 *
 * Phase 1 (mt_dkim_run) hashes while the body is at hand and keeps only
 * the hashes and the decoded signature; phase 2 (mt_dkim_verify,
 * mt_dkim_answer) needs the key record and nothing else.  The header hash
 * is computed in phase 1 too, so RSA checks the digest with
 * EVP_PKEY_verify (PKCS #1 v1.5 with the digest's algorithm identifier,
 * the same check EVP_DigestVerify makes) and Ed25519 signs that digest
 * (RFC 8463 3: PureEdDSA over the SHA-256 hash) with EVP_DigestVerify.
 *
 * Line ends: DKIM works on the message as sent over SMTP, with CRLF.
 * Messages read from mbox files have LF (and mixed files a lone CR), so
 * every line end of a header field and of the body is taken as CRLF.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "dkim.h"
#include "domain.h"
#include "resolve.h"

#define MAX_SIG_BYTES	1024	/* b=: an 8192-bit RSA signature */
#define MAX_KEY_BYTES	2048	/* p=: an 8192-bit RSA key with its DER */
#define MAX_KEY_TAGS	32
#define BODY_CACHE	8	/* distinct body hashes per message */

enum alg { ALG_RSA_SHA256, ALG_RSA_SHA1, ALG_ED25519_SHA256 };

/* What phase 1 keeps for phase 2. */
struct mt_dkim_state {
	enum alg	 alg;
	bool		 need_key;	/* the verdict waits for the key */
	bool		 i_is_d;	/* i= domain equals d= (key t=s) */
	uint64_t	 body_total;	/* canonical body length */
	unsigned char	 hhash[32];	/* hash of the signed header fields */
	size_t		 hhash_len;
	unsigned char	*sig;		/* b=, decoded (arena) */
	size_t		 siglen;
};

/* ------------------------------------------------------------------ */
/* Tag lists and base64                                               */
/* ------------------------------------------------------------------ */

/* fws - RFC 6376 FWS bytes: WSP and line ends. */
static bool
fws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* trim - p[*a..*b) without FWS at both ends. */
static void
trim(const char *p, size_t *a, size_t *b)
{
	while (*a < *b && fws((unsigned char)p[*a]))
		(*a)++;
	while (*b > *a && fws((unsigned char)p[*b - 1]))
		(*b)--;
}

/* mt_dkim_tags - parse a tag-list; see dkim.h. */
size_t
mt_dkim_tags(const char *p, size_t len, struct mt_dkim_tag *tags, size_t max,
    unsigned *flags)
{
	size_t pos = 0, n = 0, i;

	*flags = 0;
	while (pos <= len) {
		const char *semi = pos < len ? memchr(p + pos, ';', len - pos) :
		    NULL;
		size_t end = semi != NULL ? (size_t)(semi - p) : len;
		size_t a = pos, b = end, eq, na, nb, va, vb;
		const char *e;

		trim(p, &a, &b);
		if (a == b)
			goto next;	/* lenient: empty tag-spec */
		if ((e = memchr(p + a, '=', b - a)) == NULL) {
			*flags |= MT_TAGS_BAD;
			goto next;
		}
		eq = (size_t)(e - p);
		na = a;
		nb = eq;
		trim(p, &na, &nb);
		/* tag-name = ALPHA *ALNUMPUNC */
		if (na == nb || !mt_is((unsigned char)p[na], MT_C_ALPHA))
			*flags |= MT_TAGS_BAD;
		for (i = na; i < nb; i++)
			if (!mt_is((unsigned char)p[i], MT_C_ALPHA |
			    MT_C_DIGIT) && p[i] != '_')
				*flags |= MT_TAGS_BAD;
		va = eq + 1;
		vb = end;
		trim(p, &va, &vb);
		for (i = 0; i < n; i++)
			if (tags[i].name.len == nb - na &&
			    memcmp(tags[i].name.p, p + na, nb - na) == 0)
				*flags |= MT_TAGS_DUP;
		if (n == max) {
			*flags |= MT_TAGS_CUT;
			break;
		}
		tags[n].name = mt_str(p + na, nb - na);
		tags[n].value = mt_str(p + va, vb - va);
		tags[n].vstart = eq + 1;
		tags[n].vend = end;
		n++;
next:
		if (semi == NULL)
			break;
		pos = end + 1;
	}
	return n;
}

/* mt_dkim_tag - the tag called name, or NULL. */
const struct mt_dkim_tag *
mt_dkim_tag(const struct mt_dkim_tag *tags, size_t n, const char *name)
{
	size_t i, l = strlen(name);

	for (i = 0; i < n; i++)
		if (tags[i].name.len == l && memcmp(tags[i].name.p, name, l) ==
		    0)
			return &tags[i];
	return NULL;
}

/* mt_dkim_b64 - decode base64 with FWS inside; see dkim.h.  Lenient
 * (marked): missing '=' padding is accepted. */
long
mt_dkim_b64(const char *p, size_t len, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	size_t i, n = 0, bits = 0, pad = 0;

	for (i = 0; i < len; i++) {
		int ch = (unsigned char)p[i], v;

		if (fws(ch))
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = mt_b64_digit(ch)) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* leftover bits must be zero padding; 6 leftover bits is no base64 */
	if (pad > 2 || bits >= 6 || acc != 0)
		return -1;
	return (long)n;
}

/* ------------------------------------------------------------------ */
/* Hashing with canonicalization                                      */
/* ------------------------------------------------------------------ */

/* A buffered digest writer that hashes at most limit bytes and counts
 * every byte offered (for l= and the canonical body length). */
struct hw {
	EVP_MD_CTX	*md;
	uint64_t	 total;
	uint64_t	 limit;
	size_t		 n;
	bool		 fail;
	unsigned char	 buf[4096];
};

/* hw_flush - hash what is buffered. */
static void
hw_flush(struct hw *w)
{
	if (w->n > 0 && EVP_DigestUpdate(w->md, w->buf, w->n) != 1)
		w->fail = true;
	w->n = 0;
}

/* put - offer n bytes. */
static void
put(struct hw *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t room = w->total < w->limit ? w->limit - w->total : 0;
	size_t take = (uint64_t)n < room ? n : (size_t)room, k;

	w->total += n;
	if (take >= sizeof(w->buf)) {
		hw_flush(w);
		if (EVP_DigestUpdate(w->md, s, take) != 1)
			w->fail = true;
		return;
	}
	while (take > 0) {
		k = sizeof(w->buf) - w->n;
		if (k > take)
			k = take;
		memcpy(w->buf + w->n, s, k);
		w->n += k;
		s += k;
		take -= k;
		if (w->n == sizeof(w->buf))
			hw_flush(w);
	}
}

/* hw_begin - start a digest of alg; false when libcrypto fails. */
static bool
hw_begin(struct hw *w, enum alg alg, uint64_t limit)
{
	w->total = 0;
	w->limit = limit;
	w->n = 0;
	w->fail = false;
	if ((w->md = EVP_MD_CTX_new()) == NULL)
		return false;
	if (EVP_DigestInit_ex(w->md, alg == ALG_RSA_SHA1 ? EVP_sha1() :
	    EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(w->md);
		w->md = NULL;
		return false;
	}
	return true;
}

/* hw_end - finish into out (32 bytes); returns the length or 0. */
static size_t
hw_end(struct hw *w, unsigned char *out)
{
	unsigned int len = 0;

	hw_flush(w);
	if (!w->fail && EVP_DigestFinal_ex(w->md, out, &len) != 1)
		len = 0;
	EVP_MD_CTX_free(w->md);
	w->md = NULL;
	return w->fail ? 0 : len;
}

/*
 * body_canon - feed the canonical body of p[0..len) to w (RFC 6376 3.4.3
 * simple, 3.4.4 relaxed): each line ends with CRLF, empty lines at the end
 * are dropped, simple turns an empty body into one CRLF.  complete false
 * (the reader kept only part of the body): the unfinished last line and
 * the empty lines before it are left out, and nothing is added.
 */
static void
body_canon(struct hw *w, const char *p, size_t len, bool relaxed,
    bool complete)
{
	static const char crlf[2] = { '\r', '\n' };
	size_t pos = 0, empties = 0, i;
	bool any = false;

	while (pos < len) {
		const char *nl = memchr(p + pos, '\n', len - pos);
		size_t end, next;
		bool wrote = false, sp = false;

		if (nl == NULL) {
			if (!complete)
				break;
			end = next = len;
		} else {
			end = (size_t)(nl - p);
			next = end + 1;
			if (end > pos && p[end - 1] == '\r')
				end--;
		}
		if (!relaxed) {
			if (end > pos) {
				for (; empties > 0; empties--)
					put(w, crlf, 2);
				put(w, p + pos, end - pos);
				wrote = true;
			}
		} else {
			/* runs of WSP become one SP, WSP at the end goes */
			for (i = pos; i < end;) {
				size_t j = i;

				if (p[i] == ' ' || p[i] == '\t') {
					while (i < end && (p[i] == ' ' ||
					    p[i] == '\t'))
						i++;
					sp = true;
					continue;
				}
				while (j < end && p[j] != ' ' && p[j] != '\t')
					j++;
				if (!wrote)
					for (; empties > 0; empties--)
						put(w, crlf, 2);
				if (sp)
					put(w, " ", 1);
				sp = false;
				put(w, p + i, j - i);
				wrote = true;
				i = j;
			}
		}
		if (wrote) {
			put(w, crlf, 2);
			any = true;
		} else
			empties++;
		pos = next;
	}
	if (complete && !relaxed && !any)
		put(w, crlf, 2);	/* RFC 6376 3.4.3: empty body is CRLF */
}

/*
 * hdr_canon - feed one header field p[0..len) (name, colon, folded value,
 * no final line end) to w (RFC 6376 3.4.1 simple, 3.4.2 relaxed), with a
 * CRLF after it when crlf.
 */
static void
hdr_canon(struct hw *w, const char *p, size_t len, bool relaxed, bool crlf)
{
	static const char nl[2] = { '\r', '\n' };
	const char *colon;
	size_t i, c, ne;
	bool sp = false, started = false;

	if (!relaxed) {
		/* as is, every line end written CRLF */
		for (i = 0; i < len;) {
			size_t j = i;

			while (j < len && p[j] != '\r' && p[j] != '\n')
				j++;
			put(w, p + i, j - i);
			if (j == len)
				break;
			put(w, nl, 2);
			j += (p[j] == '\r' && j + 1 < len && p[j + 1] == '\n') ?
			    2 : 1;
			i = j;
		}
		if (crlf)
			put(w, nl, 2);
		return;
	}
	colon = memchr(p, ':', len);
	c = colon != NULL ? (size_t)(colon - p) : len;
	for (ne = c; ne > 0 && (p[ne - 1] == ' ' || p[ne - 1] == '\t'); ne--)
		;
	for (i = 0; i < ne; i++) {
		char ch = (char)mt_lower((unsigned char)p[i]);

		put(w, &ch, 1);
	}
	put(w, ":", 1);
	/* unfold, runs of WSP to one SP, none at either end */
	for (i = c + 1; i < len;) {
		size_t j = i;

		if (p[i] == '\r' || p[i] == '\n') {
			i++;
			continue;
		}
		if (p[i] == ' ' || p[i] == '\t') {
			sp = started;
			i++;
			continue;
		}
		while (j < len && p[j] != ' ' && p[j] != '\t' && p[j] != '\r' &&
		    p[j] != '\n')
			j++;
		if (sp)
			put(w, " ", 1);
		sp = false;
		put(w, p + i, j - i);
		started = true;
		i = j;
	}
	if (crlf)
		put(w, nl, 2);
}

/* ------------------------------------------------------------------ */
/* Phase 1: the signatures of a message                               */
/* ------------------------------------------------------------------ */

/* One body hash, shared by signatures of the same algorithm,
 * canonicalization and l=. */
struct bodyhash {
	enum alg	 alg;
	bool		 relaxed;
	int64_t		 l;
	bool		 ok;		/* computed */
	unsigned char	 hash[32];
	size_t		 len;
	uint64_t	 total;		/* canonical length (of what was kept) */
};

struct run {
	struct mt_msg	*m;
	const char	*body;		/* NULL: the reader kept none */
	size_t		 body_len;
	bool		 body_cut;	/* the body is longer than was kept */
	struct mt_str	 from_dom;	/* the From domain, lowercased */
	struct mt_str	 from_reg;	/* its registrable domain */
	bool		 has_now;
	int64_t		 now;		/* when the message was delivered */
	size_t		 verified;	/* signatures hashed so far */
	bool		 capped;
	struct bodyhash	 bh[BODY_CACHE];
	size_t		 nbh;
};

/* decide - set a signature's result and reason (printf) for good. */
static void
decide(struct mt_msg *m, struct mt_auth_dkim *s, enum mt_dkim_res res,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
decide(struct mt_msg *m, struct mt_auth_dkim *s, enum mt_dkim_res res,
    const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	s->result = res;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		s->reason = mt_arena_dupz(&m->arena, buf);
	} else
		s->reason = MT_STR_NULL;
	if (s->st != NULL)
		s->st->need_key = false;
}

/* value - a tag's value without FWS, valid UTF-8, in the arena; null
 * when the tag is absent. */
static struct mt_str
value(struct mt_msg *m, const struct mt_dkim_tag *t, uint64_t offset)
{
	char buf[1024], *d;
	size_t i, n = 0;
	struct mt_str v;
	bool bad = false;

	if (t == NULL)
		return MT_STR_NULL;
	d = t->value.len <= sizeof(buf) ? buf :
	    mt_arena_alloc(&m->arena, t->value.len);
	if (d == NULL)
		return MT_STR_NULL;
	for (i = 0; i < t->value.len; i++)
		if (!fws((unsigned char)t->value.p[i]))
			d[n++] = t->value.p[i];
	v = mt_utf8_clean(&m->arena, d, n, &bad);
	if (bad)
		mt_anomaly_add(m, MT_AN_INVALID_UTF8, offset);
	return v;
}

/* is_dns_name - letters, digits, '-', '_' in dot-separated labels. */
static bool
is_dns_name(struct mt_str s)
{
	size_t i, label = 0;

	if (s.len == 0 || s.len > 253)
		return false;
	for (i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.p[i];

		if (ch == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (mt_is(ch, MT_C_ALPHA | MT_C_DIGIT) || ch == '-' ||
		    ch == '_') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return label > 0;
}

/* in_domain - is host d itself or a subdomain of d (ASCII case). */
static bool
in_domain(struct mt_str host, struct mt_str d)
{
	if (host.len < d.len || d.len == 0)
		return false;
	if (!mt_str_ieq(mt_str(host.p + host.len - d.len, d.len), d))
		return false;
	return host.len == d.len || host.p[host.len - d.len - 1] == '.';
}

/* list_has - does the colon-separated list s hold item (ASCII case). */
static bool
list_has(struct mt_str s, const char *item)
{
	size_t i = 0;

	while (i <= s.len) {
		size_t j = i;
		struct mt_str w;

		while (j < s.len && s.p[j] != ':')
			j++;
		w = mt_str_trim(mt_str(s.p + i, j - i));
		if (mt_str_ieq_c(w, item))
			return true;
		i = j + 1;
	}
	return false;
}

/* parse_num - a decimal tag value into an int64 (at most 2^62). */
static bool
parse_num(struct mt_str s, int64_t *out)
{
	uint64_t v;

	if (!mt_parse_u64(s, (uint64_t)1 << 62, &v))
		return false;
	*out = (int64_t)v;
	return true;
}

/* body_hash - the body hash for alg, canonicalization and l=, from the
 * cache or computed; NULL when libcrypto fails. */
static const struct bodyhash *
body_hash(struct run *r, enum alg alg, bool relaxed, int64_t l)
{
	struct bodyhash *b;
	struct hw w;
	size_t i;

	for (i = 0; i < r->nbh; i++)
		if (r->bh[i].alg == alg && r->bh[i].relaxed == relaxed &&
		    r->bh[i].l == l)
			return r->bh[i].ok ? &r->bh[i] : NULL;
	b = &r->bh[r->nbh < BODY_CACHE ? r->nbh++ : BODY_CACHE - 1];
	memset(b, 0, sizeof(*b));
	b->alg = alg;
	b->relaxed = relaxed;
	b->l = l;
	if (!hw_begin(&w, alg, l >= 0 ? (uint64_t)l : UINT64_MAX))
		return NULL;
	body_canon(&w, r->body, r->body_len, relaxed, !r->body_cut);
	b->total = w.total;
	b->len = hw_end(&w, b->hash);
	b->ok = b->len > 0;
	return b->ok ? b : NULL;
}

/*
 * header_hash - hash the header fields h= names (RFC 6376 5.4.2: each
 * name takes the last instance not yet taken, going up; a name without
 * one adds nothing) and then the signature field itself with its b= value
 * removed and no final CRLF (3.7).  Returns the digest length, 0 when
 * libcrypto fails.
 */
static size_t
header_hash(struct run *r, const struct mt_field *self,
    const struct mt_dkim_tag *btag, struct mt_str h, enum alg alg,
    bool relaxed, size_t colon, unsigned char *out)
{
	struct mt_msg *m = r->m;
	bool *used;
	struct hw w;
	size_t i = 0, k;
	char *copy;

	if ((used = mt_arena_alloc(&m->arena, m->fields.n + 1)) == NULL)
		return 0;
	if (!hw_begin(&w, alg, UINT64_MAX))
		return 0;
	while (i <= h.len) {
		size_t j = i;
		struct mt_str name;

		while (j < h.len && h.p[j] != ':')
			j++;
		name = mt_str_trim(mt_str(h.p + i, j - i));
		i = j + 1;
		if (name.len == 0)
			continue;
		for (k = m->fields.n; k > 0; k--) {
			const struct mt_field *f = &m->fields.v[k - 1];

			if (used[k - 1] || f == self ||
			    !mt_str_ieq(f->name, name))
				continue;
			used[k - 1] = true;
			hdr_canon(&w, f->raw.p, f->raw.len, relaxed, true);
			break;
		}
	}
	/* the signature without the value of b= (the tag offsets count
	 * from after the colon) */
	copy = mt_arena_alloc(&m->arena, self->raw.len + 1);
	if (copy == NULL) {
		hw_end(&w, out);
		return 0;
	}
	k = colon + 1 + btag->vstart;
	memcpy(copy, self->raw.p, k);
	memcpy(copy + k, self->raw.p + colon + 1 + btag->vend,
	    self->raw.len - colon - 1 - btag->vend);
	hdr_canon(&w, copy, self->raw.len - (btag->vend - btag->vstart),
	    relaxed, false);
	return hw_end(&w, out);
}

/* canon_of - "simple" or "relaxed" into *relaxed; false for anything else. */
static bool
canon_of(struct mt_str s, bool *relaxed)
{
	if (mt_str_ieq_c(s, "simple"))
		*relaxed = false;
	else if (mt_str_ieq_c(s, "relaxed"))
		*relaxed = true;
	else
		return false;
	return true;
}

/* prepare - phase 1 for one DKIM-Signature field. */
static int
prepare(struct run *r, const struct mt_field *f, struct mt_auth_dkim *s)
{
	struct mt_msg *m = r->m;
	struct mt_dkim_tag tags[MT_MAX_AUTH_ITEMS];
	const struct mt_dkim_tag *t;
	struct mt_dkim_state *st;
	const struct bodyhash *bh;
	unsigned flags;
	size_t n, colon, i, names = 0;
	bool hrel = false, brel = false;
	unsigned char want[64];
	long wl, bhl;
	struct mt_str v, c;
	static const char *const req[] = { "a", "b", "bh", "d", "h", "s" };

	if ((st = mt_arena_alloc(&m->arena, sizeof(*st))) == NULL)
		return -1;
	s->st = st;
	/* the tag-list starts after the colon of the raw field */
	for (colon = f->name.len; colon < f->raw.len &&
	    f->raw.p[colon] != ':'; colon++)
		;
	if (colon == f->raw.len)
		colon = f->raw.len - 1;	/* cannot happen: a field has one */
	n = mt_dkim_tags(f->raw.p + colon + 1, f->raw.len - colon - 1, tags,
	    MT_MAX_AUTH_ITEMS, &flags);
	if (flags & MT_TAGS_CUT)
		mt_anomaly_add(m, MT_AN_AUTH_ITEMS_TRUNCATED, f->offset);
	s->d = mt_arena_lower(&m->arena, value(m, mt_dkim_tag(tags, n, "d"),
	    f->value_offset));
	s->s = value(m, mt_dkim_tag(tags, n, "s"), f->value_offset);
	s->a = mt_arena_lower(&m->arena, value(m, mt_dkim_tag(tags, n, "a"),
	    f->value_offset));
	s->c = value(m, mt_dkim_tag(tags, n, "c"), f->value_offset);
	s->i = value(m, mt_dkim_tag(tags, n, "i"), f->value_offset);
	s->h = value(m, mt_dkim_tag(tags, n, "h"), f->value_offset);
	s->q = value(m, mt_dkim_tag(tags, n, "q"), f->value_offset);
	s->bh = value(m, mt_dkim_tag(tags, n, "bh"), f->value_offset);
	s->b = value(m, mt_dkim_tag(tags, n, "b"), f->value_offset);
	if (m->arena.failed)
		return -1;

	/* alignment with the From domain (RFC 7489 3.1.1) */
	if (s->d.len > 0 && r->from_dom.p != NULL) {
		struct mt_str dr = mt_dom_registrable(m->ctx, &m->arena, s->d);

		s->aligned_strict = mt_str_ieq(s->d, r->from_dom) ? MT_TRUE :
		    MT_FALSE;
		s->aligned = (dr.p != NULL && r->from_reg.p != NULL &&
		    mt_str_eq(dr, r->from_reg)) ||
		    s->aligned_strict == MT_TRUE ? MT_TRUE : MT_FALSE;
	}

	/* RFC 6376 6.1.1: the signature's own syntax and semantics */
	if (flags & (MT_TAGS_BAD | MT_TAGS_DUP)) {
		mt_anomaly_add(m, MT_AN_AUTH_MALFORMED, f->value_offset);
		decide(m, s, MT_DKIM_PERMERROR, "%s",
		    (flags & MT_TAGS_DUP) ? "a tag appears twice (RFC 6376 "
		    "3.2)" : "malformed tag list (RFC 6376 3.2)");
		return 0;
	}
	if ((t = mt_dkim_tag(tags, n, "v")) == NULL) {
		decide(m, s, MT_DKIM_PERMERROR, "v= is missing");
		return 0;
	}
	if (!mt_str_eq(t->value, MT_STR_LIT("1"))) {
		decide(m, s, MT_DKIM_PERMERROR, "unsupported version v=%.*s",
		    (int)(t->value.len > 20 ? 20 : t->value.len), t->value.p);
		return 0;
	}
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (mt_dkim_tag(tags, n, req[i]) == NULL) {
			decide(m, s, MT_DKIM_PERMERROR, "the required tag %s= "
			    "is missing", req[i]);
			return 0;
		}
	if (mt_str_eq(s->a, MT_STR_LIT("rsa-sha256")))
		st->alg = ALG_RSA_SHA256;
	else if (mt_str_eq(s->a, MT_STR_LIT("ed25519-sha256")))
		st->alg = ALG_ED25519_SHA256;
	else if (mt_str_eq(s->a, MT_STR_LIT("rsa-sha1"))) {
		st->alg = ALG_RSA_SHA1;
		s->weak = true;
	} else {
		decide(m, s, MT_DKIM_PERMERROR, "unknown algorithm a=%.60s",
		    s->a.p);
		return 0;
	}
	if (s->c.p != NULL) {
		long at = mt_str_ifind(s->c, "/");

		c = at < 0 ? s->c : mt_str(s->c.p, (size_t)at);
		if (!canon_of(c, &hrel) || (at >= 0 && !canon_of(mt_str(
		    s->c.p + at + 1, s->c.len - (size_t)at - 1), &brel))) {
			decide(m, s, MT_DKIM_PERMERROR, "unknown "
			    "canonicalization c=%.60s", s->c.p);
			return 0;
		}
	}
	if (s->q.p != NULL && !list_has(s->q, "dns/txt")) {
		decide(m, s, MT_DKIM_PERMERROR, "no known query method in "
		    "q=%.60s", s->q.p);
		return 0;
	}
	if (!is_dns_name(s->d) || !is_dns_name(s->s) ||
	    s->d.len + s->s.len + 12 > 253) {
		decide(m, s, MT_DKIM_PERMERROR, "d= or s= is not a DNS name");
		return 0;
	}
	if (s->i.p != NULL) {
		long at = -1;

		for (i = s->i.len; i > 0; i--)
			if (s->i.p[i - 1] == '@') {
				at = (long)i - 1;
				break;
			}
		v = at < 0 ? MT_STR_NULL : mt_str(s->i.p + at + 1,
		    s->i.len - (size_t)at - 1);
		if (!in_domain(v, s->d)) {
			decide(m, s, MT_DKIM_PERMERROR, "the i= domain is not "
			    "d= or a subdomain of it (RFC 6376 3.5)");
			return 0;
		}
		st->i_is_d = mt_str_ieq(v, s->d);
	} else
		st->i_is_d = true;
	if (!list_has(s->h, "from")) {
		decide(m, s, MT_DKIM_PERMERROR, "From is not signed (h= lacks "
		    "from, RFC 6376 5.4)");
		return 0;
	}
	for (i = 0; i < s->h.len; i++)
		names += s->h.p[i] == ':';
	if (names + 1 > MT_MAX_DKIM_HEADERS) {
		mt_anomaly_add(m, MT_AN_DKIM_HEADERS_TRUNCATED, f->value_offset);
		decide(m, s, MT_DKIM_PERMERROR, "h= names more than %d fields",
		    MT_MAX_DKIM_HEADERS);
		return 0;
	}
	if (((t = mt_dkim_tag(tags, n, "l")) != NULL &&
	    !parse_num(t->value, &s->l)) ||
	    ((t = mt_dkim_tag(tags, n, "t")) != NULL &&
	    !parse_num(t->value, &s->t)) ||
	    ((t = mt_dkim_tag(tags, n, "x")) != NULL &&
	    !parse_num(t->value, &s->x))) {
		decide(m, s, MT_DKIM_PERMERROR, "%.*s= is not a number",
		    (int)t->name.len, t->name.p);
		return 0;
	}
	if (s->x >= 0 && s->t >= 0 && s->x < s->t) {
		decide(m, s, MT_DKIM_PERMERROR, "x= is before t= (RFC 6376 "
		    "3.5)");
		return 0;
	}
	if (s->x >= 0 && r->has_now && s->x < r->now) {
		decide(m, s, MT_DKIM_PERMERROR, "the signature had expired "
		    "(x=%lld) when the message was delivered", (long long)s->x);
		return 0;
	}
	bhl = mt_dkim_b64(s->bh.p, s->bh.len, want, sizeof(want));
	if (bhl != (st->alg == ALG_RSA_SHA1 ? 20 : 32)) {
		decide(m, s, MT_DKIM_PERMERROR, "bh= is not a base64 hash of "
		    "the right length");
		return 0;
	}
	if ((st->sig = mt_arena_alloc(&m->arena, MAX_SIG_BYTES)) == NULL)
		return -1;
	if ((wl = mt_dkim_b64(s->b.p, s->b.len, st->sig, MAX_SIG_BYTES)) <= 0) {
		decide(m, s, MT_DKIM_PERMERROR, "b= is not base64");
		return 0;
	}
	st->siglen = (size_t)wl;

	/* Hashing costs: only the first MT_MAX_DKIM_SIGNATURES. */
	if (r->verified == MT_MAX_DKIM_SIGNATURES) {
		if (!r->capped)
			mt_anomaly_add(m, MT_AN_DKIM_SIGNATURES_TRUNCATED,
			    f->offset);
		r->capped = true;
		decide(m, s, MT_DKIM_NULL, "not verified: the message has "
		    "more than %d signatures", MT_MAX_DKIM_SIGNATURES);
		return 0;
	}
	r->verified++;
	if (r->body == NULL) {
		decide(m, s, MT_DKIM_NULL, "not verified: the body was not "
		    "kept");
		return 0;
	}
	if ((bh = body_hash(r, st->alg, brel, s->l)) == NULL)
		return -1;
	st->body_total = bh->total;
	if (r->body_cut && (s->l < 0 || bh->total < (uint64_t)s->l)) {
		decide(m, s, MT_DKIM_NEUTRAL, "body not kept: message too "
		    "large (more than %d bytes)", MT_MAX_BODY_KEEP);
		return 0;
	}
	if (s->l >= 0 && bh->total < (uint64_t)s->l) {
		decide(m, s, MT_DKIM_FAIL, "l=%lld is longer than the "
		    "%llu-byte canonical body", (long long)s->l,
		    (unsigned long long)bh->total);
		return 0;
	}
	if (bh->len != (size_t)bhl || memcmp(bh->hash, want, bh->len) != 0) {
		decide(m, s, MT_DKIM_FAIL, "body hash mismatch: the body was "
		    "changed after signing");
		return 0;
	}
	st->hhash_len = header_hash(r, f, mt_dkim_tag(tags, n, "b"), s->h,
	    st->alg, hrel, colon, st->hhash);
	if (st->hhash_len == 0)
		return -1;
	s->key_name = mt_arena_printf(&m->arena, "%s._domainkey.%s", s->s.p,
	    s->d.p);
	s->key_name = mt_arena_lower(&m->arena, s->key_name);
	st->need_key = true;
	s->result = MT_DKIM_NULL;
	s->reason = MT_STR_LIT("not verified: the key was not looked up "
	    "(no DNS)");
	return m->arena.failed ? -1 : 0;
}

/* from_domain - the domain of the first From address, lowercased. */
static struct mt_str
from_domain(struct mt_msg *m)
{
	struct mt_str a;
	size_t i;

	if (m->sum.from.n == 0 || (a = m->sum.from.v[0].address).p == NULL)
		return MT_STR_NULL;
	for (i = a.len; i > 0; i--)
		if (a.p[i - 1] == '@')
			return mt_arena_lower(&m->arena, mt_str(a.p + i,
			    a.len - i));
	return MT_STR_NULL;
}

/* mt_dkim_run - phase 1 for every DKIM-Signature field; see dkim.h. */
int
mt_dkim_run(struct mt_msg *m, const struct mt_input *in)
{
	struct run *r;
	size_t i;

	if (mt_hdr_find(m, "DKIM-Signature") == NULL)
		return 0;
	if ((r = mt_arena_alloc(&m->arena, sizeof(*r))) == NULL)
		return -1;
	r->m = m;
	if (in != NULL && in->body != NULL) {
		r->body = in->body;
		r->body_len = in->body_len;
		r->body_cut = in->body_truncated;
	}
	r->from_dom = from_domain(m);
	if (r->from_dom.len > 0)
		r->from_reg = mt_dom_registrable(m->ctx, &m->arena, r->from_dom);
	else
		r->from_dom = MT_STR_NULL;
	/* Delivery time: the top hop's date, else none (no expiry check). */
	if (m->hops.n > 0 && m->hops.v[0].has_time) {
		r->has_now = true;
		r->now = m->hops.v[0].time;
	}
	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];
		struct mt_auth_dkim *s;

		if (!mt_str_ieq_c(f->name, "DKIM-Signature"))
			continue;
		if ((s = mt_vec_push(&m->arena, &m->auth.dkim)) == NULL)
			return -1;
		s->header_index = f->index;
		s->offset = f->offset;
		s->t = s->x = s->l = -1;
		s->aligned = s->aligned_strict = MT_NULL;
		if (prepare(r, f, s) != 0)
			return -1;
	}
	return m->arena.failed ? -1 : 0;
}

/* mt_dkim_needs_key - is signature i waiting for its key. */
bool
mt_dkim_needs_key(const struct mt_msg *m, size_t i)
{
	return i < m->auth.dkim.n && m->auth.dkim.v[i].st != NULL &&
	    m->auth.dkim.v[i].st->need_key;
}

/* ------------------------------------------------------------------ */
/* Phase 2: the key                                                   */
/* ------------------------------------------------------------------ */

/* make_key - the public key of p= for key type ed (else RSA); NULL when
 * the bytes are no such key. */
static EVP_PKEY *
make_key(const unsigned char *der, size_t len, bool ed)
{
	const unsigned char *q = der;
	EVP_PKEY *k;

	if (ed)
		return len == 32 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
		    NULL, der, len) : NULL;
	/* SubjectPublicKeyInfo, as everyone publishes (RFC 6376 errata);
	 * else the bare RSAPublicKey the RFC text names. */
	k = d2i_PUBKEY(NULL, &q, (long)len);
	if (k == NULL) {
		q = der;
		k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)len);
	}
	if (k != NULL && EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

/* check - the signature against the header hash with key k. */
static bool
check(const struct mt_dkim_state *st, EVP_PKEY *k)
{
	bool ok = false;

	if (st->alg == ALG_ED25519_SHA256) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		ok = md != NULL && EVP_DigestVerifyInit(md, NULL, NULL, NULL,
		    k) == 1 && EVP_DigestVerify(md, st->sig, st->siglen,
		    st->hhash, st->hhash_len) == 1;
		EVP_MD_CTX_free(md);
	} else {
		EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(k, NULL);

		ok = pc != NULL && EVP_PKEY_verify_init(pc) == 1 &&
		    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_signature_md(pc, st->alg == ALG_RSA_SHA1 ?
		    EVP_sha1() : EVP_sha256()) == 1 && EVP_PKEY_verify(pc,
		    st->sig, st->siglen, st->hhash, st->hhash_len) == 1;
		EVP_PKEY_CTX_free(pc);
	}
	return ok;
}

/* mt_dkim_verify - phase 2 with a key record; see dkim.h. */
int
mt_dkim_verify(struct mt_msg *m, size_t i, const char *key, size_t key_len,
    enum mt_dkim_res *res)
{
	struct mt_dkim_tag tags[MAX_KEY_TAGS];
	const struct mt_dkim_tag *t;
	struct mt_auth_dkim *s;
	struct mt_dkim_state *st;
	unsigned char *der = NULL;
	EVP_PKEY *k = NULL;
	unsigned flags;
	size_t n;
	long len;
	bool ed = false;
	char notes[256] = "";

	if (i >= m->auth.dkim.n)
		return -1;
	s = &m->auth.dkim.v[i];
	st = s->st;
	if (st == NULL || !st->need_key)
		goto out;
	if (key == NULL)
		key = "";
	n = mt_dkim_tags(key, key_len, tags, MAX_KEY_TAGS, &flags);
	/* RFC 6376 3.6.1: v= (when there) first and DKIM1 */
	if ((t = mt_dkim_tag(tags, n, "v")) != NULL &&
	    (t != &tags[0] || !mt_str_eq(t->value, MT_STR_LIT("DKIM1")))) {
		decide(m, s, MT_DKIM_PERMERROR, "the key record's v= is not "
		    "DKIM1 first");
		goto out;
	}
	if ((flags & (MT_TAGS_BAD | MT_TAGS_DUP)) ||
	    (t = mt_dkim_tag(tags, n, "p")) == NULL) {
		decide(m, s, MT_DKIM_PERMERROR, "the key record is malformed "
		    "(RFC 6376 3.6.1)");
		goto out;
	}
	if (t->value.len == 0) {
		decide(m, s, MT_DKIM_PERMERROR, "key revoked (empty p=)");
		goto out;
	}
	if ((der = mt_arena_alloc(&m->arena, MAX_KEY_BYTES)) == NULL)
		return -1;
	if ((len = mt_dkim_b64(t->value.p, t->value.len, der,
	    MAX_KEY_BYTES)) <= 0) {
		decide(m, s, MT_DKIM_PERMERROR, "the key's p= is not base64");
		goto out;
	}
	if ((t = mt_dkim_tag(tags, n, "k")) != NULL) {
		if (mt_str_ieq_c(t->value, "ed25519"))
			ed = true;
		else if (!mt_str_ieq_c(t->value, "rsa")) {
			decide(m, s, MT_DKIM_PERMERROR, "unknown key type "
			    "k=%.*s", (int)(t->value.len > 20 ? 20 :
			    t->value.len), t->value.p);
			goto out;
		}
	}
	if (ed != (st->alg == ALG_ED25519_SHA256)) {
		decide(m, s, MT_DKIM_PERMERROR, "the key type (%s) does not "
		    "fit a=%s", ed ? "ed25519" : "rsa", s->a.p);
		goto out;
	}
	if ((t = mt_dkim_tag(tags, n, "h")) != NULL && !list_has(t->value,
	    st->alg == ALG_RSA_SHA1 ? "sha1" : "sha256")) {
		decide(m, s, MT_DKIM_PERMERROR, "the key's h= does not allow "
		    "%s", st->alg == ALG_RSA_SHA1 ? "sha1" : "sha256");
		goto out;
	}
	if ((t = mt_dkim_tag(tags, n, "s")) != NULL &&
	    !list_has(t->value, "*") && !list_has(t->value, "email")) {
		decide(m, s, MT_DKIM_PERMERROR, "the key is not for email "
		    "(s=)");
		goto out;
	}
	if ((t = mt_dkim_tag(tags, n, "t")) != NULL) {
		if (list_has(t->value, "s") && !st->i_is_d) {
			decide(m, s, MT_DKIM_PERMERROR, "the key says t=s but "
			    "the i= domain is a subdomain of d=");
			goto out;
		}
		s->testing = list_has(t->value, "y");
	}
	if ((k = make_key(der, (size_t)len, ed)) == NULL) {
		decide(m, s, MT_DKIM_PERMERROR, "the key's p= is not %s public "
		    "key", ed ? "an ed25519" : "an RSA");
		goto out;
	}
	if (!ed && EVP_PKEY_get_bits(k) < 1024) {
		decide(m, s, MT_DKIM_PERMERROR, "the RSA key has %d bits, less "
		    "than RFC 8301 allows (1024)", EVP_PKEY_get_bits(k));
		goto out;
	}
	if (!check(st, k)) {
		decide(m, s, MT_DKIM_FAIL, "signature mismatch: a signed "
		    "header field was changed after signing, or the key was "
		    "rotated since delivery");
		goto out;
	}
	if (s->weak)
		snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes),
		    "%srsa-sha1 is obsolete (RFC 8301)", *notes ? "; " : "");
	if (s->l >= 0 && (uint64_t)s->l < st->body_total)
		snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes),
		    "%sl= signs only %lld of the %llu canonical body bytes",
		    *notes ? "; " : "", (long long)s->l,
		    (unsigned long long)st->body_total);
	if (s->testing)
		snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes),
		    "%sthe key is in testing mode (t=y)", *notes ? "; " : "");
	if (*notes)
		decide(m, s, MT_DKIM_PASS, "%s", notes);
	else
		decide(m, s, MT_DKIM_PASS, NULL);
out:
	EVP_PKEY_free(k);
	if (res != NULL)
		*res = s->result;
	return m->arena.failed ? -1 : 0;
}

/* mt_dkim_answer - phase 2 with the DNS answer; see dkim.h. */
int
mt_dkim_answer(struct mt_msg *m, size_t i, const struct mt_dns_answer *a,
    enum mt_dkim_res *res)
{
	struct mt_auth_dkim *s;
	size_t j;

	if (i >= m->auth.dkim.n)
		return -1;
	s = &m->auth.dkim.v[i];
	if (!mt_dkim_needs_key(m, i))
		goto out;
	if (a == NULL)
		goto out;	/* not looked up: the phase 1 reason stays */
	switch (a->status) {
	case MT_DNS_OK:
		for (j = 0; j < a->nanswers; j++) {
			struct mt_dkim_tag tags[MAX_KEY_TAGS];
			unsigned flags;
			size_t n = mt_dkim_tags(a->answers[j], a->lens[j],
			    tags, MAX_KEY_TAGS, &flags);

			/* RFC 6376 3.6.2.2: the record that is a key */
			if (mt_dkim_tag(tags, n, "p") != NULL)
				return mt_dkim_verify(m, i, a->answers[j],
				    a->lens[j], res);
		}
		decide(m, s, MT_DKIM_PERMERROR, a->nanswers == 0 ? "key not "
		    "found: no TXT record at %s (the key may have been removed "
		    "or rotated since delivery)" : "key not found: no DKIM key "
		    "among the TXT records of %s", s->key_name.p);
		break;
	case MT_DNS_NXDOMAIN:
		decide(m, s, MT_DKIM_PERMERROR, "key not found: %s does not "
		    "exist (the key may have been removed or rotated since "
		    "delivery)", s->key_name.p);
		break;
	case MT_DNS_SKIPPED:
		decide(m, s, MT_DKIM_NULL, "not verified: the key %s is not in "
		    "the DNS cache file", s->key_name.p);
		break;
	default:
		/* RFC 6376 6.1.2: no answer is a temporary failure */
		decide(m, s, MT_DKIM_TEMPERROR, "the key lookup of %s failed "
		    "(%s)", s->key_name.p, mt_dns_status_name(a->status));
		break;
	}
out:
	if (res != NULL)
		*res = s->result;
	return m->arena.failed ? -1 : 0;
}

/* mt_dkim_res_name - the RFC 8601 name of a result. */
const char *
mt_dkim_res_name(enum mt_dkim_res r)
{
	static const char *const names[] = {
		[MT_DKIM_NULL] = NULL,
		[MT_DKIM_PASS] = "pass",
		[MT_DKIM_FAIL] = "fail",
		[MT_DKIM_PERMERROR] = "permerror",
		[MT_DKIM_TEMPERROR] = "temperror",
		[MT_DKIM_NEUTRAL] = "neutral",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] :
	    NULL;
}
