/*
 * test_dkim.c - DKIM verification (dkim.c): the RFC 8463 Appendix A
 * signatures with their published keys, the RFC 6376 3.4.5 canonicalization
 * example, and signatures this test makes itself with keys it generates at
 * run time (RSA 2048, Ed25519, RSA 768 for the key-size rule) through a
 * signer written plainly here, independent of dkim.c: simple and relaxed,
 * with and without l=, a changed body, a changed header, repeated and
 * absent header names, every kind of bad key record and DNS answer,
 * malformed signatures, bodies not kept, and the caps fed ten times over.
 *
 * With MT_DNS_SERVER set (tests/dns/dkim.test runs it under the unbound
 * harness) it also verifies the samples end to end with the keys of
 * tests/dns/fixture-dkim.conf, and signatures made with the committed test
 * key under selectors that are revoked, rotated, absent or no key; with
 * MT_DKIM_CACHE it writes the answers there, and with MT_DKIM_REPLAY it
 * answers from such a file with no server at all.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "auth.h"
#include "dkim.h"
#include "mt.h"
#include "resolve.h"
#include "t.h"

/* ------------------------------------------------------------------ */
/* Strings                                                            */
/* ------------------------------------------------------------------ */

struct sb {
	char	*p;
	size_t	 n, cap;
};

/* sb_add - append n bytes (always NUL-terminated). */
static void
sb_add(struct sb *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* sb_s - append a C string. */
static void
sb_s(struct sb *b, const char *z)
{
	sb_add(b, z, strlen(z));
}

/* sb_f - append printf output (of any length). */
static void sb_f(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_f(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	char *buf = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	sb_add(b, buf, (size_t)n);
	free(buf);
}

/* replace - a malloc'd copy of s with the first from replaced by to
 * (NULL when from is not there). */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct sb b = { 0 };

	if (at == NULL)
		return NULL;
	sb_add(&b, s, (size_t)(at - s));
	sb_s(&b, to);
	sb_s(&b, at + strlen(from));
	return b.p;
}

/* crlf - a malloc'd copy of an LF text with CRLF line ends. */
static char *
crlf(const char *s)
{
	struct sb b = { 0 };

	for (; *s; s++) {
		if (*s == '\n')
			sb_add(&b, "\r", 1);
		sb_add(&b, s, 1);
	}
	return b.p;
}

/* b64 - base64 of n bytes into a malloc'd string. */
static char *
b64(const unsigned char *p, size_t n)
{
	char *o = malloc(4 * ((n + 2) / 3) + 1);

	if (o == NULL)
		abort();
	EVP_EncodeBlock((unsigned char *)o, p, (int)n);
	return o;
}

/* ------------------------------------------------------------------ */
/* Keys                                                               */
/* ------------------------------------------------------------------ */

struct key {
	EVP_PKEY	*pk;
	bool		 ed;
	char		 txt[1024];	/* the key record */
};

/* key_record - fill k->txt from k->pk with extra tags before p=. */
static void
key_record(struct key *k, const char *extra)
{
	unsigned char der[1024], *q = der;
	size_t len = sizeof(der);
	char *p;

	if (k->ed) {
		if (EVP_PKEY_get_raw_public_key(k->pk, der, &len) != 1)
			abort();
	} else
		len = (size_t)i2d_PUBKEY(k->pk, &q);
	p = b64(der, len);
	snprintf(k->txt, sizeof(k->txt), "v=DKIM1; k=%s; %sp=%s",
	    k->ed ? "ed25519" : "rsa", extra, p);
	free(p);
}

/* keygen - a fresh key: Ed25519, or RSA of bits. */
static void
keygen(struct key *k, bool ed, size_t bits)
{
	memset(k, 0, sizeof(*k));
	k->ed = ed;
	k->pk = ed ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
	    EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);
	if (k->pk == NULL)
		abort();
	key_record(k, "");
}

/* ------------------------------------------------------------------ */
/* A plain DKIM signer (RFC 6376 3.4, 3.7, 5.4), independent of dkim.c */
/* ------------------------------------------------------------------ */

/* canon_header - one header field (LF folds, no final LF). */
static void
canon_header(struct sb *o, const char *f, size_t n, bool relaxed, bool end)
{
	size_t i, c;
	bool sp = false, any = false;

	if (!relaxed) {
		for (i = 0; i < n; i++) {
			if (f[i] == '\n')
				sb_add(o, "\r", 1);
			sb_add(o, f + i, 1);
		}
		if (end)
			sb_s(o, "\r\n");
		return;
	}
	for (c = 0; c < n && f[c] != ':'; c++)
		;
	i = c;
	while (i > 0 && (f[i - 1] == ' ' || f[i - 1] == '\t'))
		i--;
	for (size_t j = 0; j < i; j++) {
		char ch = f[j] >= 'A' && f[j] <= 'Z' ? f[j] + 32 : f[j];

		sb_add(o, &ch, 1);
	}
	sb_s(o, ":");
	for (i = c + 1; i < n; i++) {
		if (f[i] == '\n' || f[i] == '\r')
			continue;
		if (f[i] == ' ' || f[i] == '\t') {
			sp = any;
			continue;
		}
		if (sp)
			sb_s(o, " ");
		sp = false;
		any = true;
		sb_add(o, f + i, 1);
	}
	if (end)
		sb_s(o, "\r\n");
}

/* canon_body - the canonical body of an LF text. */
static void
canon_body(struct sb *o, const char *body, bool relaxed)
{
	const char *p = body;
	size_t empties = 0;
	bool any = false;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct sb line = { 0 };
		size_t i;

		sb_add(&line, "", 0);
		for (i = 0; i < n; i++) {
			if (relaxed && (p[i] == ' ' || p[i] == '\t')) {
				while (i + 1 < n && (p[i + 1] == ' ' ||
				    p[i + 1] == '\t'))
					i++;
				sb_s(&line, " ");
			} else
				sb_add(&line, p + i, 1);
		}
		if (relaxed)
			while (line.n > 0 && line.p[line.n - 1] == ' ')
				line.p[--line.n] = '\0';
		if (line.n == 0)
			empties++;
		else {
			for (; empties > 0; empties--)
				sb_s(o, "\r\n");
			sb_add(o, line.p, line.n);
			sb_s(o, "\r\n");
			any = true;
		}
		free(line.p);
		p += n + (e ? 1 : 0);
	}
	if (!any && !relaxed)
		sb_s(o, "\r\n");
}

struct sopt {
	const char	*alg;		/* a= */
	const char	*c;		/* c= */
	const char	*s, *d;		/* selector, domain */
	const char	*h;		/* h= */
	long		 l;		/* l=, or -1 */
	const char	*extra;		/* more tags ("i=@x.example; "), or "" */
};

/* digest - hash of n bytes with md into out; returns its length. */
static unsigned
digest(const EVP_MD *md, const void *p, size_t n, unsigned char *out)
{
	unsigned len = 0;

	if (EVP_Digest(p, n, out, &len, md, NULL) != 1)
		abort();
	return len;
}

/*
 * sign - the message msg (LF or CRLF line ends, kept) with a
 * DKIM-Signature field put on top.  Malloc'd.
 */
static char *
sign(const char *msg, const struct key *k, const struct sopt *o)
{
	char *lf = NULL, *out, *hdr, *body, *bh, *sig;
	bool was_crlf = strstr(msg, "\r\n") != NULL, hrel, brel;
	struct sb b = { 0 }, data = { 0 }, f = { 0 }, res = { 0 };
	const char *fields[256];
	size_t flen[256], nf = 0, i;
	bool used[256] = { false };
	const EVP_MD *md = strcmp(o->alg, "rsa-sha1") == 0 ? EVP_sha1() :
	    EVP_sha256();
	unsigned char h[64], sbuf[1024];
	unsigned hl;
	size_t sl = sizeof(sbuf);
	EVP_MD_CTX *mc;
	const char *p;
	char *hlist, *name, *save;

	/* work on LF text */
	for (p = msg; *p; p++)
		if (*p != '\r' || p[1] != '\n')
			sb_add(&b, p, 1);
	lf = b.p;
	hdr = lf;
	body = strstr(lf, "\n\n");
	if (body == NULL)
		abort();
	*body = '\0';
	body += 2;
	hrel = strncmp(o->c, "relaxed", 7) == 0;
	brel = strchr(o->c, '/') != NULL &&
	    strcmp(strchr(o->c, '/') + 1, "relaxed") == 0;
	/* fields, folded lines joined */
	for (p = hdr; *p && nf < 256;) {
		const char *s = p;

		do {
			p = strchr(p, '\n');
			p = p ? p + 1 : s + strlen(s);
		} while (*p == ' ' || *p == '\t');
		fields[nf] = s;
		flen[nf] = (size_t)(p - s) - (p[-1] == '\n' ? 1 : 0);
		nf++;
	}
	canon_body(&f, body, brel);
	if (o->l >= 0 && (size_t)o->l < f.n)
		f.n = (size_t)o->l;
	hl = digest(md, f.p ? f.p : "", f.n, h);
	bh = b64(h, hl);
	free(f.p);
	memset(&f, 0, sizeof(f));
	sb_f(&f, "DKIM-Signature: v=1; a=%s; c=%s; d=%s; s=%s;\n\t%s",
	    o->alg, o->c, o->d, o->s, o->extra);
	if (o->l >= 0)
		sb_f(&f, "l=%ld; ", o->l);
	sb_f(&f, "h=%s;\n\tbh=%s;\n\tb=", o->h, bh);
	/* h=: each name takes the last field not yet taken */
	if ((hlist = strdup(o->h)) == NULL)
		abort();
	for (name = strtok_r(hlist, ":", &save); name != NULL;
	    name = strtok_r(NULL, ":", &save)) {
		for (i = nf; i > 0; i--) {
			size_t nl = strlen(name);

			if (!used[i - 1] && flen[i - 1] > nl &&
			    strncasecmp(fields[i - 1], name, nl) == 0 &&
			    (fields[i - 1][nl] == ':' ||
			    fields[i - 1][nl] == ' ')) {
				used[i - 1] = true;
				canon_header(&data, fields[i - 1], flen[i - 1],
				    hrel, true);
				break;
			}
		}
	}
	free(hlist);
	canon_header(&data, f.p, f.n, hrel, false);
	if ((mc = EVP_MD_CTX_new()) == NULL)
		abort();
	if (k->ed) {
		hl = digest(EVP_sha256(), data.p, data.n, h);
		if (EVP_DigestSignInit(mc, NULL, NULL, NULL, k->pk) != 1 ||
		    EVP_DigestSign(mc, sbuf, &sl, h, hl) != 1)
			abort();
	} else if (EVP_DigestSignInit(mc, NULL, md, NULL, k->pk) != 1 ||
	    EVP_DigestSign(mc, sbuf, &sl, (unsigned char *)data.p,
	    data.n) != 1)
		abort();
	EVP_MD_CTX_free(mc);
	sig = b64(sbuf, sl);
	/* fold b= in the value, as signers do */
	sb_add(&res, f.p, f.n);
	for (i = 0; i < strlen(sig); i += 64) {
		if (i > 0)
			sb_s(&res, "\n\t ");
		sb_add(&res, sig + i, strlen(sig) - i < 64 ? strlen(sig) - i :
		    64);
	}
	sb_s(&res, "\n");
	sb_s(&res, hdr);
	sb_s(&res, "\n\n");
	sb_s(&res, body);
	out = was_crlf ? crlf(res.p) : strdup(res.p);
	free(res.p);
	free(sig);
	free(bh);
	free(f.p);
	free(data.p);
	free(lf);
	return out;
}

/* ------------------------------------------------------------------ */
/* Analysis                                                           */
/* ------------------------------------------------------------------ */

static struct mt_ctx *ctx;

/* analyze_opt - analyze a whole message text; body kept unless !keep,
 * marked truncated when cut. */
static struct mt_msg *
analyze_opt(struct mt_ctx *c, const char *text, bool keep, bool cut)
{
	const char *e = strstr(text, "\r\n\r\n");
	const char *e2 = strstr(text, "\n\n");
	size_t hl;
	struct mt_input in;
	struct mt_msg *m;

	if (e == NULL || (e2 != NULL && e2 < e))
		hl = e2 ? (size_t)(e2 - text) + 2 : strlen(text);
	else
		hl = (size_t)(e - text) + 4;
	memset(&in, 0, sizeof(in));
	in.path = "test";
	in.size = strlen(text);
	if (keep) {
		in.body = text + hl;
		in.body_len = strlen(text) - hl;
		in.body_truncated = cut;
	}
	if ((m = mt_analyze(c, &in, text, hl)) == NULL)
		abort();
	return m;
}

/* analyze - with the body kept. */
static struct mt_msg *
analyze(const char *text)
{
	return analyze_opt(ctx, text, true, false);
}

/* verify - result name and reason of signature i with key text. */
static const char *
verify(struct mt_msg *m, size_t i, const char *key, const char **reason)
{
	enum mt_dkim_res r = MT_DKIM_NULL;

	if (i >= m->auth.dkim.n) {
		*reason = "(no such signature)";
		return "(none)";
	}
	if (mt_dkim_verify(m, i, key, key ? strlen(key) : 0, &r) != 0)
		abort();
	*reason = m->auth.dkim.v[i].reason.p;
	return mt_dkim_res_name(r);
}

/* has_anomaly - does m carry the anomaly code. */
static bool
has_anomaly(const struct mt_msg *m, enum mt_anomaly_code code)
{
	size_t i;

	for (i = 0; i < m->anomalies.n; i++)
		if (m->anomalies.v[i].code == code)
			return true;
	return false;
}

/* starts - does s (may be NULL) start with prefix. */
static bool
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ------------------------------------------------------------------ */
/* RFC 8463 Appendix A and RFC 6376 3.4.5                             */
/* ------------------------------------------------------------------ */

/* RFC 8463 A.3, the signed message as published. */
static const char rfc8463[] =
"DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
" d=football.example.com; i=@football.example.com;\r\n"
" q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
" subject : date : message-id : from : subject : date;\r\n"
" bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
" b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
" Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n"
"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
" d=football.example.com; i=@football.example.com;\r\n"
" q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
" date : message-id : from : subject : date;\r\n"
" bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
" b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
" DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
" dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n"
"From: Joe SixPack <joe@football.example.com>\r\n"
"To: Suzie Q <suzie@shopping.example.net>\r\n"
"Subject: Is dinner ready?\r\n"
"Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
"Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
"\r\n"
"Hi.\r\n"
"\r\n"
"We lost the game.  Are you hungry yet?\r\n"
"\r\n"
"Joe.\r\n";

/* RFC 8463 A.2, the key records. */
static const char rfc8463_ed[] = "v=DKIM1; k=ed25519; "
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static const char rfc8463_rsa[] = "v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5"
    "qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1L"
    "xj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QID"
    "AQAB";

/* test_rfc8463 - an outside test vector: both algorithms, both forms. */
static void
test_rfc8463(void)
{
	const char *why;
	struct mt_msg *m = analyze(rfc8463);
	char *lf, *bad;

	T_INT("rfc8463", "signatures", m->auth.dkim.n, 2);
	T_STR("rfc8463", "ed25519", verify(m, 0, rfc8463_ed, &why), "pass");
	T_STR("rfc8463", "rsa", verify(m, 1, rfc8463_rsa, &why), "pass");
	T_STR("rfc8463", "d", m->auth.dkim.v[0].d.p, "football.example.com");
	T_STR("rfc8463", "a", m->auth.dkim.v[0].a.p, "ed25519-sha256");
	T_INT("rfc8463", "t", m->auth.dkim.v[1].t, 1528637909);
	T_INT("rfc8463", "aligned", m->auth.dkim.v[0].aligned, MT_TRUE);
	T_STR("rfc8463", "key name", m->auth.dkim.v[0].key_name.p,
	    "brisbane._domainkey.football.example.com");
	mt_msg_free(m);

	/* the same message as stored in an mbox: LF line ends */
	lf = malloc(sizeof(rfc8463));
	{
		size_t i, j = 0;

		for (i = 0; rfc8463[i]; i++)
			if (rfc8463[i] != '\r')
				lf[j++] = rfc8463[i];
		lf[j] = '\0';
	}
	m = analyze(lf);
	T_STR("rfc8463 LF", "ed25519", verify(m, 0, rfc8463_ed, &why),
	    "pass");
	T_STR("rfc8463 LF", "rsa", verify(m, 1, rfc8463_rsa, &why), "pass");
	mt_msg_free(m);
	free(lf);

	/* keys swapped: each is the other's type */
	m = analyze(rfc8463);
	T_STR("rfc8463 swapped", "rsa key for ed25519",
	    verify(m, 0, rfc8463_rsa, &why), "permerror");
	T_TRUE("rfc8463 swapped", "reason", starts(why, "the key type"));
	mt_msg_free(m);

	/* one changed byte in a signed field */
	bad = replace(rfc8463, "Is dinner ready?", "Is dinner ready!");
	m = analyze(bad);
	T_STR("rfc8463 changed", "ed25519", verify(m, 0, rfc8463_ed, &why),
	    "fail");
	T_TRUE("rfc8463 changed", "reason", starts(why, "signature mismatch"));
	T_STR("rfc8463 changed", "rsa", verify(m, 1, rfc8463_rsa, &why),
	    "fail");
	mt_msg_free(m);
	free(bad);
}

/*
 * test_rfc6376_example - RFC 6376 3.4.5: the canonical forms are written
 * out literally here and signed; dkim.c must produce the same bytes.
 */
static void
test_rfc6376_example(const struct key *k)
{
	static const char msg[] = "A: X\r\nB : Y\t\r\n\tZ  \r\n"
	    "From: a@example.org\r\n\r\n C \r\nD \t E\r\n\r\n\r\n";
	static const struct {
		const char	*c, *hdata, *body;
	} cases[] = {
		{ "relaxed/relaxed", "a:X\r\nb:Y Z\r\nfrom:a@example.org\r\n",
		    " C\r\nD E\r\n" },
		{ "simple/simple", "A: X\r\nB : Y\t\r\n\tZ  \r\n"
		    "From: a@example.org\r\n", " C \r\nD \t E\r\n" },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct sb sig = { 0 }, data = { 0 }, full = { 0 };
		unsigned char h[32], sb[512];
		size_t sl = sizeof(sb);
		char *bh, *bb, ctxn[64];
		const char *why;
		struct mt_msg *m;
		EVP_MD_CTX *mc = EVP_MD_CTX_new();

		digest(EVP_sha256(), cases[i].body, strlen(cases[i].body), h);
		bh = b64(h, 32);
		/* a signature field with single spaces: the same text in
		 * both canonicalizations but for the name's case */
		sb_f(&sig, "DKIM-Signature: v=1; a=rsa-sha256; c=%s; "
		    "d=example.org; s=s; h=a:b:from; bh=%s; b=", cases[i].c, bh);
		sb_s(&data, cases[i].hdata);
		if (i == 0) {
			sb_s(&data, "dkim-signature:");
			sb_s(&data, sig.p + 16);
		} else
			sb_s(&data, sig.p);
		if (EVP_DigestSignInit(mc, NULL, EVP_sha256(), NULL,
		    k->pk) != 1 || EVP_DigestSign(mc, sb, &sl,
		    (unsigned char *)data.p, data.n) != 1)
			abort();
		EVP_MD_CTX_free(mc);
		bb = b64(sb, sl);
		sb_s(&full, sig.p);
		sb_s(&full, bb);
		sb_s(&full, "\r\n");
		sb_s(&full, msg);
		m = analyze(full.p);
		snprintf(ctxn, sizeof(ctxn), "rfc6376 3.4.5 %s", cases[i].c);
		T_STR(ctxn, "result", verify(m, 0, k->txt, &why), "pass");
		mt_msg_free(m);
		free(bh);
		free(bb);
		free(sig.p);
		free(data.p);
		free(full.p);
	}
}

/* ------------------------------------------------------------------ */
/* Signatures made here                                               */
/* ------------------------------------------------------------------ */

static const char base_msg[] =
"Received: from mail.example.org (mail.example.org [192.0.2.5])\n"
"\tby mx.example.net (Postfix) with ESMTPS id 4XyZ\n"
"\tfor <bob@example.net>; Mon, 3 Mar 2025 10:00:02 +0000 (UTC)\n"
"X-Tag: first\n"
"From: Alice <alice@example.org>\n"
"To: Bob <bob@example.net>\n"
"Subject: Is dinner ready?\n"
"Date: Mon, 3 Mar 2025 10:00:00 +0000\n"
"Message-ID: <1@example.org>\n"
"X-Tag: second\n"
"\n"
"Hi.\n"
"\n"
"We lost the game.  Are you hungry yet?\t \n"
"\n"
"Joe.\n"
"\n"
"\n";

struct scase {
	const char	*name;
	const char	*c;		/* c= */
	const char	*h;		/* h= */
	long		 l;
	const char	*from, *to;	/* change after signing (NULL: none) */
	const char	*want;		/* result */
	const char	*why;		/* reason prefix, or NULL */
};

static const struct scase scases[] = {
	{ "pass", NULL, "from:to:subject:date:message-id", -1, NULL, NULL,
	    "pass", NULL },
	{ "body changed", NULL, "from:to:subject", -1, "hungry", "thirsty",
	    "fail", "body hash mismatch" },
	{ "header changed", NULL, "from:to:subject", -1,
	    "Subject: Is dinner ready?", "Subject: Is lunch ready?", "fail",
	    "signature mismatch" },
	{ "unsigned header changed", NULL, "from:to:subject", -1,
	    "Message-ID: <1@example.org>", "Message-ID: <2@example.org>",
	    "pass", NULL },
	{ "body appended, l=", NULL, "from:subject", 20, "Joe.\n",
	    "Joe.\nP.S. click http://evil.example/\n", "pass", "l= signs only" },
	{ "body appended, no l=", NULL, "from:subject", -1, "Joe.\n",
	    "Joe.\nP.S. more\n", "fail", "body hash mismatch" },
	{ "l= longer than the body", NULL, "from", 4000, NULL, NULL, "fail",
	    "l=4000 is longer" },
	{ "repeated names bottom-up", NULL, "from:x-tag:x-tag", -1, NULL,
	    NULL, "pass", NULL },
	{ "repeated names, lower one changed", NULL, "from:x-tag", -1,
	    "X-Tag: second", "X-Tag: 2nd", "fail", "signature mismatch" },
	{ "repeated names, upper one unsigned", NULL, "from:x-tag", -1,
	    "X-Tag: first", "X-Tag: 1st", "pass", NULL },
	{ "absent name signed, then added", NULL, "from:reply-to", -1,
	    "To: Bob", "Reply-To: x@evil.example\nTo: Bob", "fail",
	    "signature mismatch" },
	{ "absent name signed, still absent", NULL, "from:reply-to:cc", -1,
	    NULL, NULL, "pass", NULL },
	{ "oversigned, a field added on top", NULL, "from:subject:subject",
	    -1, "X-Tag: first", "Subject: Free money\nX-Tag: first", "fail",
	    "signature mismatch" },
	{ "not oversigned, a field added on top", NULL, "from:subject", -1,
	    "X-Tag: first", "Subject: Free money\nX-Tag: first", "pass",
	    NULL },
	{ "header refolded", NULL, "from:to:subject", -1,
	    "Subject: Is dinner ready?", "Subject:   Is dinner\n\tready?",
	    "relaxed:pass simple:fail", NULL },
	{ "body blanks changed", NULL, "from", -1, "hungry yet?\t \n",
	    "hungry   yet?\n", "relaxed:pass simple:fail", NULL },
	{ "empty lines added at the end", NULL, "from", -1, "Joe.\n",
	    "Joe.\n\n\n\n", "pass", NULL },
	{ "Received signed", NULL, "received:from", -1, NULL, NULL, "pass",
	    NULL },
};

/* run_scase - one case for one algorithm and canonicalization. */
static void
run_scase(const struct scase *sc, const struct key *k, const char *alg,
    const char *c, bool crlf_msg)
{
	struct sopt o = { alg, c, "sel", "example.org", sc->h, sc->l, "" };
	char *lfmsg = crlf_msg ? crlf(base_msg) : strdup(base_msg);
	char *signed_msg = sign(lfmsg, k, &o), *changed = NULL, name[200];
	const char *want = sc->want, *why;
	struct mt_msg *m;

	if (sc->from != NULL) {
		char *f = crlf_msg ? crlf(sc->from) : strdup(sc->from);
		char *t = crlf_msg ? crlf(sc->to) : strdup(sc->to);

		changed = replace(signed_msg, f, t);
		if (changed == NULL)
			T_FAIL("%s: \"%s\" not in the message", sc->name,
			    sc->from);
		free(f);
		free(t);
	}
	if (strncmp(want, "relaxed:", 8) == 0) {
		bool hrel = strncmp(c, "relaxed", 7) == 0;
		bool brel = strcmp(strchr(c, '/') + 1, "relaxed") == 0;
		bool rel = strstr(sc->name, "body") ? brel : hrel;

		want = rel ? "pass" : "fail";
	}
	snprintf(name, sizeof(name), "%s (%s %s%s)", sc->name, alg, c,
	    crlf_msg ? " CRLF" : "");
	m = analyze(changed ? changed : signed_msg);
	T_STR(name, "result", verify(m, 0, k->txt, &why), want);
	if (sc->why != NULL && strcmp(want, "pass") == 0 && sc->l < 0)
		T_TRUE(name, "reason", starts(why, sc->why));
	else if (sc->why != NULL)
		T_TRUE(name, "reason", why != NULL && strstr(why, sc->why));
	else if (strcmp(want, "pass") == 0 && strcmp(alg, "rsa-sha1") != 0)
		T_STR(name, "no reason", why, NULL);
	mt_msg_free(m);
	free(changed);
	free(signed_msg);
	free(lfmsg);
}

/* test_signed - every case with RSA 2048 and Ed25519, every c=. */
static void
test_signed(const struct key *rsa, const struct key *ed)
{
	static const char *const canons[] = { "simple/simple",
	    "relaxed/relaxed", "relaxed/simple", "simple/relaxed" };
	size_t i, j;

	for (i = 0; i < sizeof(scases) / sizeof(scases[0]); i++)
		for (j = 0; j < 4; j++) {
			run_scase(&scases[i], rsa, "rsa-sha256", canons[j],
			    false);
			run_scase(&scases[i], ed, "ed25519-sha256", canons[j],
			    j == 1);
		}
	/* rsa-sha1: verified, reported weak (RFC 8301) */
	{
		struct sopt o = { "rsa-sha1", "relaxed/relaxed", "sel",
		    "example.org", "from:subject", -1, "" };
		char *s = sign(base_msg, rsa, &o);
		struct mt_msg *m = analyze(s);
		const char *why;

		T_STR("rsa-sha1", "result", verify(m, 0, rsa->txt, &why),
		    "pass");
		T_TRUE("rsa-sha1", "weak", m->auth.dkim.v[0].weak);
		T_TRUE("rsa-sha1", "reason", why && strstr(why, "RFC 8301"));
		mt_msg_free(m);
		free(s);
	}
}

/* test_keys - key records: every way one can be wrong (RFC 6376 3.6.1). */
static void
test_keys(const struct key *rsa, const struct key *ed,
    const struct key *other, const struct key *small)
{
	struct sopt o = { "rsa-sha256", "relaxed/relaxed", "sel",
	    "example.org", "from:subject", -1, "i=@mail.example.org; " };
	char *s = sign(base_msg, rsa, &o), key[1100];
	const char *p = strstr(rsa->txt, "p="), *why;
	struct {
		const char	*name;
		const char	*key;
		const char	*want;
		const char	*why;
	} cases[] = {
		{ "right key", rsa->txt, "pass", NULL },
		{ "another RSA key", other->txt, "fail", "signature mismatch" },
		{ "an Ed25519 key", ed->txt, "permerror", "the key type" },
		{ "revoked", "v=DKIM1; k=rsa; p=", "permerror", "key revoked" },
		{ "revoked with blanks", "v=DKIM1; p= ", "permerror",
		    "key revoked" },
		{ "no p=", "v=DKIM1; k=rsa", "permerror", "the key record is "
		    "malformed" },
		{ "not a tag list", "hello world", "permerror", "the key record "
		    "is malformed" },
		{ "v=DKIM2", NULL, "permerror", "the key record's v=" },
		{ "v= not first", NULL, "permerror", "the key record's v=" },
		{ "k=dsa", NULL, "permerror", "unknown key type" },
		{ "h=sha1 only", NULL, "permerror", "the key's h=" },
		{ "h=sha256", NULL, "pass", NULL },
		{ "s=other", NULL, "permerror", "the key is not for email" },
		{ "s=*", NULL, "pass", NULL },
		{ "t=y", NULL, "pass", "the key is in testing mode" },
		{ "t=s with i= in a subdomain", NULL, "permerror", "the key says "
		    "t=s" },
		{ "p= not base64", "v=DKIM1; p=!!!!", "permerror", "the key's p= "
		    "is not base64" },
		{ "p= not a key", "v=DKIM1; p=aGVsbG8gd29ybGQ=", "permerror",
		    "the key's p= is not an RSA public key" },
		{ "768-bit key", small->txt, "permerror", "the RSA key has 768 "
		    "bits" },
		{ "empty record", "", "permerror", "the key record is "
		    "malformed" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = analyze(s);
		const char *k = cases[i].key;

		if (k == NULL) {
			const char *tag = strcmp(cases[i].name, "v=DKIM2") == 0 ?
			    "v=DKIM2; " : strcmp(cases[i].name, "k=dsa") == 0 ?
			    "v=DKIM1; k=dsa; " : strcmp(cases[i].name,
			    "h=sha1 only") == 0 ? "v=DKIM1; h=sha1; " :
			    strcmp(cases[i].name, "h=sha256") == 0 ?
			    "v=DKIM1; h=sha1:sha256; " : strcmp(cases[i].name,
			    "s=other") == 0 ? "v=DKIM1; s=other; " :
			    strcmp(cases[i].name, "s=*") == 0 ?
			    "v=DKIM1; s=*; " : strcmp(cases[i].name, "t=y") == 0 ?
			    "v=DKIM1; t=y; " : strcmp(cases[i].name,
			    "v= not first") == 0 ? "k=rsa; v=DKIM1; " :
			    "v=DKIM1; t=s; ";

			snprintf(key, sizeof(key), "%s%s", tag, p);
			k = key;
		}
		T_STR(cases[i].name, "result", verify(m, 0, k, &why),
		    cases[i].want);
		if (cases[i].why != NULL)
			T_TRUE(cases[i].name, "reason", starts(why,
			    cases[i].why));
		if (strcmp(cases[i].name, "t=y") == 0)
			T_TRUE(cases[i].name, "testing",
			    m->auth.dkim.v[0].testing);
		/* a second verify changes nothing */
		T_STR(cases[i].name, "again", verify(m, 0, rsa->txt, &why),
		    cases[i].want);
		mt_msg_free(m);
	}
	free(s);
}

/* test_answers - the DNS answer to the key query (RFC 6376 6.1.2). */
static void
test_answers(const struct key *rsa)
{
	struct sopt o = { "rsa-sha256", "relaxed/relaxed", "sel",
	    "example.org", "from:subject", -1, "" };
	char *s = sign(base_msg, rsa, &o);
	char *notkey = "v=spf1 -all";
	char *two[2] = { notkey, (char *)rsa->txt };
	size_t lens[2] = { strlen(notkey), strlen(rsa->txt) };
	struct {
		const char		*name;
		enum mt_dns_status	 st;
		size_t			 n;
		char			**ans;
		const char		*want, *why;
	} cases[] = {
		{ "key", MT_DNS_OK, 1, two + 1, "pass", NULL },
		{ "a TXT record first, then the key", MT_DNS_OK, 2, two,
		    "pass", NULL },
		{ "NXDOMAIN", MT_DNS_NXDOMAIN, 0, NULL, "permerror",
		    "key not found: sel._domainkey.example.org does not exist" },
		{ "NODATA", MT_DNS_OK, 0, NULL, "permerror", "key not found: no "
		    "TXT record" },
		{ "no key among the records", MT_DNS_OK, 1, two, "permerror",
		    "key not found: no DKIM key" },
		{ "SERVFAIL", MT_DNS_SERVFAIL, 0, NULL, "temperror",
		    "the key lookup of sel._domainkey.example.org failed" },
		{ "timeout", MT_DNS_TIMEOUT, 0, NULL, "temperror", "the key "
		    "lookup" },
		{ "unavailable", MT_DNS_UNAVAILABLE, 0, NULL, "temperror",
		    "the key lookup" },
		{ "not in the replayed cache", MT_DNS_SKIPPED, 0, NULL, NULL,
		    "not verified: the key sel._domainkey.example.org is not in "
		    "the DNS cache file" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_dns_answer a;
		struct mt_msg *m = analyze(s);
		enum mt_dkim_res r;

		memset(&a, 0, sizeof(a));
		a.type = MT_DNS_TXT;
		a.status = cases[i].st;
		a.qname = "sel._domainkey.example.org";
		a.answers = cases[i].ans;
		a.lens = cases[i].ans == two ? lens : lens + 1;
		a.nanswers = cases[i].n;
		T_INT(cases[i].name, "rc", mt_dkim_answer(m, 0, &a, &r), 0);
		T_STR(cases[i].name, "result", mt_dkim_res_name(r),
		    cases[i].want);
		if (cases[i].why != NULL)
			T_TRUE(cases[i].name, "reason",
			    starts(m->auth.dkim.v[0].reason.p, cases[i].why));
		if (i == 2 || i == 3)
			T_TRUE(cases[i].name, "rotation noted",
			    strstr(m->auth.dkim.v[0].reason.p,
			    "rotated since delivery") != NULL);
		mt_msg_free(m);
	}
	/* no answer at all (DNS off): null, the phase 1 reason */
	{
		struct mt_msg *m = analyze(s);
		enum mt_dkim_res r;

		mt_dkim_answer(m, 0, NULL, &r);
		T_STR("no answer", "result", mt_dkim_res_name(r), NULL);
		T_STR("no answer", "reason", m->auth.dkim.v[0].reason.p,
		    "not verified: the key was not looked up (no DNS)");
		T_STR("no answer", "key", m->auth.dkim.v[0].key_name.p,
		    "sel._domainkey.example.org");
		mt_msg_free(m);
	}
	free(s);
}

/* ------------------------------------------------------------------ */
/* Signatures out of syntax, bodies not kept, caps                    */
/* ------------------------------------------------------------------ */

/* test_malformed - signature tags: each error is a permerror with its
 * reason, decided without a key; nothing crashes. */
static void
test_malformed(const struct key *rsa)
{
	static const struct {
		const char	*name;
		const char	*tags;
		const char	*why;
		bool		 anomaly;
	} cases[] = {
		{ "duplicate tag", "v=1; a=rsa-sha256; d=example.org; d=x.test; "
		    "s=sel; h=from; bh=AAAA; b=AAAA", "a tag appears twice", true },
		{ "tag without =", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "h=from; bh=AAAA; b=AAAA; junk", "malformed tag list", true },
		{ "bad tag name", "v=1; 9a=x; a=rsa-sha256; d=example.org; s=s; "
		    "h=from; bh=AAAA; b=AAAA", "malformed tag list", true },
		{ "no v=", "a=rsa-sha256; d=example.org; s=sel; h=from; "
		    "bh=AAAA; b=AAAA", "v= is missing", false },
		{ "v=2", "v=2; a=rsa-sha256; d=example.org; s=sel; h=from; "
		    "bh=AAAA; b=AAAA", "unsupported version v=2", false },
		{ "no bh=", "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; "
		    "b=AAAA", "the required tag bh= is missing", false },
		{ "no h=", "v=1; a=rsa-sha256; d=example.org; s=sel; bh=AAAA; "
		    "b=AAAA", "the required tag h= is missing", false },
		{ "unknown a=", "v=1; a=rsa-sha512; d=example.org; s=sel; "
		    "h=from; bh=AAAA; b=AAAA", "unknown algorithm", false },
		{ "unknown c=", "v=1; a=rsa-sha256; c=loose/simple; "
		    "d=example.org; s=sel; h=from; bh=AAAA; b=AAAA",
		    "unknown canonicalization", false },
		{ "unknown q=", "v=1; a=rsa-sha256; q=http; d=example.org; "
		    "s=sel; h=from; bh=AAAA; b=AAAA", "no known query method",
		    false },
		{ "d= not a name", "v=1; a=rsa-sha256; d=exa mple..org; s=sel; "
		    "h=from; bh=AAAA; b=AAAA", "d= or s= is not a DNS name",
		    false },
		{ "i= elsewhere", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "i=x@evil.test; h=from; bh=AAAA; b=AAAA", "the i= domain",
		    false },
		{ "From unsigned", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "h=to:subject; bh=AAAA; b=AAAA", "From is not signed", false },
		{ "l= not a number", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "l=-5; h=from; bh=AAAA; b=AAAA", "l= is not a number", false },
		{ "x= before t=", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "t=200; x=100; h=from; bh=AAAA; b=AAAA", "x= is before t=",
		    false },
		{ "expired at delivery", "v=1; a=rsa-sha256; d=example.org; "
		    "s=sel; t=100; x=200; h=from; bh=AAAA; b=AAAA",
		    "the signature had expired", false },
		{ "bh= too short", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "h=from; bh=AAAA; b=AAAA", "bh= is not a base64 hash", false },
		{ "b= not base64", "v=1; a=rsa-sha256; d=example.org; s=sel; "
		    "h=from; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; "
		    "b=!!", "b= is not base64", false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sb b = { 0 };
		struct mt_msg *m;
		const char *why;

		sb_f(&b, "DKIM-Signature: %s\n%s", cases[i].tags, base_msg);
		m = analyze(b.p);
		T_INT(cases[i].name, "one signature", m->auth.dkim.n, 1);
		T_STR(cases[i].name, "result", mt_dkim_res_name(
		    m->auth.dkim.n ? m->auth.dkim.v[0].result : MT_DKIM_NULL),
		    "permerror");
		T_TRUE(cases[i].name, "reason", m->auth.dkim.n &&
		    strstr(m->auth.dkim.v[0].reason.p ?
		    m->auth.dkim.v[0].reason.p : "", cases[i].why) != NULL);
		T_TRUE(cases[i].name, "nothing to look up",
		    !mt_dkim_needs_key(m, 0));
		T_INT(cases[i].name, "AUTH_MALFORMED", has_anomaly(m,
		    MT_AN_AUTH_MALFORMED), cases[i].anomaly);
		/* a key changes nothing once phase 1 decided */
		T_STR(cases[i].name, "key changes nothing",
		    verify(m, 0, rsa->txt, &why), "permerror");
		mt_msg_free(m);
		free(b.p);
	}

	/* random bytes in the field: no crash, some result */
	{
		uint32_t x = 12345;
		int n;

		for (n = 0; n < 2000; n++) {
			struct sb b = { 0 };
			char junk[120];
			struct mt_msg *m;
			size_t k, len = (size_t)(x % sizeof(junk));
			static const char alpha[] = "v=1;ahbdslxtqc=/:@ \t\n"
			    "rsa-sha256ed25519relaxedsimpleAQ+\0\x80\xff";

			for (k = 0; k < len; k++) {
				x = x * 1103515245 + 12345;
				junk[k] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
				if (junk[k] == '\n')
					junk[k] = ' ';
			}
			sb_s(&b, "DKIM-Signature: ");
			sb_add(&b, junk, len);
			sb_s(&b, "\n");
			sb_s(&b, base_msg);
			m = analyze_opt(ctx, b.p, true, false);
			mt_dkim_verify(m, 0, rsa->txt, strlen(rsa->txt), NULL);
			mt_msg_free(m);
			free(b.p);
		}
		T_TRUE("random tags", "no crash", true);
	}
}

/* test_body - bodies the reader did not keep, or kept in part. */
static void
test_body(const struct key *rsa)
{
	struct sopt o = { "rsa-sha256", "relaxed/relaxed", "sel",
	    "example.org", "from:subject", -1, "" };
	struct sopt ol = { "rsa-sha256", "relaxed/simple", "sel",
	    "example.org", "from:subject", 10, "" };
	char *s = sign(base_msg, rsa, &o), *sl = sign(base_msg, rsa, &ol);
	struct mt_msg *m;
	const char *why;

	m = analyze_opt(ctx, s, false, false);
	T_STR("no body", "result", mt_dkim_res_name(m->auth.dkim.v[0].result),
	    NULL);
	T_STR("no body", "reason", m->auth.dkim.v[0].reason.p,
	    "not verified: the body was not kept");
	T_TRUE("no body", "no lookup", !mt_dkim_needs_key(m, 0));
	mt_msg_free(m);
	/* cut: the reader kept part of it */
	m = analyze_opt(ctx, s, true, true);
	T_STR("cut body", "result", mt_dkim_res_name(m->auth.dkim.v[0].result),
	    "neutral");
	T_TRUE("cut body", "reason", starts(m->auth.dkim.v[0].reason.p,
	    "body not kept: message too large"));
	mt_msg_free(m);
	/* cut, but l= covers less than what was kept: verified */
	m = analyze_opt(ctx, sl, true, true);
	T_STR("cut body, l=", "result", verify(m, 0, rsa->txt, &why), "pass");
	mt_msg_free(m);
	free(s);
	free(sl);
}

/* test_caps - MT_MAX_DKIM_SIGNATURES, MT_MAX_DKIM_HEADERS and
 * MT_MAX_AUTH_ITEMS, each fed ten times over. */
static void
test_caps(const struct key *rsa)
{
	struct sopt o = { "rsa-sha256", "relaxed/relaxed", "sel",
	    "example.org", "from:subject", -1, "" };
	char *one = sign(base_msg, rsa, &o);
	const char *sig_end = strstr(one, "\nReceived:");
	struct sb b = { 0 }, h = { 0 };
	struct mt_msg *m;
	size_t i, verified = 0, capped = 0;
	const char *why;

	/* ten times MT_MAX_DKIM_SIGNATURES copies of one signature */
	for (i = 0; i < 10 * MT_MAX_DKIM_SIGNATURES; i++)
		sb_add(&b, one, (size_t)(sig_end - one) + 1);
	sb_s(&b, base_msg);
	m = analyze(b.p);
	T_INT("10x signatures", "listed", m->auth.dkim.n,
	    10 * MT_MAX_DKIM_SIGNATURES);
	for (i = 0; i < m->auth.dkim.n; i++) {
		if (mt_dkim_needs_key(m, i))
			verified++;
		else if (starts(m->auth.dkim.v[i].reason.p, "not verified: the "
		    "message has more than"))
			capped++;
	}
	T_INT("10x signatures", "hashed", verified, MT_MAX_DKIM_SIGNATURES);
	T_INT("10x signatures", "not verified", capped,
	    9 * MT_MAX_DKIM_SIGNATURES);
	T_TRUE("10x signatures", "anomaly", has_anomaly(m,
	    MT_AN_DKIM_SIGNATURES_TRUNCATED));
	T_STR("10x signatures", "first verifies", verify(m, 0, rsa->txt,
	    &why), "pass");
	mt_msg_free(m);

	/* h= with ten times MT_MAX_DKIM_HEADERS names */
	sb_s(&h, "from");
	for (i = 1; i < 10 * MT_MAX_DKIM_HEADERS; i++)
		sb_s(&h, ":x-none");
	{
		struct sopt oh = o;
		char *s;

		oh.h = h.p;
		s = sign(base_msg, rsa, &oh);
		m = analyze(s);
		T_STR("10x h= names", "result",
		    mt_dkim_res_name(m->auth.dkim.v[0].result), "permerror");
		T_TRUE("10x h= names", "anomaly", has_anomaly(m,
		    MT_AN_DKIM_HEADERS_TRUNCATED));
		mt_msg_free(m);
		free(s);
	}
	/* a tag list of ten times MT_MAX_AUTH_ITEMS tags */
	free(b.p);
	memset(&b, 0, sizeof(b));
	sb_s(&b, "DKIM-Signature: v=1");
	for (i = 0; i < 10 * MT_MAX_AUTH_ITEMS; i++)
		sb_f(&b, "; z%zu=1", i);
	sb_s(&b, "\n");
	sb_s(&b, base_msg);
	m = analyze(b.p);
	T_TRUE("10x tags", "anomaly", has_anomaly(m,
	    MT_AN_AUTH_ITEMS_TRUNCATED));
	T_STR("10x tags", "result", mt_dkim_res_name(m->auth.dkim.v[0].result),
	    "permerror");
	mt_msg_free(m);
	free(b.p);
	free(h.p);
	free(one);
}

/* test_dmarc - DKIM alignment with From (RFC 7489 3.1.1). */
static void
test_dmarc(const struct key *rsa)
{
	static const struct {
		const char	*d;
		enum mt_tri	 relaxed, strict;
	} cases[] = {
		{ "example.org", MT_TRUE, MT_TRUE },
		{ "mail.example.org", MT_TRUE, MT_FALSE },
		{ "example.net", MT_FALSE, MT_FALSE },
		{ "org", MT_FALSE, MT_FALSE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sopt o = { "rsa-sha256", "relaxed/relaxed", "sel",
		    cases[i].d, "from", -1, "" };
		char *s = sign(base_msg, rsa, &o);
		struct mt_msg *m = analyze(s);
		const char *why;

		T_INT(cases[i].d, "aligned", m->auth.dkim.v[0].aligned,
		    cases[i].relaxed);
		T_INT(cases[i].d, "aligned_strict",
		    m->auth.dkim.v[0].aligned_strict, cases[i].strict);
		T_INT(cases[i].d, "dmarc before the key",
		    m->auth.dmarc.dkim_aligned, cases[i].relaxed == MT_TRUE ?
		    MT_NULL : MT_FALSE);
		if (strcmp(cases[i].d, "org") != 0) {
			verify(m, 0, rsa->txt, &why);
			mt_auth_dmarc(m);
			T_INT(cases[i].d, "dmarc after a pass",
			    m->auth.dmarc.dkim_aligned, cases[i].relaxed);
		}
		mt_msg_free(m);
		free(s);
	}
}

/* ------------------------------------------------------------------ */
/* DNS: the samples and the fixture keys (tests/dns/dkim.test)        */
/* ------------------------------------------------------------------ */

/* sample_results - analyze a sample file with c; "d/s=result" per
 * signature, joined by ' ', into out. */
static void
sample_results(struct mt_ctx *c, const char *name, char *out, size_t len)
{
	char path[1024];
	struct mt_split *sp;
	struct mt_span span;
	int fd;

	snprintf(path, sizeof(path), "%s/samples/%s", MT_SOURCE_DIR, name);
	out[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0) {
		T_FAIL("%s: cannot open", path);
		return;
	}
	if ((sp = mt_split_new(fd)) == NULL)
		abort();
	mt_split_keep_body(sp, MT_MAX_BODY_KEEP);
	while (mt_split_next(sp, &span) == 1) {
		struct mt_input in;
		struct mt_msg *m;
		size_t i;

		memset(&in, 0, sizeof(in));
		in.path = path;
		in.body = span.body;
		in.body_len = span.body_len;
		in.body_truncated = span.body_truncated;
		if ((m = mt_analyze(c, &in, span.hdr, span.hdr_len)) == NULL)
			abort();
		for (i = 0; i < m->auth.dkim.n; i++) {
			const char *r = mt_dkim_res_name(m->auth.dkim.v[i].result);

			snprintf(out + strlen(out), len - strlen(out), "%s%s=%s",
			    *out ? " " : "", m->auth.dkim.v[i].s.p, r ? r :
			    "null");
		}
		mt_msg_free(m);
	}
	mt_split_free(sp);
	close(fd);
}

/* load_test_key - the committed test key (tests/dns/dkim-test-rsa.pem). */
static bool
load_test_key(struct key *k)
{
	FILE *fp = fopen(MT_SOURCE_DIR "/tests/dns/dkim-test-rsa.pem", "r");

	memset(k, 0, sizeof(*k));
	if (fp == NULL)
		return false;
	k->pk = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	return k->pk != NULL;
}

/* test_dns - end to end through the resolver (skipped without a server,
 * unless replaying a cache file). */
static void
test_dns(void)
{
	const char *server = getenv("MT_DNS_SERVER");
	const char *cache = getenv("MT_DKIM_CACHE");
	const char *replay = getenv("MT_DKIM_REPLAY");
	struct mt_ctx_opts o;
	struct mt_ctx *c;
	struct key tk;
	char err[256], got[512];
	size_t i;
	static const struct {
		const char	*sample, *want;
	} samples[] = {
		{ "auth-gmail.eml", "20230601=pass" },
		{ "auth-office365.eml", "s1=pass" },
		{ "auth-postfix-opendkim.eml", "sel2048=pass ed2025=pass" },
		{ "auth-rspamd.eml", "ed2025=pass" },
		{ "auth-forged-results.eml", "mail2024=fail" },
	};
	static const struct {
		const char	*sel, *want, *why;
	} sels[] = {
		{ "sel2048", "pass", NULL },
		{ "revoked", "permerror", "key revoked" },
		{ "rotated", "fail", "signature mismatch" },
		{ "nokey", "permerror", "key not found: "
		    "nokey._domainkey.sender.test does not exist" },
		{ "txtonly", "permerror", "key not found: no DKIM key" },
	};
	const char *servers[1];

	if (server == NULL && replay == NULL) {
		printf("dns: skipped (MT_DNS_SERVER is not set; "
		    "tests/dns/dkim.test sets it)\n");
		return;
	}
	memset(&o, 0, sizeof(o));
	if (replay != NULL) {
		o.dns_cache = replay;
		o.dns_replay = true;
	} else {
		servers[0] = server;
		o.dns_servers = servers;
		o.ndns_servers = 1;
		o.dns_timeout_ms = 1000;
		o.dns_cache = cache;
	}
	o.no_geoip = true;
	if ((c = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		T_FAIL("dns: context: %s", err);
		return;
	}
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		sample_results(c, samples[i].sample, got, sizeof(got));
		T_STR(samples[i].sample, "DKIM over DNS", got, samples[i].want);
	}
	/* signed now with the committed test key, under other selectors */
	if (!load_test_key(&tk))
		T_FAIL("dns: cannot read the committed test key");
	else {
		for (i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
			struct sopt so = { "rsa-sha256", "relaxed/relaxed",
			    sels[i].sel, "sender.test", "from:subject", -1, "" };
			char *msg = replace(base_msg, "alice@example.org",
			    "alice@sender.test"), *s = sign(msg, &tk, &so);
			struct mt_msg *m = analyze_opt(c, s, true, false);
			const char *r = mt_dkim_res_name(
			    m->auth.dkim.v[0].result);

			T_STR(sels[i].sel, "result over DNS", r, sels[i].want);
			if (sels[i].why != NULL)
				T_TRUE(sels[i].sel, "reason", starts(
				    m->auth.dkim.v[0].reason.p, sels[i].why));
			mt_msg_free(m);
			free(s);
			free(msg);
		}
		EVP_PKEY_free(tk.pk);
	}
	if (replay == NULL && cache != NULL &&
	    mt_ctx_dns_save(c, err, sizeof(err)) != 0)
		T_FAIL("dns: save %s: %s", cache, err);
	printf("dns: %s\n", replay ? "replayed from the cache file" :
	    "answered by the server");
	mt_ctx_free(c);
}

/*
 * test_corpus - the developer corpus's mailing-list archive: its messages
 * keep the bytes they were signed with (the list does not touch bodies),
 * so every signature's body hash must match, through every line-end and
 * canonicalization the senders used.  Skipped when ../shared is absent.
 */
static void
test_corpus(void)
{
	const char *path = MT_SOURCE_DIR "/../shared/corpus/linux_man.mbox";
	struct mt_split *sp;
	struct mt_span span;
	size_t sigs = 0, hashed = 0, mismatch = 0, i;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		printf("corpus: skipped (no %s)\n", path);
		return;
	}
	if ((sp = mt_split_new(fd)) == NULL)
		abort();
	mt_split_keep_body(sp, MT_MAX_BODY_KEEP);
	while (mt_split_next(sp, &span) == 1) {
		struct mt_input in;
		struct mt_msg *m;

		memset(&in, 0, sizeof(in));
		in.path = path;
		in.body = span.body;
		in.body_len = span.body_len;
		in.body_truncated = span.body_truncated;
		if ((m = mt_analyze(ctx, &in, span.hdr, span.hdr_len)) == NULL)
			abort();
		for (i = 0; i < m->auth.dkim.n; i++) {
			const char *r = m->auth.dkim.v[i].reason.p;

			sigs++;
			hashed += mt_dkim_needs_key(m, i);
			if (r != NULL && strstr(r, "body hash mismatch"))
				mismatch++;
		}
		mt_msg_free(m);
	}
	mt_split_free(sp);
	close(fd);
	printf("corpus: %zu signatures, %zu body hashes match, %zu do not\n",
	    sigs, hashed, mismatch);
	T_TRUE("corpus", "signatures", sigs >= 400);
	T_INT("corpus", "body hashes that match", hashed, sigs);
	T_INT("corpus", "body hash mismatches", mismatch, 0);
}

int
main(int argc, char **argv)
{
	struct mt_ctx_opts o;
	struct key rsa, ed, other, small;
	char err[256];

	(void)argc;
	(void)argv;
	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	o.no_geoip = true;
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "context: %s\n", err);
		return 1;
	}
	keygen(&rsa, false, 2048);
	keygen(&ed, true, 0);
	keygen(&other, false, 2048);
	keygen(&small, false, 768);
	test_rfc8463();
	test_rfc6376_example(&rsa);
	test_signed(&rsa, &ed);
	test_keys(&rsa, &ed, &other, &small);
	test_answers(&rsa);
	test_malformed(&rsa);
	test_body(&rsa);
	test_caps(&rsa);
	test_dmarc(&rsa);
	test_corpus();
	test_dns();
	EVP_PKEY_free(rsa.pk);
	EVP_PKEY_free(ed.pk);
	EVP_PKEY_free(other.pk);
	EVP_PKEY_free(small.pk);
	mt_ctx_free(ctx);
	return t_done("test_dkim");
}
