/*
 * test_header.c - splitting the header into fields: every line-end
 * variant, folding, every header anomaly, both caps at ten times their
 * size, and a sweep over the shared corpus.
 */
#include <stdlib.h>

#include "mt.h"
#include "t.h"

#define IN(s) s, sizeof(s) - 1
#define ALL ((size_t)-1)	/* hdr_len: the whole input */

static struct mt_ctx *ctx;

/* esc - append s to buf with control and 8-bit bytes as \xNN. */
static size_t
esc(char *buf, size_t o, size_t len, struct mt_str s)
{
	size_t i;

	for (i = 0; i < s.len && o + 5 < len; i++) {
		unsigned char ch = (unsigned char)s.p[i];

		if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return o;
}

/* fields - the fields of m as "@offset name=value|...". */
static const char *
fields(const struct mt_msg *m, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < m->fields.n && o + 32 < len; i++) {
		const struct mt_field *f = &m->fields.v[i];

		o += (size_t)snprintf(buf + o, len - o, "%s@%llu ",
		    i ? "|" : "", (unsigned long long)f->offset);
		o = esc(buf, o, len, f->name);
		if (o + 2 < len)
			buf[o++] = '=';
		o = esc(buf, o, len, f->value);
	}
	return buf;
}

/* invariants - what holds for every field of every header. */
static void
invariants(const char *name, const struct mt_msg *m)
{
	size_t i;

	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];

		T_INT(name, "index", f->index, i);
		T_TRUE(name, "raw in header", f->raw.p >= m->hdr &&
		    f->raw.p + f->raw.len <= m->hdr + m->hdr_len);
		T_INT(name, "offset is raw", f->offset,
		    (uint64_t)(f->raw.p - m->hdr));
		T_TRUE(name, "name starts raw", f->name.p == f->raw.p);
		T_TRUE(name, "raw has no final line end", f->raw.len == 0 ||
		    (f->raw.p[f->raw.len - 1] != '\n' &&
		    f->raw.p[f->raw.len - 1] != '\r'));
		T_TRUE(name, "raw within cap", f->raw.len <= MT_MAX_FIELD_LEN);
		T_TRUE(name, "value NUL-terminated",
		    f->value.p[f->value.len] == '\0');
		T_TRUE(name, "value trimmed", f->value.len == 0 ||
		    (f->value.p[0] != ' ' && f->value.p[0] != '\t' &&
		    f->value.p[f->value.len - 1] != ' ' &&
		    f->value.p[f->value.len - 1] != '\t'));
		T_TRUE(name, "value unfolded",
		    memchr(f->value.p, '\n', f->value.len) == NULL &&
		    memchr(f->value.p, '\r', f->value.len) == NULL);
		T_TRUE(name, "value offset inside",
		    f->value_offset >= f->offset &&
		    f->value_offset <= f->offset + f->raw.len);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	bool nosep;		/* the splitter found no blank line */
	const char *fields;
	const char *an;
	size_t hdr_len;
} cases[] = {
	/* Line ends. */
	{ "LF", IN("From: a@b\nTo: c@d\nSubject: hi\n\nbody\n"), false,
	    "@0 From=a@b|@10 To=c@d|@18 Subject=hi", "", 31 },
	{ "CRLF", IN("From: a@b\r\nTo: c@d\r\n\r\nbody\r\n"), false,
	    "@0 From=a@b|@11 To=c@d", "", 22 },
	{ "lone CR", IN("From: a@b\rTo: c@d\r\rbody\r"), false,
	    "@0 From=a@b|@10 To=c@d", "BARE_CR@9", 19 },
	{ "mixed", IN("From: a@b\r\nTo: c@d\nCc: e\r\n\r\n"), false,
	    "@0 From=a@b|@11 To=c@d|@19 Cc=e", "MIXED_LINE_ENDINGS@18", ALL },
	{ "mixed with a lone CR", IN("From: a@b\nTo: c@d\rCc: e\n\n"), false,
	    "@0 From=a@b|@10 To=c@d|@18 Cc=e",
	    "BARE_CR@17 MIXED_LINE_ENDINGS@17", ALL },
	{ "CR CR LF: the CRLF is an empty line",
	    IN("Subject: x\r\r\nTo: y\r\n\r\n"), false, "@0 Subject=x",
	    "BARE_CR@10 MIXED_LINE_ENDINGS@11", 13 },
	{ "no trailing line end", IN("From: a@b\nSubject: x"), false,
	    "@0 From=a@b|@10 Subject=x", "", ALL },
	{ "no blank line, header only", IN("From: a@b\r\nSubject: x\r\n"), false,
	    "@0 From=a@b|@11 Subject=x", "", ALL },
	{ "no blank line before the body",
	    IN("From: a\nSubject: x\nThis is the body.\nMore: text\n"), true,
	    "@0 From=a|@8 Subject=x", "", 19 },
	{ "no blank line, body line starts with WSP",
	    IN("From: a\n  still from\nbody\n"), true, "@0 From=a  still from",
	    "", 21 },
	{ "same input read as one header",
	    IN("From: a\nSubject: x\nThis is the body.\nMore: text\n"), false,
	    "@0 From=a|@8 Subject=x|@37 More=text", "LINE_WITHOUT_COLON@19",
	    ALL },
	{ "NUL bytes", IN("Subject: a\0b\nTo: x\0\0y\n\n"), false,
	    "@0 Subject=a\\x00b|@13 To=x\\x00\\x00y",
	    "NUL_BYTE@10 NUL_BYTE@18", ALL },
	{ "empty input", IN(""), false, "", "NO_HEADER@0", 0 },
	{ "blank first line", IN("\nFrom: a\n"), false, "", "NO_HEADER@0", 1 },
	/* Folding (RFC 5322 2.2.3): line breaks go, WSP stays. */
	{ "folded", IN("Subject: line one\r\n line two\r\n\tline three\r\n"
	    "To: x\r\n\r\n"), false,
	    "@0 Subject=line one line two\\x09line three|@43 To=x", "", ALL },
	{ "folded LF", IN("Received: from a\n\tby b\n    with SMTP; Tue, 18 Mar "
	    "2003 14:00:00 -0800\n\n"), false,
	    "@0 Received=from a\\x09by b    with SMTP; Tue, 18 Mar 2003 "
	    "14:00:00 -0800", "", ALL },
	{ "body starts on the next line", IN("Subject:\n  folded start\n\n"),
	    false, "@0 Subject=folded start", "", ALL },
	{ "trimmed", IN("Subject:   hi there \t\n\n"), false,
	    "@0 Subject=hi there", "", ALL },
	{ "line of WSP continues the field", IN("Subject: a\n   \n b\n\n"),
	    false, "@0 Subject=a    b", "", ALL },
	{ "colon in the value", IN("Date: Tue, 18 Mar 2003 14:00:00 -0800\n"),
	    false, "@0 Date=Tue, 18 Mar 2003 14:00:00 -0800", "", ALL },
	{ "no space after the colon", IN("X-Mailer:Outlook Express 6\n"),
	    false, "@0 X-Mailer=Outlook Express 6", "", ALL },
	/* Anomalies. */
	{ "WSP before colon", IN("Subject : x\nTo\t: y\n\n"), false,
	    "@0 Subject=x|@12 To=y",
	    "OBS_WSP_BEFORE_COLON@7 OBS_WSP_BEFORE_COLON@14", ALL },
	{ "empty field name", IN(": x\nTo: y\n"), false, "@0 =x|@4 To=y",
	    "EMPTY_FIELD_NAME@0", ALL },
	{ "empty field", IN("X-Empty:\nCc: \t\nBcc:\n \nTo: y\n"), false,
	    "@0 X-Empty=|@9 Cc=|@15 Bcc=|@22 To=y",
	    "EMPTY_FIELD@0 EMPTY_FIELD@9 EMPTY_FIELD@15", ALL },
	{ "folded first line", IN(" folded\n\tagain\nFrom: a\n"), false,
	    "@15 From=a", "NO_HEADER@0 FOLDED_FIRST_LINE@0", ALL },
	{ "line without colon", IN("From: a\nbogus line\n cont\nTo: b\n"),
	    false, "@0 From=a|@25 To=b", "LINE_WITHOUT_COLON@8", ALL },
	{ "no header", IN("Hello there\nFrom: a\n"), false, "@12 From=a",
	    "NO_HEADER@0 LINE_WITHOUT_COLON@0", ALL },
	{ "no header, no blank line", IN("Hello there\nFrom: a\n"), true, "",
	    "NO_HEADER@0", 0 },
	{ "mbox From line is no field",
	    IN("From tom@alpha.com.cn Tue Mar 18 14:00:00 2003\nSubject: x\n"),
	    false, "@47 Subject=x", "NO_HEADER@0 LINE_WITHOUT_COLON@0", ALL },
	{ "8-bit", IN("Subject: caf\xc3\xa9\nFrom: \xe9t\xe9\n\n"), false,
	    "@0 Subject=caf\\xc3\\xa9|@15 From=\\xe9t\\xe9",
	    "EIGHT_BIT_HEADER@12 EIGHT_BIT_HEADER@21", ALL },
	{ "8-bit on a continuation line", IN("Subject: a\n b\xc3\xa9\n\n"),
	    false, "@0 Subject=a b\\xc3\\xa9", "EIGHT_BIT_HEADER@13", ALL },
	{ "NUL on a continuation line", IN("Subject: a\r\n b\0\r\n\r\n"),
	    false, "@0 Subject=a b\\x00", "NUL_BYTE@14", ALL },
	{ "8-bit in a name is no field", IN("Subj\xe9" "ct: x\nTo: y\n"), false,
	    "@11 To=y", "NO_HEADER@0 LINE_WITHOUT_COLON@0", ALL },
	/* Seed article's header. */
	{ "seed", IN("Received: from mail.alpha.com.cn (mail.alpha.com.cn "
	    "[202.108.255.78])\n\tby mail.sina.com (8.12.5/8.12.5) with ESMTP "
	    "id LAA20869\n\tfor <betty@sina.com>; Tue, 18 Mar 2003 14:20:24 "
	    "-0800 (PST)\nFrom: tom@alpha.com.cn (Tom Lee)\nTo: betty@sina.com\n"
	    "Subject: =?GB2312?B?w/fM7LfFvNk/?=\n\n"), false,
	    "@0 Received=from mail.alpha.com.cn (mail.alpha.com.cn "
	    "[202.108.255.78])\\x09by mail.sina.com (8.12.5/8.12.5) with ESMTP "
	    "id LAA20869\\x09for <betty@sina.com>; Tue, 18 Mar 2003 14:20:24 "
	    "-0800 (PST)|@188 From=tom@alpha.com.cn (Tom Lee)"
	    "|@221 To=betty@sina.com|@240 Subject==?GB2312?B?w/fM7LfFvNk/?=",
	    "", ALL },
};

/* test_cases - the table above. */
static void
test_cases(void)
{
	static char fb[8192], ab[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);

		m->no_body_separator = cases[i].nosep;
		T_INT(cases[i].name, "return",
		    mt_hdr_parse(m, cases[i].in, cases[i].len), 0);
		T_STR(cases[i].name, "fields", fields(m, fb, sizeof(fb)),
		    cases[i].fields);
		T_STR(cases[i].name, "anomalies", t_anomalies(m, ab, sizeof(ab)),
		    cases[i].an);
		T_INT(cases[i].name, "hdr_len", m->hdr_len,
		    cases[i].hdr_len == ALL ? cases[i].len : cases[i].hdr_len);
		T_TRUE(cases[i].name, "hdr copied", m->hdr != NULL &&
		    m->hdr != cases[i].in &&
		    memcmp(m->hdr, cases[i].in, m->hdr_len) == 0);
		invariants(cases[i].name, m);
		mt_msg_free(m);
	}
}

/* test_details - raw text, value offsets, find and count, and that the
 * caller's buffer may go away. */
static void
test_details(void)
{
	static const char in[] = "Received: a\r\n b\r\nreceived: c\r\n"
	    "Subject:\r\n  x\r\nRECEIVED: d\r\nFrom: e\r\n\r\n";
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);
	const struct mt_field *f;
	char *copy = malloc(sizeof(in));

	if (m == NULL || copy == NULL)
		abort();
	memcpy(copy, in, sizeof(in));
	T_INT("details", "return", mt_hdr_parse(m, copy, sizeof(in) - 1), 0);
	memset(copy, 'Z', sizeof(in));
	free(copy);	/* everything lives in the message now */
	T_INT("details", "fields", m->fields.n, 5);
	T_INT("details", "count received", mt_hdr_count(m, "Received"), 3);
	T_INT("details", "count none", mt_hdr_count(m, "Cc"), 0);
	f = mt_hdr_find(m, "RECEIVED");
	T_TRUE("details", "find", f != NULL && f->index == 0);
	if (f != NULL) {
		T_INT("details", "raw length", f->raw.len, 15);
		T_TRUE("details", "raw", f->raw.len == 15 &&
		    memcmp(f->raw.p, "Received: a\r\n b", 15) == 0);
		T_STR("details", "value", f->value.p, "a b");
		T_INT("details", "value offset", f->value_offset, 10);
	}
	f = mt_hdr_find(m, "subject");
	T_TRUE("details", "find subject", f != NULL && f->index == 2);
	if (f != NULL) {
		T_STR("details", "subject", f->value.p, "x");
		T_INT("details", "subject value offset", f->value_offset, 42);
		T_INT("details", "subject offset", f->offset, 30);
	}
	f = mt_hdr_find(m, "from");
	T_TRUE("details", "find from", f != NULL && f->name.len == 4 &&
	    memcmp(f->name.p, "From", 4) == 0);
	T_TRUE("details", "find none", mt_hdr_find(m, "Cc") == NULL);
	invariants("details", m);
	mt_msg_free(m);
}

/* big - a malloc'd header of n copies of line, then tail. */
static char *
big(const char *line, size_t n, const char *tail, size_t *len)
{
	size_t ll = strlen(line), tl = strlen(tail), i;
	char *p = malloc(ll * n + tl + 1);

	if (p == NULL)
		abort();
	for (i = 0; i < n; i++)
		memcpy(p + i * ll, line, ll);
	memcpy(p + n * ll, tail, tl + 1);
	*len = ll * n + tl;
	return p;
}

/* test_max_fields - ten times MT_MAX_FIELDS fields, with LF and with lone
 * CR line ends (which must stay linear, too). */
static void
test_max_fields(void)
{
	static const char *const lines[] = { "X-N: v\n", "X-N: v\r" };
	size_t k;

	for (k = 0; k < 2; k++) {
		const char *name = k ? "max fields CR" : "max fields LF";
		struct mt_msg *m = mt_msg_alloc(ctx, NULL);
		size_t len, ll = strlen(lines[k]);
		char *in = big(lines[k], 10 * MT_MAX_FIELDS, "From: late\n",
		    &len);
		char buf[256], want[256];

		T_INT(name, "return", mt_hdr_parse(m, in, len), 0);
		T_INT(name, "fields", m->fields.n, MT_MAX_FIELDS);
		T_INT(name, "last index", m->fields.v[m->fields.n - 1].index,
		    MT_MAX_FIELDS - 1);
		T_TRUE(name, "later fields ignored",
		    mt_hdr_find(m, "From") == NULL);
		T_INT(name, "hdr_len", m->hdr_len, len);
		snprintf(want, sizeof(want), "%sFIELDS_TRUNCATED@%zu",
		    k ? "BARE_CR@6 MIXED_LINE_ENDINGS@" : "",
		    (size_t)MT_MAX_FIELDS * ll);
		if (k)	/* the tail's LF is the mixed one */
			snprintf(want, sizeof(want), "BARE_CR@6 "
			    "FIELDS_TRUNCATED@%zu MIXED_LINE_ENDINGS@%zu",
			    (size_t)MT_MAX_FIELDS * ll, len - 1);
		T_STR(name, "anomalies", t_anomalies(m, buf, sizeof(buf)), want);
		invariants(name, m);
		mt_msg_free(m);
		free(in);
	}
}

/* test_max_field_len - one field ten times MT_MAX_FIELD_LEN long, on one
 * line and folded over many. */
static void
test_max_field_len(void)
{
	size_t len, i;
	char *in, buf[256], want[256];
	struct mt_msg *m;
	const struct mt_field *f;

	/* One line. */
	in = malloc(10 * MT_MAX_FIELD_LEN + 64);
	if (in == NULL)
		abort();
	memcpy(in, "Subject: ", 9);
	memset(in + 9, 'a', 10 * MT_MAX_FIELD_LEN);
	len = 9 + 10 * MT_MAX_FIELD_LEN;
	memcpy(in + len, "\nTo: b\n\n", 8);
	len += 8;
	m = mt_msg_alloc(ctx, NULL);
	T_INT("max field len", "return", mt_hdr_parse(m, in, len), 0);
	T_INT("max field len", "fields", m->fields.n, 2);
	f = mt_hdr_find(m, "Subject");
	T_TRUE("max field len", "subject", f != NULL);
	if (f != NULL) {
		T_INT("max field len", "raw", f->raw.len, MT_MAX_FIELD_LEN);
		T_INT("max field len", "value", f->value.len,
		    MT_MAX_FIELD_LEN - 9);
	}
	f = mt_hdr_find(m, "To");
	T_TRUE("max field len", "next field", f != NULL &&
	    strcmp(f->value.p, "b") == 0);
	snprintf(want, sizeof(want), "FIELD_TRUNCATED@%d", MT_MAX_FIELD_LEN);
	T_STR("max field len", "anomalies", t_anomalies(m, buf, sizeof(buf)), want);
	invariants("max field len", m);
	mt_msg_free(m);
	free(in);

	/* Folded: "Subject: x" then 64-byte continuation lines (CRLF). */
	in = big("\t0123456789012345678901234567890123456789012345678901234567890\r\n",
	    10 * MT_MAX_FIELD_LEN / 64, "To: b\r\n\r\n", &len);
	m = mt_msg_alloc(ctx, NULL);
	{
		char *full = malloc(len + 13);

		if (full == NULL)
			abort();
		memcpy(full, "Subject: x\r\n", 12);
		memcpy(full + 12, in, len + 1);
		free(in);
		in = full;
		len += 12;
	}
	T_INT("max field len folded", "return", mt_hdr_parse(m, in, len), 0);
	T_INT("max field len folded", "fields", m->fields.n, 2);
	f = mt_hdr_find(m, "Subject");
	T_TRUE("max field len folded", "subject", f != NULL &&
	    f->raw.len <= MT_MAX_FIELD_LEN && f->raw.len > MT_MAX_FIELD_LEN - 64);
	if (f != NULL)
		for (i = 0; i < f->value.len; i++)
			if (f->value.p[i] == '\r' || f->value.p[i] == '\n')
				break;
	T_TRUE("max field len folded", "unfolded",
	    f != NULL && i == f->value.len);
	T_TRUE("max field len folded", "next field",
	    mt_hdr_find(m, "To") != NULL);
	snprintf(want, sizeof(want), "FIELD_TRUNCATED@%d", MT_MAX_FIELD_LEN);
	T_STR("max field len folded", "anomalies", t_anomalies(m, buf, sizeof(buf)),
	    want);
	invariants("max field len folded", m);
	mt_msg_free(m);
	free(in);
}

/* test_max_anomalies - ten times MT_MAX_ANOMALIES broken lines: the list
 * is capped, the rest counted. */
static void
test_max_anomalies(void)
{
	size_t len;
	char *in = big("no colon here\n", 10 * MT_MAX_ANOMALIES, "To: b\n",
	    &len);
	struct mt_msg *m = mt_msg_alloc(ctx, NULL);

	T_INT("max anomalies", "return", mt_hdr_parse(m, in, len), 0);
	T_INT("max anomalies", "kept", m->anomalies.n, MT_MAX_ANOMALIES);
	T_INT("max anomalies", "last", m->anomalies.v[MT_MAX_ANOMALIES - 1].code,
	    MT_AN_ANOMALIES_TRUNCATED);
	T_TRUE("max anomalies", "dropped", m->anomalies_dropped > 0);
	T_TRUE("max anomalies", "field after", mt_hdr_find(m, "To") != NULL);
	mt_msg_free(m);
	free(in);
}

/* test_corpus - every message of the shared corpus splits into fields
 * with the invariants above, a From and no NO_HEADER. */
static void
test_corpus(void)
{
	static const char *const files[] = { "phishing_pot.mbox",
	    "spamassassin.mbox", "linux_man.mbox" };
	size_t f, msgs = 0, nofrom = 0, fieldc = 0;

	for (f = 0; f < 3; f++) {
		char path[1024], *data, *p, *end, *next;
		size_t size;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[f]);
		if ((data = t_slurp(path, &size)) == NULL) {
			printf("corpus %s: skipped\n", files[f]);
			continue;
		}
		end = data + size;
		/* mbox: each message follows a "From " line. */
		for (p = data; p < end; p = next) {
			struct mt_msg *m;
			char *nl = memchr(p, '\n', (size_t)(end - p)), *q;

			if (nl == NULL)
				break;
			p = nl + 1;	/* past the "From " line */
			for (q = p; (q = memchr(q, '\n', (size_t)(end - q))) !=
			    NULL; q++)
				if (end - q > 5 && memcmp(q + 1, "From ", 5) == 0)
					break;
			next = q != NULL ? q + 1 : end;
			m = mt_msg_alloc(ctx, NULL);
			T_INT("corpus", "return",
			    mt_hdr_parse(m, p, (size_t)(next - p)), 0);
			invariants("corpus", m);
			T_TRUE("corpus", "header found", m->fields.n > 0);
			if (mt_hdr_find(m, "From") == NULL)
				nofrom++;
			fieldc += m->fields.n;
			msgs++;
			mt_msg_free(m);
		}
		free(data);
	}
	if (msgs > 0) {
		printf("corpus: %zu messages, %zu fields, %zu without From\n",
		    msgs, fieldc, nofrom);
		T_INT("corpus", "messages", msgs, 1523);
		T_TRUE("corpus", "From", nofrom * 100 < msgs);
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
	test_details();
	test_max_fields();
	test_max_field_len();
	test_max_anomalies();
	test_corpus();
	mt_ctx_free(ctx);
	return t_done("test_header");
}
