/*
 * rules.c - the rules engine: parse *.rules files (format in
 * rules/README.md), compile their PCRE2 patterns once, and match them
 * against Received lines, hop fields and header fields.
 *
 * This is the only file that includes <pcre2.h>.  Decisions, once:
 *  - Patterns are compiled with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF: a
 *    pattern is UTF-8 text (so "[äö]" and caseless non-ASCII work), while a
 *    subject may hold any bytes (mail does: 8-bit junk, NUL).  With
 *    MATCH_INVALID_UTF an invalid sequence simply matches nothing, where
 *    plain UTF mode would reject the whole subject.  PCRE2_NEVER_BACKSLASH_C
 *    forbids \C, which could split a character.
 *  - Each pattern is JIT-compiled when the library has a JIT; when
 *    pcre2_jit_compile() fails the interpreter is used, silently.
 *  - One pcre2_match_context carries the match, depth and heap limits of
 *    limits.h; one pcre2_match_data, sized for the rule with the most
 *    groups, is reused by every match.  A rule set belongs to one context,
 *    hence one thread, so sharing them is safe.
 *  - A match that hits a limit is no match; it is counted (limit_hits) and,
 *    where a message is at hand, recorded as the anomaly RULE_LIMIT.
 *  - Nothing ever points into match data after a call: hop fields are
 *    copied into the message's arena, match slices point into the subject.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "rules.h"

/* A rules file larger than this is refused: rules are configuration, not
 * data, and a huge one is a mistake (a message file given by error). */
#define RULES_FILE_MAX (16 * 1024 * 1024)

/* JIT stack: PCRE2 starts with 32 KiB on the machine stack; deeply nested
 * patterns get up to JIT_STACK_MAX before failing as a limit hit. */
#define JIT_STACK_MIN (32 * 1024)
#define JIT_STACK_MAX (512 * 1024)

enum kind { K_MTA, K_RECEIVED, K_HOP, K_HEADER, K__COUNT };

static const char *const kind_names[K__COUNT] = {
	"mta", "received", "hop", "header",
};

/* Hop fields a "hop" rule may look at. */
enum hfield {
	HF_HELO, HF_RDNS, HF_IP, HF_BY, HF_RAW, HF_WITH, HF_ID, HF_FOR,
	HF__COUNT
};

static const char *const hfield_names[HF__COUNT] = {
	"helo", "rdns", "ip", "by", "raw", "with", "id", "for",
};

/* Named groups a "received" rule may capture. */
enum grp {
	G_HELO, G_RDNS, G_IP, G_PORT, G_IDENT, G_BY, G_BYIP, G_WITH, G_ID,
	G_FOR, G_DATE, G_ENVFROM, G__COUNT
};

static const char *const grp_names[G__COUNT] = {
	"helo", "rdns", "ip", "port", "ident", "by", "byip", "with", "id",
	"for", "date", "envfrom",
};

enum vkind { V_SCORE, V_LABEL, V_DESC, V_ORG, V_STAMP, V_NOTE, V_AUTHSERV,
    V_ASN };

/* How a "note" line's VALUE matches a field value. */
enum nmode { N_EXACT, N_ANY, N_RANGE, N_SELF };

struct sample {
	char		*text;
	size_t		 len;
	bool		 want;		/* "match:" (true) or "nomatch:" */
	unsigned	 line;
};

struct rule {
	enum kind	 kind;
	char		*name;
	char		*field;		/* hop field or header field name */
	enum hfield	 hf;
	char		*file;
	unsigned	 line;
	uint64_t	 seq;		/* load order, for reports */
	pcre2_code	*code;
	uint32_t	 ncap;		/* capturing groups */
	int		 grp[G__COUNT];	/* group number; 0 none, -1 name
					 * used by several groups (?J) */
	struct sample	*samples;
	size_t		 nsamples, capsamples;
};

struct value {
	enum vkind	 kind;
	char		*id;
	double		 num;
	char		*text;
	char		*file;
	unsigned	 line;
	/* "stamp" lines: st's strings point at these, owned here */
	size_t		 idlen;		/* strlen(id), for a quick lookup */
	struct mt_rules_stamp st;
	char		*hdr, *vendor, *format, *key, *org;
	/* "note" lines: hdr and key (lowercased) and the VALUE */
	char		*val;
	enum nmode	 nmode;
	double		 lo, hi;	/* N_RANGE bounds (inclusive) */
	bool		 has_lo, has_hi;
};

/* Rules and values, in file order; also a file's staging area. */
struct set {
	struct {
		struct rule	*v;
		size_t		 n, cap;
	} pat[K__COUNT];
	struct {
		struct value	*v;
		size_t		 n, cap;
	} val;
};

/* A name -> value table (open addressing, ASCII case-insensitive keys
 * that point into the values of the set it was built from). */
struct lkslot {
	const char	*key;		/* NULL: empty */
	size_t		 len;
	const void	*val;
};

struct lktab {
	struct lkslot	*v;
	size_t		 cap;		/* a power of two, or 0 */
};

struct lookup {
	uint64_t	 gen;		/* r->gen it was built for */
	bool		 built;
	struct lktab	 org;		/* domain -> org id (const char *) */
	struct lktab	 stamp;		/* header -> struct mt_rules_stamp */
};

struct mt_rules {
	struct set		 s;
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jstack;
	pcre2_match_data	*md;
	uint32_t		 md_pairs;
	size_t			 limit_hits;
	size_t			 subject_cuts;
	uint64_t		 seq;		/* rules merged so far */
	char			*scratch;	/* MT_MAX_RULE_SUBJECT bytes */
	bool			 cut;		/* the subject being matched was
						 * cut at MT_MAX_RULE_SUBJECT */
	/* "note" values sorted by (header, key, load order), as indexes
	 * into s.val; rebuilt on first use after a merge */
	size_t			*notes;
	size_t			 nnotes;
	bool			 notes_stale;
	/* "org" domains and "stamp" headers by name, for the lookups the
	 * chain engine and the authentication stage make per hop and per
	 * field; rebuilt on first use after a merge (gen); NULL when out of
	 * memory (the lookups then scan every value) */
	struct lookup		*lk;
	uint64_t		 gen;		/* merges so far */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

static void	setmsg(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* xstrndup - NUL-terminated heap copy of n bytes, or NULL. */
static char *
xstrndup(const char *p, size_t n)
{
	char *d;

	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* grow - make room for one more item of size in *v (n used, *cap). */
static bool
grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return false;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return false;
	*v = nv;
	*cap = ncap;
	return true;
}

/* setmsg - format err (errlen bytes) if there is room. */
static void
setmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* rule_clear - release what a rule owns. */
static void
rule_clear(struct rule *ru)
{
	size_t i;

	free(ru->name);
	free(ru->field);
	free(ru->file);
	pcre2_code_free(ru->code);
	for (i = 0; i < ru->nsamples; i++)
		free(ru->samples[i].text);
	free(ru->samples);
	memset(ru, 0, sizeof(*ru));
}

/* value_clear - release what a value owns. */
static void
value_clear(struct value *v)
{
	free(v->id);
	free(v->text);
	free(v->file);
	free(v->hdr);
	free(v->vendor);
	free(v->format);
	free(v->key);
	free(v->org);
	free(v->val);
	memset(v, 0, sizeof(*v));
}

/* set_clear - release every rule and value of s and the arrays. */
static void
set_clear(struct set *s)
{
	size_t k, i;

	for (k = 0; k < K__COUNT; k++) {
		for (i = 0; i < s->pat[k].n; i++)
			rule_clear(&s->pat[k].v[i]);
		free(s->pat[k].v);
	}
	for (i = 0; i < s->val.n; i++)
		value_clear(&s->val.v[i]);
	free(s->val.v);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                         */
/* ------------------------------------------------------------------ */

/* mt_rules_new - an empty rule set with its match context and limits. */
struct mt_rules *
mt_rules_new(void)
{
	struct mt_rules *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->scratch = malloc(MT_MAX_RULE_SUBJECT)) == NULL ||
	    (r->mctx = pcre2_match_context_create(NULL)) == NULL) {
		free(r->scratch);
		free(r);
		return NULL;
	}
	pcre2_set_match_limit(r->mctx, MT_RULE_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, MT_RULE_DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, MT_RULE_HEAP_LIMIT_KIB);
	/* Without a JIT this returns NULL and the interpreter is used. */
	r->jstack = pcre2_jit_stack_create(JIT_STACK_MIN, JIT_STACK_MAX, NULL);
	if (r->jstack != NULL)
		pcre2_jit_stack_assign(r->mctx, NULL, r->jstack);
	r->lk = calloc(1, sizeof(*r->lk));
	return r;
}

/* mt_rules_free - release a rule set; NULL does nothing. */
void
mt_rules_free(struct mt_rules *r)
{
	if (r == NULL)
		return;
	set_clear(&r->s);
	free(r->notes);
	if (r->lk != NULL) {
		free(r->lk->org.v);
		free(r->lk->stamp.v);
		free(r->lk);
	}
	pcre2_match_data_free(r->md);
	pcre2_jit_stack_free(r->jstack);
	pcre2_match_context_free(r->mctx);
	free(r->scratch);
	free(r);
}

/* mt_rules_count - pattern rules of every kind. */
size_t
mt_rules_count(const struct mt_rules *r)
{
	size_t k, n = 0;

	if (r == NULL)
		return 0;
	for (k = 0; k < K__COUNT; k++)
		n += r->s.pat[k].n;
	return n;
}

/* mt_rules_limit_hits - matches stopped by a PCRE2 limit so far. */
size_t
mt_rules_limit_hits(const struct mt_rules *r)
{
	return r != NULL ? r->limit_hits : 0;
}

/* mt_rules_subject_cuts - subjects cut at MT_MAX_RULE_SUBJECT so far. */
size_t
mt_rules_subject_cuts(const struct mt_rules *r)
{
	return r != NULL ? r->subject_cuts : 0;
}

/* ------------------------------------------------------------------ */
/* Parsing a rules file                                               */
/* ------------------------------------------------------------------ */

struct parse {
	const char	*name;		/* file name for messages */
	struct set	*s;		/* staging set */
	struct rule	*cur;		/* pattern rule taking samples, or NULL */
	enum kind	 cur_kind;
	size_t		 cur_index;
	char		*err;
	size_t		 errlen;
};

static int	fail(struct parse *, unsigned, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* fail - "name:line: message" into the error buffer; returns -1. */
static int
fail(struct parse *ps, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	setmsg(ps->err, ps->errlen, "%s:%u: %s", ps->name, line, msg);
	return -1;
}

/* word - the next run of non-blank bytes (empty at the end). */
static struct mt_str
word(struct mt_cur *c)
{
	size_t start;

	mt_cur_skip(c, MT_C_WSP);
	start = c->pos;
	while (!mt_cur_eof(c) && !mt_is(mt_cur_peek(c), MT_C_WSP))
		c->pos++;
	return mt_str(c->p + start, c->pos - start);
}

/* all_of - 1 to 128 bytes, each of a class in mask. */
static bool
all_of(struct mt_str s, unsigned mask)
{
	size_t i;

	if (s.len == 0 || s.len > 128)
		return false;
	for (i = 0; i < s.len; i++)
		if (!mt_is((unsigned char)s.p[i], mask))
			return false;
	return true;
}

/* is_name - NAME syntax: letters, digits, '_', '.', '-'. */
static bool
is_name(struct mt_str s)
{
	return all_of(s, MT_C_HOST);
}

/* is_field_name - RFC 5322 3.6.8 field-name: printable ASCII but ':'. */
static bool
is_field_name(struct mt_str s)
{
	return all_of(s, MT_C_FTEXT);
}

/*
 * number - a decimal number "-12.5": optional sign, up to 6 integer and 6
 * fraction digits.  Locale-free (strtod would read "2,5" in some locales).
 */
static bool
number(struct mt_str s, double *out)
{
	uint64_t mant = 0, div = 1;
	size_t i = 0, id = 0, fd = 0;
	bool neg = false;

	if (i < s.len && (s.p[i] == '-' || s.p[i] == '+'))
		neg = s.p[i++] == '-';
	for (; i < s.len && mt_is((unsigned char)s.p[i], MT_C_DIGIT); i++) {
		if (++id > 6)
			return false;
		mant = mant * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (id == 0)
		return false;
	if (i < s.len && s.p[i] == '.') {
		for (i++; i < s.len && mt_is((unsigned char)s.p[i], MT_C_DIGIT);
		    i++) {
			if (++fd > 6)
				return false;
			mant = mant * 10 + (uint64_t)(s.p[i] - '0');
			div *= 10;
		}
		if (fd == 0)
			return false;
	}
	if (i != s.len)
		return false;
	*out = (double)mant / (double)div;
	if (neg)
		*out = -*out;
	return true;
}

/* kind_of - the pattern kind named by w, or K__COUNT. */
static enum kind
kind_of(struct mt_str w)
{
	size_t k;

	for (k = 0; k < K__COUNT; k++)
		if (mt_str_eq(w, mt_str(kind_names[k], strlen(kind_names[k]))))
			return (enum kind)k;
	return K__COUNT;
}

/* need_samples - the rule being closed has both kinds of sample. */
static int
need_samples(struct parse *ps)
{
	const struct rule *ru;
	bool yes = false, no = false;
	size_t i;

	if (ps->cur == NULL)
		return 0;
	ru = &ps->s->pat[ps->cur_kind].v[ps->cur_index];
	ps->cur = NULL;
	for (i = 0; i < ru->nsamples; i++) {
		if (ru->samples[i].want)
			yes = true;
		else
			no = true;
	}
	if (!yes)
		return fail(ps, ru->line, "%s %s: missing sample: every pattern "
		    "rule needs a 'match:' line", kind_names[ru->kind], ru->name);
	if (!no)
		return fail(ps, ru->line, "%s %s: missing sample: every pattern "
		    "rule needs a 'nomatch:' line", kind_names[ru->kind],
		    ru->name);
	return 0;
}

/* groups - map a received rule's named groups; unknown names fail. */
static int
groups(struct parse *ps, unsigned line, struct rule *ru)
{
	uint32_t count = 0, size = 0, i;
	PCRE2_SPTR table = NULL;
	bool any = false;

	pcre2_pattern_info(ru->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(ru->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(ru->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;
		int num = (e[0] << 8) | e[1];
		const char *name = (const char *)(e + 2);
		size_t g;

		for (g = 0; g < G__COUNT; g++)
			if (strcmp(name, grp_names[g]) == 0)
				break;
		if (g == G__COUNT)
			return fail(ps, line, "received %s: unknown group "
			    "name (?<%s>...); known: helo rdns ip port ident "
			    "by byip with id for date envfrom", ru->name, name);
		ru->grp[g] = ru->grp[g] == 0 ? num : -1;
		any = true;
	}
	if (!any)
		return fail(ps, line, "received %s: no named group: a received "
		    "rule fills hop fields from groups such as (?<ip>...)",
		    ru->name);
	return 0;
}

/*
 * pattern - read "/PATTERN/FLAGS" at the cursor and compile it into ru.
 * '/' inside the pattern is written "\/" (kept as is: PCRE2 reads "\/" as
 * a literal slash).  Nothing but blanks may follow the flags.
 */
static int
pattern(struct parse *ps, unsigned line, struct mt_cur *c, struct rule *ru)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
	    PCRE2_NEVER_BACKSLASH_C;
	size_t start, end;
	int errcode;
	PCRE2_SIZE erroff;

	mt_cur_skip(c, MT_C_WSP);
	if (mt_cur_peek(c) != '/')
		return fail(ps, line, "%s %s: missing pattern delimiter: "
		    "expected /PATTERN/FLAGS", kind_names[ru->kind], ru->name);
	c->pos++;
	start = c->pos;
	for (;;) {
		int ch = mt_cur_peek(c);

		if (ch < 0)
			return fail(ps, line, "%s %s: missing closing pattern "
			    "delimiter '/' (write a slash inside as \\/)",
			    kind_names[ru->kind], ru->name);
		if (ch == '/')
			break;
		c->pos += (ch == '\\' && mt_cur_peek_at(c, 1) >= 0) ? 2 : 1;
	}
	end = c->pos++;
	if (end == start)
		return fail(ps, line, "%s %s: empty pattern",
		    kind_names[ru->kind], ru->name);
	while (!mt_cur_eof(c) && !mt_is(mt_cur_peek(c), MT_C_WSP)) {
		int ch = mt_cur_peek(c);

		switch (ch) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		case 's': opts |= PCRE2_DOTALL; break;
		case 'm': opts |= PCRE2_MULTILINE; break;
		default:
			if (ch < 0x21 || ch > 0x7e)
				return fail(ps, line, "%s %s: bad flag byte "
				    "0x%02x (flags: i x s m)",
				    kind_names[ru->kind], ru->name, ch);
			return fail(ps, line, "%s %s: unknown flag '%c' "
			    "(flags: i x s m)", kind_names[ru->kind], ru->name,
			    ch);
		}
		c->pos++;
	}
	mt_cur_skip(c, MT_C_WSP);
	if (!mt_cur_eof(c))
		return fail(ps, line, "%s %s: unexpected text after the pattern",
		    kind_names[ru->kind], ru->name);

	ru->code = pcre2_compile((PCRE2_SPTR)(c->p + start), end - start,
	    opts, &errcode, &erroff, NULL);
	if (ru->code == NULL) {
		PCRE2_UCHAR msg[256];

		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", errcode);
		return fail(ps, line, "%s %s: bad pattern at offset %zu: %s",
		    kind_names[ru->kind], ru->name, (size_t)erroff,
		    (const char *)msg);
	}
	/* JIT when available; on failure the interpreter runs it. */
	(void)pcre2_jit_compile(ru->code, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(ru->code, PCRE2_INFO_CAPTURECOUNT, &ru->ncap);
	if (ru->kind == K_RECEIVED)
		return groups(ps, line, ru);
	return 0;
}

/* pattern_line - "mta|received NAME /P/F", "hop NAME FIELD /P/F",
 * "header NAME FIELD-NAME /P/F". */
static int
pattern_line(struct parse *ps, unsigned line, enum kind k, struct mt_cur *c)
{
	struct set *s = ps->s;
	struct mt_str name, field = MT_STR_NULL;
	struct rule *ru;
	size_t f;

	name = word(c);
	if (name.len == 0)
		return fail(ps, line, "%s: missing NAME", kind_names[k]);
	if (!is_name(name))
		return fail(ps, line, "%s: bad NAME '%.*s' (letters, digits, "
		    "'_', '.', '-')", kind_names[k], (int)name.len, name.p);
	if (k == K_HOP || k == K_HEADER) {
		field = word(c);
		if (field.len == 0)
			return fail(ps, line, "%s %.*s: missing field name",
			    kind_names[k], (int)name.len, name.p);
	}
	if (!grow((void **)&s->pat[k].v, s->pat[k].n, &s->pat[k].cap,
	    sizeof(struct rule)))
		return fail(ps, line, "out of memory");
	ru = &s->pat[k].v[s->pat[k].n];
	memset(ru, 0, sizeof(*ru));
	ru->kind = k;
	ru->line = line;
	ru->name = xstrndup(name.p, name.len);
	ru->file = xstrndup(ps->name, strlen(ps->name));
	if (field.p != NULL)
		ru->field = xstrndup(field.p, field.len);
	if (ru->name == NULL || ru->file == NULL ||
	    (field.p != NULL && ru->field == NULL)) {
		rule_clear(ru);
		return fail(ps, line, "out of memory");
	}
	s->pat[k].n++;		/* owned by the set from here on */
	if (k == K_HOP) {
		for (f = 0; f < HF__COUNT; f++)
			if (strcmp(ru->field, hfield_names[f]) == 0)
				break;
		if (f == HF__COUNT)
			return fail(ps, line, "hop %s: unknown hop field '%s' "
			    "(helo, rdns, ip, by, raw, with, id, for)",
			    ru->name, ru->field);
		ru->hf = (enum hfield)f;
	}
	if (k == K_HEADER && !is_field_name(field))
		return fail(ps, line, "header %s: bad field name '%s'",
		    ru->name, ru->field);
	if (pattern(ps, line, c, ru) < 0)
		return -1;
	ps->cur = ru;
	ps->cur_kind = k;
	ps->cur_index = s->pat[k].n - 1;
	return 0;
}

/* value_line - "score ID NUMBER", "label NAME NUMBER",
 * "description ID TEXT", "org NAME DOMAIN...". */
static int
value_line(struct parse *ps, unsigned line, enum vkind vk, struct mt_cur *c)
{
	static const char *const what[] = { "score", "label", "description",
	    "org" };
	struct set *s = ps->s;
	struct mt_str id, arg;
	struct value *v;
	double num = 0;

	id = word(c);
	if (id.len == 0)
		return fail(ps, line, "%s: missing %s", what[vk],
		    vk == V_LABEL ? "NAME" : "ID");
	if (!is_name(id))
		return fail(ps, line, "%s: bad %s '%.*s' (letters, digits, "
		    "'_', '.', '-')", what[vk], vk == V_LABEL ? "NAME" : "ID",
		    (int)id.len, id.p);
	if (vk == V_DESC || vk == V_ORG) {
		mt_cur_skip(c, MT_C_WSP);
		arg = mt_str_trim(mt_cur_rest(c));
		if (arg.len == 0)
			return fail(ps, line, "%s %.*s: missing %s", what[vk],
			    (int)id.len, id.p, vk == V_ORG ? "DOMAIN" : "TEXT");
	} else {
		arg = word(c);
		if (arg.len == 0)
			return fail(ps, line, "%s %.*s: missing NUMBER",
			    what[vk], (int)id.len, id.p);
		if (!number(arg, &num))
			return fail(ps, line, "%s %.*s: bad %s number '%.*s' "
			    "(a decimal such as 2.5)", what[vk], (int)id.len,
			    id.p, what[vk], (int)arg.len, arg.p);
		mt_cur_skip(c, MT_C_WSP);
		if (!mt_cur_eof(c))
			return fail(ps, line, "%s %.*s: unexpected text after "
			    "the number", what[vk], (int)id.len, id.p);
	}
	if (!grow((void **)&s->val.v, s->val.n, &s->val.cap,
	    sizeof(struct value)))
		return fail(ps, line, "out of memory");
	v = &s->val.v[s->val.n];
	memset(v, 0, sizeof(*v));
	v->kind = vk;
	v->num = num;
	v->line = line;
	v->id = xstrndup(id.p, id.len);
	v->file = xstrndup(ps->name, strlen(ps->name));
	if (vk == V_DESC || vk == V_ORG)
		v->text = xstrndup(arg.p, arg.len);
	s->val.n++;
	if (v->id == NULL || v->file == NULL || ((vk == V_DESC ||
	    vk == V_ORG) && v->text == NULL))
		return fail(ps, line, "out of memory");
	return 0;
}

/* xlower - a lowercased heap copy of n bytes, or NULL. */
static char *
xlower(const char *p, size_t n)
{
	char *d = xstrndup(p, n);
	size_t i;

	for (i = 0; d != NULL && i < n; i++)
		d[i] = (char)mt_lower((unsigned char)d[i]);
	return d;
}

/* push_value - a new zeroed value of kind vk in the staging set, with
 * its id (lowercased when fold), file and line; NULL when out of memory. */
static struct value *
push_value(struct parse *ps, unsigned line, enum vkind vk, struct mt_str id,
    bool fold)
{
	struct set *s = ps->s;
	struct value *v;

	if (!grow((void **)&s->val.v, s->val.n, &s->val.cap,
	    sizeof(struct value)))
		return NULL;
	v = &s->val.v[s->val.n++];
	memset(v, 0, sizeof(*v));
	v->kind = vk;
	v->line = line;
	v->id = fold ? xlower(id.p, id.len) : xstrndup(id.p, id.len);
	v->file = xstrndup(ps->name, strlen(ps->name));
	if (v->id == NULL || v->file == NULL)
		return NULL;
	return v;
}

/* is_word - a KEY or VALUE of a note line: printable ASCII, no blank. */
static bool
is_word(struct mt_str s)
{
	size_t i;

	if (s.len == 0 || s.len > 128)
		return false;
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= ' ' || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/*
 * stamp_line - "stamp HEADER VENDOR FORMAT [org=ORG]": the header field
 * HEADER is a spam filter's stamp, written by VENDOR, read as FORMAT
 * (pairs, params, value=KEY, spamassassin, rspamd, presence).
 */
static int
stamp_line(struct parse *ps, unsigned line, struct mt_cur *c)
{
	static const char *const formats[] = { "pairs", "params", "value",
	    "spamassassin", "rspamd", "presence" };
	struct mt_str hdr = word(c), vendor = word(c), fmt = word(c), opt;
	struct mt_str key = MT_STR_NULL, org = MT_STR_NULL;
	struct value *v;
	size_t i;

	if (!is_field_name(hdr))
		return fail(ps, line, "stamp: bad or missing HEADER '%.*s' "
		    "(a header field name)", (int)(hdr.len > 64 ? 64 : hdr.len),
		    hdr.p);
	if (!is_name(vendor))
		return fail(ps, line, "stamp %.*s: bad or missing VENDOR "
		    "(letters, digits, '_', '.', '-')", (int)hdr.len, hdr.p);
	if (fmt.len > 6 && memcmp(fmt.p, "value=", 6) == 0) {
		key = mt_str(fmt.p + 6, fmt.len - 6);
		fmt.len = 5;
		if (!is_word(key))
			return fail(ps, line, "stamp %.*s: value=KEY needs a "
			    "KEY", (int)hdr.len, hdr.p);
	}
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (mt_str_eq(fmt, mt_str(formats[i], strlen(formats[i]))))
			break;
	if (i == sizeof(formats) / sizeof(formats[0]) ||
	    (i == 2 && key.p == NULL))
		return fail(ps, line, "stamp %.*s: bad FORMAT '%.*s' (pairs, "
		    "params, value=KEY, spamassassin, rspamd, presence)",
		    (int)hdr.len, hdr.p, (int)(fmt.len > 64 ? 64 : fmt.len),
		    fmt.p);
	while ((opt = word(c)).len > 0) {
		if (opt.len > 4 && memcmp(opt.p, "org=", 4) == 0 &&
		    org.p == NULL && is_name(mt_str(opt.p + 4, opt.len - 4))) {
			org = mt_str(opt.p + 4, opt.len - 4);
			continue;
		}
		return fail(ps, line, "stamp %.*s: unexpected '%.*s' (only "
		    "org=ORG may follow the FORMAT)", (int)hdr.len, hdr.p,
		    (int)(opt.len > 64 ? 64 : opt.len), opt.p);
	}
	if ((v = push_value(ps, line, V_STAMP, hdr, true)) != NULL)
		v->idlen = hdr.len;
	if (v == NULL ||
	    (v->hdr = xstrndup(hdr.p, hdr.len)) == NULL ||
	    (v->vendor = xstrndup(vendor.p, vendor.len)) == NULL ||
	    (v->format = xstrndup(fmt.p, fmt.len)) == NULL ||
	    (key.p != NULL && (v->key = xstrndup(key.p, key.len)) == NULL) ||
	    (org.p != NULL && (v->org = xlower(org.p, org.len)) == NULL))
		return fail(ps, line, "out of memory");
	v->st.header = v->hdr;
	v->st.vendor = v->vendor;
	v->st.format = v->format;
	v->st.key = v->key;
	v->st.org = v->org;
	return 0;
}

/* range_end - one end of "A..B": empty, or a number. */
static bool
range_end(struct mt_str s, double *out, bool *has)
{
	*has = s.len > 0;
	return s.len == 0 || number(s, out);
}

/*
 * note_line - "note HEADER KEY VALUE TEXT": what a value of a stamp's
 * field means.  VALUE is a token (compared without regard to ASCII case),
 * '*' for any value, "A..B" for a number in a range (either end may be
 * left out); KEY and VALUE "-" make a note on the stamp itself.
 */
static int
note_line(struct parse *ps, unsigned line, struct mt_cur *c)
{
	struct mt_str hdr = word(c), key = word(c), val, text, dots;
	struct value *v;
	char *id;
	size_t n;
	long at;

	mt_cur_skip(c, MT_C_WSP);
	if (mt_cur_peek(c) == '"') {
		/* "a value with blanks" */
		size_t start = ++c->pos;

		while (!mt_cur_eof(c) && mt_cur_peek(c) != '"')
			c->pos++;
		if (mt_cur_eof(c) || c->pos == start)
			return fail(ps, line, "note %.*s: unterminated or empty "
			    "quoted VALUE", (int)hdr.len, hdr.p);
		val = mt_str(c->p + start, c->pos - start);
		c->pos++;
		for (n = 0; n < val.len; n++)
			if ((unsigned char)val.p[n] < ' ' ||
			    (unsigned char)val.p[n] >= 0x7f || val.len > 128)
				return fail(ps, line, "note %.*s: bad quoted "
				    "VALUE", (int)hdr.len, hdr.p);
	} else if (!is_word(val = word(c)))
		val.len = 0;

	if (!is_field_name(hdr))
		return fail(ps, line, "note: bad or missing HEADER '%.*s' (a "
		    "header field name)", (int)(hdr.len > 64 ? 64 : hdr.len),
		    hdr.p);
	if (!is_word(key) || val.len == 0)
		return fail(ps, line, "note %.*s: missing KEY or VALUE",
		    (int)hdr.len, hdr.p);
	mt_cur_skip(c, MT_C_WSP);
	text = mt_str_trim(mt_cur_rest(c));
	if (text.len == 0)
		return fail(ps, line, "note %.*s %.*s %.*s: missing TEXT",
		    (int)hdr.len, hdr.p, (int)key.len, key.p, (int)val.len,
		    val.p);
	if (mt_str_eq(key, MT_STR_LIT("-")) != mt_str_eq(val, MT_STR_LIT("-")))
		return fail(ps, line, "note %.*s: KEY and VALUE are both '-' "
		    "(a note on the stamp itself) or neither is", (int)hdr.len,
		    hdr.p);
	n = hdr.len + key.len + val.len + 3;
	if ((id = malloc(n)) == NULL)
		return fail(ps, line, "out of memory");
	snprintf(id, n, "%.*s %.*s %.*s", (int)hdr.len, hdr.p, (int)key.len,
	    key.p, (int)val.len, val.p);
	v = push_value(ps, line, V_NOTE, mt_str(id, n - 1), true);
	free(id);
	if (v == NULL || (v->hdr = xlower(hdr.p, hdr.len)) == NULL ||
	    (v->key = xlower(key.p, key.len)) == NULL ||
	    (v->val = xstrndup(val.p, val.len)) == NULL ||
	    (v->text = xstrndup(text.p, text.len)) == NULL)
		return fail(ps, line, "out of memory");
	if (mt_str_eq(key, MT_STR_LIT("-")))
		v->nmode = N_SELF;
	else if (mt_str_eq(val, MT_STR_LIT("*")))
		v->nmode = N_ANY;
	else if ((at = mt_str_ifind(val, "..")) >= 0) {
		dots = mt_str(val.p + at + 2, val.len - (size_t)at - 2);
		v->nmode = N_RANGE;
		if (!range_end(mt_str(val.p, (size_t)at), &v->lo, &v->has_lo) ||
		    !range_end(dots, &v->hi, &v->has_hi) ||
		    (!v->has_lo && !v->has_hi))
			return fail(ps, line, "note %.*s %.*s: bad range '%.*s' "
			    "(A..B, A.. or ..B with decimal numbers)",
			    (int)hdr.len, hdr.p, (int)key.len, key.p,
			    (int)val.len, val.p);
	} else
		v->nmode = N_EXACT;
	return 0;
}

/* authserv_line - "authserv ID": an authserv-id the recipient's side
 * owns (RFC 8601 2.5), for Authentication-Results trust. */
static int
authserv_line(struct parse *ps, unsigned line, struct mt_cur *c)
{
	struct mt_str id = word(c);

	if (!is_name(id))
		return fail(ps, line, "authserv: bad or missing ID '%.*s' "
		    "(a host name)", (int)(id.len > 64 ? 64 : id.len), id.p);
	mt_cur_skip(c, MT_C_WSP);
	if (!mt_cur_eof(c))
		return fail(ps, line, "authserv %.*s: unexpected text after "
		    "the ID", (int)id.len, id.p);
	if (push_value(ps, line, V_AUTHSERV, id, true) == NULL)
		return fail(ps, line, "out of memory");
	return 0;
}

/* sample_line - "  match: TEXT" or "  nomatch: TEXT" under a rule. */
static int
sample_line(struct parse *ps, unsigned line, struct mt_cur *c)
{
	struct rule *ru = ps->cur;
	struct sample *sm;
	struct mt_str text;
	bool want;

	mt_cur_skip(c, MT_C_WSP);
	if (mt_cur_tag(c, "match:"))
		want = true;
	else if (mt_cur_tag(c, "nomatch:"))
		want = false;
	else
		return fail(ps, line, "indented line: expected 'match: TEXT' "
		    "or 'nomatch: TEXT' under a pattern rule");
	if (ru == NULL)
		return fail(ps, line, "sample line outside a pattern rule (it "
		    "must follow an mta, received, hop or header line)");
	mt_cur_skip(c, MT_C_WSP);
	text = mt_str_trim(mt_cur_rest(c));
	if (!grow((void **)&ru->samples, ru->nsamples, &ru->capsamples,
	    sizeof(struct sample)))
		return fail(ps, line, "out of memory");
	sm = &ru->samples[ru->nsamples];
	if ((sm->text = xstrndup(text.p, text.len)) == NULL)
		return fail(ps, line, "out of memory");
	sm->len = text.len;
	sm->want = want;
	sm->line = line;
	ru->nsamples++;
	return 0;
}

/*
 * asn_line - "asn ORG NUMBER...": the autonomous systems the operator ORG
 * (an "org" NAME) sends mail from; kept as the numbers, ' '-separated.
 */
static int
asn_line(struct parse *ps, unsigned line, struct mt_cur *c)
{
	struct mt_str org = word(c), num;
	struct value *v;
	char *text = NULL;
	size_t len = 0;

	if (org.len == 0 || !is_name(org))
		return fail(ps, line, "asn: missing or bad ORG (letters, "
		    "digits, '_', '.', '-')");
	while ((num = word(c)).len > 0) {
		uint64_t n;
		char *t;

		if (!mt_parse_u64(num, UINT32_MAX, &n)) {
			free(text);
			return fail(ps, line, "asn %.*s: bad AS number '%.*s' "
			    "(0-4294967295)", (int)org.len, org.p,
			    (int)(num.len > 32 ? 32 : num.len), num.p);
		}
		if ((t = realloc(text, len + num.len + 2)) == NULL) {
			free(text);
			return fail(ps, line, "out of memory");
		}
		text = t;
		len += (size_t)snprintf(text + len, num.len + 2, "%s%llu",
		    len ? " " : "", (unsigned long long)n);
	}
	if (text == NULL)
		return fail(ps, line, "asn %.*s: missing NUMBER", (int)org.len,
		    org.p);
	if ((v = push_value(ps, line, V_ASN, org, false)) == NULL) {
		free(text);
		return fail(ps, line, "out of memory");
	}
	v->text = text;
	return 0;
}

/* parse_line - one line (without its line end). */
static int
parse_line(struct parse *ps, unsigned line, const char *p, size_t len)
{
	struct mt_cur c;
	struct mt_str w;
	enum kind k;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == '\0')
			return fail(ps, line, "NUL byte in a rules file");
	if (!mt_utf8_valid(p, len))
		return fail(ps, line, "invalid UTF-8");
	mt_cur_init(&c, p, len);
	mt_cur_skip(&c, MT_C_WSP);
	if (mt_cur_eof(&c) || mt_cur_peek(&c) == '#')
		return 0;			/* blank or comment */
	if (c.pos > 0)
		return sample_line(ps, line, &c);
	if (need_samples(ps) < 0)
		return -1;
	w = word(&c);
	if ((k = kind_of(w)) != K__COUNT)
		return pattern_line(ps, line, k, &c);
	if (mt_str_eq(w, MT_STR_LIT("score")))
		return value_line(ps, line, V_SCORE, &c);
	if (mt_str_eq(w, MT_STR_LIT("label")))
		return value_line(ps, line, V_LABEL, &c);
	if (mt_str_eq(w, MT_STR_LIT("description")))
		return value_line(ps, line, V_DESC, &c);
	if (mt_str_eq(w, MT_STR_LIT("org")))
		return value_line(ps, line, V_ORG, &c);
	if (mt_str_eq(w, MT_STR_LIT("asn")))
		return asn_line(ps, line, &c);
	if (mt_str_eq(w, MT_STR_LIT("stamp")))
		return stamp_line(ps, line, &c);
	if (mt_str_eq(w, MT_STR_LIT("note")))
		return note_line(ps, line, &c);
	if (mt_str_eq(w, MT_STR_LIT("authserv")))
		return authserv_line(ps, line, &c);
	return fail(ps, line, "unknown kind '%.*s' (mta, received, hop, "
	    "header, score, label, description, org, asn, stamp, note, authserv)",
	    (int)(w.len > 64 ? 64 : w.len), w.p);
}

/* ------------------------------------------------------------------ */
/* Merging a parsed file into the rule set                            */
/* ------------------------------------------------------------------ */

/* merge - move the staged rules and values into r, replacing same kind
 * and name in place.  Room is made first, so on -1 (out of memory) r is
 * unchanged. */
static int
merge(struct mt_rules *r, struct set *st)
{
	size_t k, i, j, maxcap = 0;
	uint64_t base;

	/* Make room first so the merge itself cannot fail halfway. */
	for (k = 0; k < K__COUNT; k++) {
		size_t need = r->s.pat[k].n + st->pat[k].n;

		if (need > r->s.pat[k].cap) {
			void *nv = realloc(r->s.pat[k].v,
			    need * sizeof(struct rule));

			if (nv == NULL)
				return -1;
			r->s.pat[k].v = nv;
			r->s.pat[k].cap = need;
		}
		for (i = 0; i < st->pat[k].n; i++)
			if (st->pat[k].v[i].ncap > maxcap)
				maxcap = st->pat[k].v[i].ncap;
	}
	if (r->s.val.n + st->val.n > r->s.val.cap) {
		size_t need = r->s.val.n + st->val.n;
		void *nv = realloc(r->s.val.v, need * sizeof(struct value));

		if (nv == NULL)
			return -1;
		r->s.val.v = nv;
		r->s.val.cap = need;
	}
	if (r->md == NULL || maxcap + 1 > r->md_pairs) {
		uint32_t pairs = (uint32_t)maxcap + 1;
		pcre2_match_data *md;

		if (pairs < 16)
			pairs = 16;
		if ((md = pcre2_match_data_create(pairs, NULL)) == NULL)
			return -1;
		pcre2_match_data_free(r->md);
		r->md = md;
		r->md_pairs = pairs;
	}

	base = r->seq;
	for (k = 0; k < K__COUNT; k++) {
		for (i = 0; i < st->pat[k].n; i++) {
			struct rule *nr = &st->pat[k].v[i];

			if (base + nr->line > r->seq)
				r->seq = base + nr->line;

			for (j = 0; j < r->s.pat[k].n; j++)
				if (strcmp(r->s.pat[k].v[j].name, nr->name) == 0)
					break;
			if (j < r->s.pat[k].n)
				rule_clear(&r->s.pat[k].v[j]);
			else
				r->s.pat[k].n++;
			r->s.pat[k].v[j] = *nr;
			r->s.pat[k].v[j].seq = base + r->s.pat[k].v[j].line;
			memset(nr, 0, sizeof(*nr));
		}
		st->pat[k].n = 0;
	}
	for (i = 0; i < st->val.n; i++) {
		struct value *nv = &st->val.v[i];

		for (j = 0; j < r->s.val.n; j++)
			if (r->s.val.v[j].kind == nv->kind &&
			    strcmp(r->s.val.v[j].id, nv->id) == 0)
				break;
		if (j < r->s.val.n)
			value_clear(&r->s.val.v[j]);
		else
			r->s.val.n++;
		r->s.val.v[j] = *nv;
		memset(nv, 0, sizeof(*nv));
	}
	st->val.n = 0;
	r->notes_stale = true;
	r->gen++;
	return 0;
}

/* mt_rules_load_buf - parse and compile buf, then merge it into r. */
int
mt_rules_load_buf(struct mt_rules *r, const char *name, const char *buf,
    size_t len, char *err, size_t errlen)
{
	struct set st;
	struct parse ps;
	size_t pos = 0;
	unsigned line = 0;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	memset(&ps, 0, sizeof(ps));
	ps.name = name != NULL ? name : "-";
	ps.s = &st;
	ps.err = err;
	ps.errlen = errlen;
	if (r == NULL || (buf == NULL && len > 0)) {
		setmsg(err, errlen, "%s: no rule set or no buffer", ps.name);
		goto out;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		size_t n = end - pos;

		if (line == 0xffffffffu) {
			fail(&ps, line, "too many lines");
			goto out;
		}
		line++;
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		if (parse_line(&ps, line, buf + pos, n) < 0)
			goto out;
		pos = end + 1;
	}
	if (need_samples(&ps) < 0)
		goto out;
	if (merge(r, &st) < 0) {
		setmsg(err, errlen, "%s: out of memory", ps.name);
		goto out;
	}
	rc = 0;
out:
	set_clear(&st);
	return rc;
}

/* mt_rules_load_file - read a whole rules file and load it. */
int
mt_rules_load_file(struct mt_rules *r, const char *path, char *err,
    size_t errlen)
{
	FILE *fp = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		setmsg(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			if (cap >= RULES_FILE_MAX) {
				setmsg(err, errlen, "%s: larger than %d bytes",
				    path, RULES_FILE_MAX);
				goto out;
			}
			cap = cap ? cap * 2 : 16 * 1024;
			if ((nb = realloc(buf, cap)) == NULL) {
				setmsg(err, errlen, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp)) {
				setmsg(err, errlen, "%s: read error", path);
				goto out;
			}
			break;
		}
	}
	rc = mt_rules_load_buf(r, path, buf, len, err, errlen);
out:
	free(buf);
	if (fp != NULL)
		fclose(fp);
	return rc;
}

/* cmpname - qsort order of file names: bytewise. */
static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mt_rules_load_dir - every "*.rules" of dir, in sorted order. */
int
mt_rules_load_dir(struct mt_rules *r, const char *dir, char *err,
    size_t errlen)
{
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL, *path = NULL;
	size_t n = 0, cap = 0, i;
	int rc = -1;

	if ((d = opendir(dir)) == NULL) {
		setmsg(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= 6 ||
		    strcmp(de->d_name + l - 6, ".rules") != 0)
			continue;
		if (!grow((void **)&names, n, &cap, sizeof(*names)) ||
		    (names[n] = xstrndup(de->d_name, l)) == NULL) {
			setmsg(err, errlen, "%s: out of memory", dir);
			goto out;
		}
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmpname);
	for (i = 0; i < n; i++) {
		size_t l = strlen(dir) + strlen(names[i]) + 2;

		free(path);
		if ((path = malloc(l)) == NULL) {
			setmsg(err, errlen, "%s: out of memory", dir);
			goto out;
		}
		snprintf(path, l, "%s/%s", dir, names[i]);
		if (mt_rules_load_file(r, path, err, errlen) < 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d != NULL)
		closedir(d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Matching                                                           */
/* ------------------------------------------------------------------ */

/* subject - a matchable view of s: never NULL, cut at the cap.  Returns
 * true when it was cut. */
static bool
subject(struct mt_rules *r, struct mt_str *s)
{
	r->cut = false;
	if (s->p == NULL) {
		*s = mt_str("", 0);
		return false;
	}
	if (s->len <= MT_MAX_RULE_SUBJECT)
		return false;
	/* Cut on a character boundary; a cut mid-character would only be an
	 * invalid sequence, which MATCH_INVALID_UTF tolerates anyway. */
	s->len = mt_utf8_cut(s->p, s->len, MT_MAX_RULE_SUBJECT);
	r->subject_cuts++;
	r->cut = true;
	return true;
}

/*
 * squeeze - a Received body as the mta and received rules see it: every
 * run of SP, HTAB, CR and LF made one space and none at either end, in
 * r->scratch, cut at MT_MAX_RULE_SUBJECT.  Folding (RFC 5322 3.2.2) leaves
 * tabs and runs of blanks where the writer broke the line, so patterns can
 * then say "by host" whatever the folding was.  Returns true when cut.
 */
static bool
squeeze(struct mt_rules *r, struct mt_str *s)
{
	char *d = r->scratch;
	size_t i, n = 0;
	bool blank = false, cut = false;

	if (s->p == NULL) {
		*s = mt_str("", 0);
		return false;
	}
	/* Runs of non-blank bytes are copied whole; the result is the
	 * byte-at-a-time rule: a blank run becomes one space between
	 * words, and the copy stops before the first byte (or the space
	 * before it) that would not fit. */
	for (i = 0; i < s->len;) {
		size_t j = i, room;

		if (mt_ctype[(unsigned char)s->p[i]] & (MT_C_WSP | MT_C_CRLF)) {
			blank = n > 0;
			i++;
			continue;
		}
		while (j < s->len && !(mt_ctype[(unsigned char)s->p[j]] &
		    (MT_C_WSP | MT_C_CRLF)))
			j++;
		if (n + (blank ? 2 : 1) > MT_MAX_RULE_SUBJECT) {
			cut = true;
			break;
		}
		if (blank)
			d[n++] = ' ';
		blank = false;
		room = MT_MAX_RULE_SUBJECT - n;
		if (j - i > room) {
			memcpy(d + n, s->p + i, room);
			n += room;
			i += room;
			cut = true;
			break;
		}
		memcpy(d + n, s->p + i, j - i);
		n += j - i;
		i = j;
	}
	if (cut) {
		/* Do not keep the first bytes of a character cut in two. */
		if (((unsigned char)s->p[i] & 0xc0) == 0x80) {
			while (n > 0 && ((unsigned char)d[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0 && (unsigned char)d[n - 1] >= 0xc0)
				n--;
		}
		r->subject_cuts++;
	}
	*s = mt_str(d, n);
	r->cut = cut;
	return cut;
}

/* run - match one rule: 1 on a match, 0 on none, -1 when a limit (or any
 * other matching error) stopped it, which counts as no match. */
static int
run(struct mt_rules *r, const struct rule *ru, struct mt_str s)
{
	uint32_t opts;
	int rc;

	if (r->md == NULL)
		return 0;
	/* The JIT's own entry skips pcre2_match()'s option checks, which
	 * never apply here (no match options; MATCH_INVALID_UTF needs no
	 * UTF check); a pattern without JIT code is interpreted. */
	/* A subject cut at the cap does not end where the text ends: '$'
	 * must not match at the cut. */
	opts = r->cut ? PCRE2_NOTEOL : 0;
	rc = pcre2_jit_match(ru->code, (PCRE2_SPTR)s.p, s.len, 0, opts,
	    r->md, r->mctx);
	if (rc == PCRE2_ERROR_JIT_BADOPTION)
		rc = pcre2_match(ru->code, (PCRE2_SPTR)s.p, s.len, 0, opts,
		    r->md, r->mctx);
	if (rc >= 0)	/* 0: ovector too small, cannot happen here */
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	/* MATCHLIMIT, DEPTHLIMIT, HEAPLIMIT, JIT_STACKLIMIT, NOMEMORY. */
	r->limit_hits++;
	return -1;
}

/* span - offsets of group g of ru after a match; false when unset. */
static bool
span(const struct mt_rules *r, const struct rule *ru, enum grp g,
    size_t *so, size_t *eo)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
	uint32_t pairs = pcre2_get_ovector_count(r->md);
	int num = ru->grp[g];

	if (num < 0) {
		/* A name given to several groups (?J): the first one set. */
		PCRE2_SPTR first, last;
		uint32_t size = 0;
		int sz;

		sz = pcre2_substring_nametable_scan(ru->code,
		    (PCRE2_SPTR)grp_names[g], &first, &last);
		if (sz <= 0)
			return false;
		pcre2_pattern_info(ru->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
		for (; first <= last; first += size) {
			num = (first[0] << 8) | first[1];
			if ((uint32_t)num < pairs &&
			    ov[2 * num] != PCRE2_UNSET)
				break;
		}
		if (first > last)
			return false;
	}
	if (num <= 0 || (uint32_t)num >= pairs || ov[2 * num] == PCRE2_UNSET ||
	    ov[2 * num + 1] < ov[2 * num])
		return false;
	*so = ov[2 * num];
	*eo = ov[2 * num + 1];
	return true;
}

/* mt_rules_mta - the first mta rule matching raw, or NULL. */
const char *
mt_rules_mta(struct mt_rules *r, struct mt_str raw)
{
	size_t i;

	if (r == NULL)
		return NULL;
	squeeze(r, &raw);
	for (i = 0; i < r->s.pat[K_MTA].n; i++)
		if (run(r, &r->s.pat[K_MTA].v[i], raw) == 1)
			return r->s.pat[K_MTA].v[i].name;
	return NULL;
}

/* unangle - "<a@b>" without its angle brackets, blanks trimmed. */
static struct mt_str
unangle(struct mt_str s)
{
	s = mt_str_trim(s);
	if (s.len >= 2 && s.p[0] == '<' && s.p[s.len - 1] == '>') {
		s.p++;
		s.len -= 2;
	}
	return mt_str_trim(s);
}

/* ipfield - parse an IP literal (brackets allowed) into addr and its
 * canonical text in the arena; false when it is no IP literal. */
static bool
ipfield(struct mt_msg *m, struct mt_str s, struct mt_ip *addr,
    struct mt_str *text)
{
	char buf[64];

	s = mt_str_trim(s);
	if (s.len >= 2 && s.p[0] == '[' && s.p[s.len - 1] == ']') {
		s.p++;
		s.len -= 2;
	}
	if (!mt_ip_parse(s, addr))
		return false;
	*text = mt_arena_dupz(&m->arena, mt_ip_format(addr, buf, sizeof(buf)));
	return true;
}

/* fill - copy v, the text of group g, into the hop when that field is
 * still null. */
static void
fill(struct mt_msg *m, struct mt_hop *hop, enum grp g, struct mt_str v)
{
	struct mt_arena *a = &m->arena;
	struct mt_date d;
	long port;

	v = mt_str_trim(v);
	if (v.len == 0)
		return;
	switch (g) {
	case G_HELO:
		if (hop->from.helo.p == NULL) {
			hop->from.helo = mt_arena_lower(a, v);
			hop->has_from = true;
		}
		break;
	case G_RDNS:
		if (hop->from.rdns.p == NULL) {
			hop->from.rdns = mt_arena_lower(a, v);
			hop->has_from = true;
		}
		break;
	case G_IP:
		if (hop->from.ip.p != NULL)
			break;
		if (ipfield(m, v, &hop->from.addr, &hop->from.ip)) {
			hop->ip_class = mt_ip_classify(&hop->from.addr);
			hop->has_from = true;
		} else
			mt_anomaly_add(m, MT_AN_INVALID_IP_LITERAL, hop->offset);
		break;
	case G_PORT:
		/* The port is absent when -1 (or still 0 in a fresh hop). */
		if (hop->from.port <= 0 && mt_parse_int(v, 1, 65535, &port)) {
			hop->from.port = port;
			hop->has_from = true;
		}
		break;
	case G_IDENT:
		if (hop->from.ident.p == NULL) {
			hop->from.ident = mt_arena_dup(a, v.p, v.len);
			hop->has_from = true;
		}
		break;
	case G_BY:
		if (hop->by.host.p == NULL) {
			hop->by.host = mt_arena_lower(a, v);
			hop->has_by = true;
		}
		break;
	case G_BYIP:
		if (hop->by.ip.p != NULL)
			break;
		if (ipfield(m, v, &hop->by.addr, &hop->by.ip))
			hop->has_by = true;
		else
			mt_anomaly_add(m, MT_AN_INVALID_IP_LITERAL, hop->offset);
		break;
	case G_WITH:
		if (hop->with.p == NULL)
			hop->with = mt_arena_dup(a, v.p, v.len);
		break;
	case G_ID:
		if (hop->id.p == NULL)
			hop->id = mt_arena_dup(a, v.p, v.len);
		break;
	case G_FOR:
		if (hop->for_.p == NULL && (v = unangle(v)).len > 0)
			hop->for_ = mt_arena_dup(a, v.p, v.len);
		break;
	case G_ENVFROM:
		/* "<>" is the null reverse-path (RFC 5321 4.5.5): kept empty. */
		if (hop->envelope_from.p == NULL) {
			v = unangle(v);
			hop->envelope_from = mt_arena_dup(a, v.p, v.len);
		}
		break;
	case G_DATE:
		if (hop->has_time)
			break;
		memset(&d, 0, sizeof(d));
		if (mt_date_parse(v.p, v.len, &d) && (d.flags & MT_DATE_OK)) {
			hop->has_time = true;
			hop->time = d.utc;
			hop->utc_offset = d.offset_min;
			if (d.flags & MT_DATE_NO_ZONE)
				mt_anomaly_add(m, MT_AN_DATE_NO_ZONE,
				    hop->offset);
		} else
			mt_anomaly_add(m, MT_AN_RECEIVED_DATE_INVALID,
			    hop->offset);
		break;
	case G__COUNT:
		break;
	}
}

/* mt_rules_received - fill a hop's null fields from a dialect rule. */
bool
mt_rules_received(struct mt_rules *r, struct mt_msg *m, struct mt_hop *hop)
{
	struct mt_str s;
	size_t i, so, eo;
	bool limited;
	int g;

	if (r == NULL || m == NULL || hop == NULL)
		return false;
	s = hop->raw;
	limited = squeeze(r, &s);
	for (i = 0; i < r->s.pat[K_RECEIVED].n; i++) {
		const struct rule *ru = &r->s.pat[K_RECEIVED].v[i];
		int rc = run(r, ru, s);

		if (rc < 0)
			limited = true;
		if (rc != 1)
			continue;
		/* Copy every group before anything else can reuse md. */
		for (g = 0; g < G__COUNT; g++)
			if (ru->grp[g] != 0 && span(r, ru, (enum grp)g, &so, &eo))
				fill(m, hop, (enum grp)g,
				    mt_str(s.p + so, eo - so));
		if (hop->parsed != MT_PARSED_FULL)
			hop->parsed = MT_PARSED_PARTIAL;
		if (limited)
			mt_anomaly_add(m, MT_AN_RULE_LIMIT, hop->offset);
		return true;
	}
	if (limited)
		mt_anomaly_add(m, MT_AN_RULE_LIMIT, hop->offset);
	return false;
}

/* hopfield - the slice of hop a hop rule looks at (null when absent). */
static struct mt_str
hopfield(const struct mt_hop *hop, enum hfield f)
{
	switch (f) {
	case HF_HELO:	return hop->from.helo;
	case HF_RDNS:	return hop->from.rdns;
	case HF_IP:	return hop->from.ip;
	case HF_BY:	return hop->by.host;
	case HF_RAW:	return hop->raw;
	case HF_WITH:	return hop->with;
	case HF_ID:	return hop->id;
	case HF_FOR:	return hop->for_;
	case HF__COUNT:	break;
	}
	return MT_STR_NULL;
}

/* hit_at - the matched slice of s after a successful run(). */
static struct mt_str
hit_at(const struct mt_rules *r, struct mt_str s)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);

	/* \K in a lookbehind can put the start after the end. */
	if (ov[0] > s.len || ov[1] > s.len || ov[1] < ov[0])
		return mt_str(s.p, 0);
	return mt_str(s.p + ov[0], ov[1] - ov[0]);
}

/* mt_rules_match_hop - hop rules on their fields of hop. */
size_t
mt_rules_match_hop(struct mt_rules *r, struct mt_msg *m,
    const struct mt_hop *hop, mt_rules_hit_fn cb, void *arg)
{
	struct mt_rules_hit hit;
	size_t i, n = 0;
	bool limited = false;

	if (r == NULL || hop == NULL)
		return 0;
	for (i = 0; i < r->s.pat[K_HOP].n; i++) {
		const struct rule *ru = &r->s.pat[K_HOP].v[i];
		struct mt_str s = hopfield(hop, ru->hf);
		int rc;

		if (s.p == NULL)
			continue;
		if (subject(r, &s))
			limited = true;
		if ((rc = run(r, ru, s)) < 0)
			limited = true;
		if (rc != 1)
			continue;
		memset(&hit, 0, sizeof(hit));
		hit.finding = ru->name;
		hit.field = ru->field;
		hit.match = hit_at(r, s);
		hit.hop = hop;
		hit.file = ru->file;
		hit.line = ru->line;
		n++;
		if (cb != NULL && !cb(arg, &hit))
			break;
	}
	if (limited && m != NULL)
		mt_anomaly_add(m, MT_AN_RULE_LIMIT, hop->offset);
	return n;
}

/* mt_rules_match_header - header rules on the fields they name. */
size_t
mt_rules_match_header(struct mt_rules *r, struct mt_msg *m,
    mt_rules_hit_fn cb, void *arg)
{
	struct mt_rules_hit hit;
	size_t i, j, n = 0;

	if (r == NULL || m == NULL)
		return 0;
	for (i = 0; i < r->s.pat[K_HEADER].n; i++) {
		const struct rule *ru = &r->s.pat[K_HEADER].v[i];

		for (j = 0; j < m->fields.n; j++) {
			const struct mt_field *f = &m->fields.v[j];
			struct mt_str s = f->value;
			bool limited;
			int rc;

			if (!mt_str_ieq_c(f->name, ru->field))
				continue;
			limited = subject(r, &s);
			if ((rc = run(r, ru, s)) < 0)
				limited = true;
			if (limited)
				mt_anomaly_add(m, MT_AN_RULE_LIMIT, f->offset);
			if (rc != 1)
				continue;
			memset(&hit, 0, sizeof(hit));
			hit.finding = ru->name;
			hit.field = ru->field;
			hit.match = hit_at(r, s);
			hit.hdr = f;
			hit.file = ru->file;
			hit.line = ru->line;
			n++;
			if (cb != NULL && !cb(arg, &hit))
				return n;
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

/* value - the value of kind and id, or NULL. */
static const struct value *
value(const struct mt_rules *r, enum vkind kind, const char *id)
{
	size_t i;

	if (r == NULL || id == NULL)
		return NULL;
	for (i = 0; i < r->s.val.n; i++)
		if (r->s.val.v[i].kind == kind &&
		    strcmp(r->s.val.v[i].id, id) == 0)
			return &r->s.val.v[i];
	return NULL;
}

/* mt_rules_score - the score of a finding id, or dflt. */
double
mt_rules_score(const struct mt_rules *r, const char *id, double dflt)
{
	const struct value *v = value(r, V_SCORE, id);

	return v != NULL ? v->num : dflt;
}

/* mt_rules_label - the threshold of a verdict label. */
bool
mt_rules_label(const struct mt_rules *r, const char *label,
    double *threshold)
{
	const struct value *v = value(r, V_LABEL, label);

	if (v == NULL)
		return false;
	if (threshold != NULL)
		*threshold = v->num;
	return true;
}

/* mt_rules_verdict - the highest label whose threshold score reaches,
 * "clean" below them all, NULL when no label is loaded. */
const char *
mt_rules_verdict(const struct mt_rules *r, double score)
{
	const struct value *best = NULL;
	bool any = false;
	size_t i;

	if (r == NULL)
		return NULL;
	for (i = 0; i < r->s.val.n; i++) {
		const struct value *v = &r->s.val.v[i];

		if (v->kind != V_LABEL)
			continue;
		any = true;
		if (score >= v->num && (best == NULL || v->num > best->num))
			best = v;
	}
	if (best != NULL)
		return best->id;
	return any ? "clean" : NULL;
}

/* mt_rules_description - the human text of a finding id, or NULL. */
const char *
mt_rules_description(const struct mt_rules *r, const char *id)
{
	const struct value *v = value(r, V_DESC, id);

	return v != NULL ? v->text : NULL;
}

/* lkhash - FNV-1a of a name, ASCII case folded. */
static uint32_t
lkhash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint32_t)mt_lower((unsigned char)p[i])) * 16777619u;
	return h;
}

/* lkget - the slot of name in t: its entry, or the empty slot where it
 * would go; NULL when t has no storage. */
static struct lkslot *
lkget(const struct lktab *t, const char *p, size_t len)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	for (i = lkhash(p, len) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct lkslot *sl = &t->v[i];

		if (sl->key == NULL || (sl->len == len &&
		    mt_str_ieq(mt_str(sl->key, len), mt_str(p, len))))
			return sl;
	}
}

/* lkput - add name -> val unless name is there already (the first value
 * in load order wins, as the linear scans it replaces did). */
static void
lkput(struct lktab *t, const char *p, size_t len, const void *val)
{
	struct lkslot *sl = lkget(t, p, len);

	if (sl != NULL && sl->key == NULL) {
		sl->key = p;
		sl->len = len;
		sl->val = val;
	}
}

/* lkalloc - empty storage for n names at most half full; false when out
 * of memory. */
static bool
lkalloc(struct lktab *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	free(t->v);
	t->cap = 0;
	if ((t->v = calloc(cap, sizeof(*t->v))) == NULL)
		return false;
	t->cap = cap;
	return true;
}

/* org_word - the next blank-separated word of an "org" line at *t
 * (advanced past it); its length, 0 at the end. */
static size_t
org_word(const char **t, const char **word)
{
	size_t n = 0;

	while (**t == ' ' || **t == '\t')
		(*t)++;
	while ((*t)[n] != '\0' && (*t)[n] != ' ' && (*t)[n] != '\t')
		n++;
	*word = *t;
	*t += n;
	return n;
}

/*
 * lookup - r's tables, built from its values on first use after a merge;
 * NULL when they cannot be had (out of memory), and the callers scan.
 * The tables are a cache behind r's pointer: r itself does not change.
 */
static const struct lookup *
lookup(const struct mt_rules *r)
{
	struct lookup *lk = r->lk;
	size_t i, norg = 0, nstamp = 0;

	if (lk == NULL)
		return NULL;
	if (lk->built && lk->gen == r->gen)
		return lk;
	lk->built = false;
	for (i = 0; i < r->s.val.n; i++) {
		const struct value *v = &r->s.val.v[i];
		const char *t, *w;

		if (v->kind == V_STAMP)
			nstamp++;
		else if (v->kind == V_ORG && v->text != NULL)
			for (t = v->text; org_word(&t, &w) > 0;)
				norg++;
	}
	if (!lkalloc(&lk->org, norg) || !lkalloc(&lk->stamp, nstamp))
		return NULL;
	for (i = 0; i < r->s.val.n; i++) {
		const struct value *v = &r->s.val.v[i];
		const char *t, *w;
		size_t n;

		if (v->kind == V_STAMP)
			lkput(&lk->stamp, v->id, v->idlen, &v->st);
		else if (v->kind == V_ORG && v->text != NULL)
			for (t = v->text; (n = org_word(&t, &w)) > 0;)
				lkput(&lk->org, w, n, v->id);
	}
	lk->gen = r->gen;
	lk->built = true;
	return lk;
}

/* mt_rules_org - the name of the "org" line that lists domain (a
 * registrable domain, lowercase), or NULL. */
const char *
mt_rules_org(const struct mt_rules *r, struct mt_str domain)
{
	const struct lookup *lk;
	size_t i;

	if (r == NULL || domain.p == NULL)
		return NULL;
	if ((lk = lookup(r)) != NULL) {
		const struct lkslot *sl;

		if (domain.len == 0)
			return NULL;
		sl = lkget(&lk->org, domain.p, domain.len);
		return sl != NULL && sl->key != NULL ? sl->val : NULL;
	}
	for (i = 0; i < r->s.val.n; i++) {
		const struct value *v = &r->s.val.v[i];
		const char *t;

		if (v->kind != V_ORG)
			continue;
		for (t = v->text; *t != '\0';) {
			size_t n = 0;

			while (*t == ' ' || *t == '\t')
				t++;
			while (t[n] != '\0' && t[n] != ' ' && t[n] != '\t')
				n++;
			if (n == domain.len && n > 0 &&
			    mt_str_ieq(mt_str(t, n), domain))
				return v->id;
			t += n;
		}
	}
	return NULL;
}

/* mt_rules_org_asn - does org's "asn" line list asn: MT_TRUE, MT_FALSE,
 * or MT_NULL when org has no "asn" line. */
enum mt_tri
mt_rules_org_asn(const struct mt_rules *r, const char *org, long asn)
{
	const struct value *v = value(r, V_ASN, org);
	const char *t;

	if (v == NULL || v->text == NULL)
		return MT_NULL;
	for (t = v->text; *t != '\0';) {
		long n = 0;

		while (*t == ' ')
			t++;
		if (*t < '0' || *t > '9')
			break;
		while (*t >= '0' && *t <= '9')
			n = n * 10 + (*t++ - '0');
		if (n == asn)
			return MT_TRUE;
	}
	return MT_FALSE;
}

/* icmp - ASCII case-insensitive order of a lowercased C string and s. */
static int
icmp(const char *z, struct mt_str s)
{
	size_t i;

	for (i = 0; i < s.len; i++) {
		int a = (unsigned char)z[i], b = mt_lower((unsigned char)s.p[i]);

		if (a == '\0')
			return -1;
		if (a != b)
			return a < b ? -1 : 1;
	}
	return z[i] == '\0' ? 0 : 1;
}

/* mt_rules_stamp - the "stamp" line of a header field name, or NULL. */
const struct mt_rules_stamp *
mt_rules_stamp(const struct mt_rules *r, struct mt_str header)
{
	const struct lookup *lk;
	size_t i;

	if (r == NULL || header.len == 0)
		return NULL;
	if ((lk = lookup(r)) != NULL) {
		const struct lkslot *sl = lkget(&lk->stamp, header.p,
		    header.len);

		return sl != NULL && sl->key != NULL ? sl->val : NULL;
	}
	for (i = 0; i < r->s.val.n; i++) {
		const struct value *v = &r->s.val.v[i];

		if (v->kind == V_STAMP && v->idlen == header.len &&
		    icmp(v->id, header) == 0)
			return &v->st;
	}
	return NULL;
}

/* note_before - order of two note indexes: header, key, load order. */
static bool
note_before(const struct set *s, size_t x, size_t y)
{
	const struct value *u = &s->val.v[x], *w = &s->val.v[y];
	int c;

	if ((c = strcmp(u->hdr, w->hdr)) != 0 ||
	    (c = strcmp(u->key, w->key)) != 0)
		return c < 0;
	return x < y;
}

/* index_notes - build the sorted index of note values after a merge.
 * Returns false when out of memory (lookups then scan every value). */
static bool
index_notes(struct mt_rules *r)
{
	size_t i, j, n = 0, *ix;

	if (!r->notes_stale)
		return true;
	for (i = 0; i < r->s.val.n; i++)
		n += r->s.val.v[i].kind == V_NOTE;
	if ((ix = malloc((n ? n : 1) * sizeof(*ix))) == NULL)
		return false;
	/* Insertion sort: a few hundred notes, sorted once per load. */
	for (i = 0, n = 0; i < r->s.val.n; i++) {
		if (r->s.val.v[i].kind != V_NOTE)
			continue;
		for (j = n++; j > 0 && note_before(&r->s, i, ix[j - 1]); j--)
			ix[j] = ix[j - 1];
		ix[j] = i;
	}
	free(r->notes);
	r->notes = ix;
	r->nnotes = n;
	r->notes_stale = false;
	return true;
}

/* note_fits - does a note's VALUE match value. */
static bool
note_fits(const struct value *v, struct mt_str value)
{
	double d;

	switch (v->nmode) {
	case N_SELF:
	case N_ANY:
		return true;
	case N_EXACT:
		return icmp(v->id + strlen(v->hdr) + strlen(v->key) + 2,
		    value) == 0;
	case N_RANGE:
		value = mt_str_trim(value);
		if (value.len > 0 && value.p[0] == '+')
			return false;
		return number(value, &d) && (!v->has_lo || d >= v->lo) &&
		    (!v->has_hi || d <= v->hi);
	}
	return false;
}

/* mt_rules_note - the TEXT of the first matching "note" line, or NULL. */
const char *
mt_rules_note(struct mt_rules *r, struct mt_str header, struct mt_str key,
    struct mt_str value)
{
	size_t lo, hi, i;

	if (r == NULL || header.len == 0 || key.len == 0)
		return NULL;
	if (!index_notes(r)) {
		/* Out of memory: the slow way, same answer. */
		for (i = 0; i < r->s.val.n; i++) {
			const struct value *v = &r->s.val.v[i];

			if (v->kind == V_NOTE && icmp(v->hdr, header) == 0 &&
			    icmp(v->key, key) == 0 && note_fits(v, value))
				return v->text;
		}
		return NULL;
	}
	/* lower bound of (header, key) */
	lo = 0;
	hi = r->nnotes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct value *v = &r->s.val.v[r->notes[mid]];
		int c = icmp(v->hdr, header);

		if (c == 0)
			c = icmp(v->key, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < r->nnotes; i++) {
		const struct value *v = &r->s.val.v[r->notes[i]];

		if (icmp(v->hdr, header) != 0 || icmp(v->key, key) != 0)
			break;
		if (note_fits(v, value))
			return v->text;
	}
	return NULL;
}

/* mt_rules_authserv - is id an "authserv" line's ID. */
bool
mt_rules_authserv(const struct mt_rules *r, struct mt_str id)
{
	size_t i;

	if (r == NULL || id.len == 0)
		return false;
	for (i = 0; i < r->s.val.n; i++)
		if (r->s.val.v[i].kind == V_AUTHSERV &&
		    icmp(r->s.val.v[i].id, id) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Self-test of the samples                                           */
/* ------------------------------------------------------------------ */

/* captured - after a match of a received rule, some known group is set. */
static bool
captured(const struct mt_rules *r, const struct rule *ru)
{
	size_t so, eo;
	int g;

	for (g = 0; g < G__COUNT; g++)
		if (ru->grp[g] != 0 && span(r, ru, (enum grp)g, &so, &eo) &&
		    eo > so)
			return true;
	return false;
}

/* mt_rules_selftest - every sample against its own rule; the failure
 * reported is the first in load order (file, then line). */
int
mt_rules_selftest(struct mt_rules *r, char *err, size_t errlen)
{
	const struct rule *fr = NULL;
	const struct sample *fs = NULL;
	const char *fwhy = NULL;
	size_t k, i, j;
	int failed = 0;

	if (r == NULL)
		return 0;
	for (k = 0; k < K__COUNT; k++) {
		for (i = 0; i < r->s.pat[k].n; i++) {
			const struct rule *ru = &r->s.pat[k].v[i];

			for (j = 0; j < ru->nsamples; j++) {
				const struct sample *sm = &ru->samples[j];
				struct mt_str s = mt_str(sm->text, sm->len);
				const char *why = NULL;
				int rc;

				if (k == K_MTA || k == K_RECEIVED)
					squeeze(r, &s);
				else
					subject(r, &s);
				rc = run(r, ru, s);
				if (rc < 0)
					why = "hit the match limit";
				else if (sm->want && rc == 0)
					why = "did not match";
				else if (!sm->want && rc == 1)
					why = "matched but must not";
				else if (sm->want && k == K_RECEIVED &&
				    !captured(r, ru))
					why = "matched but captured no field";
				if (why == NULL)
					continue;
				failed++;
				if (fr == NULL || ru->seq < fr->seq ||
				    (ru->seq == fr->seq && sm->line < fs->line)) {
					fr = ru;
					fs = sm;
					fwhy = why;
				}
			}
		}
	}
	if (fr != NULL)
		setmsg(err, errlen, "%s:%u: rule %s: sample \"%.*s\" %s",
		    fr->file, fs->line, fr->name,
		    (int)(fs->len > 200 ? 200 : fs->len), fs->text, fwhy);
	return failed;
}
