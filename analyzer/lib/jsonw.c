/*
 * jsonw.c - the direct JSON writer (jsonw.h): one pass, no tree, no
 * printf on the hot path.  The format is jansson's (json_dumps() with
 * JSON_PRESERVE_ORDER and JSON_COMPACT or JSON_INDENT(2)), so records
 * written either way are byte for byte the same.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "mt.h"

#define INDENT 2		/* spaces per level, as JSON_INDENT(2) */
#define INIT_CAP 8192		/* one record of typical headers fits */
#define KEY_FAST 64		/* member names copied without a strlen */

/*
 * What a byte needs in a JSON string: 0 copied as it is, 1 escaped
 * (controls, '"', '\\'; RFC 8259 section 7), 2 the lead of a multi-byte
 * UTF-8 sequence (or an invalid byte), checked by mt_utf8_seq().
 */
static const unsigned char cls[256] = {
	/* 0x00 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x10 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x20 */ 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x30 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x40 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x50 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	/* 0x60 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x70 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x80 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0x90 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xa0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xb0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xc0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xd0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xe0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	/* 0xf0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char hexdig[] = "0123456789ABCDEF";

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* mt_jw_init - an empty writer. */
void
mt_jw_init(struct mt_jw *w, unsigned flags)
{
	memset(w, 0, sizeof(*w));
	w->flags = flags;
}

/* mt_jw_reset - empty the document, keep the buffer. */
void
mt_jw_reset(struct mt_jw *w)
{
	w->len = 0;
	w->depth = 0;
	w->failed = false;
	w->after_key = false;
	w->last_empty = false;
}

/* mt_jw_free - release the buffer. */
void
mt_jw_free(struct mt_jw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->cap = 0;
	mt_jw_reset(w);
}

/* grow - make room for n more bytes and a final NUL (the slow path of
 * reserve); false when out of memory (then failed is set). */
static bool
grow(struct mt_jw *w, size_t n)
{
	size_t need, cap;
	char *b;

	if (w->failed)
		return false;
	if (n > SIZE_MAX / 4 - w->len) {
		w->failed = true;
		return false;
	}
	need = w->len + n + 1;
	cap = w->cap ? w->cap : INIT_CAP;
	while (cap < need)
		cap *= 2;
	if ((b = realloc(w->buf, cap)) == NULL) {
		w->failed = true;
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

/* reserve - room for n more bytes and a final NUL; false when out of
 * memory or after a failure. */
static inline bool
reserve(struct mt_jw *w, size_t n)
{
	if (w->cap - w->len > n && !w->failed)
		return true;
	return grow(w, n);
}

/* copy - n bytes from s to d, the short ones (keys, small values) with
 * two overlapping word moves instead of a call. */
static inline void
copy(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else
		memcpy(d, s, n);
}

/* put - append n bytes. */
static inline void
put(struct mt_jw *w, const char *p, size_t n)
{
	if (!reserve(w, n))
		return;
	copy(w->buf + w->len, p, n);
	w->len += n;
}

/* indent - a line end and the indentation of level depth at d (pretty);
 * returns the end. */
static inline char *
indent(char *d, unsigned depth)
{
	size_t n = (size_t)depth * INDENT;

	*d++ = '\n';
	memset(d, ' ', n);
	return d + n;
}

/* newline - a line end and the indentation of level depth (pretty). */
static void
newline(struct mt_jw *w, unsigned depth)
{
	if (!reserve(w, (size_t)depth * INDENT + 1))
		return;
	w->len = (size_t)(indent(w->buf + w->len, depth) - w->buf);
}

/* sep - what goes before a value or key: nothing after a key or at the
 * top; else "," between items and, pretty, a new indented line. */
static inline void
sep(struct mt_jw *w)
{
	char *d;

	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0 || !reserve(w, (size_t)w->depth * INDENT + 2))
		return;
	d = w->buf + w->len;
	if (w->has_items[w->depth - 1])
		*d++ = ',';
	else
		w->has_items[w->depth - 1] = true;
	if (w->flags & MT_JW_PRETTY)
		d = indent(d, w->depth);
	w->len = (size_t)(d - w->buf);
}

/* special - does a word of 8 bytes hold one that needs a look: a
 * control, '"', '\\' or a non-ASCII byte (exact, per byte: the zero-byte
 * tests hold for bytes below 0x80, and any other byte is caught by the
 * last test). */
static inline bool
special(uint64_t v)
{
	uint64_t q = v ^ ONES * '"', b = v ^ ONES * '\\';

	return (((v - ONES * 0x20) & ~v) | ((q - ONES) & ~q) |
	    ((b - ONES) & ~b) | v) & HIGHS;
}

/* string - a quoted, escaped string (see jsonw.h for the rules). */
static void
string(struct mt_jw *w, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, n;
	char *d;

	/* At most 6 bytes out per byte in ("\u001F"; U+FFFD is 3, an
	 * escaped U+2028 6 for 3). */
	if (len > SIZE_MAX / 8) {
		w->failed = true;
		return;
	}
	if (!reserve(w, len * 6 + 2))
		return;
	d = w->buf + w->len;
	*d++ = '"';
	/* A short string in one word, padded with a plain byte: 8 bytes
	 * fit in what was reserved (6 per byte, and 2). */
	if (len > 0 && len < 8) {
		uint64_t v = ONES * 'a';

		copy((char *)&v, p, len);
		if (!special(v)) {
			memcpy(d, &v, 8);
			d += len;
			i = len;
		}
	}
	while (i < len) {
		unsigned char c;

		/* Eight bytes at a time while none of them needs a look. */
		while (len - i >= 8) {
			uint64_t v;

			memcpy(&v, u + i, 8);
			if (special(v))
				break;
			memcpy(d, &v, 8);
			d += 8;
			i += 8;
		}
		/* The last few bytes: the word that ends the string, when
		 * all of it is plain, ends the copy too (the bytes before i
		 * in it were copied as they are, so they are written again
		 * unchanged). */
		if (len - i < 8 && i >= 8 && i < len) {
			uint64_t v;

			memcpy(&v, u + len - 8, 8);
			if (!special(v)) {
				memcpy(d - (8 - (len - i)), &v, 8);
				d += len - i;
				i = len;
				break;
			}
		}
		if (i >= len)
			break;
		c = u[i];
		if (cls[c] == 0) {
			*d++ = (char)c;
			i++;
			continue;
		}
		if (c == 0) {
			/* Message bytes may hold NUL: replaced, as
			 * mt_utf8_clean() does. */
			*d++ = (char)0xef;
			*d++ = (char)0xbf;
			*d++ = (char)0xbd;
			i++;
			continue;
		}
		if (cls[c] == 1) {
			*d++ = '\\';
			switch (c) {
			case '"': *d++ = '"'; break;
			case '\\': *d++ = '\\'; break;
			case '\b': *d++ = 'b'; break;
			case '\f': *d++ = 'f'; break;
			case '\n': *d++ = 'n'; break;
			case '\r': *d++ = 'r'; break;
			case '\t': *d++ = 't'; break;
			default:
				*d++ = 'u';
				*d++ = '0';
				*d++ = '0';
				*d++ = hexdig[c >> 4];
				*d++ = hexdig[c & 15];
				break;
			}
			i++;
			continue;
		}
		if ((n = mt_utf8_seq(u + i, len - i)) == 0) {
			*d++ = (char)0xef;	/* U+FFFD for the bad byte */
			*d++ = (char)0xbf;
			*d++ = (char)0xbd;
			i++;
			continue;
		}
		if (n == 3 && c == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9) &&
		    (w->flags & MT_JW_ESCAPE_LS)) {
			memcpy(d, u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			d += 6;
			i += 3;
			continue;
		}
		memcpy(d, u + i, n);
		d += n;
		i += n;
	}
	*d++ = '"';
	w->len = (size_t)(d - w->buf);
}

/* mt_jw_mark - where the writer is now. */
void
mt_jw_mark(const struct mt_jw *w, struct mt_jw_mark *mk)
{
	mk->len = w->len;
	mk->depth = w->depth;
	mk->has_items = w->depth > 0 && w->has_items[w->depth - 1];
	mk->after_key = w->after_key;
}

/* mt_jw_rollback - back to a mark of the same container. */
void
mt_jw_rollback(struct mt_jw *w, const struct mt_jw_mark *mk)
{
	if (w->failed || mk->depth != w->depth || mk->len > w->len) {
		w->failed = true;
		return;
	}
	w->len = mk->len;
	if (w->depth > 0)
		w->has_items[w->depth - 1] = mk->has_items;
	w->after_key = mk->after_key;
}

/* mt_jw_last_empty - did the container closed last hold nothing. */
bool
mt_jw_last_empty(const struct mt_jw *w)
{
	return w->last_empty;
}

/* mt_jw_obj - open an object. */
void
mt_jw_obj(struct mt_jw *w)
{
	sep(w);
	if (w->depth >= MT_JW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	put(w, "{", 1);
	w->has_items[w->depth++] = false;
}

/* close_with - end the innermost container with ch. */
static void
close_with(struct mt_jw *w, char ch)
{
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	w->depth--;
	if (w->has_items[w->depth] && (w->flags & MT_JW_PRETTY))
		newline(w, w->depth);
	put(w, &ch, 1);
	w->after_key = false;
	w->last_empty = !w->has_items[w->depth];
}

/* mt_jw_obj_end - close an object. */
void
mt_jw_obj_end(struct mt_jw *w)
{
	close_with(w, '}');
}

/* mt_jw_arr - open an array. */
void
mt_jw_arr(struct mt_jw *w)
{
	sep(w);
	if (w->depth >= MT_JW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	put(w, "[", 1);
	w->has_items[w->depth++] = false;
}

/* mt_jw_arr_end - close an array. */
void
mt_jw_arr_end(struct mt_jw *w)
{
	close_with(w, ']');
}

/* mt_jw_keyn - a member name of len bytes and its separator. */
void
mt_jw_keyn(struct mt_jw *w, const char *p, size_t len)
{
	sep(w);
	string(w, p, len);
	put(w, ": ", (w->flags & MT_JW_PRETTY) ? 2 : 1);
	w->after_key = true;
}

/*
 * mt_jw_key - a member name from a C string.  Names are mostly short
 * literals that need no escape: those are copied in one pass (no strlen,
 * no escaping loop); anything else takes the general way.
 */
void
mt_jw_key(struct mt_jw *w, const char *name)
{
	char *d;
	size_t i;

	sep(w);
	if (!reserve(w, KEY_FAST + 4))
		return;
	d = w->buf + w->len;
	*d++ = '"';
	for (i = 0; i < KEY_FAST && name[i] != '\0'; i++) {
		if (cls[(unsigned char)name[i]] != 0)
			break;
		d[i] = name[i];
	}
	if (i == KEY_FAST || name[i] != '\0') {
		/* Nothing is taken until w->len moves: start afresh. */
		string(w, name, strlen(name));
		put(w, ": ", (w->flags & MT_JW_PRETTY) ? 2 : 1);
		w->after_key = true;
		return;
	}
	d += i;
	*d++ = '"';
	*d++ = ':';
	if (w->flags & MT_JW_PRETTY)
		*d++ = ' ';
	w->len = (size_t)(d - w->buf);
	w->after_key = true;
}

/* mt_jw_keyq - a member name quoted by the caller ("\"name\": "). */
void
mt_jw_keyq(struct mt_jw *w, const char *quoted, size_t n)
{
	sep(w);
	if (!(w->flags & MT_JW_PRETTY))
		n--;
	put(w, quoted, n);
	w->after_key = true;
}

/* mt_jw_null - null. */
void
mt_jw_null(struct mt_jw *w)
{
	sep(w);
	put(w, "null", 4);
}

/* mt_jw_bool - true or false. */
void
mt_jw_bool(struct mt_jw *w, bool v)
{
	sep(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

/* digits - the decimal digits of v at the end of buf[24]; returns the
 * first. */
static char *
digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* mt_jw_int - a signed decimal integer ("%lld"). */
void
mt_jw_int(struct mt_jw *w, int64_t v)
{
	char buf[24], *p;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	p = digits(buf + sizeof(buf), mag);
	if (v < 0)
		*--p = '-';
	sep(w);
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * real - v as jansson's jsonp_dtostr() writes it with the default
 * precision: "%.17g", ".0" added when the text has no '.' and no 'e' (so
 * it reads back as a real), and the exponent without '+' or leading
 * zeros.  Returns the length in buf (at least 40 bytes).
 */
static size_t
real(char *buf, size_t size, double v)
{
	double twice = v * 2;
	int n;
	char *e, *start, *end;

	/* Scores are sums of halves: an exact fast path, the same text
	 * "%.17g" gives for them (at most 16 significant digits). */
	if (fabs(v) < 1e15 && twice == (double)(int64_t)twice &&
	    !(v == 0 && signbit(v))) {
		int64_t k = (int64_t)twice;
		uint64_t mag = k < 0 ? (uint64_t)0 - (uint64_t)k : (uint64_t)k;
		char tmp[24], *p = digits(tmp + sizeof(tmp), mag / 2);
		size_t len = 0;

		if (k < 0)
			buf[len++] = '-';
		memcpy(buf + len, p, (size_t)(tmp + sizeof(tmp) - p));
		len += (size_t)(tmp + sizeof(tmp) - p);
		buf[len++] = '.';
		buf[len++] = (mag & 1) ? '5' : '0';
		buf[len] = '\0';
		return len;
	}
	n = snprintf(buf, size, "%.17g", v);
	if (n < 0 || (size_t)n + 3 >= size)
		return 0;
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
		buf[n++] = '.';
		buf[n++] = '0';
		buf[n] = '\0';
	}
	if ((e = strchr(buf, 'e')) != NULL) {
		start = e + 1;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)n - (size_t)(end - buf) + 1);
			n -= (int)(end - start);
		}
	}
	return (size_t)n;
}

/* mt_jw_real - a real number. */
void
mt_jw_real(struct mt_jw *w, double v)
{
	char buf[64];
	size_t n;

	if (!isfinite(v)) {
		mt_jw_null(w);
		return;
	}
	n = real(buf, sizeof(buf), v);
	sep(w);
	if (n == 0) {
		w->failed = true;
		return;
	}
	put(w, buf, n);
}

/* mt_jw_str - a string, or null when p is NULL. */
void
mt_jw_str(struct mt_jw *w, const char *p, size_t len)
{
	sep(w);
	if (p == NULL)
		put(w, "null", 4);
	else
		string(w, p, len);
}

/* mt_jw_strz - a C string, or null. */
void
mt_jw_strz(struct mt_jw *w, const char *z)
{
	mt_jw_str(w, z, z ? strlen(z) : 0);
}

/* mt_jw_take - the document as a malloc'd string; the writer is emptied. */
char *
mt_jw_take(struct mt_jw *w, size_t *len)
{
	char *out;

	if (w->failed || !reserve(w, 0)) {
		mt_jw_free(w);
		return NULL;
	}
	out = w->buf;
	out[w->len] = '\0';
	if (len != NULL)
		*len = w->len;
	w->buf = NULL;
	w->cap = 0;
	mt_jw_reset(w);
	return out;
}
