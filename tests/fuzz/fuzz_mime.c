/*
 * fuzz_mime.c - RFC 2047 decoding (mt_mime_decode, mt_mime_decode_phrase)
 * and address lists (mt_addr_parse) on any field body, and the UTF-8
 * helpers (mt_utf8_valid, _clean, _cut) against a decoding validator.
 *
 * Input: one byte choosing the fallback charset for raw 8-bit text, then
 * the field body.  Every output must be valid UTF-8 without NUL, within
 * the caps, and every anomaly offset inside the value.
 */
#include "../../analyzer/lib/mime.h"
#include "fuzz.h"

/* Fallback charsets: none, the common ones, a stateful one, a bogus one. */
static const char *const fallbacks[] = {
	NULL, "utf-8", "gb2312", "koi8-r", "iso-8859-1", "windows-1251",
	"iso-2022-jp", "utf-16", "shift_jis", "big5", "tscii", "utf-7",
	"no-such-charset", "",
};

#define NFB (sizeof(fallbacks) / sizeof(fallbacks[0]))
#define OFF 1000	/* the value's pretended offset in the message */

/* anomalies_ok - every anomaly inside [OFF, OFF + len]. */
static void
anomalies_ok(const struct mt_msg *m, size_t len)
{
	size_t i;

	CHECK(m->anomalies.n <= MT_MAX_ANOMALIES);
	for (i = 0; i < m->anomalies.n; i++)
		CHECK(m->anomalies.v[i].offset >= OFF &&
		    m->anomalies.v[i].offset <= OFF + len);
}

/* sane - the decoder's promise: valid UTF-8, no NUL, NUL-terminated. */
static void
sane(struct mt_str r)
{
	CHECK(r.p != NULL);
	CHECK(mt_utf8_valid(r.p, r.len));
	CHECK(memchr(r.p, '\0', r.len) == NULL);
	CHECK(r.p[r.len] == '\0');
}

/* ref_valid - UTF-8 by decoding code points (RFC 3629 section 3): the
 * shortest form, no surrogates, nothing above U+10FFFF. */
static bool
ref_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return false;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* utf8 - the UTF-8 helpers on the raw bytes, against ref_valid(). */
static void
utf8(const uint8_t *p, size_t n)
{
	struct mt_msg *m = fz_msg();
	bool valid = ref_valid(p, n), bad = true;
	struct mt_str c;
	size_t cut;

	CHECK(mt_utf8_valid((const char *)p, n) == valid);
	c = mt_utf8_clean(&m->arena, (const char *)p, n, &bad);
	sane(c);
	CHECK(bad == !(valid && memchr(p, '\0', n) == NULL));
	CHECK(bad || (c.len == n && memcmp(c.p, p, n) == 0));
	cut = mt_utf8_cut((const char *)p, n, n / 2);
	CHECK(cut <= n / 2 || cut == n);
	CHECK(!valid || ref_valid(p, cut));
	mt_msg_free(m);
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_addr_list list = { NULL, 0, 0 };
	struct mt_msg *m;
	struct mt_str v, r;
	const char *fb;
	size_t i;

	if (size < 1)
		return 0;
	fb = fallbacks[data[0] % NFB];
	v = mt_str((const char *)data + 1, size - 1);
	utf8(data + 1, size - 1);

	m = fz_msg();
	r = mt_mime_decode(m, v, OFF, fb);
	sane(r);
	r = mt_mime_decode_phrase(m, v, OFF);
	sane(r);
	anomalies_ok(m, v.len);
	mt_msg_free(m);

	m = fz_msg();
	CHECK(mt_addr_parse(m, v, OFF, &list) == 0);
	CHECK(list.n <= MT_MAX_ADDRESSES);
	for (i = 0; i < list.n; i++) {
		const struct mt_addr *a = &list.v[i];

		CHECK(a->name.p == NULL || mt_utf8_valid(a->name.p, a->name.len));
		CHECK(a->address.p == NULL ||
		    mt_utf8_valid(a->address.p, a->address.len));
		CHECK(a->address.p == NULL ||
		    memchr(a->address.p, '\0', a->address.len) == NULL);
	}
	anomalies_ok(m, v.len);
	mt_msg_free(m);
	return 0;
}
