/*
 * auth.c - authentication evidence: Authentication-Results (RFC 8601),
 * ARC (RFC 8617: ARC-Authentication-Results, ARC-Seal as claimed),
 * Received-SPF (RFC 7208 9.1), DKIM-Signature (dkim.c), spam filters'
 * stamps (rules/vendor.rules); which of them the recipient's side wrote
 * (trust), DMARC alignment (RFC 7489 3.1) and the cross-check of their
 * addresses with the origin.  See auth.h for the order and what counts.
 *
 * Every parser here reads untrusted text: a field out of syntax is the
 * anomaly AUTH_MALFORMED at the field's value and parsing goes on with the
 * next item; MT_MAX_AUTH_ITEMS bounds what one field yields.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "dkim.h"
#include "domain.h"
#include "enrich.h"
#include "rules.h"

/* ------------------------------------------------------------------ */
/* A lexer for RFC 8601 / RFC 7208 structured fields                  */
/* ------------------------------------------------------------------ */

struct lx {
	struct mt_msg	*m;
	const char	*p;		/* the unfolded field value */
	size_t		 len, pos;
	uint64_t	 off;		/* the value's offset, for anomalies */
	bool		 bad;		/* AUTH_MALFORMED recorded */
	char		 com[512];	/* comments since the last reset */
	size_t		 ncom;
};

/* malformed - record AUTH_MALFORMED once per field. */
static void
malformed(struct lx *x)
{
	if (!x->bad)
		mt_anomaly_add(x->m, MT_AN_AUTH_MALFORMED, x->off);
	x->bad = true;
}

/* eof - nothing left. */
static bool
eof(const struct lx *x)
{
	return x->pos >= x->len;
}

/* peek - the next byte, or -1. */
static int
peek(const struct lx *x)
{
	return x->pos < x->len ? (unsigned char)x->p[x->pos] : -1;
}

/* keep_comment - append comment text to the lexer's comment buffer. */
static void
keep_comment(struct lx *x, const char *p, size_t n)
{
	struct mt_str t = mt_str_trim(mt_str(p, n));

	if (t.len == 0)
		return;
	if (x->ncom > 0 && x->ncom + 2 < sizeof(x->com)) {
		memcpy(x->com + x->ncom, "; ", 2);
		x->ncom += 2;
	}
	if (t.len > sizeof(x->com) - x->ncom)
		t.len = mt_utf8_cut(t.p, t.len, sizeof(x->com) - x->ncom);
	memcpy(x->com + x->ncom, t.p, t.len);
	x->ncom += t.len;
}

/*
 * cfws - skip blanks and comments (RFC 5322 3.2.2), nested up to
 * MT_MAX_COMMENT_DEPTH (deeper is comment text, COMMENT_TOO_DEEP); an
 * unterminated comment runs to the end (COMMENT_UNTERMINATED).  The text
 * of outermost comments is kept for the result's "comment".
 */
static void
cfws(struct lx *x)
{
	for (;;) {
		size_t start, depth = 0;
		bool deep = false;

		while (!eof(x) && mt_is(peek(x), MT_C_WSP | MT_C_CRLF))
			x->pos++;
		if (peek(x) != '(')
			return;
		start = ++x->pos;
		depth = 1;
		while (!eof(x) && depth > 0) {
			int ch = peek(x);

			if (ch == '\\' && x->pos + 1 < x->len)
				x->pos++;
			else if (ch == '(') {
				if (depth < MT_MAX_COMMENT_DEPTH)
					depth++;
				else if (!deep) {
					deep = true;
					mt_anomaly_add(x->m,
					    MT_AN_COMMENT_TOO_DEEP, x->off);
				}
			} else if (ch == ')')
				depth--;
			x->pos++;
		}
		if (depth > 0) {
			mt_anomaly_add(x->m, MT_AN_COMMENT_UNTERMINATED, x->off);
			keep_comment(x, x->p + start, x->pos - start);
			return;
		}
		keep_comment(x, x->p + start, x->pos - 1 - start);
	}
}

/* tokch - a byte of a token as written in these fields: anything but
 * blanks, controls and the delimiters ; = ( ) " (lenient: RFC 2045 token
 * forbids more, but writers put '/', '@', ':' and '+' in values). */
static bool
tokch(int ch)
{
	return ch > ' ' && ch != 0x7f && ch != ';' && ch != '=' &&
	    ch != '(' && ch != ')' && ch != '"';
}

/* keyword - a method, result or property name: letters, digits, '-',
 * '_', '.' (RFC 5321 Keyword, with '.' for ptype.property). */
static struct mt_str
keyword(struct lx *x)
{
	size_t s = x->pos;

	while (!eof(x) && (mt_is(peek(x), MT_C_ALPHA | MT_C_DIGIT) ||
	    peek(x) == '-' || peek(x) == '_' || peek(x) == '.'))
		x->pos++;
	return mt_str(x->p + s, x->pos - s);
}

/* quoted - a quoted-string's content, unescaped, in the arena (the
 * opening quote is next). */
static struct mt_str
quoted(struct lx *x)
{
	char buf[1024];
	size_t n = 0;
	bool closed = false;

	x->pos++;
	while (!eof(x)) {
		int ch = peek(x);

		x->pos++;
		if (ch == '"') {
			closed = true;
			break;
		}
		if (ch == '\\' && !eof(x))
			ch = (unsigned char)x->p[x->pos++];
		if (n < sizeof(buf))
			buf[n++] = (char)ch;
	}
	if (!closed)
		malformed(x);
	return mt_arena_dup(&x->m->arena, buf, n);
}

/* token - a run of token bytes (an authserv-id). */
static struct mt_str
token(struct lx *x)
{
	size_t s = x->pos;

	while (!eof(x) && tokch(peek(x)))
		x->pos++;
	return mt_str(x->p + s, x->pos - s);
}

/* pvalue - a value: a quoted string, or a run of token bytes (lenient:
 * '=' inside is kept, base64 header.b values have it). */
static struct mt_str
pvalue(struct lx *x)
{
	size_t s;

	if (peek(x) == '"')
		return quoted(x);
	s = x->pos;
	while (!eof(x) && (tokch(peek(x)) || peek(x) == '='))
		x->pos++;
	return mt_str(x->p + s, x->pos - s);
}

/* skip_item - go to the next ';' (an item out of syntax). */
static void
skip_item(struct lx *x)
{
	malformed(x);
	while (!eof(x) && peek(x) != ';') {
		if (peek(x) == '(')
			cfws(x);
		else if (peek(x) == '"')
			(void)quoted(x);
		else
			x->pos++;
	}
}

/* clean - a UTF-8-clean arena copy (null stays null), INVALID_UTF8 at
 * the field's value when bytes were replaced. */
static struct mt_str
clean(struct lx *x, struct mt_str s)
{
	bool bad = false;
	struct mt_str c;

	if (s.p == NULL)
		return s;
	c = mt_utf8_clean(&x->m->arena, s.p, s.len, &bad);
	if (bad)
		mt_anomaly_add(x->m, MT_AN_INVALID_UTF8, x->off);
	return c;
}

/* lower - a lowercased clean copy. */
static struct mt_str
lower(struct lx *x, struct mt_str s)
{
	return mt_arena_lower(&x->m->arena, clean(x, s));
}

/* comment - the comments gathered since the last reset, or null. */
static struct mt_str
comment(struct lx *x)
{
	struct mt_str c = MT_STR_NULL;

	if (x->ncom > 0)
		c = clean(x, mt_str(x->com, x->ncom));
	x->ncom = 0;
	return c;
}

/* lx_init - a lexer over a field's unfolded value. */
static void
lx_init(struct lx *x, struct mt_msg *m, const struct mt_field *f)
{
	memset(x, 0, sizeof(*x));
	x->m = m;
	x->p = f->value.p;
	x->len = f->value.len;
	x->off = f->value_offset;
}

/* ------------------------------------------------------------------ */
/* Authentication-Results and ARC-Authentication-Results              */
/* ------------------------------------------------------------------ */

/* props - the reason and properties of one resinfo, up to ';'. */
static int
props(struct lx *x, struct mt_auth_method *me)
{
	for (;;) {
		struct mt_str k, v;
		struct mt_kv *kv;

		cfws(x);
		if (eof(x) || peek(x) == ';')
			return 0;
		k = keyword(x);
		cfws(x);
		if (k.len > 0 && peek(x) == '.') {
			/* RFC 8601 2.2: CFWS may surround the '.' of
			 * ptype.property */
			struct mt_str p2;

			x->pos++;
			cfws(x);
			p2 = keyword(x);
			cfws(x);
			k = mt_arena_printf(&x->m->arena, "%.*s.%.*s",
			    (int)k.len, k.p, (int)p2.len, p2.p);
		}
		if (k.len == 0 || peek(x) != '=') {
			skip_item(x);
			return 0;
		}
		x->pos++;
		cfws(x);
		v = pvalue(x);
		if (mt_str_ieq_c(k, "reason")) {
			me->reason = clean(x, v);
			continue;
		}
		if (me->props.n >= MT_MAX_AUTH_ITEMS) {
			mt_anomaly_add(x->m, MT_AN_AUTH_ITEMS_TRUNCATED, x->off);
			continue;
		}
		if ((kv = mt_vec_push(&x->m->arena, &me->props)) == NULL)
			return -1;
		kv->name = lower(x, k);
		kv->value = clean(x, v);
	}
}

/*
 * resinfo - one "method[/version]=result [reason=...] [ptype.prop=...]"
 * (RFC 8601 2.2).  Returns 0, -1 when out of memory.
 */
static int
resinfo(struct lx *x, struct mt_auth_res *res)
{
	struct mt_auth_method *me;
	struct mt_str meth, ver = MT_STR_NULL, result;

	cfws(x);
	x->ncom = 0;
	meth = keyword(x);
	cfws(x);
	if (meth.len == 0) {
		skip_item(x);
		return 0;
	}
	if (peek(x) == '/') {
		x->pos++;
		cfws(x);
		ver = keyword(x);
		cfws(x);
	}
	if (peek(x) != '=') {
		/* RFC 8601 2.2 no-result: "authserv-id; none" */
		if (mt_str_ieq_c(meth, "none") && (eof(x) || peek(x) == ';')) {
			res->none = true;
			return 0;
		}
		skip_item(x);
		return 0;
	}
	x->pos++;
	cfws(x);
	result = keyword(x);
	if (result.len == 0) {
		skip_item(x);
		return 0;
	}
	if (res->methods.n >= MT_MAX_AUTH_ITEMS) {
		mt_anomaly_add(x->m, MT_AN_AUTH_ITEMS_TRUNCATED, x->off);
		skip_item(x);
		return 0;
	}
	if ((me = mt_vec_push(&x->m->arena, &res->methods)) == NULL)
		return -1;
	me->method = lower(x, meth);
	me->version = ver.len > 0 ? clean(x, ver) : MT_STR_NULL;
	me->result = lower(x, result);
	if (props(x, me) != 0)
		return -1;
	me->comment = comment(x);
	return x->m->arena.failed ? -1 : 0;
}

/* instance - ARC's "i=N;" before the payload (RFC 8617 4.1.1); -1 when
 * absent or out of syntax. */
static long
instance(struct lx *x)
{
	struct mt_str k, v;
	long i;
	size_t save;

	cfws(x);
	save = x->pos;
	k = keyword(x);
	cfws(x);
	if (!mt_str_ieq_c(k, "i") || peek(x) != '=') {
		x->pos = save;
		malformed(x);
		return -1;
	}
	x->pos++;
	cfws(x);
	v = keyword(x);
	cfws(x);
	if (!mt_parse_int(v, 1, 1024, &i)) {
		malformed(x);
		i = -1;
	}
	if (peek(x) == ';')
		x->pos++;
	return i;
}

/* ar_field - one Authentication-Results or ARC-Authentication-Results. */
static int
ar_field(struct mt_msg *m, const struct mt_field *f, bool arc)
{
	struct mt_auth_res *res;
	struct lx x;
	struct mt_str id = MT_STR_NULL, ver;
	size_t save;
	bool first = true;

	if ((res = mt_vec_push(&m->arena, &m->auth.results)) == NULL)
		return -1;
	res->arc = arc;
	res->instance = -1;
	res->header_index = f->index;
	res->offset = f->offset;
	lx_init(&x, m, f);
	if (arc)
		res->instance = instance(&x);
	cfws(&x);
	/* authserv-id, unless the writer gave none and starts with a
	 * method (Exchange Online: "spf=pass ...; dkim=none ...") */
	save = x.pos;
	id = peek(&x) == '"' ? quoted(&x) : token(&x);
	cfws(&x);
	if (peek(&x) == '=' || peek(&x) == '/') {
		x.pos = save;	/* lenient: no authserv-id */
		id = MT_STR_NULL;
	} else {
		if (id.len == 0)
			malformed(&x);
		res->authserv_id = id.len > 0 ? lower(&x, id) : MT_STR_NULL;
		/* authres-version */
		save = x.pos;
		ver = keyword(&x);
		if (ver.len == 0 || !mt_is((unsigned char)ver.p[0], MT_C_DIGIT))
			x.pos = save;
		cfws(&x);
		first = false;
	}
	x.ncom = 0;
	while (!eof(&x)) {
		if (peek(&x) == ';')
			x.pos++;
		else if (!first) {
			skip_item(&x);
			continue;
		}
		first = false;
		cfws(&x);
		if (eof(&x))
			break;
		if (resinfo(&x, res) != 0)
			return -1;
	}
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* ARC-Seal (and ARC-Message-Signature for the instance count)        */
/* ------------------------------------------------------------------ */

struct seal {
	long		 i;
	struct mt_str	 d, cv;
};

/* arc_fields - the ARC sets as claimed: instances, the cv= of the highest
 * seal, and who sealed each instance. */
static int
arc_fields(struct mt_msg *m)
{
	struct mt_dkim_tag tags[32];
	struct seal seals[64];
	size_t nseals = 0, i, j;
	long top = 0;
	bool any = false;

	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];
		const struct mt_dkim_tag *t;
		bool seal = mt_str_ieq_c(f->name, "ARC-Seal");
		unsigned flags;
		size_t n;
		long inst;

		if (!seal && !mt_str_ieq_c(f->name, "ARC-Message-Signature") &&
		    !mt_str_ieq_c(f->name, "ARC-Authentication-Results"))
			continue;
		any = true;
		if (mt_str_ieq_c(f->name, "ARC-Authentication-Results"))
			continue;	/* its i= is read with its results */
		n = mt_dkim_tags(f->value.p, f->value.len, tags, 32, &flags);
		if (flags & (MT_TAGS_BAD | MT_TAGS_DUP))
			mt_anomaly_add(m, MT_AN_AUTH_MALFORMED, f->value_offset);
		if ((t = mt_dkim_tag(tags, n, "i")) == NULL ||
		    !mt_parse_int(mt_str_trim(t->value), 1, 1024, &inst)) {
			mt_anomaly_add(m, MT_AN_AUTH_MALFORMED, f->value_offset);
			continue;
		}
		if (inst > top)
			top = inst;
		if (!seal || nseals == sizeof(seals) / sizeof(seals[0]))
			continue;
		seals[nseals].i = inst;
		t = mt_dkim_tag(tags, n, "d");
		seals[nseals].d = t ? t->value : MT_STR_NULL;
		t = mt_dkim_tag(tags, n, "cv");
		seals[nseals].cv = t ? t->value : MT_STR_NULL;
		nseals++;
	}
	for (i = 0; i < m->auth.results.n; i++)
		if (m->auth.results.v[i].instance > top)
			top = m->auth.results.v[i].instance;
	if (!any)
		return 0;
	m->auth.has_arc = true;
	m->auth.arc.instances = (size_t)top;
	/* sealers in instance order, i=1 first */
	for (j = 1; j <= (size_t)top && j <= 64; j++)
		for (i = 0; i < nseals; i++) {
			struct mt_str *d;
			bool bad = false;

			if (seals[i].i != (long)j)
				continue;
			if ((d = mt_vec_push(&m->arena, &m->auth.arc.sealers)) ==
			    NULL)
				return -1;
			*d = seals[i].d.p ? mt_arena_lower(&m->arena,
			    mt_utf8_clean(&m->arena, seals[i].d.p,
			    seals[i].d.len, &bad)) : MT_STR_LIT("");
			/* RFC 8617 4.1.3: cv= is none, fail or pass */
			if ((long)j == top && seals[i].cv.p != NULL) {
				struct mt_str cv = mt_str_trim(seals[i].cv);

				if (mt_str_ieq_c(cv, "pass"))
					m->auth.arc.chain_claimed =
					    MT_STR_LIT("pass");
				else if (mt_str_ieq_c(cv, "fail"))
					m->auth.arc.chain_claimed =
					    MT_STR_LIT("fail");
				else if (mt_str_ieq_c(cv, "none"))
					m->auth.arc.chain_claimed =
					    MT_STR_LIT("none");
			}
			break;
		}
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Received-SPF                                                       */
/* ------------------------------------------------------------------ */

/* first_ip - the first word of s that is an IP address, canonical. */
static struct mt_str
first_ip(struct mt_msg *m, struct mt_str s)
{
	size_t i = 0;

	while (i < s.len) {
		size_t j;
		struct mt_ip ip;
		char buf[64];

		while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t' ||
		    s.p[i] == '[' || s.p[i] == '('))
			i++;
		for (j = i; j < s.len && s.p[j] != ' ' && s.p[j] != '\t' &&
		    s.p[j] != ']' && s.p[j] != ')' && s.p[j] != ','; j++)
			;
		if (j > i && mt_ip_parse(mt_str(s.p + i, j - i), &ip)) {
			mt_ip_format(&ip, buf, sizeof(buf));
			return mt_arena_dupz(&m->arena, buf);
		}
		i = j + 1;
	}
	return MT_STR_NULL;
}

/* canon_ip - s as a canonical address, or s itself when it is none. */
static struct mt_str
canon_ip(struct mt_msg *m, struct mt_str s)
{
	struct mt_ip ip;
	char buf[64];

	if (s.p == NULL)
		return s;
	if (s.len > 2 && s.p[0] == '[' && s.p[s.len - 1] == ']')
		s = mt_str(s.p + 1, s.len - 2);
	if (!mt_ip_parse(s, &ip))
		return s;
	mt_ip_format(&ip, buf, sizeof(buf));
	return mt_arena_dupz(&m->arena, buf);
}

/*
 * spf_field - Received-SPF: result [comment] key=value; ... (RFC 7208
 * 9.1).  Leniency (marked): a missing receiver= is read from the comment's
 * "host:" prefix, a missing client-ip= from the first address in the
 * comment (Exchange Online writes neither key on a softfail).
 */
static int
spf_field(struct mt_msg *m, const struct mt_field *f)
{
	struct mt_auth_spf *s;
	struct lx x;
	struct mt_str r;
	size_t items = 0;

	if ((s = mt_vec_push(&m->arena, &m->auth.spf)) == NULL)
		return -1;
	s->header_index = f->index;
	s->offset = f->offset;
	lx_init(&x, m, f);
	cfws(&x);
	x.ncom = 0;
	r = keyword(&x);
	if (r.len == 0)
		malformed(&x);
	else
		s->result = lower(&x, r);
	cfws(&x);
	s->comment = comment(&x);
	while (!eof(&x)) {
		struct mt_str k, v;

		cfws(&x);
		if (peek(&x) == ';') {
			x.pos++;
			continue;
		}
		if (eof(&x))
			break;
		k = keyword(&x);
		cfws(&x);
		if (k.len == 0 || peek(&x) != '=') {
			skip_item(&x);
			continue;
		}
		x.pos++;
		cfws(&x);
		v = clean(&x, pvalue(&x));
		if (++items > MT_MAX_AUTH_ITEMS) {
			mt_anomaly_add(m, MT_AN_AUTH_ITEMS_TRUNCATED, x.off);
			break;
		}
		if (mt_str_ieq_c(k, "client-ip"))
			s->client_ip = canon_ip(m, v);
		else if (mt_str_ieq_c(k, "envelope-from"))
			s->envelope_from = v;
		else if (mt_str_ieq_c(k, "helo"))
			s->helo = mt_arena_lower(&m->arena, v);
		else if (mt_str_ieq_c(k, "receiver") &&
		    !mt_str_ieq_c(v, "<UNKNOWN>"))	/* pypolicyd-spf */
			s->receiver = mt_arena_lower(&m->arena, v);
		else if (mt_str_ieq_c(k, "identity"))
			s->identity = v;
		else if (mt_str_ieq_c(k, "mechanism"))
			s->mechanism = v;
		else if (mt_str_ieq_c(k, "problem"))
			s->problem = v;
	}
	if (s->receiver.p == NULL && s->comment.p != NULL) {
		long c = mt_str_ifind(s->comment, ":");
		struct mt_str h = c > 0 ? mt_str_trim(mt_str(s->comment.p,
		    (size_t)c)) : MT_STR_NULL;

		if (h.len > 0 && mt_dom_is_fqdn(h) &&
		    memchr(h.p, ' ', h.len) == NULL)
			s->receiver = mt_arena_lower(&m->arena, h);
	}
	if (s->client_ip.p == NULL && s->comment.p != NULL)
		s->client_ip = first_ip(m, s->comment);
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Vendor stamps                                                      */
/* ------------------------------------------------------------------ */

struct vx {
	struct mt_msg		*m;
	struct mt_auth_vendor	*v;
	const struct mt_field	*f;
	bool			 cut;
};

/* vfield - add a field to a stamp (trimmed, clean, capped). */
static int
vfield(struct vx *c, struct mt_str k, struct mt_str v)
{
	struct mt_kv *kv;
	bool bad = false;

	k = mt_str_trim(k);
	v = mt_str_trim(v);
	if (k.len == 0)
		return 0;
	if (c->v->fields.n >= MT_MAX_AUTH_ITEMS) {
		if (!c->cut)
			mt_anomaly_add(c->m, MT_AN_AUTH_ITEMS_TRUNCATED,
			    c->f->value_offset);
		c->cut = true;
		return 0;
	}
	if ((kv = mt_vec_push(&c->m->arena, &c->v->fields)) == NULL)
		return -1;
	kv->name = mt_utf8_clean(&c->m->arena, k.p, k.len, &bad);
	kv->value = mt_utf8_clean(&c->m->arena, v.p, v.len, &bad);
	if (bad)
		mt_anomaly_add(c->m, MT_AN_INVALID_UTF8, c->f->value_offset);
	return c->m->arena.failed ? -1 : 0;
}

/* v_pairs - "KEY:VALUE;KEY:VALUE;" (Microsoft). */
static int
v_pairs(struct vx *c, struct mt_str s)
{
	size_t i = 0;

	while (i < s.len) {
		size_t j = i, k;

		while (j < s.len && s.p[j] != ';')
			j++;
		for (k = i; k < j && s.p[k] != ':'; k++)
			;
		if (vfield(c, mt_str(s.p + i, k - i), k < j ?
		    mt_str(s.p + k + 1, j - k - 1) : MT_STR_LIT("")) != 0)
			return -1;
		i = j + 1;
	}
	return 0;
}

/* sep - a separator of "params" items. */
static bool
sep(int ch)
{
	return ch == ' ' || ch == '\t' || ch == ';' || ch == '\r' || ch == '\n';
}

/* v_params - "key=value key=\"value\"; ..." (Proofpoint, IronPort). */
static int
v_params(struct vx *c, struct mt_str s)
{
	size_t i = 0;

	while (i < s.len) {
		size_t k, vs, ve;

		while (i < s.len && sep((unsigned char)s.p[i]))
			i++;
		if (i == s.len)
			break;
		for (k = i; k < s.len && s.p[k] != '=' &&
		    !sep((unsigned char)s.p[k]); k++)
			;
		if (k == s.len || s.p[k] != '=') {
			if (vfield(c, mt_str(s.p + i, k - i), MT_STR_LIT("")))
				return -1;
			i = k;
			continue;
		}
		vs = k + 1;
		if (vs < s.len && s.p[vs] == '"') {
			for (ve = ++vs; ve < s.len && s.p[ve] != '"'; ve++)
				;
			if (vfield(c, mt_str(s.p + i, k - i),
			    mt_str(s.p + vs, ve - vs)) != 0)
				return -1;
			i = ve + 1;
			continue;
		}
		for (ve = vs; ve < s.len && !sep((unsigned char)s.p[ve]); ve++)
			;
		if (vfield(c, mt_str(s.p + i, k - i), mt_str(s.p + vs,
		    ve - vs)) != 0)
			return -1;
		i = ve;
	}
	return 0;
}

/*
 * v_spamassassin - "Yes, score=7.5 required=5.0 tests=A,B,\n\tC
 * autolearn=no version=3.4.6" (SpamAssassin, Barracuda): status, then
 * key=value words (keys lowercased), tests= joined across its folds.
 */
static int
v_spamassassin(struct vx *c, struct mt_str s)
{
	struct mt_arena *a = &c->m->arena;
	size_t i = 0, j;

	while (i < s.len && s.p[i] != ',' && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	if (i > 0 && vfield(c, MT_STR_LIT("status"), mt_str(s.p, i)) != 0)
		return -1;
	while (i < s.len) {
		size_t k;
		struct mt_str key;

		while (i < s.len && (s.p[i] == ',' || s.p[i] == ' ' ||
		    s.p[i] == '\t'))
			i++;
		for (k = i; k < s.len && s.p[k] != '=' && s.p[k] != ' ' &&
		    s.p[k] != '\t'; k++)
			;
		if (k == s.len || s.p[k] != '=') {
			i = k;	/* a word without '=' ("using global ...") */
			continue;
		}
		key = mt_arena_lower(a, mt_str(s.p + i, k - i));
		j = ++k;
		if (mt_str_eq(key, MT_STR_LIT("tests"))) {
			/* items end with ',' when the list goes on */
			char *d = mt_arena_alloc(a, s.len - k + 1);
			size_t n = 0;

			if (d == NULL)
				return -1;
			for (;;) {
				while (j < s.len && (s.p[j] == ' ' ||
				    s.p[j] == '\t'))
					j++;
				while (j < s.len && s.p[j] != ' ' &&
				    s.p[j] != '\t')
					d[n++] = s.p[j++];
				if (n == 0 || d[n - 1] != ',' || j == s.len)
					break;
			}
			if (n > 0 && d[n - 1] == ',')
				n--;
			if (vfield(c, key, mt_str(d, n)) != 0)
				return -1;
		} else {
			while (j < s.len && s.p[j] != ' ' && s.p[j] != '\t' &&
			    s.p[j] != ',')
				j++;
			if (vfield(c, key, mt_str(s.p + k, j - k)) != 0)
				return -1;
		}
		i = j;
	}
	return 0;
}

/*
 * v_rspamd - "default: False [-2.30 / 50.00]; SYMBOL(0.30)[options]; ..."
 * (X-Spamd-Result): metric, spam, score, required, symbols (names and
 * scores, without their options, joined by ',').
 */
static int
v_rspamd(struct vx *c, struct mt_str s)
{
	struct mt_arena *a = &c->m->arena;
	size_t i = 0, j, n = 0;
	char *sym;
	long lb, sl, rb;
	struct mt_str head;

	while (i < s.len && s.p[i] != ';')
		i++;
	head = mt_str(s.p, i);
	if ((j = (size_t)mt_str_ifind(head, ":")) != (size_t)-1) {
		struct mt_str rest = mt_str_trim(mt_str(head.p + j + 1,
		    head.len - j - 1));
		size_t w = 0;

		if (vfield(c, MT_STR_LIT("metric"), mt_str(head.p, j)) != 0)
			return -1;
		while (w < rest.len && rest.p[w] != ' ' && rest.p[w] != '[')
			w++;
		if (vfield(c, MT_STR_LIT("spam"), mt_str(rest.p, w)) != 0)
			return -1;
		lb = mt_str_ifind(rest, "[");
		sl = mt_str_ifind(rest, "/");
		rb = mt_str_ifind(rest, "]");
		if (lb >= 0 && sl > lb && rb > sl) {
			if (vfield(c, MT_STR_LIT("score"), mt_str(rest.p + lb +
			    1, (size_t)(sl - lb - 1))) != 0 ||
			    vfield(c, MT_STR_LIT("required"), mt_str(rest.p +
			    sl + 1, (size_t)(rb - sl - 1))) != 0)
				return -1;
		}
	} else
		mt_anomaly_add(c->m, MT_AN_AUTH_MALFORMED, c->f->value_offset);
	if ((sym = mt_arena_alloc(a, s.len + 1)) == NULL)
		return -1;
	while (i < s.len) {
		size_t k;
		int depth = 0;

		i++;
		while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		for (k = i; k < s.len && s.p[k] != '[' && s.p[k] != ';' &&
		    s.p[k] != ' '; k++)
			;
		if (k > i) {
			if (n > 0)
				sym[n++] = ',';
			memcpy(sym + n, s.p + i, k - i);
			n += k - i;
		}
		/* skip the options, up to the next ';' outside [] */
		for (i = k; i < s.len && (depth > 0 || s.p[i] != ';'); i++)
			if (s.p[i] == '[')
				depth++;
			else if (s.p[i] == ']' && depth > 0)
				depth--;
	}
	if (n > 0 && vfield(c, MT_STR_LIT("symbols"), mt_str(sym, n)) != 0)
		return -1;
	return 0;
}

/* add_note - a note line's TEXT as "KEY VALUE: TEXT" (TEXT alone for a
 * note on the stamp itself). */
static int
add_note(struct vx *c, const struct mt_kv *kv, const char *text)
{
	struct mt_str *n;

	if ((n = mt_vec_push(&c->m->arena, &c->v->notes)) == NULL)
		return -1;
	if (kv == NULL)
		*n = mt_arena_dupz(&c->m->arena, text);
	else
		*n = mt_arena_printf(&c->m->arena, "%.*s %.*s: %s",
		    (int)kv->name.len, kv->name.p, (int)(kv->value.len > 200 ?
		    200 : kv->value.len), kv->value.p, text);
	return c->m->arena.failed ? -1 : 0;
}

/* vendor_field - a stamp rules/vendor.rules knows: its fields and notes. */
static int
vendor_field(struct mt_msg *m, const struct mt_field *f,
    const struct mt_rules_stamp *st)
{
	struct vx c;
	struct mt_auth_vendor *v;
	const char *text;
	bool bad = false;
	size_t i;
	int rc = 0;

	if ((v = mt_vec_push(&m->arena, &m->auth.vendor)) == NULL)
		return -1;
	v->header = mt_utf8_clean(&m->arena, f->name.p, f->name.len, &bad);
	v->vendor = st->vendor;
	v->org = st->org;
	v->header_index = f->index;
	v->offset = f->offset;
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.v = v;
	c.f = f;
	if (strcmp(st->format, "pairs") == 0)
		rc = v_pairs(&c, f->value);
	else if (strcmp(st->format, "params") == 0)
		rc = v_params(&c, f->value);
	else if (strcmp(st->format, "value") == 0)
		rc = vfield(&c, mt_str(st->key, strlen(st->key)), f->value);
	else if (strcmp(st->format, "spamassassin") == 0)
		rc = v_spamassassin(&c, f->value);
	else if (strcmp(st->format, "rspamd") == 0)
		rc = v_rspamd(&c, f->value);
	if (rc != 0)
		return -1;
	if (m->ctx->rules == NULL)
		return 0;
	if ((text = mt_rules_note(m->ctx->rules, f->name, MT_STR_LIT("-"),
	    MT_STR_LIT("-"))) != NULL && add_note(&c, NULL, text) != 0)
		return -1;
	for (i = 0; i < v->fields.n; i++) {
		const struct mt_kv *kv = &v->fields.v[i];

		if ((text = mt_rules_note(m->ctx->rules, f->name, kv->name,
		    kv->value)) != NULL && add_note(&c, kv, text) != 0)
			return -1;
	}
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Phase 1 and the DKIM hook                                          */
/* ------------------------------------------------------------------ */

/* dkim_ready - the enrichment hook: verify with the keys once every
 * answer is in (MT_ENRICH_READY; also with DNS off, answers NULL). */
static int
dkim_ready(struct mt_msg *m, enum mt_enrich_event ev, void *arg)
{
	size_t i;

	(void)arg;
	if (ev != MT_ENRICH_READY)
		return 0;
	for (i = 0; i < m->auth.dkim.n; i++) {
		const struct mt_auth_dkim *s = &m->auth.dkim.v[i];

		if (!mt_dkim_needs_key(m, i))
			continue;
		if (mt_dkim_answer(m, i, mt_enrich_get(m, MT_DNS_TXT,
		    s->key_name.p), NULL) != 0)
			return -1;
	}
	m->auth.keys_done = true;
	mt_auth_dmarc(m);
	return m->arena.failed ? -1 : 0;
}

/* mt_auth_run - phase 1 of the authentication evidence; see mt.h. */
int
mt_auth_run(struct mt_msg *m, const struct mt_input *in)
{
	bool want = false;
	size_t i;

	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];
		const struct mt_rules_stamp *st;

		if (mt_str_ieq_c(f->name, "Authentication-Results")) {
			if (ar_field(m, f, false) != 0)
				return -1;
		} else if (mt_str_ieq_c(f->name,
		    "ARC-Authentication-Results")) {
			if (ar_field(m, f, true) != 0)
				return -1;
		} else if (mt_str_ieq_c(f->name, "Received-SPF")) {
			if (spf_field(m, f) != 0)
				return -1;
		} else if (m->ctx->rules != NULL &&
		    (st = mt_rules_stamp(m->ctx->rules, f->name)) != NULL) {
			if (vendor_field(m, f, st) != 0)
				return -1;
		}
	}
	if (arc_fields(m) != 0 || mt_dkim_run(m, in) != 0)
		return -1;
	/* the keys: asked now, read by the hook in phase 2 */
	for (i = 0; i < m->auth.dkim.n; i++) {
		if (!mt_dkim_needs_key(m, i))
			continue;
		want = true;
		if (mt_enrich_want(m, MT_DNS_TXT, m->auth.dkim.v[i].key_name.p)
		    != 0 && errno == ENOMEM)
			return -1;
	}
	if (want && mt_enrich_hook(m, dkim_ready, NULL) != 0)
		return -1;
	mt_auth_dmarc(m);
	return m->arena.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Trust                                                              */
/* ------------------------------------------------------------------ */

static struct mt_str dom_of(struct mt_str a);

/* The recipient side's registrable domains, from the boundary hop up. */
struct side {
	struct mt_msg	*m;
	struct mt_str	 dom[32];
	size_t		 n;
};

/* same_org - one registrable domain, or two one "org" rule lists. */
static bool
same_org(struct mt_msg *m, struct mt_str a, struct mt_str b)
{
	const char *oa, *ob;

	if (a.p == NULL || b.p == NULL)
		return false;
	if (mt_str_ieq(a, b))
		return true;
	oa = mt_rules_org(m->ctx->rules, a);
	ob = oa ? mt_rules_org(m->ctx->rules, b) : NULL;
	return ob != NULL && strcmp(oa, ob) == 0;
}

/* ours - is the authserv-id (or SPF receiver) id the recipient side's. */
static bool
ours(struct side *sd, struct mt_str id)
{
	struct mt_str r;
	size_t i;

	if (id.p == NULL)
		return false;
	if (mt_rules_authserv(sd->m->ctx->rules, id))
		return true;
	/* a receiver may be a mailbox (pypolicyd-spf): its domain */
	r = mt_dom_registrable(sd->m->ctx, &sd->m->arena, dom_of(id));
	if (r.p == NULL)
		return false;
	for (i = 0; i < sd->n; i++)
		if (same_org(sd->m, sd->dom[i], r))
			return true;
	return false;
}

/* run_kind - the kind of field the boundary's own trace block may hold
 * below its Received field: 1 Authentication-Results, 2 Received-SPF,
 * else 0. */
static int
run_kind(const struct mt_field *f)
{
	if (mt_str_ieq_c(f->name, "Authentication-Results"))
		return 1;
	if (mt_str_ieq_c(f->name, "Received-SPF"))
		return 2;
	return 0;
}

/*
 * below_ok - is the field at header index idx, of kind k, with
 * authserv-id (or receiver) id, the boundary server's own although it
 * stands below the boundary's Received field?  Deliberate leniency: Gmail
 * writes Received, then Received-SPF and Authentication-Results under it.
 * Accepted only when: the field lies in the run of such fields right
 * under the boundary's Received, it is the first of its kind there, its
 * id is in the boundary host's registrable domain, and no field of its
 * kind from the recipient's side stands above the boundary (a server that
 * writes above would not also write below).  A sender's forged field at
 * the top of its own header comes after the receiver's own, or after
 * nothing when the receiver writes none (RFC 8601 5 makes the receiver
 * delete such fields claiming its authserv-id).
 */
static bool
below_ok(struct mt_msg *m, struct side *sd, size_t bidx, size_t idx, int k,
    struct mt_str id, struct mt_str breg)
{
	struct mt_str r;
	size_t i;

	if (id.p == NULL || breg.p == NULL || idx <= bidx)
		return false;
	for (i = bidx + 1; i < idx; i++)
		if (run_kind(&m->fields.v[i]) == 0 ||
		    run_kind(&m->fields.v[i]) == k)
			return false;	/* outside the run, or not the first */
	r = mt_dom_registrable(m->ctx, &m->arena, dom_of(id));
	if (r.p == NULL || !mt_str_eq(r, breg))
		return false;
	if (k == 1) {
		for (i = 0; i < m->auth.results.n; i++) {
			const struct mt_auth_res *o = &m->auth.results.v[i];

			if (!o->arc && o->header_index < bidx &&
			    (o->authserv_id.p == NULL || ours(sd, o->authserv_id)))
				return false;
		}
	} else {
		for (i = 0; i < m->auth.spf.n; i++) {
			const struct mt_auth_spf *o = &m->auth.spf.v[i];

			if (o->header_index < bidx && (o->receiver.p == NULL ||
			    ours(sd, o->receiver)))
				return false;
		}
	}
	return true;
}

/* mt_auth_trust - trusted flags from the boundary; see auth.h. */
void
mt_auth_trust(struct mt_msg *m)
{
	struct mt_auth *au = &m->auth;
	struct side sd;
	size_t i, bidx = 0;
	const char *borg = NULL;
	struct mt_str breg = MT_STR_NULL;
	bool b = m->has_boundary && m->boundary_hop < m->hops.n;

	memset(&sd, 0, sizeof(sd));
	sd.m = m;
	au->trust_done = true;
	if (b) {
		const struct mt_hop *bh = &m->hops.v[m->boundary_hop];

		bidx = bh->header_index;
		for (i = 0; i <= m->boundary_hop && sd.n < 32; i++) {
			struct mt_str r = mt_dom_registrable(m->ctx, &m->arena,
			    m->hops.v[i].by.host);

			if (r.p != NULL)
				sd.dom[sd.n++] = r;
		}
		breg = mt_dom_registrable(m->ctx, &m->arena, bh->by.host);
		borg = breg.p ? mt_rules_org(m->ctx->rules, breg) : NULL;
	}
	/*
	 * Above the boundary means a smaller header index: fields are
	 * prepended (RFC 5321 4.4, RFC 7208 9.1), so what stands above the
	 * boundary's Received field was added once the message was in.
	 * Leniency (marked): a result without authserv-id (Exchange Online
	 * writes none), a Received-SPF without receiver, are trusted by
	 * position alone; and see below_ok().
	 */
	for (i = 0; i < au->results.n; i++) {
		struct mt_auth_res *r = &au->results.v[i];

		r->trusted = b && ((r->header_index < bidx &&
		    (r->authserv_id.p == NULL || ours(&sd, r->authserv_id))) ||
		    (!r->arc && below_ok(m, &sd, bidx, r->header_index, 1,
		    r->authserv_id, breg)));
	}
	for (i = 0; i < au->spf.n; i++) {
		struct mt_auth_spf *s = &au->spf.v[i];

		s->trusted = b && ((s->header_index < bidx &&
		    (s->receiver.p == NULL || ours(&sd, s->receiver))) ||
		    below_ok(m, &sd, bidx, s->header_index, 2, s->receiver,
		    breg));
	}
	/* A stamp with org=ORG is the boundary operator's wherever it
	 * stands when the boundary host is ORG's (header firewall). */
	for (i = 0; i < au->vendor.n; i++) {
		struct mt_auth_vendor *v = &au->vendor.v[i];

		v->trusted = b && (v->header_index < bidx ||
		    (v->org != NULL && borg != NULL && strcmp(v->org, borg) ==
		    0));
	}
	mt_auth_dmarc(m);
}

/* ------------------------------------------------------------------ */
/* DMARC alignment                                                    */
/* ------------------------------------------------------------------ */

/* dom_of - the domain of an address ("a@b", "<a@b>", or a bare domain). */
static struct mt_str
dom_of(struct mt_str a)
{
	size_t i;

	if (a.p == NULL)
		return a;
	a = mt_str_trim(a);
	if (a.len >= 2 && a.p[0] == '<' && a.p[a.len - 1] == '>')
		a = mt_str(a.p + 1, a.len - 2);
	for (i = a.len; i > 0; i--)
		if (a.p[i - 1] == '@')
			return mt_str(a.p + i, a.len - i);
	return a;
}

/* aligned - relaxed alignment (RFC 7489 3.1.1): one registrable domain. */
static bool
aligned(struct mt_msg *m, struct mt_str from, struct mt_str d)
{
	struct mt_str a, b;

	if (from.len == 0 || d.len == 0)
		return false;
	if (mt_str_ieq(from, d))
		return true;
	a = mt_dom_registrable(m->ctx, &m->arena, from);
	b = mt_dom_registrable(m->ctx, &m->arena, d);
	return a.p != NULL && b.p != NULL && mt_str_eq(a, b);
}

/* spf_vote - fold one trusted SPF result into *state: a pass with an
 * aligned domain makes it true, any other result false (unless true). */
static void
spf_vote(struct mt_msg *m, struct mt_str from, struct mt_str result,
    struct mt_str mailfrom, struct mt_str helo, enum mt_tri *state)
{
	struct mt_str d = dom_of(mailfrom);

	/* RFC 7489 3.1.2: the MAIL FROM domain, HELO for a null sender */
	if (d.len == 0)
		d = helo;
	if (mt_str_ieq_c(result, "pass") && aligned(m, from, d))
		*state = MT_TRUE;
	else if (*state == MT_NULL)
		*state = MT_FALSE;
}

/* prop - the value of a result's property, or null. */
static struct mt_str
prop(const struct mt_auth_method *me, const char *name)
{
	size_t i;

	for (i = 0; i < me->props.n; i++)
		if (mt_str_ieq_c(me->props.v[i].name, name))
			return me->props.v[i].value;
	return MT_STR_NULL;
}

/* mt_auth_dmarc - DMARC alignment of the From domain; see auth.h. */
void
mt_auth_dmarc(struct mt_msg *m)
{
	struct mt_auth *au = &m->auth;
	struct mt_auth_dmarc *d = &au->dmarc;
	struct mt_str from = MT_STR_NULL;
	bool undecided = false;
	size_t i, j;

	if (m->sum.from.n > 0)
		from = dom_of(m->sum.from.v[0].address);
	au->has_dmarc = from.len > 0 && (au->dkim.n > 0 || au->spf.n > 0 ||
	    au->results.n > 0);
	if (!au->has_dmarc)
		return;
	d->from_domain = mt_arena_lower(&m->arena, from);
	/* DKIM: a verified pass of an aligned d=; null while an aligned
	 * signature could not be verified */
	d->dkim_aligned = MT_FALSE;
	for (i = 0; i < au->dkim.n; i++) {
		const struct mt_auth_dkim *s = &au->dkim.v[i];

		if (s->aligned != MT_TRUE)
			continue;
		if (s->result == MT_DKIM_PASS) {
			d->dkim_aligned = MT_TRUE;
			break;
		}
		if (s->result == MT_DKIM_NULL || s->result == MT_DKIM_TEMPERROR)
			undecided = true;
	}
	if (d->dkim_aligned != MT_TRUE && undecided)
		d->dkim_aligned = MT_NULL;
	/* SPF: trusted results only; null without any */
	d->spf_aligned = MT_NULL;
	for (i = 0; i < au->spf.n; i++) {
		const struct mt_auth_spf *s = &au->spf.v[i];

		if (s->trusted && s->result.p != NULL)
			spf_vote(m, from, s->result, s->envelope_from.p ?
			    s->envelope_from : s->identity, s->helo,
			    &d->spf_aligned);
	}
	for (i = 0; i < au->results.n; i++) {
		const struct mt_auth_res *r = &au->results.v[i];

		if (!r->trusted)
			continue;
		for (j = 0; j < r->methods.n; j++) {
			const struct mt_auth_method *me = &r->methods.v[j];

			if (mt_str_eq(me->method, MT_STR_LIT("spf")))
				spf_vote(m, from, me->result,
				    prop(me, "smtp.mailfrom"),
				    prop(me, "smtp.helo"), &d->spf_aligned);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Addresses against the origin                                       */
/* ------------------------------------------------------------------ */

/* add_check - record an address a stamp gives; NULL when it is none. */
static struct mt_auth_ipcheck *
add_check(struct mt_msg *m, const char *source, size_t header_index,
    uint64_t offset, struct mt_str text, bool trusted)
{
	struct mt_auth_ipcheck *c;
	struct mt_ip ip;
	char buf[64];

	if (text.p == NULL)
		return NULL;
	text = mt_str_trim(text);
	if (text.len > 2 && text.p[0] == '[' && text.p[text.len - 1] == ']')
		text = mt_str(text.p + 1, text.len - 2);
	if (!mt_ip_parse(text, &ip))
		return NULL;
	if ((c = mt_vec_push(&m->arena, &m->auth.ipchecks)) == NULL)
		return NULL;
	c->source = source;
	c->header_index = header_index;
	c->offset = offset;
	c->addr = ip;
	mt_ip_format(&ip, buf, sizeof(buf));
	c->ip = mt_arena_dupz(&m->arena, buf);
	c->trusted = trusted;
	c->hop = -1;
	return c;
}

/* client_of - the hop whose recorded client is ip, from the top; -1. */
static long
client_of(const struct mt_msg *m, const struct mt_ip *ip)
{
	size_t i;

	for (i = 0; i < m->hops.n; i++)
		if (m->hops.v[i].from.ip.p != NULL &&
		    memcmp(&m->hops.v[i].from.addr, ip, sizeof(*ip)) == 0)
			return (long)i;
	return -1;
}

/* is_local - private, loopback or link-local. */
static bool
is_local(const struct mt_ip *ip)
{
	enum mt_ip_class c = mt_ip_classify(ip);

	return c == MT_IPC_PRIVATE || c == MT_IPC_LOOPBACK ||
	    c == MT_IPC_LINK_LOCAL || c == MT_IPC_CGNAT;
}

/* judge_trusted - a trusted stamp's address against the origin. */
static void
judge_trusted(struct mt_msg *m, struct mt_auth_ipcheck *c)
{
	struct mt_arena *a = &m->arena;
	long h = client_of(m, &c->addr);

	c->hop = h;
	if (!m->has_origin) {
		c->state = MT_IPCHK_UNRELATED;
		c->why = MT_STR_LIT("no origin to compare with");
	} else if (h == (long)m->origin_hop) {
		c->state = MT_IPCHK_AGREES;
		c->why = mt_arena_printf(a, "the origin recorded by hop %ld",
		    h);
	} else if (h >= 0 && h < (long)m->origin_hop) {
		c->state = MT_IPCHK_INTERNAL;
		c->why = mt_arena_printf(a, "the client of hop %ld, above the "
		    "boundary: a check inside the recipient's side", h);
	} else if (h > (long)m->origin_hop) {
		c->state = MT_IPCHK_DEEPER;
		c->why = mt_arena_printf(a, "the client of hop %ld, below the "
		    "boundary: the recipient's filter trusted more of the "
		    "chain", h);
	} else if (is_local(&c->addr)) {
		c->state = MT_IPCHK_INTERNAL;
		c->why = MT_STR_LIT("a private address: a check inside the "
		    "recipient's network");
	} else if (m->hops.v[m->origin_hop].from.ip.p == NULL) {
		c->state = MT_IPCHK_UNRELATED;
		c->why = MT_STR_LIT("the boundary hop recorded no address");
	} else {
		c->state = MT_IPCHK_CONFLICT;
		c->why = mt_arena_printf(a, "no Received line records %s; the "
		    "boundary hop %zu recorded %s", c->ip.p, m->origin_hop,
		    m->hops.v[m->origin_hop].from.ip.p);
	}
}

/* submission - a hop that recorded a client submitting a message
 * (webmail over HTTP, authenticated SMTP). */
static bool
submission(const struct mt_hop *h)
{
	return h->auth == MT_TRUE || (h->with.p != NULL &&
	    (mt_str_istarts(h->with, "HTTP") ||
	    mt_str_ieq_c(h->with, "ESMTPA") || mt_str_ieq_c(h->with, "ESMTPSA") ||
	    mt_str_ieq_c(h->with, "ASMTP")));
}

/* judge_claimed - X-Originating-IP against the sender's own chain. */
static void
judge_claimed(struct mt_msg *m, struct mt_auth_ipcheck *c)
{
	struct mt_arena *a = &m->arena;
	long h = client_of(m, &c->addr);
	const struct mt_hop *bot = m->hops.n ? &m->hops.v[m->hops.n - 1] : NULL;

	c->hop = h;
	if (h >= 0) {
		c->state = MT_IPCHK_AGREES;
		c->why = mt_arena_printf(a, "the client hop %ld recorded", h);
	} else if (is_local(&c->addr)) {
		c->state = MT_IPCHK_UNRELATED;
		c->why = MT_STR_LIT("a private address: a client behind NAT");
	} else if (m->has_claimed && m->claimed_hop + 1 == m->hops.n &&
	    bot != NULL && submission(bot) && bot->from.ip.p != NULL &&
	    !is_local(&bot->from.addr)) {
		c->state = MT_IPCHK_CONFLICT;
		c->hop = (long)m->claimed_hop;
		c->why = mt_arena_printf(a, "hop %zu recorded the submission "
		    "from %s, not %s", m->claimed_hop, bot->from.ip.p, c->ip.p);
	} else {
		c->state = MT_IPCHK_UNRELATED;
		c->why = MT_STR_LIT("the chain does not show the submission");
	}
}

/* mt_auth_origin_check - stamps' addresses against the chain; auth.h. */
size_t
mt_auth_origin_check(struct mt_msg *m)
{
	struct mt_auth *au = &m->auth;
	size_t i, j, conflicts = 0;

	if (!au->trust_done)
		mt_auth_trust(m);
	au->ipchecks.n = 0;
	for (i = 0; i < au->spf.n; i++) {
		const struct mt_auth_spf *s = &au->spf.v[i];

		if (s->trusted)
			add_check(m, "Received-SPF client-ip", s->header_index,
			    s->offset, s->client_ip, true);
	}
	for (i = 0; i < au->results.n; i++) {
		const struct mt_auth_res *r = &au->results.v[i];
		const char *src = r->arc ? "ARC-Authentication-Results" :
		    "Authentication-Results";

		if (!r->trusted)
			continue;
		for (j = 0; j < r->methods.n; j++) {
			const struct mt_auth_method *me = &r->methods.v[j];
			struct mt_str ip = prop(me, "smtp.remote-ip");
			long at;

			if (ip.p == NULL)
				ip = prop(me, "smtp.client-ip");
			/* Exchange Online: "spf=pass (sender IP is X)" */
			if (ip.p == NULL && me->comment.p != NULL &&
			    (at = mt_str_ifind(me->comment, "sender IP is ")) >=
			    0)
				ip = first_ip(m, mt_str(me->comment.p + at + 13,
				    me->comment.len - (size_t)at - 13));
			if (add_check(m, src, r->header_index, r->offset, ip,
			    true) != NULL)
				break;	/* one address per field */
		}
	}
	for (i = 0; i < au->vendor.n; i++) {
		const struct mt_auth_vendor *v = &au->vendor.v[i];

		if (!v->trusted)
			continue;
		for (j = 0; j < v->fields.n; j++)
			if (mt_str_eq(v->fields.v[j].name, MT_STR_LIT("CIP")))
				add_check(m, "X-Forefront-Antispam-Report CIP",
				    v->header_index, v->offset,
				    v->fields.v[j].value, true);
	}
	for (i = 0; i < au->ipchecks.n; i++)
		judge_trusted(m, &au->ipchecks.v[i]);
	/* X-Originating-IP: the sender side's claim about its client */
	for (i = 0; i < m->fields.n; i++) {
		const struct mt_field *f = &m->fields.v[i];
		struct mt_auth_ipcheck *c;

		if (mt_str_ieq_c(f->name, "X-Originating-IP") &&
		    (c = add_check(m, "X-Originating-IP", f->index, f->offset,
		    f->value, false)) != NULL)
			judge_claimed(m, c);
	}
	for (i = 0; i < au->ipchecks.n; i++)
		conflicts += au->ipchecks.v[i].state == MT_IPCHK_CONFLICT;
	return conflicts;
}

/* finding - add ORIGIN_IP_CONFLICT about hop for check c (once per hop). */
static void
finding(struct mt_msg *m, const struct mt_auth_ipcheck *c, long hop)
{
	struct mt_finding *f;
	size_t i;

	for (i = 0; i < m->findings.n; i++)
		if (strcmp(m->findings.v[i].id, "ORIGIN_IP_CONFLICT") == 0 &&
		    m->findings.v[i].hop == hop)
			return;
	if ((f = mt_vec_push(&m->arena, &m->findings)) == NULL)
		return;
	f->id = "ORIGIN_IP_CONFLICT";
	f->sev = MT_SEV_MEDIUM;
	f->score = mt_rules_score(m->ctx->rules, "ORIGIN_IP_CONFLICT", 2.0);
	f->hop = hop;
	f->header_index = (long)c->header_index;
	f->offset = (int64_t)c->offset;
	if (c->trusted)
		f->detail = mt_arena_printf(&m->arena, "%s (header field %zu, "
		    "written by the recipient's side) names %s as the "
		    "connecting client, but no Received line records it: the "
		    "boundary hop %ld recorded %s.", c->source,
		    c->header_index, c->ip.p, hop, m->hops.v[hop].from.ip.p ?
		    m->hops.v[hop].from.ip.p : "no address");
	else
		f->detail = mt_arena_printf(&m->arena, "X-Originating-IP "
		    "(header field %zu) names %s as the submitting client, "
		    "but hop %ld, the bottom of the sender's chain, recorded "
		    "the submission from %s.", c->header_index, c->ip.p, hop,
		    m->hops.v[hop].from.ip.p);
}

/* mt_auth_findings - ORIGIN_IP_CONFLICT from the checks; see auth.h. */
void
mt_auth_findings(struct mt_msg *m)
{
	size_t i;

	if (m->auth.ipchecks.n == 0)
		mt_auth_origin_check(m);
	for (i = 0; i < m->auth.ipchecks.n; i++) {
		const struct mt_auth_ipcheck *c = &m->auth.ipchecks.v[i];

		long hop = c->trusted ? (long)m->origin_hop : c->hop;

		if (c->state != MT_IPCHK_CONFLICT || (c->trusted &&
		    !m->has_origin) || hop < 0 || (size_t)hop >= m->hops.n)
			continue;
		finding(m, c, hop);
	}
}

/* mt_auth_ipchk_name - the record's name of a check state. */
const char *
mt_auth_ipchk_name(enum mt_ipchk s)
{
	static const char *const names[] = {
		[MT_IPCHK_UNCHECKED] = NULL,
		[MT_IPCHK_AGREES] = "agrees",
		[MT_IPCHK_INTERNAL] = "internal",
		[MT_IPCHK_DEEPER] = "deeper",
		[MT_IPCHK_CONFLICT] = "conflict",
		[MT_IPCHK_UNRELATED] = "unrelated",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] :
	    NULL;
}
