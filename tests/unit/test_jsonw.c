/*
 * test_jsonw.c - the direct JSON writer: escaping, invalid UTF-8, numbers,
 * nesting and the two layouts.  Every expected text is what jansson's
 * json_dumps() wrote for the same value (JSON_PRESERVE_ORDER with
 * JSON_COMPACT or JSON_INDENT(2)), so records keep their bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "mt.h"
#include "t.h"

/* one - a document holding one string value, compact, as a C string the
 * caller frees. */
static char *
one(const char *p, size_t len, unsigned flags)
{
	struct mt_jw w;

	mt_jw_init(&w, flags);
	mt_jw_arr(&w);
	mt_jw_str(&w, p, len);
	mt_jw_arr_end(&w);
	return mt_jw_take(&w, NULL);
}

static void
test_controls(void)
{
	char in[32];
	char *got;
	int c;

	/* Every control character; jansson's escapes (upper-case hex). */
	for (c = 1; c < 32; c++)
		in[c - 1] = (char)c;
	got = one(in, 31, 0);
	T_STR("controls", "all of 0x01-0x1f", got,
	    "[\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
	    "\\u000B\\f\\r\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014"
	    "\\u0015\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D"
	    "\\u001E\\u001F\"]");
	free(got);
	/* Each one alone, so a wrong entry names its byte. */
	for (c = 1; c < 32; c++) {
		char want[16], ctx[32];
		const char *short_esc = NULL;

		switch (c) {
		case '\b': short_esc = "b"; break;
		case '\t': short_esc = "t"; break;
		case '\n': short_esc = "n"; break;
		case '\f': short_esc = "f"; break;
		case '\r': short_esc = "r"; break;
		}
		if (short_esc)
			snprintf(want, sizeof(want), "[\"\\%s\"]", short_esc);
		else
			snprintf(want, sizeof(want), "[\"\\u%04X\"]", c);
		snprintf(ctx, sizeof(ctx), "control 0x%02x", c);
		in[0] = (char)c;
		got = one(in, 1, 0);
		T_STR(ctx, "escaped", got, want);
		free(got);
	}
}

static void
test_strings(void)
{
	static const struct {
		const char	*name;
		const char	*in;
		size_t		 len;
		unsigned	 flags;
		const char	*want;
	} cases[] = {
		{ "quote, backslash, slash, DEL", "\"\\/\x7f", 4, 0,
		    "[\"\\\"\\\\/\x7f\"]" },
		{ "plain ASCII", "mail.example.com", 16, 0,
		    "[\"mail.example.com\"]" },
		{ "empty", "", 0, 0, "[\"\"]" },
		{ "NUL becomes U+FFFD", "a\0b", 3, 0, "[\"a\xef\xbf\xbd" "b\"]" },
		{ "valid 2, 3, 4-byte UTF-8 kept", "\xc3\xa9\xe6\x98\x8e\xf0\x9f\x98\x80",
		    9, 0, "[\"\xc3\xa9\xe6\x98\x8e\xf0\x9f\x98\x80\"]" },
		{ "lone continuation byte", "a\x80z", 3, 0,
		    "[\"a\xef\xbf\xbdz\"]" },
		{ "Latin-1 byte", "caf\xe9", 4, 0, "[\"caf\xef\xbf\xbd\"]" },
		{ "overlong C0 80", "\xc0\x80", 2, 0,
		    "[\"\xef\xbf\xbd\xef\xbf\xbd\"]" },
		{ "overlong E0 80 80", "\xe0\x80\x80", 3, 0,
		    "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]" },
		{ "surrogate ED A0 80", "\xed\xa0\x80", 3, 0,
		    "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]" },
		{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, 0,
		    "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]" },
		{ "truncated sequence at the end", "ab\xe6\x98", 4, 0,
		    "[\"ab\xef\xbf\xbd\xef\xbf\xbd\"]" },
		{ "U+2028/2029 as they are (jansson)",
		    "\xe2\x80\xa8\xe2\x80\xa9", 6, 0,
		    "[\"\xe2\x80\xa8\xe2\x80\xa9\"]" },
		{ "U+2028/2029 escaped on request",
		    "a\xe2\x80\xa8" "b\xe2\x80\xa9", 8, MT_JW_ESCAPE_LS,
		    "[\"a\\u2028b\\u2029\"]" },
		{ "U+2027 not escaped on request", "\xe2\x80\xa7", 3,
		    MT_JW_ESCAPE_LS, "[\"\xe2\x80\xa7\"]" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = one(cases[i].in, cases[i].len, cases[i].flags);

		T_STR(cases[i].name, "written", got, cases[i].want);
		free(got);
	}
	{
		struct mt_jw w;
		char *got;

		mt_jw_init(&w, 0);
		mt_jw_arr(&w);
		mt_jw_str(&w, NULL, 0);
		mt_jw_strz(&w, NULL);
		mt_jw_strz(&w, "z");
		mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		T_STR("absent strings", "null", got, "[null,null,\"z\"]");
		free(got);
	}
}

static void
test_numbers(void)
{
	static const struct {
		double		 v;
		const char	*want;
	} reals[] = {
		{ 2.5, "2.5" },
		{ 0.0, "0.0" },
		{ -0.0, "-0.0" },
		{ 1e-05, "1.0000000000000001e-5" },
		{ 1e20, "1e20" },
		{ 0.1, "0.10000000000000001" },
		{ 4.0, "4.0" },
		{ 1e300, "1.0000000000000001e300" },
		{ -1.5, "-1.5" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 123456789.125, "123456789.125" },
		{ 1e15, "1000000000000000.0" },
		{ 999999999999999.5, "999999999999999.5" },
		{ 5e-324, "4.9406564584124654e-324" },
		{ -2.2250738585072014e-308, "-2.2250738585072014e-308" },
		{ 1.0 / 3, "0.33333333333333331" },
	};
	static const struct {
		int64_t		 v;
		const char	*want;
	} ints[] = {
		{ 0, "0" }, { 7, "7" }, { -7, "-7" }, { 1234567890, "1234567890" },
		{ INT64_MAX, "9223372036854775807" },
		{ INT64_MIN, "-9223372036854775808" },
	};
	size_t i;

	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		struct mt_jw w;
		char *got, want[64];

		mt_jw_init(&w, 0);
		mt_jw_arr(&w);
		mt_jw_real(&w, reals[i].v);
		mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		snprintf(want, sizeof(want), "[%s]", reals[i].want);
		T_STR(reals[i].want, "real", got, want);
		free(got);
	}
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		struct mt_jw w;
		char *got, want[64];

		mt_jw_init(&w, 0);
		mt_jw_arr(&w);
		mt_jw_int(&w, ints[i].v);
		mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		snprintf(want, sizeof(want), "[%s]", ints[i].want);
		T_STR(ints[i].want, "integer", got, want);
		free(got);
	}
	{
		struct mt_jw w;
		char *got;

		mt_jw_init(&w, 0);
		mt_jw_arr(&w);
		mt_jw_real(&w, NAN);
		mt_jw_real(&w, INFINITY);
		mt_jw_bool(&w, true);
		mt_jw_bool(&w, false);
		mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		T_STR("NaN, infinity, booleans", "written", got,
		    "[null,null,true,false]");
		free(got);
	}
}

/* doc - the nesting example in either layout. */
static char *
doc(unsigned flags)
{
	struct mt_jw w;

	mt_jw_init(&w, flags);
	mt_jw_obj(&w);
	mt_jw_key(&w, "a");
	mt_jw_int(&w, 1);
	mt_jw_key(&w, "e");
	mt_jw_obj(&w);
	mt_jw_obj_end(&w);
	mt_jw_key(&w, "l");
	mt_jw_arr(&w);
	mt_jw_arr_end(&w);
	mt_jw_key(&w, "arr");
	mt_jw_arr(&w);
	mt_jw_bool(&w, true);
	mt_jw_null(&w);
	mt_jw_obj(&w);
	mt_jw_key(&w, "x");
	mt_jw_strz(&w, "y");
	mt_jw_obj_end(&w);
	mt_jw_arr_end(&w);
	mt_jw_keyn(&w, "k\"\n", 3);
	mt_jw_real(&w, 2.5);
	mt_jw_obj_end(&w);
	return mt_jw_take(&w, NULL);
}

static void
test_nesting(void)
{
	char *got;
	size_t i;

	got = doc(0);
	T_STR("nesting", "compact", got,
	    "{\"a\":1,\"e\":{},\"l\":[],\"arr\":[true,null,{\"x\":\"y\"}],"
	    "\"k\\\"\\n\":2.5}");
	free(got);
	got = doc(MT_JW_PRETTY);
	T_STR("nesting", "pretty, 2 spaces", got,
	    "{\n"
	    "  \"a\": 1,\n"
	    "  \"e\": {},\n"
	    "  \"l\": [],\n"
	    "  \"arr\": [\n"
	    "    true,\n"
	    "    null,\n"
	    "    {\n"
	    "      \"x\": \"y\"\n"
	    "    }\n"
	    "  ],\n"
	    "  \"k\\\"\\n\": 2.5\n"
	    "}");
	free(got);

	/* Ten times the nesting cap: refused, not overrun. */
	{
		struct mt_jw w;

		mt_jw_init(&w, MT_JW_PRETTY);
		for (i = 0; i < 10 * MT_JW_MAX_DEPTH; i++)
			mt_jw_arr(&w);
		for (i = 0; i < 10 * MT_JW_MAX_DEPTH; i++)
			mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		T_TRUE("nesting", "10x the cap fails", got == NULL);
		free(got);
		/* The writer is usable again after a failed document. */
		mt_jw_arr(&w);
		mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		T_STR("nesting", "after a failure", got, "[]");
		free(got);
	}
	/* Exactly the cap is fine. */
	{
		struct mt_jw w;

		mt_jw_init(&w, 0);
		for (i = 0; i < MT_JW_MAX_DEPTH; i++)
			mt_jw_arr(&w);
		for (i = 0; i < MT_JW_MAX_DEPTH; i++)
			mt_jw_arr_end(&w);
		got = mt_jw_take(&w, NULL);
		T_TRUE("nesting", "the cap itself works",
		    got != NULL && strlen(got) == 2 * MT_JW_MAX_DEPTH);
		free(got);
	}
}

static void
test_large(void)
{
	/* A long string of escapes grows the buffer past its first size. */
	size_t n = 100000, i, len = 0;
	char *in = malloc(n), *got;

	if (in == NULL) {
		T_TRUE("large", "malloc", false);
		return;
	}
	for (i = 0; i < n; i++)
		in[i] = (char)(i % 2 ? 0x1f : 'x');
	got = one(in, n, 0);
	T_TRUE("large", "written", got != NULL);
	if (got != NULL) {
		len = strlen(got);
		T_INT("large", "length", len, 4 + n / 2 * 7);
		T_TRUE("large", "ends", memcmp(got + len - 9, "x\\u001F\"]", 9) == 0);
	}
	free(got);
	free(in);
}

static void
test_reset(void)
{
	struct mt_jw w;
	char *got;
	size_t len = 0;

	mt_jw_init(&w, 0);
	mt_jw_arr(&w);
	mt_jw_int(&w, 1);
	mt_jw_reset(&w);
	mt_jw_obj(&w);
	mt_jw_key(&w, "k");
	mt_jw_int(&w, 2);
	mt_jw_obj_end(&w);
	got = mt_jw_take(&w, &len);
	T_STR("reset", "second document only", got, "{\"k\":2}");
	T_INT("reset", "length", len, 7);
	free(got);
	mt_jw_free(&w);
}

static void
test_keys(void)
{
	struct mt_jw w;
	char *got, longkey[101];
	size_t i;

	/* Quoted literal names, the general way, and names that need it. */
	for (i = 0; i < 100; i++)
		longkey[i] = (char)('a' + i % 26);
	longkey[100] = '\0';
	mt_jw_init(&w, 0);
	mt_jw_obj(&w);
	MT_JW_KEY(&w, "lit");
	mt_jw_int(&w, 1);
	mt_jw_key(&w, "plain");
	mt_jw_int(&w, 2);
	mt_jw_key(&w, "tab\there");
	mt_jw_int(&w, 3);
	mt_jw_key(&w, longkey);
	mt_jw_int(&w, 4);
	mt_jw_keyn(&w, "n\0ul", 4);
	mt_jw_int(&w, 5);
	mt_jw_obj_end(&w);
	got = mt_jw_take(&w, NULL);
	{
		char want[300];

		snprintf(want, sizeof(want), "{\"lit\":1,\"plain\":2,"
		    "\"tab\\there\":3,\"%s\":4,\"n\xef\xbf\xbdul\":5}",
		    longkey);
		T_STR("keys", "compact", got, want);
	}
	free(got);
	mt_jw_init(&w, MT_JW_PRETTY);
	mt_jw_obj(&w);
	MT_JW_KEY(&w, "lit");
	mt_jw_int(&w, 1);
	mt_jw_key(&w, "plain");
	mt_jw_null(&w);
	mt_jw_obj_end(&w);
	got = mt_jw_take(&w, NULL);
	T_STR("keys", "pretty", got, "{\n  \"lit\": 1,\n  \"plain\": null\n}");
	free(got);
}

/* rolled - an object with members a, (b: an empty object, taken back),
 * c, in either layout. */
static char *
rolled(unsigned flags, bool fill)
{
	struct mt_jw w;
	struct mt_jw_mark mk;

	mt_jw_init(&w, flags);
	mt_jw_obj(&w);
	MT_JW_KEY(&w, "a");
	mt_jw_int(&w, 1);
	mt_jw_mark(&w, &mk);
	MT_JW_KEY(&w, "b");
	mt_jw_obj(&w);
	if (fill) {
		MT_JW_KEY(&w, "x");
		mt_jw_bool(&w, true);
	}
	mt_jw_obj_end(&w);
	if (mt_jw_last_empty(&w))
		mt_jw_rollback(&w, &mk);
	MT_JW_KEY(&w, "c");
	mt_jw_int(&w, 3);
	mt_jw_obj_end(&w);
	return mt_jw_take(&w, NULL);
}

static void
test_rollback(void)
{
	char *got;
	struct mt_jw w;
	struct mt_jw_mark mk;

	got = rolled(0, false);
	T_STR("rollback", "empty member taken back", got, "{\"a\":1,\"c\":3}");
	free(got);
	got = rolled(0, true);
	T_STR("rollback", "member kept", got, "{\"a\":1,\"b\":{\"x\":true},"
	    "\"c\":3}");
	free(got);
	got = rolled(MT_JW_PRETTY, false);
	T_STR("rollback", "pretty", got, "{\n  \"a\": 1,\n  \"c\": 3\n}");
	free(got);
	/* The first member taken back: the next one is first again. */
	mt_jw_init(&w, MT_JW_PRETTY);
	mt_jw_obj(&w);
	mt_jw_mark(&w, &mk);
	MT_JW_KEY(&w, "gone");
	mt_jw_arr(&w);
	mt_jw_arr_end(&w);
	T_TRUE("rollback", "empty array seen", mt_jw_last_empty(&w));
	mt_jw_rollback(&w, &mk);
	MT_JW_KEY(&w, "k");
	mt_jw_int(&w, 1);
	mt_jw_obj_end(&w);
	got = mt_jw_take(&w, NULL);
	T_STR("rollback", "first member", got, "{\n  \"k\": 1\n}");
	free(got);
	/* A mark of another container cannot be used. */
	mt_jw_init(&w, 0);
	mt_jw_obj(&w);
	mt_jw_mark(&w, &mk);
	MT_JW_KEY(&w, "o");
	mt_jw_obj(&w);
	mt_jw_rollback(&w, &mk);
	mt_jw_obj_end(&w);
	mt_jw_obj_end(&w);
	got = mt_jw_take(&w, NULL);
	T_TRUE("rollback", "across containers fails", got == NULL);
	free(got);
}

int
main(void)
{
	test_controls();
	test_strings();
	test_numbers();
	test_nesting();
	test_large();
	test_reset();
	test_keys();
	test_rollback();
	return t_done("jsonw");
}
