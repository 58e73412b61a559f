/*
 * utf8.c - UTF-8 validation and cleaning.  Every string that reaches JSON
 * passes through here first (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF).
 */
#include <string.h>

#include "mt.h"

/* mt_utf8_valid - is the whole run valid UTF-8. */
bool
mt_utf8_valid(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, n;

	while (i < len) {
		uint64_t w;

		/* Eight ASCII bytes at a time: header text mostly is. */
		if (len - i >= 8) {
			memcpy(&w, u + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = mt_utf8_seq(u + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* mt_utf8_clean - copy, replacing invalid bytes and NUL with U+FFFD. */
struct mt_str
mt_utf8_clean(struct mt_arena *a, const char *p, size_t len, bool *bad)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, o = 0, n;
	char *d;

	*bad = false;
	if (p == NULL)
		return MT_STR_NULL;
	if (mt_utf8_valid(p, len) && memchr(p, '\0', len) == NULL)
		return mt_arena_dup(a, p, len);
	if (len > SIZE_MAX / 3 - 1)
		return mt_str("", 0);
	d = mt_arena_alloc(a, len * 3 + 1);
	if (d == NULL)
		return mt_str("", 0);
	while (i < len) {
		n = u[i] == 0 ? 0 : mt_utf8_seq(u + i, len - i);
		if (n == 0) {
			d[o++] = (char)0xef;
			d[o++] = (char)0xbf;
			d[o++] = (char)0xbd;
			*bad = true;
			i++;
			continue;
		}
		memcpy(d + o, u + i, n);
		o += n;
		i += n;
	}
	d[o] = '\0';
	return mt_str(d, o);
}

/* mt_utf8_cut - longest prefix of at most max bytes ending on a character
 * boundary. */
size_t
mt_utf8_cut(const char *p, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	/* Back off continuation bytes so no character is split. */
	while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
		n--;
	return n;
}
