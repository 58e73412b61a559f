/*
 * test_text.c - the terminal report: nothing from a header reaches the
 * terminal as a control, escape or bidi character; lines fit 100 columns;
 * long values are elided in the middle.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrace.h"
#include "mt.h"
#include "t.h"
#include "text.h"

/* report - the text report of one header. */
static char *
report(struct mt_ctx *ctx, const char *hdr, unsigned flags)
{
	struct mt_input in;
	struct mt_msg *m;
	char *t = NULL;

	memset(&in, 0, sizeof(in));
	in.path = "t.eml";
	in.size = strlen(hdr);
	m = mt_analyze(ctx, &in, hdr, strlen(hdr));
	if (m == NULL || mt_msg_text(m, flags, &t) != 0)
		T_FAIL("report failed");
	mt_msg_free(m);
	return t;
}

/* unsafe_at - offset of the first byte sequence a terminal would act on,
 * or -1: C0 other than LF, DEL, C1 (as UTF-8 C2 80..9F, or raw 0x80-0x9f
 * outside a sequence is impossible in valid output), bidi and invisible
 * format characters. */
static long
unsafe_at(const char *s, bool allow_sgr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (u[i] == 0x1b && allow_sgr && u[i + 1] == '[') {
			size_t j = i + 2;

			while (j < n && ((u[j] >= '0' && u[j] <= '9') ||
			    u[j] == ';'))
				j++;
			if (j < n && u[j] == 'm') {
				i = j;
				continue;
			}
			return (long)i;
		}
		if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f)
			return (long)i;
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f)
			return (long)i;
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 &&
		    ((u[i + 2] >= 0x8b && u[i + 2] <= 0x8f) ||
		    (u[i + 2] >= 0xaa && u[i + 2] <= 0xae)))
			return (long)i;
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x81 &&
		    u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return (long)i;
		if (u[i] == 0xef && i + 2 < n && u[i + 1] == 0xbb &&
		    u[i + 2] == 0xbf)
			return (long)i;
	}
	return -1;
}

/* widest - the widest line in columns (CJK counts two, U+2026 one). */
static size_t
widest(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0, max = 0, i;

	for (i = 0; u[i] != '\0'; i++) {
		if (u[i] == '\n') {
			if (w > max)
				max = w;
			w = 0;
		} else if (u[i] == 0x1b) {
			while (u[i] != '\0' && u[i] != 'm')
				i++;
		} else if ((u[i] & 0xc0) != 0x80) {
			/* CJK ideographs are 3-byte sequences E3..E9 here */
			w += (u[i] >= 0xe3 && u[i] <= 0xe9) ? 2 : 1;
		}
	}
	return w > max ? w : max;
}

int
main(void)
{
	static const struct {
		const char	*name;
		const char	*hdr;
		const char	*want;	/* must appear (escaped form) */
	} cases[] = {
		{ "escape in subject", "Subject: a\x1b[2Jb\r\n\r\n", "\\x1b[2Jb" },
		{ "CR in helo", "Received: from evil\rhost (x [192.0.2.1]) by "
		    "mx.example.test; Tue, 18 Mar 2003 14:20:24 -0800\r\n\r\n",
		    "from evil" },
		{ "bidi override in subject",
		    "Subject: =?UTF-8?B?4oCuZ3NtLmV4ZQ==?=\r\n\r\n", "\\u{202e}" },
		{ "C1 CSI in subject",
		    "Subject: =?UTF-8?B?wpszMW0=?=\r\n\r\n", "\\x9b" },
		{ "isolate in from", "From: =?UTF-8?B?4oGmQm9i4oGp?= "
		    "<b@example.test>\r\nSubject: x\r\n\r\n", "" },
		{ "BEL and DEL", "Subject: ring\x07\x7f\r\n\r\n", "\\x07\\x7f" },
		{ "invalid UTF-8", "Subject: caf\xe9\r\n\r\n", "caf" },
		{ "chinese subject",
		    "Subject: =?GB2312?B?w/fM7LfFvNk/?=\r\n\r\n",
		    "\xe6\x98\x8e\xe5\xa4\xa9" },
	};
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	char err[256], big[4096];
	size_t i;

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "context: %s\n", err);
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned flags;

		for (flags = 0; flags <= MT_TEXT_COLOR; flags += MT_TEXT_COLOR) {
			char *t = report(ctx, cases[i].hdr, flags);

			if (t == NULL)
				continue;
			T_INT(cases[i].name, "first unsafe byte",
			    unsafe_at(t, flags != 0), -1);
			T_TRUE(cases[i].name, "escaped form shown",
			    strstr(t, cases[i].want) != NULL);
			T_TRUE(cases[i].name, "fits 100 columns",
			    widest(t) <= 100);
			T_TRUE(cases[i].name, "colours only when asked",
			    (strchr(t, 0x1b) != NULL) == (flags != 0));
			free(t);
		}
	}
	/* A 3,000-byte host name is elided in the middle, keeping both ends. */
	{
		char *t;
		size_t n;

		n = (size_t)snprintf(big, sizeof(big), "Received: from start");
		memset(big + n, 'x', 3000);
		n += 3000;
		n += (size_t)snprintf(big + n, sizeof(big) - n, ".end.example "
		    "(end.example [192.0.2.9]) by mx.example.test; Tue, 18 Mar "
		    "2003 14:20:24 -0800\r\n\r\n");
		t = report(ctx, big, 0);
		if (t != NULL) {
			T_TRUE("long helo", "elided", strstr(t, "\xe2\x80\xa6") !=
			    NULL);
			T_TRUE("long helo", "head kept", strstr(t, "startxx") !=
			    NULL);
			T_TRUE("long helo", "fits 100 columns", widest(t) <= 100);
			free(t);
		}
	}
	/* Escaping and elision of single values. */
	{
		static const struct {
			const char	*name, *in;
			size_t		 max;
			const char	*want;
			size_t		 width;
		} fits[] = {
			{ "plain", "mail.example.com", 40, "mail.example.com", 16 },
			{ "backslash doubled", "a\\b", 40, "a\\\\b", 4 },
			{ "CR LF visible", "a\r\nb", 40, "a\\r\\nb", 6 },
			{ "tabs and spaces folded", "a \t  b  ", 40, "a b", 3 },
			{ "ESC", "\x1b[2J", 40, "\\x1b[2J", 7 },
			{ "C1 CSI", "\xc2\x9b" "1m", 40, "\\x9b1m", 6 },
			{ "line separator", "a\xe2\x80\xa8" "b", 40,
			    "a\\u{2028}b", 10 },
			{ "tag character", "\xf3\xa0\x80\x81", 40, "\\u{e0001}",
			    9 },
			{ "invalid byte", "\xff", 40, "\\xff", 4 },
			{ "elided in the middle", "abcdefghijklmnopqrstuvwxyz", 9,
			    "abcd\xe2\x80\xa6wxyz", 9 },
			{ "never inside an escape", "\x1b\x1b\x1b\x1b", 9,
			    "\\x1b\xe2\x80\xa6\\x1b", 9 },
			{ "wide characters count two",
			    "\xe6\x98\x8e\xe5\xa4\xa9\xe6\x94\xbe\xe5\x81\x87", 5,
			    "\xe6\x98\x8e\xe2\x80\xa6\xe5\x81\x87", 5 },
			{ "emoji count two", "\xf0\x9f\x98\x80", 40,
			    "\xf0\x9f\x98\x80", 2 },
		};

		for (i = 0; i < sizeof(fits) / sizeof(fits[0]); i++) {
			size_t w = 0;
			char *f = mt_text_fit(fits[i].in, strlen(fits[i].in),
			    fits[i].max, &w);

			T_STR(fits[i].name, "text", f, fits[i].want);
			T_INT(fits[i].name, "width", w, fits[i].width);
			free(f);
		}
	}
	/* A hop table with GeoIP-less DNS-less hops still has its columns,
	 * and the verdict is the last line. */
	{
		char *t = report(ctx, "Received: from a.example (a.example "
		    "[192.0.2.1]) by mx.example.test with ESMTPS id 1; Tue, 18 "
		    "Mar 2003 14:20:24 -0800\r\nReceived: from pc ([10.0.0.1]) "
		    "by a.example with ESMTPSA; Tue, 18 Mar 2003 14:20:00 "
		    "-0800\r\nFrom: A <a@a.example>\r\n\r\n", 0);

		if (t != NULL) {
			T_TRUE("hops", "hop 0 line", strstr(t, "  0 B  2003-03-18 "
			    "22:20:24 -0800    +24s  ESMTPS    +") != NULL);
			T_TRUE("hops", "hop 1 authenticated", strstr(t,
			    "ESMTPSA   +*") != NULL);
			T_TRUE("hops", "from line", strstr(t, "      from a.example "
			    "(a.example [192.0.2.1]) by mx.example.test\n") !=
			    NULL);
			T_TRUE("hops", "verdict last", strstr(t, "\nVerdict: ") !=
			    NULL && t[strlen(t) - 1] == '\n');
			free(t);
		}
	}
	mt_ctx_free(ctx);
	return t_done("text");
}
