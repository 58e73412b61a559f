/*
 * header.c - split the header section into fields (RFC 5322 section 2.2).
 *
 * One pass over the bytes: line ends are found with memchr (LF, CRLF and a
 * lone CR all end a line, as the splitter reads them), each field line
 * opens a field, each line starting with WSP continues it (section 2.2.3),
 * and the first empty line ends the header.  Fields and their unfolded
 * values live in the message arena; nothing is malloc'd per field.
 *
 * Broken input is evidence, never a reason to stop: bare CRs, mixed line
 * ends, NUL and 8-bit bytes, lines that are no field, and the caps of
 * limits.h are recorded as anomalies at their byte offset in the message
 * (the header starts at message offset 0) and parsing goes on.
 */
#include <string.h>

#include "mt.h"

/* Line-end kinds, to notice a message that mixes them. */
enum { END_NONE, END_LF, END_CRLF, END_CR };

struct hp {
	struct mt_msg	*m;
	const char	*p;		/* the caller's bytes */
	size_t		 len;
	size_t		 nl, cr, nul;	/* next LF, CR, NUL at or after the
					 * cursor (len: none left; SIZE_MAX:
					 * to be searched) */
	int		 kind;		/* first line-end kind seen */
	bool		 mixed, bare_cr;

	bool		 open;		/* a field is being read */
	bool		 cut;		/* it hit MT_MAX_FIELD_LEN */
	bool		 folded;	/* it has continuation lines */
	bool		 skip;		/* continuation lines are dropped */
	bool		 any;		/* a field was seen */
	bool		 full;		/* MT_MAX_FIELDS reached */
	size_t		 start;		/* the open field: first byte */
	size_t		 name_end;	/* end of its name */
	size_t		 colon;		/* its colon */
	size_t		 end;		/* end of its last line, no line end */
};

/*
 * note - record an anomaly.  Once the message's list is full, count it
 * without the list's duplicate scan, so a header of a million broken lines
 * stays linear.
 */
static void
note(struct hp *h, enum mt_anomaly_code code, size_t off)
{
	struct mt_msg *m = h->m;

	if (m->anomalies.n >= MT_MAX_ANOMALIES) {
		m->anomalies_dropped++;
		return;
	}
	mt_anomaly_add(m, code, off);
}

/* next - offset of the next ch at or after from, or len; cache is the
 * previous answer (SIZE_MAX: none yet), so every byte is searched at most
 * once per ch and lone-CR or LF-only input stays linear. */
static size_t
next(const struct hp *h, size_t *cache, size_t from, int ch)
{
	const char *q;

	if (*cache != SIZE_MAX && *cache >= from)
		return *cache;
	q = memchr(h->p + from, ch, h->len - from);
	*cache = q != NULL ? (size_t)(q - h->p) : h->len;
	return *cache;
}

/* ending - note the kind of the line end at off (MIXED once, BARE_CR once). */
static void
ending(struct hp *h, int kind, size_t off)
{
	if (kind == END_CR && !h->bare_cr) {
		h->bare_cr = true;
		note(h, MT_AN_BARE_CR, off);
	}
	if (h->kind == END_NONE)
		h->kind = kind;
	else if (kind != h->kind && !h->mixed) {
		h->mixed = true;
		note(h, MT_AN_MIXED_LINE_ENDINGS, off);
	}
}

/* high - index of the first byte >= 0x80 in p, or n; eight at a time. */
static size_t
high(const unsigned char *p, size_t n)
{
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	for (; i < n; i++)
		if (p[i] & 0x80)
			return i;
	return n;
}

/* upto - offset of the next ch in [from, end), or end; *cache keeps the
 * last answer (SIZE_MAX: none yet) so a folded field is searched once. */
static size_t
upto(const char *p, size_t from, size_t end, int ch, size_t *cache)
{
	const char *q;

	if (*cache != SIZE_MAX && *cache >= from)
		return *cache;
	q = memchr(p + from, ch, end - from);
	*cache = q != NULL ? (size_t)(q - p) : end;
	return *cache;
}

/*
 * finish - store the open field: raw text, and the value unfolded (the
 * CR/LF of each fold removed, WSP kept, section 2.2.3) and trimmed.  The
 * body is copied a line at a time with memcpy.
 */
static int
finish(struct hp *h)
{
	const unsigned char *u = (const unsigned char *)h->p;
	struct mt_field *f;
	size_t end = h->end, i, o = 0, first8 = SIZE_MAX, vstart = SIZE_MAX;
	size_t b = h->colon + 1, lead, lf = SIZE_MAX, cr = SIZE_MAX, se, k;
	char *d;

	h->open = false;
	/* A cut may fall inside a line end; raw never ends with one. */
	while (end > b && (u[end - 1] == '\r' || u[end - 1] == '\n'))
		end--;
	if ((f = mt_vec_push(&h->m->arena, &h->m->fields)) == NULL)
		return -1;
	if ((d = mt_arena_alloc(&h->m->arena, end - b + 1)) == NULL)
		return -1;
	for (i = b; i < end; i = se) {
		se = end;	/* one line: no line end inside */
		if (h->folded) {
			se = upto(h->p, i, end, '\n', &lf);
			if ((k = upto(h->p, i, end, '\r', &cr)) < se)
				se = k;
		}
		memcpy(d + o, u + i, se - i);
		o += se - i;
		if (first8 == SIZE_MAX && (k = high(u + i, se - i)) < se - i)
			first8 = i + k;
		for (k = i; vstart == SIZE_MAX && k < se; k++)
			if (u[k] != ' ' && u[k] != '\t')
				vstart = k;
		while (se < end && (u[se] == '\r' || u[se] == '\n'))
			se++;
	}
	lead = 0;
	while (lead < o && (d[lead] == ' ' || d[lead] == '\t'))
		lead++;
	while (o > lead && (d[o - 1] == ' ' || d[o - 1] == '\t'))
		o--;
	d[o] = '\0';
	f->name = mt_str(h->p + h->start, h->name_end - h->start);
	f->raw = mt_str(h->p + h->start, end - h->start);
	f->value = mt_str(d + lead, o - lead);
	f->offset = h->start;
	f->value_offset = vstart != SIZE_MAX ? vstart : end;
	f->index = h->m->fields.n - 1;
	if (first8 != SIZE_MAX)
		note(h, MT_AN_EIGHT_BIT_HEADER, first8);
	if (f->value.len == 0)
		note(h, MT_AN_EMPTY_FIELD, h->start);	/* accepted */
	return 0;
}

/* extend - let the open field reach le, cutting it at MT_MAX_FIELD_LEN. */
static void
extend(struct hp *h, size_t le)
{
	if (le - h->start > MT_MAX_FIELD_LEN) {
		h->end = h->start + MT_MAX_FIELD_LEN;
		h->cut = true;
		note(h, MT_AN_FIELD_TRUNCATED, h->end);
	} else
		h->end = le;
}

/*
 * field_line - a line that does not start with WSP: a new field, or a line
 * that is none.  Returns 1 when the header ends here (no blank line before
 * the body), 0 to go on, -1 when out of memory.
 */
static int
field_line(struct hp *h, size_t ls, size_t le)
{
	const char *colon = memchr(h->p + ls, ':', le - ls);
	size_t c = 0, ne = 0, i;
	bool ok = colon != NULL;

	if (h->open && finish(h) != 0)
		return -1;
	h->skip = false;
	if (ok) {
		c = (size_t)(colon - h->p);
		/* RFC 5322 4.5.8: obsolete WSP between name and colon. */
		for (ne = c; ne > ls && (h->p[ne - 1] == ' ' ||
		    h->p[ne - 1] == '\t'); ne--)
			;
		if (c - ls >= MT_MAX_FIELD_LEN)
			ok = false;	/* no name is that long */
		for (i = ls; ok && i < ne; i++)
			if (!mt_is((unsigned char)h->p[i], MT_C_FTEXT))
				ok = false;	/* "From a@b Tue 14:00" */
	}
	if (!ok) {
		if (ls == 0)
			note(h, MT_AN_NO_HEADER, 0);
		/* Without a blank line, the body begins at the first line
		 * that is not a field. */
		if (h->m->no_body_separator)
			return 1;
		note(h, MT_AN_LINE_WITHOUT_COLON, ls);
		h->skip = true;	/* and its continuation lines */
		return 0;
	}
	if (h->full || h->m->fields.n >= MT_MAX_FIELDS) {
		if (!h->full)
			note(h, MT_AN_FIELDS_TRUNCATED, ls);
		h->full = true;
		h->skip = true;
		return 0;
	}
	if (ne < c)
		note(h, MT_AN_OBS_WSP_BEFORE_COLON, ne);	/* accepted */
	if (ne == ls)
		note(h, MT_AN_EMPTY_FIELD_NAME, ls);
	h->open = true;
	h->any = true;
	h->cut = false;
	h->folded = false;
	h->start = ls;
	h->name_end = ne;
	h->colon = c;
	extend(h, le);
	return 0;
}

/* continuation - a line starting with WSP (RFC 5322 2.2.3 folding). */
static void
continuation(struct hp *h, size_t ls, size_t le)
{
	if (h->open) {
		if (!h->cut) {
			h->folded = true;
			extend(h, le);
		}
		return;
	}
	if (h->skip)
		return;
	if (!h->any) {
		if (ls == 0)
			note(h, MT_AN_NO_HEADER, 0);
		note(h, MT_AN_FOLDED_FIRST_LINE, ls);
		h->skip = true;	/* once for a run of such lines */
	}
}

/* mt_hdr_parse - split the header bytes into fields; see mt.h. */
int
mt_hdr_parse(struct mt_msg *m, const char *p, size_t len)
{
	struct hp h;
	size_t pos = 0, hend, i;
	struct mt_str copy;
	int r;

	memset(&h, 0, sizeof(h));
	h.m = m;
	h.p = p;
	h.len = len;
	h.nl = h.cr = h.nul = SIZE_MAX;
	hend = len;
	while (pos < len) {
		size_t ls = pos, le, lf, cr, tl = 0;

		lf = next(&h, &h.nl, pos, '\n');
		cr = next(&h, &h.cr, pos, '\r');
		le = lf < cr ? lf : cr;
		if (le < len) {
			if (p[le] == '\n') {
				tl = 1;
				ending(&h, END_LF, le);
			} else if (le + 1 < len && p[le + 1] == '\n') {
				tl = 2;
				ending(&h, END_CRLF, le);
			} else {
				tl = 1;
				ending(&h, END_CR, le);
			}
		}
		if (next(&h, &h.nul, pos, '\0') < le) {
			note(&h, MT_AN_NUL_BYTE, h.nul);	/* once a line */
			h.nul = SIZE_MAX;	/* search again after this line */
		}
		pos = le + tl;
		if (le == ls) {		/* the empty line: end of header */
			hend = pos;
			break;
		}
		if (p[ls] == ' ' || p[ls] == '\t') {
			continuation(&h, ls, le);
			continue;
		}
		if ((r = field_line(&h, ls, le)) < 0)
			return -1;
		if (r > 0) {
			hend = ls;
			break;
		}
	}
	if (h.open && finish(&h) != 0)
		return -1;
	if (m->fields.n == 0)
		note(&h, MT_AN_NO_HEADER, 0);	/* empty, or a blank first line */

	/* Keep the header bytes; point names and raw texts into the copy
	 * so the caller may free its buffer. */
	copy = mt_arena_dup(&m->arena, p, hend);
	if (m->arena.failed)
		return -1;
	m->hdr = copy.p;
	m->hdr_len = hend;
	for (i = 0; i < m->fields.n; i++) {
		struct mt_field *f = &m->fields.v[i];

		f->name.p = copy.p + (f->name.p - p);
		f->raw.p = copy.p + (f->raw.p - p);
	}
	return 0;
}

/* mt_hdr_find - first field called name, ASCII case-insensitive. */
const struct mt_field *
mt_hdr_find(const struct mt_msg *m, const char *name)
{
	struct mt_str n = mt_str(name, strlen(name));
	size_t i;

	for (i = 0; i < m->fields.n; i++)
		if (mt_str_ieq(m->fields.v[i].name, n))
			return &m->fields.v[i];
	return NULL;
}

/* mt_hdr_count - number of fields called name. */
size_t
mt_hdr_count(const struct mt_msg *m, const char *name)
{
	struct mt_str n = mt_str(name, strlen(name));
	size_t i, c = 0;

	for (i = 0; i < m->fields.n; i++)
		if (mt_str_ieq(m->fields.v[i].name, n))
			c++;
	return c;
}
