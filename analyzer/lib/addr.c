/*
 * addr.c - address lists: From, To, Cc, Reply-To, Sender (RFC 5322
 * section 3.4, with the obsolete forms of section 4.4).
 *
 * A small lexer turns the field body into atoms, quoted strings, domain
 * literals and specials, skipping CFWS (comments are remembered, because
 * old mail writes "tom@alpha.com.cn (Tom Lee)" and the comment is then the
 * only name there is).  The parser collects the tokens of one mailbox and
 * then decides what they were: a group, a name-addr, a bare addr-spec, or
 * something broken, which still gives its best guess and an
 * ADDRESS_MALFORMED anomaly.  Addresses are kept as written (no case
 * change), without angle brackets and CFWS.  Display names are decoded
 * (RFC 2047) to UTF-8.  Every string lives in the message arena.
 */
#include <string.h>

#include "mime.h"

enum { T_END, T_ATOM, T_QSTR, T_DLIT, T_SPEC };

struct tok {
	int	 type;
	int	 ch;		/* T_SPEC: which special */
	size_t	 s, e;		/* the token in the value */
	bool	 ws;		/* white space or a comment before it */
	bool	 open;		/* quoted string without its closing quote */
};

struct ap {
	struct mt_msg		*m;
	const char		*v;
	size_t			 len;
	uint64_t		 off;		/* value offset in the message */
	size_t			 pos;		/* lexer position */
	struct tok		 pk;		/* one token of lookahead */
	bool			 have;
	bool			 cmt;		/* a comment was seen... */
	size_t			 cs, ce;	/* ...this one, its content */
	bool			 deep;		/* COMMENT_TOO_DEEP noted */
	size_t			 noclose;	/* no ']' at or after this */
	bool			 group;		/* inside "name: ... ;" */
	MT_VEC(struct tok)	 toks;		/* the current mailbox */
	char			*buf;		/* scratch for names */
	struct mt_addr_list	*list;
	size_t			 pushed;
	bool			 stop;		/* MT_MAX_ADDRESSES reached */
	bool			 oom;
};

/*
 * bad - record ADDRESS_MALFORMED at value position at.  Once the message's
 * list is full, count it without the list's duplicate scan, so a field of
 * 64 KiB of stray specials stays linear.
 */
static void
bad(struct ap *a, size_t at)
{
	if (a->m->anomalies.n >= MT_MAX_ANOMALIES) {
		a->m->anomalies_dropped++;
		return;
	}
	mt_anomaly_add(a->m, MT_AN_ADDRESS_MALFORMED, a->off + at);
}

/* is_ws - linear white space (the value may still hold folds). */
static bool
is_ws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* stops - does ch end an atom: WSP, specials other than '.', '"', '('. */
static bool
stops(int ch)
{
	return is_ws(ch) || ch == '(' || ch == ')' || ch == '<' || ch == '>' ||
	    ch == '@' || ch == ',' || ch == ';' || ch == ':' || ch == '"' ||
	    ch == '[';
}

/*
 * comment - skip the comment at i (RFC 5322 3.2.2: nested, with quoted
 * pairs) and return the position after it; remember the first non-empty
 * one as a possible name.
 */
static size_t
comment(struct ap *a, size_t i)
{
	size_t j, depth = 0, k;

	for (j = i; j < a->len; j++) {
		int ch = (unsigned char)a->v[j];

		if (ch == '\\') {
			j++;
			continue;
		}
		if (ch == '(') {
			/* Depth is only counted, never recursed into; past
			 * the cap it is noted, and reading goes on. */
			if (++depth > MT_MAX_COMMENT_DEPTH && !a->deep) {
				a->deep = true;
				mt_anomaly_add(a->m, MT_AN_COMMENT_TOO_DEEP,
				    a->off + j);
			}
		} else if (ch == ')' && --depth == 0)
			break;
	}
	if (j >= a->len) {
		mt_anomaly_add(a->m, MT_AN_COMMENT_UNTERMINATED, a->off + i);
		j = a->len;
	}
	if (!a->cmt) {
		for (k = i + 1; k < j && is_ws((unsigned char)a->v[k]); k++)
			;
		if (k < j) {
			a->cmt = true;
			a->cs = i + 1;
			a->ce = j;
		}
	}
	return j < a->len ? j + 1 : j;
}

/*
 * ew_end - if an RFC 2047 encoded word starts at i, the position after its
 * "?=", else i.  Its text may hold spaces and quotes (broken mailers write
 * =?UTF-8?Q? "Name" ?=): it is kept as one atom, deliberate leniency, as
 * long as it crosses no '<', '>' or ','.
 */
static size_t
ew_end(const char *v, size_t len, size_t i)
{
	size_t k = i + 2;

	if (k >= len || v[i + 1] != '?')
		return i;
	while (k < len && v[k] != '?' && !stops((unsigned char)v[k]))
		k++;
	if (k == i + 2 || k + 2 >= len || v[k] != '?' || v[k + 2] != '?')
		return i;
	for (k += 3; k < len && v[k] != '?'; k++)
		if (v[k] == '<' || v[k] == '>' || v[k] == ',')
			return i;
	if (k + 1 >= len || v[k + 1] != '=')
		return i;
	return k + 2;
}

/* lex - read the next token after CFWS into t. */
static void
lex(struct ap *a, struct tok *t)
{
	const char *v = a->v;
	size_t n = a->len, i = a->pos, k;
	int ch;

	memset(t, 0, sizeof(*t));
	for (;;) {
		while (i < n && is_ws((unsigned char)v[i])) {
			i++;
			t->ws = true;
		}
		if (i < n && v[i] == '(') {
			i = comment(a, i);
			t->ws = true;
			continue;
		}
		break;
	}
	t->s = i;
	if (i >= n) {
		t->type = T_END;
		t->e = a->pos = n;
		return;
	}
	ch = (unsigned char)v[i];
	switch (ch) {
	case '"':	/* RFC 5322 3.2.4 */
		t->type = T_QSTR;
		for (i++; i < n && v[i] != '"'; i++)
			if (v[i] == '\\')
				i++;
		if (i >= n) {
			bad(a, t->s);
			t->open = true;
			i = n;
		} else
			i++;
		break;
	case '[':	/* RFC 5322 3.4.1 domain literal */
		k = n;
		if (i < a->noclose)
			for (k = i + 1; k < n && v[k] != ']'; k++)
				if (v[k] == '\\')
					k++;
		if (k < n) {
			t->type = T_DLIT;
			i = k + 1;
		} else {
			/* Unterminated: a stray '[', not the rest of the
			 * field; later ones are known to be stray too. */
			if (i < a->noclose)
				a->noclose = i;
			bad(a, i);
			t->type = T_ATOM;
			i++;
		}
		break;
	case ')': case '<': case '>': case '@': case ',': case ';': case ':':
		t->type = T_SPEC;
		t->ch = ch;
		i++;
		break;
	default:
		t->type = T_ATOM;
		if (ch == '=')
			i = ew_end(v, n, i);
		while (i < n && !stops((unsigned char)v[i]))
			i++;
		break;
	}
	t->e = a->pos = i;
}

/* peek - the next token, read once. */
static const struct tok *
peek(struct ap *a)
{
	if (!a->have) {
		lex(a, &a->pk);
		a->have = true;
	}
	return &a->pk;
}

/* take - consume the peeked token. */
static void
take(struct ap *a)
{
	a->have = false;
}

/* is_spec - is t the special ch. */
static bool
is_spec(const struct tok *t, int ch)
{
	return t->type == T_SPEC && t->ch == ch;
}

/*
 * glued - do tokens x and y belong to one addr-spec part: nothing between
 * them, or a dot or '@' beside CFWS (obs-local-part, obs-domain: RFC 5322
 * section 4.4).
 */
static bool
glued(const struct ap *a, const struct tok *x, const struct tok *y)
{
	return !y->ws || a->v[x->e - 1] == '.' || a->v[y->s] == '.' ||
	    is_spec(x, '@') || is_spec(y, '@');
}

/* unescape - copy [s, e) into the scratch at o without quoted-pair
 * backslashes; returns the new end. */
static size_t
unescape(struct ap *a, size_t s, size_t e, size_t o)
{
	for (; s < e; s++) {
		if (a->v[s] == '\\' && s + 1 < e)
			s++;
		a->buf[o++] = a->v[s];
	}
	return o;
}

/*
 * finish_name - decode a phrase built in the scratch; empty is null.  A
 * decoded name wrapped in quotes that were not in the phrase itself came
 * from inside an encoded word, and the quotes go: deliberate leniency.
 */
static struct mt_str
finish_name(struct ap *a, size_t o, size_t at)
{
	struct mt_str r;
	bool quoted = o >= 2 && a->buf[0] == '"' && a->buf[o - 1] == '"';

	r = mt_mime_decode_phrase(a->m, mt_str(a->buf, o), a->off + at);
	if (!quoted && r.len >= 2 && r.p[0] == '"' && r.p[r.len - 1] == '"') {
		r = mt_str_trim(mt_str(r.p + 1, r.len - 2));
		((char *)r.p)[r.len] = '\0';	/* our own arena copy */
	}
	return r.len > 0 ? r : MT_STR_NULL;
}

/*
 * name - the display name made of tokens [from, to) of the mailbox (words
 * joined by one space where CFWS separated them, RFC 5322 3.2.5); without
 * one, the first comment (the old "addr (Name)" form); else null.
 */
static struct mt_str
name(struct ap *a, size_t from, size_t to)
{
	struct mt_str r;
	size_t k, o = 0;

	for (k = from; k < to; k++) {
		const struct tok *t = &a->toks.v[k];

		if (k > from && t->ws)
			a->buf[o++] = ' ';
		if (t->type == T_QSTR)
			o = unescape(a, t->s + 1, t->open ? t->e : t->e - 1, o);
		else {
			memcpy(a->buf + o, a->v + t->s, t->e - t->s);
			o += t->e - t->s;
		}
	}
	if (from < to) {
		r = finish_name(a, o, a->toks.v[from].s);
		if (r.p != NULL)
			return r;
	}
	if (a->cmt)
		return finish_name(a, unescape(a, a->cs, a->ce, 0), a->cs);
	return MT_STR_NULL;
}

/* text - an arena copy of value bytes as valid UTF-8 (RFC 6532 allows
 * UTF-8 addresses; anything else is replaced). */
static struct mt_str
text(struct ap *a, const char *p, size_t n, size_t at)
{
	bool b;
	struct mt_str r = mt_utf8_clean(&a->m->arena, p, n, &b);

	if (b)
		mt_anomaly_add(a->m, MT_AN_INVALID_UTF8, a->off + at);
	return r;
}

/*
 * spec - the addr-spec of tokens [from, to): local-part "@" domain (RFC
 * 5322 3.4.1), rebuilt from the tokens without CFWS when it is one; as
 * written between the first and last token, with ADDRESS_MALFORMED, when
 * it is not.  Empty: null.
 */
static struct mt_str
spec(struct ap *a, size_t from, size_t to)
{
	const struct tok *t = a->toks.v;
	size_t k, at = SIZE_MAX, n = 0;
	bool ok = true;
	char *d;

	if (from >= to)
		return MT_STR_NULL;
	for (k = from; k < to; k++) {
		if (is_spec(&t[k], '@')) {
			if (at != SIZE_MAX)
				ok = false;
			at = k;
		} else if (t[k].type == T_SPEC || t[k].open ||
		    (t[k].type == T_DLIT && at == SIZE_MAX) ||
		    (t[k].type == T_QSTR && at != SIZE_MAX))
			ok = false;	/* a literal local part, a quoted domain */
		if (k > from && !glued(a, &t[k - 1], &t[k]))
			ok = false;
		n += t[k].e - t[k].s;
	}
	if (at == SIZE_MAX || at == from || at + 1 == to)
		ok = false;	/* no '@', no local part, no domain */
	if (!ok) {
		bad(a, t[from].s);
		return text(a, a->v + t[from].s, t[to - 1].e - t[from].s,
		    t[from].s);
	}
	if (t[to - 1].e - t[from].s == n)	/* no CFWS inside: as is */
		return text(a, a->v + t[from].s, n, t[from].s);
	if ((d = mt_arena_alloc(&a->m->arena, n + 1)) == NULL)
		return mt_str("", 0);
	for (n = 0, k = from; k < to; k++) {
		memcpy(d + n, a->v + t[k].s, t[k].e - t[k].s);
		n += t[k].e - t[k].s;
	}
	return text(a, d, n, t[from].s);
}

/* push - append an entry, unless MT_MAX_ADDRESSES were kept already. */
static void
push(struct ap *a, struct mt_str nm, struct mt_str addr, size_t at)
{
	struct mt_addr *e;

	if (a->pushed >= MT_MAX_ADDRESSES) {
		mt_anomaly_add(a->m, MT_AN_ADDRESSES_TRUNCATED, a->off + at);
		a->stop = true;
		return;
	}
	if ((e = mt_vec_push(&a->m->arena, a->list)) == NULL) {
		a->oom = true;
		return;
	}
	e->name = nm;
	e->address = addr;
	a->pushed++;
}

/* keep - add the peeked token to the mailbox's tokens and consume it. */
static void
keep(struct ap *a)
{
	struct tok *t = mt_vec_push(&a->m->arena, &a->toks);

	if (t == NULL)
		a->oom = true;
	else
		*t = *peek(a);
	take(a);
}

/* tail - skip what follows a complete mailbox up to the next separator. */
static void
tail(struct ap *a)
{
	const struct tok *t;
	bool noted = false;

	while ((t = peek(a))->type != T_END && !is_spec(t, ',') &&
	    !is_spec(t, ';')) {
		if (!noted)
			bad(a, t->s);
		noted = true;
		take(a);
	}
}

/*
 * angle - after "<": [obs-route] addr-spec ">" (RFC 5322 3.4, 4.4).  A
 * route "@a,@b:" is dropped.  A missing '>' ends the address at a ','
 * (outside a route) or at the end of the field.
 */
static struct mt_str
angle(struct ap *a, size_t lt)
{
	const struct tok *t;
	size_t base = a->toks.n, from, k;
	bool route = false;

	for (;;) {
		t = peek(a);
		if (is_spec(t, '>')) {
			take(a);
			break;
		}
		if (t->type == T_END || (is_spec(t, ',') && !route)) {
			bad(a, lt);	/* no '>' */
			break;
		}
		if (a->toks.n == base && is_spec(t, '@'))
			route = true;
		else if (route && is_spec(t, ':'))
			route = false;
		keep(a);
		if (a->oom)
			return MT_STR_NULL;
	}
	from = base;
	if (from < a->toks.n && is_spec(&a->toks.v[from], '@')) {
		for (k = from; k < a->toks.n; k++)
			if (is_spec(&a->toks.v[k], ':'))
				break;
		if (k < a->toks.n)
			from = k + 1;	/* obs-route: keep what follows */
	}
	if (from >= a->toks.n) {
		bad(a, lt);	/* "<>" in a From is no address */
		return MT_STR_NULL;
	}
	return spec(a, from, a->toks.n);
}

/*
 * bare - a mailbox without angle brackets that holds an '@': the addr-spec
 * is the run of glued tokens around the first '@'; words before it are a
 * name written without the brackets it needs (ADDRESS_MALFORMED), and
 * what follows it is junk.
 */
static void
bare(struct ap *a, size_t at)
{
	const struct tok *t = a->toks.v;
	size_t n = a->toks.n, ls = at, de = at + 1;
	struct mt_str addr, nm;

	while (ls > 0 && (t[ls - 1].type == T_ATOM ||
	    t[ls - 1].type == T_QSTR) && glued(a, &t[ls - 1], &t[ls]))
		ls--;
	while (de < n && (t[de].type == T_ATOM || t[de].type == T_DLIT ||
	    is_spec(&t[de], '@')) && glued(a, &t[de - 1], &t[de]))
		de++;
	addr = spec(a, ls, de);
	if (ls > 0)
		bad(a, t[0].s);
	if (de < n)
		bad(a, t[de].s);
	nm = name(a, 0, ls);
	push(a, nm, addr, t[0].s);
}

/*
 * mailbox - one address: collect tokens up to a separator, a '<' or a
 * group's ':', then decide what they were.
 */
static void
mailbox(struct ap *a)
{
	const struct tok *t;
	size_t at = SIZE_MAX, start = peek(a)->s, lt, n, k;
	struct mt_str addr, nm;

	a->toks.n = 0;
	for (;;) {
		t = peek(a);
		if (t->type == T_END || is_spec(t, ',') || is_spec(t, ';'))
			break;
		if (is_spec(t, ':') && !a->group && at == SIZE_MAX &&
		    a->toks.n > 0) {
			/* RFC 5322 3.4 group: its members follow; the
			 * group's own name is not an address. */
			take(a);
			a->group = true;
			a->cmt = false;
			return;
		}
		if (is_spec(t, '<')) {		/* name-addr */
			lt = t->s;
			take(a);
			n = a->toks.n;
			addr = angle(a, lt);
			if (a->oom)
				return;
			tail(a);
			/* "info@x.com <info@x.com>": specials in a phrase. */
			for (k = 0; k < n; k++)
				if (a->toks.v[k].type == T_SPEC) {
					bad(a, a->toks.v[k].s);
					break;
				}
			nm = name(a, 0, n);
			push(a, nm, addr, start);
			return;
		}
		if (is_spec(t, '@') && at == SIZE_MAX)
			at = a->toks.n;
		keep(a);
		if (a->oom)
			return;
	}
	if (a->toks.n == 0)
		return;		/* an empty element, or only a comment */
	if (at == SIZE_MAX) {
		/* A name and no address. */
		bad(a, start);
		nm = name(a, 0, a->toks.n);
		push(a, nm, MT_STR_NULL, start);
		return;
	}
	bare(a, at);
}

/* mt_addr_parse - parse an address-list field body into list; see mt.h. */
int
mt_addr_parse(struct mt_msg *m, struct mt_str value, uint64_t offset,
    struct mt_addr_list *list)
{
	struct ap a;
	const struct tok *t;

	if (value.p == NULL)
		return 0;
	memset(&a, 0, sizeof(a));
	a.m = m;
	a.v = value.p;
	a.len = value.len;
	a.off = offset;
	a.list = list;
	a.noclose = SIZE_MAX;
	if ((a.buf = mt_arena_alloc(&m->arena, value.len + 1)) == NULL)
		return -1;
	while (!a.stop && !a.oom && (t = peek(&a))->type != T_END) {
		if (is_spec(t, ',')) {		/* empty elements: obs-addr-list */
			take(&a);
			a.cmt = false;
		} else if (is_spec(t, ';')) {
			/* Ends a group; elsewhere it is Outlook's list
			 * separator: accepted, deliberate leniency. */
			if (!a.group)
				bad(&a, t->s);
			a.group = false;
			take(&a);
			a.cmt = false;
		} else if (is_spec(t, ')') || is_spec(t, '>') ||
		    is_spec(t, ':')) {
			bad(&a, t->s);
			if (is_spec(t, ':'))
				a.group = true;	/* a group without a name */
			take(&a);
		} else
			mailbox(&a);
	}
	if (a.group && !a.stop)
		bad(&a, value.len);	/* group without its ';' */
	return a.oom || m->arena.failed ? -1 : 0;
}
