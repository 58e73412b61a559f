/*
 * test_mime.c - RFC 2047 decoding of unstructured header text: every
 * charset mail really uses, joined runs, malformed words, raw 8-bit text,
 * the encoded-word cap, and a sweep over the shared corpus.
 */
#include <stdlib.h>

#include "mime.h"
#include "mt.h"
#include "t.h"

#define OFF 100		/* the value's offset in the message */
#define IN(s) s, sizeof(s) - 1

static struct mt_ctx *ctx;

/* sane - the decoder's promise: valid UTF-8, no NUL, NUL-terminated. */
static void
sane(const char *name, struct mt_str r)
{
	T_TRUE(name, "not null", r.p != NULL);
	if (r.p == NULL)
		return;
	T_TRUE(name, "valid UTF-8", mt_utf8_valid(r.p, r.len));
	T_TRUE(name, "no NUL inside", memchr(r.p, '\0', r.len) == NULL);
	T_TRUE(name, "NUL-terminated", r.p[r.len] == '\0');
}

/* Real encoded text in every charset that must work: the same words
 * encoded with B and with Q (made with a reference encoder). */
static const struct {
	const char *name, *in, *want;
} charsets[] = {
	{ "UTF-8 B", "=?UTF-8?B?R8O8bnRoZXIgTm9hY2s=?=", "Günther Noack" },
	{ "UTF-8 Q", "=?UTF-8?Q?G=C3=BCnther_Noack?=", "Günther Noack" },
	{ "GB2312 B", "=?GB2312?B?w/fM7LfFvNk/?=", "明天放假?" },
	{ "GB2312 Q", "=?GB2312?Q?=C3=F7=CC=EC=B7=C5=BC=D9=3F?=", "明天放假?" },
	{ "GBK B", "=?GBK?B?1uzpRrv519zA7Q==?=", "朱镕基总理" },
	{ "GBK Q", "=?GBK?Q?=D6=EC=E9F=BB=F9=D7=DC=C0=ED?=", "朱镕基总理" },
	{ "GB18030 B", "=?GB18030?B?lTKCNrq619ai4w==?=", "𠀀汉字€" },
	{ "GB18030 Q", "=?GB18030?Q?=952=826=BA=BA=D7=D6=A2=E3?=", "𠀀汉字€" },
	{ "Big5 B", "=?Big5?B?wWPF6aSkpOU=?=", "繁體中文" },
	{ "Big5 Q", "=?Big5?Q?=C1c=C5=E9=A4=A4=A4=E5?=", "繁體中文" },
	{ "ISO-8859-1 B", "=?ISO-8859-1?B?Q2Fm6SBCYXN0aWVuIFJvdWNhcmnocw==?=",
	    "Café Bastien Roucariès" },
	{ "ISO-8859-1 Q", "=?ISO-8859-1?Q?Caf=E9_Bastien_Roucari=E8s?=",
	    "Café Bastien Roucariès" },
	{ "ISO-8859-2 B", "=?ISO-8859-2?B?WmG/87PmIGfqtmyxIGphvPE=?=",
	    "Zażółć gęślą jaźń" },
	{ "ISO-8859-2 Q", "=?ISO-8859-2?Q?Za=BF=F3=B3=E6_g=EA=B6l=B1_ja=BC=F1?=",
	    "Zażółć gęślą jaźń" },
	{ "ISO-8859-5 B", "=?ISO-8859-5?B?v+DY0tXi?=", "Привет" },
	{ "ISO-8859-5 Q", "=?ISO-8859-5?Q?=BF=E0=D8=D2=D5=E2?=", "Привет" },
	{ "ISO-8859-7 B", "=?ISO-8859-7?B?yuHr5+zd8eE=?=", "Καλημέρα" },
	{ "ISO-8859-7 Q", "=?ISO-8859-7?Q?=CA=E1=EB=E7=EC=DD=F1=E1?=",
	    "Καλημέρα" },
	{ "ISO-8859-9 B", "=?ISO-8859-9?B?3mn+bGkg3XN0YW5idWw=?=",
	    "Şişli İstanbul" },
	{ "ISO-8859-9 Q", "=?ISO-8859-9?Q?=DEi=FEli_=DDstanbul?=",
	    "Şişli İstanbul" },
	{ "ISO-8859-15 B", "=?ISO-8859-15?B?UHJpeCAxMKQgvXV2cmU=?=",
	    "Prix 10€ œuvre" },
	{ "ISO-8859-15 Q", "=?ISO-8859-15?Q?Prix_10=A4_=BDuvre?=",
	    "Prix 10€ œuvre" },
	{ "windows-1250 B", "=?windows-1250?B?UPjtbGmaIJ5sdZ1vdehr/SBr+fI=?=",
	    "Příliš žluťoučký kůň" },
	{ "windows-1250 Q",
	    "=?windows-1250?Q?P=F8=EDli=9A_=9Elu=9Dou=E8k=FD_k=F9=F2?=",
	    "Příliš žluťoučký kůň" },
	{ "windows-1251 B", "=?windows-1251?B?z/Do4uXyIOzo8A==?=",
	    "Привет мир" },
	{ "windows-1251 Q", "=?windows-1251?Q?=CF=F0=E8=E2=E5=F2_=EC=E8=F0?=",
	    "Привет мир" },
	{ "windows-1252 B",
	    "=?windows-1252?B?k0dldCBTdHJhaWdodCBUZWV0aJQgliCANQ==?=",
	    "“Get Straight Teeth” – €5" },
	{ "windows-1252 Q", "=?windows-1252?Q?=93Get_Straight_Teeth=94_=96_=805?=",
	    "“Get Straight Teeth” – €5" },
	{ "windows-1253 B", "=?windows-1253?B?xevr5+3p6tw=?=", "Ελληνικά" },
	{ "windows-1253 Q", "=?windows-1253?Q?=C5=EB=EB=E7=ED=E9=EA=DC?=",
	    "Ελληνικά" },
	{ "windows-1254 B", "=?windows-1254?B?R/xuZf4g8CD9?=", "Güneş ğ ı" },
	{ "windows-1254 Q", "=?windows-1254?Q?G=FCne=FE_=F0_=FD?=", "Güneş ğ ı" },
	{ "windows-1255 B", "=?windows-1255?B?+ezl7SDy5ezt?=", "שלום עולם" },
	{ "windows-1255 Q", "=?windows-1255?Q?=F9=EC=E5=ED_=F2=E5=EC=ED?=",
	    "שלום עולם" },
	{ "windows-1256 B", "=?windows-1256?B?49HNyMcgyMfh2sfh4w==?=",
	    "مرحبا بالعالم" },
	{ "windows-1256 Q",
	    "=?windows-1256?Q?=E3=D1=CD=C8=C7_=C8=C7=E1=DA=C7=E1=E3?=",
	    "مرحبا بالعالم" },
	{ "windows-1257 B", "=?windows-1257?B?Qehp+yBS7mdh?=", "Ačiū Rīga" },
	{ "windows-1257 Q", "=?windows-1257?Q?A=E8i=FB_R=EEga?=", "Ačiū Rīga" },
	{ "windows-1258 B", "=?windows-1258?B?Q+AgcGjq?=", "Cà phê" },
	{ "windows-1258 Q", "=?windows-1258?Q?C=E0_ph=EA?=", "Cà phê" },
	{ "KOI8-R B", "=?KOI8-R?B?8NLJ18XUIM3J0g==?=", "Привет мир" },
	{ "KOI8-R Q", "=?KOI8-R?Q?=F0=D2=C9=D7=C5=D4_=CD=C9=D2?=", "Привет мир" },
	{ "KOI8-U B", "=?KOI8-U?B?9cvSwafOwSCnpw==?=", "Україна її" },
	{ "KOI8-U Q", "=?KOI8-U?Q?=F5=CB=D2=C1=A7=CE=C1_=A7=A7?=", "Україна її" },
	{ "Shift_JIS B", "=?Shift_JIS?B?k/qWe4zqgsyDZYNYg2c=?=",
	    "日本語のテスト" },
	{ "Shift_JIS Q", "=?Shift_JIS?Q?=93=FA=96=7B=8C=EA=82=CC=83e=83X=83g?=",
	    "日本語のテスト" },
	{ "EUC-JP B", "=?EUC-JP?B?xvzL3LjspM6lxqW5pcg=?=", "日本語のテスト" },
	{ "EUC-JP Q", "=?EUC-JP?Q?=C6=FC=CB=DC=B8=EC=A4=CE=A5=C6=A5=B9=A5=C8?=",
	    "日本語のテスト" },
	{ "ISO-2022-JP B", "=?ISO-2022-JP?B?GyRCRnxLXDhsJE4lRiU5JUgbKEI=?=",
	    "日本語のテスト" },
	{ "ISO-2022-JP Q",
	    "=?ISO-2022-JP?Q?=1B=24BF=7CK=5C8l=24N=25F=259=25H=1B=28B?=",
	    "日本語のテスト" },
	{ "EUC-KR B", "=?EUC-KR?B?vsiz58fPvLy/5A==?=", "안녕하세요" },
	{ "EUC-KR Q", "=?EUC-KR?Q?=BE=C8=B3=E7=C7=CF=BC=BC=BF=E4?=", "안녕하세요" },
	/* Aliases mail uses for the same charsets. */
	{ "gb2312 lower case", "=?gb2312?b?w/fM7LfFvNk/?=", "明天放假?" },
	{ "ks_c_5601-1987", "=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=",
	    "안녕하세요" },
	{ "utf8 without dash", "=?utf8?q?caf=C3=A9?=", "café" },
};

/* Decoding cases: value, fallback charset, result, anomalies. */
static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *fb;
	const char *want;
	const char *an;
} cases[] = {
	{ "plain ASCII", IN("Re: hello world"), NULL, "Re: hello world", "" },
	{ "empty", IN(""), NULL, "", "" },
	/* The seed article's subject, a character split across words. */
	{ "seed GB2312 B split", IN("=?GB2312?B?w/fM?= =?GB2312?B?7LfFvNk/?="),
	    NULL, "明天放假?", "" },
	{ "seed GB2312 Q split",
	    IN("=?GB2312?Q?=C3=F7=CC=EC=B7?= =?gb2312?Q?=C5=BC=D9=3F?="), NULL,
	    "明天放假?", "" },
	{ "seed GB2312 B then Q split",
	    IN("=?GB2312?B?w/fM?=\t=?gb2312?Q?=EC=B7=C5=BC=D9=3F?="), NULL,
	    "明天放假?", "" },
	{ "UTF-8 B split inside a character",
	    IN("=?UTF-8?B?R8O8bnRoZXIg5g==?= =?UTF-8?B?l6XmnKw=?="), NULL,
	    "Günther 日本", "" },
	{ "folded white space between words",
	    IN("=?utf-8?q?a?=\r\n =?utf-8?q?b?="), NULL, "ab", "" },
	{ "space between word and text kept",
	    IN("=?utf-8?q?a?= b =?utf-8?q?c?="), NULL, "a b c", "" },
	{ "different charsets side by side",
	    IN("=?iso-8859-1?q?caf=E9?= =?utf-8?q?_=E2=82=AC?="), NULL,
	    "café €", "" },
	{ "lower-case b and q", IN("=?utf-8?b?w6k=?= =?utf-8?q?=C3=A9?="),
	    NULL, "éé", "" },
	{ "RFC 2231 language", IN("=?US-ASCII*EN?Q?Keith_Moore?="), NULL,
	    "Keith Moore", "" },
	{ "not separated from text", IN("abc=?utf-8?q?x?=def"), NULL,
	    "abcxdef", "" },
	{ "base64 without padding", IN("=?utf-8?b?QQ?= =?utf-8?b?QUI?="), NULL,
	    "AAB", "" },
	{ "spaces inside a Q word",
	    IN("=?UTF-8?Q? \"Miko=C5=82aj_Fiodorczyk\" ?="), NULL,
	    " \"Mikołaj Fiodorczyk\" ", "" },
	{ "empty encoded text", IN("a =?utf-8?q?\?= b"), NULL, "a  b", "" },
	{ "=? that is no encoded word", IN("a =? b =?? c"), NULL,
	    "a =? b =?? c", "" },
	/* Malformed words stay as written. */
	{ "bad base64", IN("x =?utf-8?b?QQ!!?= y"), NULL, "x =?utf-8?b?QQ!!?= y",
	    "ENCODED_WORD_MALFORMED@102" },
	{ "base64 data after padding", IN("=?utf-8?b?QQ==QQ==?="), NULL,
	    "=?utf-8?b?QQ==QQ==?=", "ENCODED_WORD_MALFORMED@100" },
	{ "base64 one digit too many", IN("=?utf-8?b?QUFBQ?="), NULL,
	    "=?utf-8?b?QUFBQ?=", "ENCODED_WORD_MALFORMED@100" },
	{ "missing ?=", IN("=?utf-8?q?abc def"), NULL, "=?utf-8?q?abc def",
	    "ENCODED_WORD_MALFORMED@100" },
	{ "missing ?= does not swallow the next word",
	    IN("=?utf-8?q?abc =?utf-8?q?d?="), NULL, "=?utf-8?q?abc d",
	    "ENCODED_WORD_MALFORMED@100" },
	{ "unknown encoding letter", IN("=?utf-8?x?abc?="), NULL,
	    "=?utf-8?x?abc?=", "ENCODED_WORD_MALFORMED@100" },
	{ "cut after the charset", IN("=?utf-8?"), NULL, "=?utf-8?",
	    "ENCODED_WORD_MALFORMED@100" },
	{ "empty charset", IN("=?*en?q?a?="), NULL, "=?*en?q?a?=",
	    "ENCODED_WORD_MALFORMED@100" },
	{ "bad Q escape", IN("=?utf-8?q?a=ZZ?="), NULL, "=?utf-8?q?a=ZZ?=",
	    "ENCODED_WORD_MALFORMED@100" },
	{ "unknown charset", IN("Re: =?x-unknown?q?abc?= ok"), NULL,
	    "Re: =?x-unknown?q?abc?= ok", "ENCODED_WORD_CHARSET@104" },
	{ "charset with a suffix refused", IN("=?utf-16//IGNORE?q?a?="), NULL,
	    "=?utf-16//IGNORE?q?a?=", "" },
	{ "malformed between good words keeps spaces",
	    IN("=?utf-8?q?a?= =?utf-8?b?!?= =?utf-8?q?b?="), NULL,
	    "a =?utf-8?b?!?= b", "ENCODED_WORD_MALFORMED@114" },
	{ "bad UTF-8 inside a UTF-8 word", IN("=?utf-8?q?a=FFb?="), NULL,
	    "a\xef\xbf\xbd" "b", "INVALID_UTF8@100" },
	{ "NUL inside a word", IN("=?utf-8?q?a=00b?="), NULL,
	    "a\xef\xbf\xbd" "b", "INVALID_UTF8@100" },
	{ "byte that is no GB18030", IN("=?gb2312?q?=C3=F7=FF?="), NULL,
	    "明\xef\xbf\xbd", "INVALID_UTF8@100" },
	/* Raw 8-bit text outside encoded words. */
	{ "raw UTF-8 kept", IN("Nachricht f\xc3\xbcr dich!"), NULL,
	    "Nachricht für dich!", "" },
	{ "raw Latin-1 without fallback", IN("caf\xe9!"), NULL,
	    "caf\xef\xbf\xbd!", "INVALID_UTF8@103" },
	{ "raw Latin-1 with fallback", IN("caf\xe9!"), "iso-8859-1", "café!",
	    "" },
	{ "raw GB2312 with fallback",
	    IN("\xc3\xf7\xcc\xec\xb7\xc5\xbc\xd9?"), "gb2312", "明天放假?", "" },
	{ "raw KOI8-R with fallback", IN("\xf0\xd2\xc9\xd7\xc5\xd4"), "koi8-r",
	    "Привет", "" },
	{ "raw ISO-2022-JP with fallback", IN("\x1b$BF|K\\8l\x1b(B"),
	    "iso-2022-jp", "日本語", "" },
	{ "raw UTF-8 kept despite fallback", IN("f\xc3\xbcr"), "iso-8859-1",
	    "für", "" },
	{ "unknown fallback", IN("caf\xe9"), "x-nope", "caf\xef\xbf\xbd",
	    "INVALID_UTF8@103" },
	{ "NUL byte", IN("a\0b"), NULL, "a\xef\xbf\xbd" "b", "INVALID_UTF8@101" },
	{ "raw and encoded mixed",
	    IN("Re: caf\xe9 =?utf-8?q?=E2=82=AC?="), "windows-1252", "Re: café €",
	    "" },
	/* Real subjects and names from the shared corpus. */
	{ "corpus GB2312 B", IN("make love tonight =?GB2312?B?w8DFrs28xqw=?="),
	    NULL, "make love tonight 美女图片", "" },
	{ "corpus gb2312 q",
	    IN("=?gb2312?q?=C6=FB=B3=B5=A1=A2=BD=BB=CD=A8=D0=D0=D2=B5MBA_?="),
	    NULL, "汽车、交通行业MBA ", "" },
	{ "corpus big5 q", IN("=?big5?Q?=A4=A3=AC=DD=B7|=AB=E1=AE=AC?="),
	    NULL, "不看會後悔", "" },
	{ "corpus windows-1252",
	    IN("=?Windows-1252?Q?ENC:_=93#Get_Straight_#Teeth_from_Home=94?="),
	    NULL, "ENC: “#Get Straight #Teeth from Home”", "" },
	{ "corpus iso-8859-2", IN("=?iso-8859-2?Q?Nurcan_AKG=DCNE=AA?="), NULL,
	    "Nurcan AKGÜNEŞ", "" },
	{ "corpus word glued to text",
	    IN("=?UTF-8?B?8J+SnUFtYXppbmcgcmV3YXJkIHdhaXRpbmcgZm9yIHlvdSBpbnN"
	    "pZGXwn5KdIElEOg==?=jGpjxfGj"), NULL,
	    "💝Amazing reward waiting for you inside💝 ID:jGpjxfGj", "" },
	{ "corpus name with a word and text",
	    IN("Bastien =?ISO-8859-1?Q?Roucari=E8s?="), NULL,
	    "Bastien Roucariès", "" },
};

/* test_charsets - every charset decodes, with B and with Q. */
static void
test_charsets(void)
{
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);
		struct mt_str r = mt_mime_decode(m,
		    mt_str(charsets[i].in, strlen(charsets[i].in)), OFF, NULL);

		sane(charsets[i].name, r);
		T_STR(charsets[i].name, "decoded", r.p, charsets[i].want);
		T_STR(charsets[i].name, "anomalies", t_anomalies(m, buf, sizeof(buf)),
		    "");
		mt_msg_free(m);
	}
}

/* test_cases - the table above. */
static void
test_cases(void)
{
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);
		struct mt_str r = mt_mime_decode(m,
		    mt_str(cases[i].in, cases[i].len), OFF, cases[i].fb);

		sane(cases[i].name, r);
		T_STR(cases[i].name, "decoded", r.p, cases[i].want);
		T_STR(cases[i].name, "anomalies", t_anomalies(m, buf, sizeof(buf)),
		    cases[i].an);
		mt_msg_free(m);
	}
}

/* test_cap - ten times MT_MAX_ENCODED_WORDS words: the first cap words
 * are decoded (and joined), the rest is kept as written. */
static void
test_cap(void)
{
	static const char word[] = "=?utf-8?q?a?= ";
	size_t n = 10 * MT_MAX_ENCODED_WORDS, wl = sizeof(word) - 1, i;
	char *in = malloc(n * wl), *want = malloc(n * wl + 1), buf[256];
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	struct mt_str r;

	if (in == NULL || want == NULL || m == NULL)
		abort();
	for (i = 0; i < n; i++)
		memcpy(in + i * wl, word, wl);
	memset(want, 'a', MT_MAX_ENCODED_WORDS);
	want[MT_MAX_ENCODED_WORDS] = ' ';
	memcpy(want + MT_MAX_ENCODED_WORDS + 1, in + MT_MAX_ENCODED_WORDS * wl,
	    (n - MT_MAX_ENCODED_WORDS) * wl);
	want[MT_MAX_ENCODED_WORDS + 1 + (n - MT_MAX_ENCODED_WORDS) * wl] = '\0';
	r = mt_mime_decode(m, mt_str(in, n * wl), OFF, NULL);
	sane("cap", r);
	T_STR("cap", "decoded", r.p, want);
	snprintf(buf, sizeof(buf), "ENCODED_WORDS_TRUNCATED@%zu",
	    OFF + MT_MAX_ENCODED_WORDS * wl);
	T_STR("cap", "anomalies", t_anomalies(m, buf + 128, 128), buf);
	mt_msg_free(m);
	free(in);
	free(want);
}

/* test_phrase - the display-name helper trims and decodes. */
static void
test_phrase(void)
{
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	struct mt_str r;

	r = mt_mime_decode_phrase(m, MT_STR_LIT("  =?utf-8?q?P=C3=A1draig?= "
	    "Brady  "), OFF);
	sane("phrase", r);
	T_STR("phrase", "decoded", r.p, "Pádraig Brady");
	r = mt_mime_decode_phrase(m, MT_STR_LIT("   "), OFF);
	T_INT("phrase blank", "length", r.len, 0);
	T_STR("phrase blank", "text", r.p, "");
	r = mt_mime_decode_phrase(m, MT_STR_NULL, OFF);
	T_TRUE("phrase null", "null", r.p == NULL);
	r = mt_mime_decode(m, MT_STR_NULL, OFF, NULL);
	T_TRUE("decode null", "null", r.p == NULL);
	mt_msg_free(m);
}

/* test_corpus - every Subject of the shared corpus decodes to valid UTF-8,
 * and no well-formed encoded word is left behind. */
static void
test_corpus(void)
{
	static const char *const files[] = { "phishing_pot.mbox",
	    "spamassassin.mbox", "linux_man.mbox" };
	size_t f, subjects = 0, leftover = 0;

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
		/* Each "Subject:" line with its folds is one value. */
		for (p = data; p < end; p++) {
			struct mt_msg *m;
			struct mt_str r;
			char *e, *v;

			if ((p != data && p[-1] != '\n') ||
			    end - p < 8 || memcmp(p, "Subject:", 8) != 0)
				continue;
			v = p + 8;
			for (e = v; e < end; e++)
				if (*e == '\n' && (e + 1 >= end ||
				    (e[1] != ' ' && e[1] != '\t')))
					break;
			m = mt_msg_alloc(ctx, NULL);
			r = mt_mime_decode(m, mt_str_trim(mt_str(v,
			    (size_t)(e - v))), 0, "windows-1252");
			subjects++;
			sane("corpus subject", r);
			if (mt_str_ifind(r, "?q?") >= 0 ||
			    mt_str_ifind(r, "?b?") >= 0)
				leftover++;
			mt_msg_free(m);
		}
		free(data);
	}
	if (subjects > 0) {
		printf("corpus: %zu subjects, %zu with words left\n", subjects,
		    leftover);
		T_TRUE("corpus", "words left", leftover * 100 < subjects);
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
	test_charsets();
	test_cases();
	test_cap();
	test_phrase();
	test_corpus();
	mt_ctx_free(ctx);
	return t_done("test_mime");
}
