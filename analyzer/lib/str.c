/*
 * str.c - byte slices, the bounded cursor, character classes and
 * overflow-checked numbers.  No locale, no <ctype.h>: message bytes are
 * classified by our own table.
 */
#include <string.h>

#include "mt.h"

#define D MT_C_DIGIT
#define A MT_C_ALPHA
#define W MT_C_WSP
#define L MT_C_CRLF
#define H MT_C_HEX
#define N MT_C_HOST
#define T MT_C_ATEXT
#define S MT_C_SPECIAL
#define C MT_C_CTL
#define E MT_C_8BIT
#define F MT_C_FTEXT

/* mt_ctype - class bits of every byte value. */
const uint16_t mt_ctype[256] = {
	/* 0x00 */ C, C, C, C, C, C, C, C, C, C | W, C | L, C, C, C | L, C, C,
	/* 0x10 */ C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,
	/* ' ' */ W,
	/* '!' */ T | F, /* '"' */ S | F, /* '#' */ T | F, /* '$' */ T | F,
	/* '%' */ T | F, /* '&' */ T | F, /* '\'' */ T | F, /* '(' */ S | F,
	/* ')' */ S | F, /* '*' */ T | F, /* '+' */ T | F, /* ',' */ S | F,
	/* '-' */ T | N | F, /* '.' */ S | N | F, /* '/' */ T | F,
	/* 0-9 */ D | H | N | T | F, D | H | N | T | F, D | H | N | T | F,
	D | H | N | T | F, D | H | N | T | F, D | H | N | T | F,
	D | H | N | T | F, D | H | N | T | F, D | H | N | T | F,
	D | H | N | T | F,
	/* ':' */ S, /* ';' */ S | F, /* '<' */ S | F, /* '=' */ T | F,
	/* '>' */ S | F, /* '?' */ T | F, /* '@' */ S | F,
	/* A-F */ A | H | N | T | F, A | H | N | T | F, A | H | N | T | F,
	A | H | N | T | F, A | H | N | T | F, A | H | N | T | F,
	/* G-Z */ A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	/* '[' */ S | F, /* '\\' */ S | F, /* ']' */ S | F, /* '^' */ T | F,
	/* '_' */ T | N | F, /* '`' */ T | F,
	/* a-f */ A | H | N | T | F, A | H | N | T | F, A | H | N | T | F,
	A | H | N | T | F, A | H | N | T | F, A | H | N | T | F,
	/* g-z */ A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	A | N | T | F, A | N | T | F, A | N | T | F, A | N | T | F,
	/* '{' */ T | F, /* '|' */ T | F, /* '}' */ T | F, /* '~' */ T | F,
	/* DEL */ C,
	/* 0x80-0xff */
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
};

#undef D
#undef A
#undef W
#undef L
#undef H
#undef N
#undef T
#undef S
#undef C
#undef E
#undef F

/* mt_str_eq - byte equality. */
bool
mt_str_eq(struct mt_str a, struct mt_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* mt_str_ieq - ASCII case-insensitive equality. */
bool
mt_str_ieq(struct mt_str a, struct mt_str b)
{
	size_t i;

	if (a.len != b.len)
		return false;
	for (i = 0; i < a.len; i++)
		if (mt_lower((unsigned char)a.p[i]) !=
		    mt_lower((unsigned char)b.p[i]))
			return false;
	return true;
}

/* mt_str_ieq_c - case-insensitive equality with a C literal. */
bool
mt_str_ieq_c(struct mt_str a, const char *lit)
{
	size_t i;

	/* One pass, no strlen: most names differ in their first byte. */
	for (i = 0; i < a.len; i++)
		if (lit[i] == '\0' || mt_lower((unsigned char)a.p[i]) !=
		    mt_lower((unsigned char)lit[i]))
			return false;
	return lit[i] == '\0';
}

/* mt_str_istarts - does a start with lit, ignoring ASCII case. */
bool
mt_str_istarts(struct mt_str a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len >= n && mt_str_ieq(mt_str(a.p, n), mt_str(lit, n));
}

/* mt_str_iends - does a end with lit, ignoring ASCII case. */
bool
mt_str_iends(struct mt_str a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len >= n &&
	    mt_str_ieq(mt_str(a.p + a.len - n, n), mt_str(lit, n));
}

/* mt_str_ifind - offset of lit in hay, ignoring ASCII case, or -1. */
long
mt_str_ifind(struct mt_str hay, const char *lit)
{
	size_t n = strlen(lit), i;

	if (n == 0)
		return 0;
	if (hay.len < n)
		return -1;
	for (i = 0; i + n <= hay.len; i++)
		if (mt_lower((unsigned char)hay.p[i]) ==
		    mt_lower((unsigned char)lit[0]) &&
		    mt_str_ieq(mt_str(hay.p + i, n), mt_str(lit, n)))
			return (long)i;
	return -1;
}

/* mt_str_trim - without leading and trailing SP, HTAB, CR, LF. */
struct mt_str
mt_str_trim(struct mt_str s)
{
	if (s.p == NULL)
		return s;
	while (s.len > 0 && mt_is((unsigned char)s.p[0], MT_C_WSP | MT_C_CRLF)) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 &&
	    mt_is((unsigned char)s.p[s.len - 1], MT_C_WSP | MT_C_CRLF))
		s.len--;
	return s;
}

/* mt_cur_tag - consume lit if it is next (ASCII case-insensitive). */
bool
mt_cur_tag(struct mt_cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len - c->pos < n ||
	    !mt_str_ieq(mt_str(c->p + c->pos, n), mt_str(lit, n)))
		return false;
	c->pos += n;
	return true;
}

/* mt_cur_skip - consume bytes of the classes in mask; returns the count. */
size_t
mt_cur_skip(struct mt_cur *c, unsigned mask)
{
	size_t start = c->pos;

	while (c->pos < c->len && mt_is((unsigned char)c->p[c->pos], mask))
		c->pos++;
	return c->pos - start;
}

/* mt_cur_take_while - consume bytes of the classes in mask. */
struct mt_str
mt_cur_take_while(struct mt_cur *c, unsigned mask)
{
	size_t start = c->pos;

	mt_cur_skip(c, mask);
	return mt_str(c->p + start, c->pos - start);
}

/* mt_cur_take - exactly n bytes, or the sticky error. */
struct mt_str
mt_cur_take(struct mt_cur *c, size_t n)
{
	struct mt_str s;

	if (c->len - c->pos < n) {
		c->err = true;
		return mt_str(c->p + c->pos, 0);
	}
	s = mt_str(c->p + c->pos, n);
	c->pos += n;
	return s;
}

/* mt_cur_rest - what is left. */
struct mt_str
mt_cur_rest(const struct mt_cur *c)
{
	return mt_str(c->p + c->pos, c->len - c->pos);
}

/* mt_parse_u64 - decimal digits only, no sign, no overflow, <= max. */
bool
mt_parse_u64(struct mt_str s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++) {
		unsigned d;

		if (!mt_is((unsigned char)s.p[i], MT_C_DIGIT))
			return false;
		d = (unsigned)(s.p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* mt_parse_int - optional sign and digits within [min, max]. */
bool
mt_parse_int(struct mt_str s, long min, long max, long *out)
{
	bool neg = false;
	uint64_t v, lim;

	if (s.len > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
		neg = s.p[0] == '-';
		s.p++;
		s.len--;
	}
	lim = neg ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)(max < 0 ? 0 : max);
	if (!mt_parse_u64(s, lim, &v))
		return false;
	if (neg) {
		if (v == 0) {
			*out = 0;
			return 0 >= min;
		}
		*out = -(long)(v - 1) - 1;
	} else
		*out = (long)v;
	return *out >= min && *out <= max;
}

/* mt_b64_digit - the 6-bit value of a base64 digit (RFC 4648 4), or -1. */
int
mt_b64_digit(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}
