/*
 * mime.c - RFC 2047 encoded words in unstructured header text (Subject,
 * X-Mailer, display names), decoded to valid UTF-8 in the message arena.
 *
 * One pass over the value: text outside encoded words is kept (checked as
 * UTF-8, else read in the fallback charset, else replaced), encoded words
 * are decoded into a scratch buffer, and adjacent words in one charset are
 * joined there BEFORE conversion, because senders split a multibyte
 * character across two words (GB2312 and UTF-8 B words often do).  Only
 * then does the run go through iconv (conv.c).  Nothing is malloc'd; the
 * scratch and the output come from the arena.
 */
#include <string.h>

#include "mime.h"

/* What the bytes at "=?" turned out to be. */
enum { EW_NONE, EW_BAD, EW_OK };

/* One encoded word: =?charset?enc?text?= (RFC 2047 section 2). */
struct ew {
	size_t	 s, e;		/* the word in the value */
	size_t	 cs, cslen;	/* charset, without an RFC 2231 "*lang" */
	size_t	 ts, te;	/* encoded text */
	int	 enc;		/* 'b' or 'q' */
};

struct dec {
	struct mt_msg	*m;
	const char	*v;		/* the value */
	size_t		 len;
	uint64_t	 off;		/* its offset in the message */
	const char	*fb;		/* fallback charset, or NULL */
	size_t		 fblen;

	char		*out;		/* the result, grown in the arena */
	size_t		 n, cap;
	bool		 fail;

	char		*run;		/* decoded bytes of the pending run */
	size_t		 rn;
	bool		 active;	/* a run is pending */
	size_t		 rs, re;	/* its raw span in the value */
	struct mt_str	 rcs;		/* its charset */
};

/* put - append n bytes to the result. */
static void
put(struct dec *d, const char *p, size_t n)
{
	if (d->fail || n == 0)
		return;
	if (d->cap - d->n <= n) {
		size_t cap = d->cap * 2 > d->n + n + 1 ? d->cap * 2 :
		    d->n + n + 1;
		char *o = mt_arena_alloc(&d->m->arena, cap);

		if (o == NULL) {
			d->fail = true;
			return;
		}
		memcpy(o, d->out, d->n);
		d->out = o;
		d->cap = cap;
	}
	memcpy(d->out + d->n, p, n);
	d->n += n;
}

/*
 * clean - append p as valid UTF-8: every invalid byte and every NUL becomes
 * U+FFFD, with INVALID_UTF8 at off (plus the byte's position when exact,
 * i.e. when p is the value's own bytes).
 */
static void
clean(struct dec *d, const char *p, size_t n, uint64_t off, bool exact)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k;
	bool bad = false;

	if (mt_utf8_valid(p, n) && memchr(p, '\0', n) == NULL) {
		put(d, p, n);
		return;
	}
	while (i < n) {
		k = u[i] == 0 ? 0 : mt_utf8_seq(u + i, n - i);
		if (k == 0) {
			if (!bad)
				mt_anomaly_add(d->m, MT_AN_INVALID_UTF8,
				    off + (exact ? i : 0));
			bad = true;
			put(d, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		put(d, p + i, k);
		i += k;
	}
}

/* is_utf8 - does the charset name UTF-8 (no conversion needed). */
static bool
is_utf8(struct mt_str cs)
{
	return mt_str_ieq_c(cs, "utf-8") || mt_str_ieq_c(cs, "utf8");
}

/* conv - p converted from charset cs, or a null slice if cs is unknown. */
static struct mt_str
conv(struct dec *d, struct mt_str cs, const char *p, size_t n, bool *bad)
{
	*bad = false;
	if (d->m->ctx == NULL)
		return MT_STR_NULL;
	return mt_conv_to_utf8(mt_ctx_conv(d->m->ctx), &d->m->arena, cs.p,
	    cs.len, p, n, bad);
}

/*
 * text - append value bytes [s, e) that are not encoded words.  Valid
 * UTF-8 is kept as it is; other bytes (and ISO-2022 escapes) are read in
 * the fallback charset when there is one: raw 8-bit headers are illegal
 * (RFC 5322 section 2.2) but common, and mean the body's charset.
 */
static void
text(struct dec *d, size_t s, size_t e)
{
	const char *p = d->v + s;
	size_t n = e - s;
	struct mt_str r;
	bool bad;

	if (n == 0)
		return;
	if (d->fb != NULL && (memchr(p, 0x1b, n) != NULL ||
	    !mt_utf8_valid(p, n))) {
		r = conv(d, mt_str(d->fb, d->fblen), p, n, &bad);
		if (r.p != NULL) {
			if (bad)
				mt_anomaly_add(d->m, MT_AN_INVALID_UTF8,
				    d->off + s);
			clean(d, r.p, r.len, d->off + s, false);
			return;
		}
	}
	clean(d, p, n, d->off + s, true);
}

/* flush - convert the pending run of encoded words and append it. */
static void
flush(struct dec *d)
{
	struct mt_str r;
	bool bad;

	if (!d->active)
		return;
	d->active = false;
	if (is_utf8(d->rcs)) {
		clean(d, d->run, d->rn, d->off + d->rs, false);
		return;
	}
	r = conv(d, d->rcs, d->run, d->rn, &bad);
	if (r.p == NULL) {
		/* Unknown charset: the words stay as they were written. */
		mt_anomaly_add(d->m, MT_AN_ENCODED_WORD_CHARSET, d->off + d->rs);
		text(d, d->rs, d->re);
		return;
	}
	if (bad)
		mt_anomaly_add(d->m, MT_AN_INVALID_UTF8, d->off + d->rs);
	clean(d, r.p, r.len, d->off + d->rs, false);
}

/* csch - may ch appear in a charset name (RFC 2047 token, RFC 2231 '*'). */
static bool
csch(int ch)
{
	if (ch == '.' || ch == ':')
		return true;
	return mt_is(ch, MT_C_ATEXT) && ch != '?' && ch != '=' && ch != '/';
}

/*
 * parse - look at the "=?" at j.  EW_NONE: not an encoded word, just text.
 * EW_BAD: an encoded word gone wrong; w->e is where scanning resumes.
 * EW_OK: w is filled in.
 */
static int
parse(const char *v, size_t len, size_t j, struct ew *w)
{
	const char *q;
	size_t k = j + 2, i;

	w->s = j;
	while (k < len && csch((unsigned char)v[k]))
		k++;
	if (k == j + 2 || k >= len || v[k] != '?')
		return EW_NONE;
	w->cs = j + 2;
	w->cslen = k - w->cs;
	for (i = w->cs; i < k; i++)
		if (v[i] == '*') {	/* RFC 2231 section 5: charset*lang */
			w->cslen = i - w->cs;
			break;
		}
	k++;
	w->e = k;
	if (w->cslen == 0 || k + 1 >= len || v[k + 1] != '?')
		return EW_BAD;
	w->enc = mt_lower((unsigned char)v[k]);
	w->ts = k + 2;
	w->e = w->ts;
	if (w->enc != 'b' && w->enc != 'q')
		return EW_BAD;		/* unknown encoding letter */
	/* The text has no '?' (section 2), so the first '?' must start the
	 * "?=": a missing end never swallows the next word. */
	q = memchr(v + w->ts, '?', len - w->ts);
	if (q == NULL || (size_t)(q - v) + 1 >= len || q[1] != '=')
		return EW_BAD;		/* missing ?= */
	w->te = (size_t)(q - v);
	w->e = w->te + 2;
	return EW_OK;
}

/* hex - value of a hex digit, or -1. */
static int
hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = mt_lower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/*
 * unb - decode "B" text (RFC 2047 section 4.1, base64 of RFC 2045 6.8)
 * into out; false if it is not base64.  Missing padding and WSP inside
 * (a long word folded in its middle) are accepted: deliberate leniency.
 */
static bool
unb(const char *t, size_t n, char *out, size_t *on)
{
	unsigned acc = 0;
	size_t i, o = 0, digits = 0;
	int bits = 0, v;
	bool pad = false;

	for (i = 0; i < n; i++) {
		int ch = (unsigned char)t[i];

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (ch == '=') {
			pad = true;
			continue;
		}
		if (pad || (v = mt_b64_digit(ch)) < 0)
			return false;	/* data after padding, or no digit */
		acc = ((acc << 6) | (unsigned)v) & 0xffffu;
		bits += 6;
		digits++;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xffu);
		}
	}
	if (digits % 4 == 1)
		return false;	/* six bits cannot end a byte */
	*on = o;
	return true;
}

/*
 * unq - decode "Q" text (RFC 2047 section 4.2) into out; false on a bad
 * "=XX".  Spaces inside the text, which some mailers emit, are kept as
 * spaces: deliberate leniency.
 */
static bool
unq(const char *t, size_t n, char *out, size_t *on)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		int ch = (unsigned char)t[i];

		if (ch == '_')
			out[o++] = ' ';
		else if (ch == '=') {
			if (i + 2 >= n || (hi = hex((unsigned char)t[i + 1])) < 0 ||
			    (lo = hex((unsigned char)t[i + 2])) < 0)
				return false;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (ch != '\r' && ch != '\n')
			out[o++] = (char)ch;
	}
	*on = o;
	return true;
}

/* ws_only - is value [s, e) nothing but linear white space. */
static bool
ws_only(const char *v, size_t s, size_t e)
{
	for (; s < e; s++)
		if (v[s] != ' ' && v[s] != '\t' && v[s] != '\r' && v[s] != '\n')
			return false;
	return true;
}

/* mt_mime_decode - decode the encoded words of an unstructured value;
 * see mt.h. */
struct mt_str
mt_mime_decode(struct mt_msg *m, struct mt_str value, uint64_t offset,
    const char *fallback_charset)
{
	struct dec d;
	struct ew w;
	size_t i = 0, lit = 0, words = 0, got;
	const char *q;

	if (value.p == NULL)
		return MT_STR_NULL;
	memset(&d, 0, sizeof(d));
	d.m = m;
	d.v = value.p;
	d.len = value.len;
	d.off = offset;
	if (fallback_charset != NULL && fallback_charset[0] != '\0') {
		d.fb = fallback_charset;
		d.fblen = strlen(fallback_charset);
	}
	d.cap = value.len + 16;
	if ((d.out = mt_arena_alloc(&m->arena, d.cap)) == NULL)
		return mt_str("", 0);

	while (i + 1 < d.len &&
	    (q = memchr(d.v + i, '=', d.len - i - 1)) != NULL) {
		size_t j = (size_t)(q - d.v);
		bool drop, join;
		int r;

		if (d.v[j + 1] != '?' ||
		    (r = parse(d.v, d.len, j, &w)) == EW_NONE) {
			i = j + 1;
			continue;
		}
		if (words++ == MT_MAX_ENCODED_WORDS) {
			/* The rest of the value is kept as written. */
			mt_anomaly_add(m, MT_AN_ENCODED_WORDS_TRUNCATED,
			    offset + j);
			break;
		}
		if (r == EW_BAD) {
			mt_anomaly_add(m, MT_AN_ENCODED_WORD_MALFORMED,
			    offset + j);
			i = w.e;
			continue;
		}
		/* RFC 2047 section 6.2: white space between adjacent encoded
		 * words is not displayed. */
		drop = d.active && ws_only(d.v, lit, j);
		join = drop && mt_str_ieq(d.rcs, mt_str(d.v + w.cs, w.cslen));
		if (!join)
			flush(&d);
		if (d.run == NULL &&
		    (d.run = mt_arena_alloc(&m->arena, d.len)) == NULL)
			break;
		if (!(w.enc == 'b' ? unb : unq)(d.v + w.ts, w.te - w.ts,
		    d.run + (join ? d.rn : 0), &got)) {
			mt_anomaly_add(m, MT_AN_ENCODED_WORD_MALFORMED,
			    offset + j);
			i = w.e;
			continue;	/* left in the text as written */
		}
		if (join) {
			d.rn += got;
			d.re = w.e;
		} else {
			if (!drop)
				text(&d, lit, j);
			d.active = true;
			d.rn = got;
			d.rs = j;
			d.re = w.e;
			d.rcs = mt_str(d.v + w.cs, w.cslen);
		}
		i = lit = w.e;
	}
	flush(&d);
	text(&d, lit, d.len);
	if (d.fail || m->arena.failed)
		return mt_str("", 0);
	d.out[d.n] = '\0';	/* put() always leaves room for it */
	return mt_str(d.out, d.n);
}

/* mt_mime_decode_phrase - decode a display-name phrase; see mime.h. */
struct mt_str
mt_mime_decode_phrase(struct mt_msg *m, struct mt_str phrase,
    uint64_t offset)
{
	struct mt_str r = mt_mime_decode(m, phrase, offset, NULL);

	if (r.p == NULL)
		return r;
	r = mt_str_trim(r);
	if (r.len > 0)
		((char *)r.p)[r.len] = '\0';	/* our own arena copy */
	return r;
}
