/*
 * conv.c - charset conversion to UTF-8 through glibc iconv, with the
 * descriptors cached per context (iconv_open is costly; one context is
 * used by one thread, so no locking).
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "mt.h"

#define CONV_SLOTS 32
#define CHARSET_MAX 40

struct slot {
	char	 name[CHARSET_MAX + 1];	/* lowercased, as asked for */
	iconv_t	 cd;			/* (iconv_t)-1: known to be unknown */
};

struct mt_conv {
	struct slot	slots[CONV_SLOTS];
	size_t		n, next;	/* used slots; next to evict */
};

/* mt_conv_new - an empty cache. */
struct mt_conv *
mt_conv_new(void)
{
	return calloc(1, sizeof(struct mt_conv));
}

/* mt_conv_free - close every descriptor. */
void
mt_conv_free(struct mt_conv *cv)
{
	size_t i;

	if (cv == NULL)
		return;
	for (i = 0; i < cv->n; i++)
		if (cv->slots[i].cd != (iconv_t)-1)
			iconv_close(cv->slots[i].cd);
	free(cv);
}

/*
 * alias - the name to hand iconv.  Mail says "gb2312" for text that is
 * really GBK/GB18030 (Outlook and most Chinese clients send GBK bytes under
 * that label), so the superset is asked for: deliberate leniency.  Likewise
 * ISO-8859-1 and US-ASCII are read as Windows-1252, as browsers do.
 */
static const char *
alias(const char *name)
{
	static const char *const map[][2] = {
		{ "gb2312", "GB18030" }, { "gbk", "GB18030" },
		{ "x-gbk", "GB18030" }, { "cp936", "GB18030" },
		{ "euc-cn", "GB18030" }, { "x-euc-cn", "GB18030" },
		{ "iso-8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" },
		{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
		{ "ks_c_5601-1987", "CP949" }, { "euc-kr", "CP949" },
		{ "big5", "BIG5-HKSCS" }, { "x-sjis", "SHIFT_JIS" },
		{ "shift-jis", "SHIFT_JIS" }, { "sjis", "SHIFT_JIS" },
		{ "windows-874", "CP874" }, { "utf8", "UTF-8" },
		{ "unicode-1-1-utf-7", "UTF-7" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name, map[i][0]) == 0)
			return map[i][1];
	return name;
}

/* get - the descriptor for charset, opening it on first use. */
static iconv_t
get(struct mt_conv *cv, const char *charset, size_t len)
{
	char name[CHARSET_MAX + 1];
	struct slot *s;
	size_t i;

	if (len == 0 || len > CHARSET_MAX)
		return (iconv_t)-1;
	for (i = 0; i < len; i++) {
		int ch = (unsigned char)charset[i];

		/* Charset names are tokens; refuse anything that could make
		 * iconv read suffixes like "//IGNORE" from the message. */
		if (!mt_is(ch, MT_C_ALPHA | MT_C_DIGIT) && ch != '-' &&
		    ch != '_' && ch != '.' && ch != ':')
			return (iconv_t)-1;
		name[i] = (char)mt_lower(ch);
	}
	name[len] = '\0';
	for (i = 0; i < cv->n; i++)
		if (strcmp(cv->slots[i].name, name) == 0)
			return cv->slots[i].cd;
	if (cv->n < CONV_SLOTS)
		s = &cv->slots[cv->n++];
	else {
		s = &cv->slots[cv->next];
		cv->next = (cv->next + 1) % CONV_SLOTS;
		if (s->cd != (iconv_t)-1)
			iconv_close(s->cd);
	}
	memcpy(s->name, name, len + 1);
	s->cd = iconv_open("UTF-8", alias(name));
	return s->cd;
}

/*
 * run - convert len bytes of p with cd into out (cap bytes of room, and one
 * more for the NUL), replacing each byte iconv cannot read with U+FFFD.
 * Returns the bytes written, or -1 when cap was too small.
 */
static long long
run(iconv_t cd, const char *p, size_t len, char *out, size_t cap, bool *bad)
{
	char *ip = (char *)p, *op = out;
	size_t ileft = len, oleft = cap;

	*bad = false;
	iconv(cd, NULL, NULL, NULL, NULL);	/* reset shift state */
	while (ileft > 0) {
		if (iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG)
			return -1;
		/* EILSEQ or EINVAL: replace one byte and go on. */
		*bad = true;
		if (oleft < 3)
			return -1;
		memcpy(op, "\xef\xbf\xbd", 3);
		op += 3;
		oleft -= 3;
		ip++;
		ileft--;
	}
	/* Flush a stateful charset's pending output (ISO-2022 escapes). */
	if (iconv(cd, NULL, NULL, &op, &oleft) == (size_t)-1 && errno == E2BIG)
		return -1;
	*op = '\0';
	return (long long)(op - out);
}

/* mt_conv_to_utf8 - convert p from charset; see mt.h. */
struct mt_str
mt_conv_to_utf8(struct mt_conv *cv, struct mt_arena *a, const char *charset,
    size_t charset_len, const char *p, size_t len, bool *bad)
{
	iconv_t cd = get(cv, charset, charset_len);
	size_t cap;
	long long n;
	char *out;

	*bad = false;
	if (cd == (iconv_t)-1)
		return MT_STR_NULL;
	if (len > (SIZE_MAX - 16) / 12)
		return MT_STR_NULL;
	/*
	 * UTF-8 takes at most 4 bytes per input byte in most charsets; a
	 * few take more (TSCII: up to 12, one byte being a Tamil syllable of
	 * four code points).  When the room runs out, convert again from
	 * the start with room for 12 bytes per byte, rather than growing
	 * and resuming: glibc's TSCII loses its pending characters when a
	 * conversion is resumed after E2BIG.
	 */
	cap = len * 4 + 16;
	if ((out = mt_arena_alloc(a, cap + 1)) == NULL)
		return MT_STR_NULL;
	if ((n = run(cd, p, len, out, cap, bad)) >= 0)
		return mt_str(out, (size_t)n);
	cap = len * 12 + 16;
	if ((out = mt_arena_alloc(a, cap + 1)) == NULL)
		return MT_STR_NULL;
	if ((n = run(cd, p, len, out, cap, bad)) >= 0)
		return mt_str(out, (size_t)n);
	/* Even that was not enough: no charset glibc knows does this. */
	*bad = true;
	return MT_STR_NULL;
}
