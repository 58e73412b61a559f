/*
 * test_addr.c - address lists: the forms of RFC 5322 section 3.4 and its
 * appendix A, obsolete forms, what real mail (the shared corpus) does
 * wrong, the caps, and a sweep over the corpus.
 */
#include <stdlib.h>

#include "mt.h"
#include "t.h"

#define OFF 100		/* the value's offset in the message */
#define IN(s) s, sizeof(s) - 1

static struct mt_ctx *ctx;

/* list - entries as "[name](address) ...", "~" for null. */
static const char *
list(const struct mt_addr_list *l, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s[%s](%s)",
		    i ? " " : "", l->v[i].name.p ? l->v[i].name.p : "~",
		    l->v[i].address.p ? l->v[i].address.p : "~");
	return buf;
}

/* sane - every string is valid UTF-8 without NUL; no empty names. */
static void
sane(const char *name, const struct mt_addr_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct mt_str n = l->v[i].name, a = l->v[i].address;

		T_TRUE(name, "name", n.p == NULL || (n.len > 0 &&
		    mt_utf8_valid(n.p, n.len) && !memchr(n.p, 0, n.len) &&
		    n.p[n.len] == '\0'));
		T_TRUE(name, "address", a.p == NULL ||
		    (mt_utf8_valid(a.p, a.len) && !memchr(a.p, 0, a.len) &&
		    a.p[a.len] == '\0'));
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *want;
	const char *an;
} cases[] = {
	/* The seed article and the common forms. */
	{ "old style comment name", IN("tom@alpha.com.cn (Tom Lee)"),
	    "[Tom Lee](tom@alpha.com.cn)", "" },
	{ "bare addr-spec", IN("betty@sina.com"), "[~](betty@sina.com)", "" },
	{ "quoted name", IN("\"Alejandro Colomar (man-pages)\" "
	    "<alx.manpages@gmail.com>"),
	    "[Alejandro Colomar (man-pages)](alx.manpages@gmail.com)", "" },
	{ "atom name", IN("Alejandro Colomar <alx@kernel.org>"),
	    "[Alejandro Colomar](alx@kernel.org)", "" },
	{ "case kept", IN("David Laight <David.Laight@ACULAB.COM>"),
	    "[David Laight](David.Laight@ACULAB.COM)", "" },
	{ "angle only", IN("<dawnbell@suddenlink.net>"),
	    "[~](dawnbell@suddenlink.net)", "" },
	{ "obs-phrase with a dot", IN("Joe Q. Public <john.q.public@example.com>"),
	    "[Joe Q. Public](john.q.public@example.com)", "" },
	{ "apostrophes are atext", IN("''Tayeb souami'' <sechegaray@oss.com.pe>"),
	    "[''Tayeb souami''](sechegaray@oss.com.pe)", "" },
	{ "list", IN("Mary Smith <mary@x.test>, jdoe@example.org, "
	    "Who? <one@y.test>"),
	    "[Mary Smith](mary@x.test) [~](jdoe@example.org) [Who?](one@y.test)",
	    "" },
	{ "quoted specials and escapes", IN("\"Giant; \\\"Big\\\" Box\" "
	    "<sysservices@example.net>"),
	    "[Giant; \"Big\" Box](sysservices@example.net)", "" },
	/* Encoded words (RFC 2047 section 5). */
	{ "encoded name", IN("=?UTF-8?q?Micka=C3=ABl=20Sala=C3=BCn?= "
	    "<mic@digikod.net>"), "[Mickaël Salaün](mic@digikod.net)", "" },
	{ "encoded word in quotes", IN("\"=?UTF-8?q?G=C3=BCnther=20Noack?=\" "
	    "<gnoack@google.com>, Tanya Agarwal <tanyaagarwal25699@gmail.com>"),
	    "[Günther Noack](gnoack@google.com) "
	    "[Tanya Agarwal](tanyaagarwal25699@gmail.com)", "" },
	{ "encoded word in quotes with text", IN("\"Re: =?utf-8?q?caf=C3=A9?= "
	    "team\" <t@x.example>"), "[Re: café team](t@x.example)", "" },
	{ "atom then encoded word", IN("Bastien =?ISO-8859-1?Q?Roucari=E8s?= "
	    "<rouca@debian.org>"), "[Bastien Roucariès](rouca@debian.org)", "" },
	{ "encoded word then atom", IN("=?utf-8?Q?P=C3=A1draig?= Brady "
	    "<P@draigBrady.com>"), "[Pádraig Brady](P@draigBrady.com)", "" },
	{ "spaces and quotes inside a Q word",
	    IN("=?UTF-8?Q? \"Miko=C5=82aj_Fiodorczyk\" ?=        "
	    "<mikolaj.fiodorczyk@crawnon.pl>"),
	    "[Mikołaj Fiodorczyk](mikolaj.fiodorczyk@crawnon.pl)", "" },
	{ "empty quotes around a word",
	    IN("\" \"\"=?UTF-8?B?RCdpc25leSBQbHVz?=\"\" \""
	    "<news@agmssypd.gorone.net>"),
	    "[D'isney Plus](news@agmssypd.gorone.net)", "" },
	{ "quotes glued to a word",
	    IN("\"_\xe2\x9c\x94\xef\xb8\x8f\"=?UTF-8?B?4bSczIHKn+G0m8mq4bSN4bSPIM"
	    "qA4bSH4bSE4bSPyoDhtIXhtIDhtJvhtI/KgMmq4bSPLg==?=\"._\" "
	    "<info@pxyazumah.disastersturbines.com>"),
	    "[_✔️ᴜ́ʟᴛɪᴍᴏ ʀᴇᴄᴏʀᴅᴀᴛᴏʀɪᴏ.._]"
	    "(info@pxyazumah.disastersturbines.com)", "" },
	{ "words around text, no space before <",
	    IN("=?UTF-8?B?8J+Ssw==?= Destiny Mastercard =?UTF-8?B?8J+Ssw==?="
	    "<ruxlo@zhishangmingzhan.com>"),
	    "[💳 Destiny Mastercard 💳](ruxlo@zhishangmingzhan.com)", "" },
	{ "encoded comment name", IN("a@b.example (=?utf-8?q?J=C3=B6rg?=)"),
	    "[Jörg](a@b.example)", "" },
	/* Groups (RFC 5322 3.4). */
	{ "empty group", IN("undisclosed-recipients:;"), "", "" },
	{ "empty group with space", IN("undisclosed-recipients: ;"), "", "" },
	{ "empty group and comment",
	    IN("unlisted-recipients:; (no To-header on input)"), "", "" },
	{ "group members", IN("Team: a@b.example, c@d.example;"),
	    "[~](a@b.example) [~](c@d.example)", "" },
	{ "group in a list", IN("x@y.example, Team: a@b.example;, z@w.example"),
	    "[~](x@y.example) [~](a@b.example) [~](z@w.example)", "" },
	{ "RFC 5322 A.1.3", IN("A Group(Some people):Chris Jones "
	    "<c@(Chris's host.)public.example>, joe@example.org, John "
	    "<jdoe@one.test> (my dear friend); (the end of the group)"),
	    "[Chris Jones](c@public.example) [~](joe@example.org) "
	    "[John](jdoe@one.test)", "" },
	{ "group then a name only", IN("Undisclosed recipients:;, a"),
	    "[a](~)", "ADDRESS_MALFORMED@126" },
	{ "group without ;", IN("Team: a@b.example"), "[~](a@b.example)",
	    "ADDRESS_MALFORMED@117" },
	{ "group without a name", IN(": a@b.example;"), "[~](a@b.example)",
	    "ADDRESS_MALFORMED@100" },
	/* Comments, obsolete forms (RFC 5322 4.4 and A.5, A.6). */
	{ "comments everywhere", IN("Pete(A nice \\) chap) <pete(his account)"
	    "@silly.test(his host)>"), "[Pete](pete@silly.test)", "" },
	{ "comment between words", IN("John (the man) Doe <jd@x.example> (work)"),
	    "[John Doe](jd@x.example)", "" },
	{ "comment after angle", IN("<jd@x.example> (Work Address)"),
	    "[Work Address](jd@x.example)", "" },
	{ "empty comment", IN("SafeInvestments@NiceReturns12.com ()"),
	    "[~](SafeInvestments@NiceReturns12.com)", "" },
	{ "nested comment", IN("a@b.example (Tom (the cat) Lee)"),
	    "[Tom (the cat) Lee](a@b.example)", "" },
	{ "obs whitespace around dots", IN("John Doe <jdoe@machine(comment).  "
	    "example>"), "[John Doe](jdoe@machine.example)", "" },
	{ "obs-local-part", IN("john . q . public @ example . com"),
	    "[~](john.q.public@example.com)", "" },
	{ "obs-route", IN("<@a.example,@b.example:x@y.example>"),
	    "[~](x@y.example)", "" },
	{ "obs-route with name", IN("Joe <@relay.example:joe@example.org>"),
	    "[Joe](joe@example.org)", "" },
	{ "quoted local part", IN("\"john doe\"@example.com"),
	    "[~](\"john doe\"@example.com)", "" },
	{ "quoted local part in angle", IN("J <\"j..d\"@example.com>"),
	    "[J](\"j..d\"@example.com)", "" },
	{ "domain literal", IN("jdoe@[192.0.2.1], <x@[IPv6:2001:db8::1]>"),
	    "[~](jdoe@[192.0.2.1]) [~](x@[IPv6:2001:db8::1])", "" },
	{ "empty elements", IN(",a@b.example,, ,c@d.example,"),
	    "[~](a@b.example) [~](c@d.example)", "" },
	{ "only a comment", IN("(recipient list suppressed)"), "", "" },
	{ "empty", IN(""), "", "" },
	{ "UTF-8 name kept", IN("J\xc3\xb6rg M\xc3\xbcller <jm@x.de>"),
	    "[Jörg Müller](jm@x.de)", "" },
	{ "UTF-8 address kept", IN("<\xe7\x94\xa8\xe6\x88\xb7@example.cn>"),
	    "[~](用户@example.cn)", "" },
	/* Broken mail: best effort and ADDRESS_MALFORMED. */
	{ "name only", IN("=?UTF-8?Q?=4B=61=75=66=6C=61=6E=64?=, jehd "
	    "<webmestre@ccmp.daf-mag.fr>"),
	    "[Kaufland](~) [jehd](webmestre@ccmp.daf-mag.fr)",
	    "ADDRESS_MALFORMED@100" },
	{ "name only, quoted", IN("\"=?UTF-8?B?bENJb3VkIEFsbWFjZW5hbWllbnRv?=\""
	    " ,PUW <admission@luc.edu>"),
	    "[lCIoud Almacenamiento](~) [PUW](admission@luc.edu)",
	    "ADDRESS_MALFORMED@100" },
	{ "empty angle", IN("=?UTF-8?B?RmVkZXggcGFra2V0?= <>"),
	    "[Fedex pakket](~)", "ADDRESS_MALFORMED@129" },
	{ "blank angle", IN("=?UTF-8?B?8J+SvCBJaHJlIEJUQyBBdXN6YWhsdW5n?= < >"),
	    "[💼 Ihre BTC Auszahlung](~)", "ADDRESS_MALFORMED@145" },
	{ "junk after angle", IN("=?UTF-8?B?RmVkZXggUGFra2V0?= "
	    "<PULVBCJOEB@IeHoFj>.fridstilo69.com>"),
	    "[Fedex Pakket](PULVBCJOEB@IeHoFj)", "ADDRESS_MALFORMED@148" },
	{ "group syntax inside angle",
	    IN("<Undisclosed-Recipient:;@spamassassin.taint.org>"),
	    "[~](Undisclosed-Recipient:;@spamassassin.taint.org)",
	    "ADDRESS_MALFORMED@101" },
	{ "semicolon separators", IN("phishing@pot; admin@egel.dcdvmkjb.ztr"),
	    "[~](phishing@pot) [~](admin@egel.dcdvmkjb.ztr)",
	    "ADDRESS_MALFORMED@112" },
	{ "names and semicolons",
	    IN("Webappsec Securityfocus.Com; SECPROG Securityfocus"),
	    "[Webappsec Securityfocus.Com](~) [SECPROG Securityfocus](~)",
	    "ADDRESS_MALFORMED@100 ADDRESS_MALFORMED@127 ADDRESS_MALFORMED@129" },
	{ "address as name", IN("info@company.com <info@company.com>"),
	    "[info@company.com](info@company.com)", "ADDRESS_MALFORMED@104" },
	{ "name without brackets", IN("Tom Lee tom@alpha.com.cn"),
	    "[Tom Lee](tom@alpha.com.cn)", "ADDRESS_MALFORMED@100" },
	{ "missing >", IN("Tom <tom@x.example, b@c.example"),
	    "[Tom](tom@x.example) [~](b@c.example)", "ADDRESS_MALFORMED@104" },
	{ "missing > at the end", IN("Tom <tom@x.example"), "[Tom](tom@x.example)",
	    "ADDRESS_MALFORMED@104" },
	{ "no domain", IN("<postmaster>, user@"),
	    "[~](postmaster) [~](user@)",
	    "ADDRESS_MALFORMED@101 ADDRESS_MALFORMED@114" },
	{ "no local part", IN("@example.com"), "[~](@example.com)",
	    "ADDRESS_MALFORMED@100" },
	{ "two @", IN("a@b@c.example"), "[~](a@b@c.example)",
	    "ADDRESS_MALFORMED@100" },
	{ "route without colon", IN("<@a,@b>"), "[~](@a,@b)",
	    "ADDRESS_MALFORMED@101" },
	{ "unterminated quote", IN("\"Tom <tom@x.example>"),
	    "[Tom <tom@x.example>](~)", "ADDRESS_MALFORMED@100" },
	{ "unterminated comment", IN("tom@x.example (Tom"),
	    "[Tom](tom@x.example)", "COMMENT_UNTERMINATED@114" },
	{ "unterminated domain literal", IN("a@[1.2.3.4"), "[~](a@[1.2.3.4)",
	    "ADDRESS_MALFORMED@102" },
	{ "stray specials", IN(") > a@b.example"), "[~](a@b.example)",
	    "ADDRESS_MALFORMED@100 ADDRESS_MALFORMED@102" },
	{ "garbage", IN("<<<>>>,;:@@"), "[~](<<) [~](@@)",
	    "ADDRESS_MALFORMED@101 ADDRESS_MALFORMED@104 ADDRESS_MALFORMED@107 "
	    "ADDRESS_MALFORMED@108 ADDRESS_MALFORMED@109 ADDRESS_MALFORMED@111" },
	{ "invalid 8-bit name", IN("J\xf6rg <jm@x.de>"), "[J\xef\xbf\xbdrg](jm@x.de)",
	    "INVALID_UTF8@101" },
	{ "invalid 8-bit address", IN("<j\xf6rg@x.de>"), "[~](j\xef\xbf\xbdrg@x.de)",
	    "INVALID_UTF8@101" },
	{ "NUL byte", IN("A\0B <a@b.example>"), "[A\xef\xbf\xbd" "B](a@b.example)",
	    "INVALID_UTF8@101" },
};

/* test_cases - the table above. */
static void
test_cases(void)
{
	char lb[2048], ab[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);
		struct mt_addr_list l = { NULL, 0, 0 };

		T_INT(cases[i].name, "return", mt_addr_parse(m,
		    mt_str(cases[i].in, cases[i].len), OFF, &l), 0);
		T_STR(cases[i].name, "list", list(&l, lb, sizeof(lb)),
		    cases[i].want);
		T_STR(cases[i].name, "anomalies", t_anomalies(m, ab, sizeof(ab)),
		    cases[i].an);
		sane(cases[i].name, &l);
		mt_msg_free(m);
	}
}

/* test_append - two fields append to one list. */
static void
test_append(void)
{
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	struct mt_addr_list l = { NULL, 0, 0 };
	char lb[256];

	mt_addr_parse(m, MT_STR_LIT("a@b.example"), 0, &l);
	mt_addr_parse(m, MT_STR_LIT("C <c@d.example>"), 50, &l);
	T_STR("append", "list", list(&l, lb, sizeof(lb)),
	    "[~](a@b.example) [C](c@d.example)");
	T_INT("append null", "return", mt_addr_parse(m, MT_STR_NULL, 0, &l), 0);
	T_INT("append null", "count", l.n, 2);
	mt_msg_free(m);
}

/* test_max_addresses - ten times MT_MAX_ADDRESSES addresses. */
static void
test_max_addresses(void)
{
	static const char one[] = "u@example.com, ";
	size_t n = 10 * MT_MAX_ADDRESSES, ol = sizeof(one) - 1, i;
	char *in = malloc(n * ol), want[128], buf[256];
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	struct mt_addr_list l = { NULL, 0, 0 };

	if (in == NULL || m == NULL)
		abort();
	for (i = 0; i < n; i++)
		memcpy(in + i * ol, one, ol);
	T_INT("max addresses", "return",
	    mt_addr_parse(m, mt_str(in, n * ol), OFF, &l), 0);
	T_INT("max addresses", "kept", l.n, MT_MAX_ADDRESSES);
	T_STR("max addresses", "last", l.v[l.n - 1].address.p, "u@example.com");
	snprintf(want, sizeof(want), "ADDRESSES_TRUNCATED@%zu",
	    OFF + MT_MAX_ADDRESSES * ol);
	T_STR("max addresses", "anomalies", t_anomalies(m, buf, sizeof(buf)), want);
	mt_msg_free(m);
	free(in);
}

/* test_max_comment_depth - a comment nested ten times MT_MAX_COMMENT_DEPTH
 * deep is read (no recursion) and noted. */
static void
test_max_comment_depth(void)
{
	size_t d = 10 * MT_MAX_COMMENT_DEPTH, len = 0, i;
	char *in = malloc(2 * d + 64), want[128], buf[256];
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	struct mt_addr_list l = { NULL, 0, 0 };

	if (in == NULL || m == NULL)
		abort();
	memcpy(in, "a@b.example ", 12);
	len = 12;
	for (i = 0; i < d; i++)
		in[len++] = '(';
	in[len++] = 'x';
	for (i = 0; i < d; i++)
		in[len++] = ')';
	memcpy(in + len, ", c@d.example", 13);
	len += 13;
	T_INT("max comment depth", "return",
	    mt_addr_parse(m, mt_str(in, len), OFF, &l), 0);
	T_INT("max comment depth", "entries", l.n, 2);
	T_TRUE("max comment depth", "name", l.n > 0 && l.v[0].name.p != NULL &&
	    l.v[0].name.len == 2 * d - 1);
	T_TRUE("max comment depth", "second", l.n == 2 &&
	    strcmp(l.v[1].address.p, "c@d.example") == 0);
	snprintf(want, sizeof(want), "COMMENT_TOO_DEEP@%d",
	    OFF + 12 + MT_MAX_COMMENT_DEPTH);
	T_STR("max comment depth", "anomalies", t_anomalies(m, buf, sizeof(buf)), want);
	mt_msg_free(m);
	free(in);
}

/* test_linear - inputs ten times MT_MAX_FIELD_LEN made of one broken
 * construct each: parsing stays linear (ctest's timeout would catch a
 * quadratic scan), the anomaly list stays capped. */
static void
test_linear(void)
{
	static const char *const units[] = { "[", ")", "\"", "(", "<", ";",
	    "=?a?q?x ", "a ", "@", ":", "<@a,", "\\" };
	size_t n = 10 * MT_MAX_FIELD_LEN, i, j;
	char *in = malloc(n);

	if (in == NULL)
		abort();
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);
		struct mt_addr_list l = { NULL, 0, 0 };
		size_t ul = strlen(units[i]);

		for (j = 0; j + ul <= n; j += ul)
			memcpy(in + j, units[i], ul);
		T_INT(units[i], "return", mt_addr_parse(m, mt_str(in, j), OFF, &l),
		    0);
		T_TRUE(units[i], "anomalies capped",
		    m->anomalies.n <= MT_MAX_ANOMALIES);
		T_TRUE(units[i], "addresses capped", l.n <= MT_MAX_ADDRESSES);
		sane(units[i], &l);
		mt_msg_free(m);
	}
	free(in);
}

/* test_corpus - every From/To/Cc of the shared corpus: no crash, sane
 * strings, and nearly every From gives an address (the rest are From:
 * lines quoted in bodies, empty fields, "<>" and "Name,(<a@b>)" tricks). */
static void
test_corpus(void)
{
	static const char *const files[] = { "phishing_pot.mbox",
	    "spamassassin.mbox", "linux_man.mbox" };
	size_t f, froms = 0, noaddr = 0, total = 0;

	for (f = 0; f < 3; f++) {
		char path[1024], *data, *p, *end;
		size_t size;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[f]);
		if ((data = t_slurp(path, &size)) == NULL) {
			printf("corpus %s: skipped\n", files[f]);
			continue;
		}
		end = data + size;
		for (p = data; p < end; p++) {
			struct mt_msg *m;
			struct mt_addr_list l = { NULL, 0, 0 };
			size_t nl;
			char *e, *v;
			bool from;

			if (p != data && p[-1] != '\n')
				continue;
			if (end - p >= 5 && memcmp(p, "From:", 5) == 0)
				nl = 5, from = true;
			else if (end - p >= 3 && (memcmp(p, "To:", 3) == 0 ||
			    memcmp(p, "Cc:", 3) == 0))
				nl = 3, from = false;
			else
				continue;
			v = p + nl;
			for (e = v; e < end; e++)
				if (*e == '\n' && (e + 1 >= end ||
				    (e[1] != ' ' && e[1] != '\t')))
					break;
			m = mt_msg_alloc(ctx, NULL);
			T_INT("corpus", "return", mt_addr_parse(m,
			    mt_str_trim(mt_str(v, (size_t)(e - v))), 0, &l), 0);
			sane("corpus", &l);
			if (from) {
				size_t k;

				for (k = 0; k < l.n; k++)
					if (l.v[k].address.p != NULL)
						break;
				froms++;
				if (k == l.n)
					noaddr++;
			}
			total += l.n;
			mt_msg_free(m);
		}
		free(data);
	}
	if (froms > 0) {
		printf("corpus: %zu From fields, %zu without address, "
		    "%zu entries\n", froms, noaddr, total);
		T_TRUE("corpus", "From addresses", noaddr * 50 < froms);
	}
}

int
main(void)
{
	char err[128];

	if ((ctx = mt_ctx_new(NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	test_cases();
	test_append();
	test_max_addresses();
	test_max_comment_depth();
	test_linear();
	test_corpus();
	mt_ctx_free(ctx);
	return t_done("test_addr");
}
