/*
 * text.c - the terminal report of a message: a hop table newest on top,
 * the boundary and origin in one sentence, the findings with their
 * evidence, the verdict.  Fits 100 columns.
 *
 * Every byte that came from the message or from DNS passes through
 * term_put(), which escapes C0 and C1 controls, DEL, and the Unicode
 * bidirectional and invisible format characters, so no header or PTR name
 * can move the cursor, repaint the screen or reorder what is shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geoip.h"
#include "mt.h"

#define WIDTH 100

struct out {
	char	*p;
	size_t	 len, cap;
	bool	 failed;
	bool	 color;
	size_t	 col;		/* columns since the last newline */
	bool	 nocount;	/* put() counts its own columns */
};

/* grow - room for n more bytes. */
static bool
grow(struct out *o, size_t n)
{
	size_t ncap;
	char *np;

	if (o->failed)
		return false;
	if (o->len + n + 1 <= o->cap)
		return true;
	ncap = o->cap ? o->cap * 2 : 4096;
	while (ncap < o->len + n + 1)
		ncap *= 2;
	if ((np = realloc(o->p, ncap)) == NULL) {
		o->failed = true;
		return false;
	}
	o->p = np;
	o->cap = ncap;
	return true;
}

/* raw - append trusted bytes (our own text). */
static void
raw(struct out *o, const char *p, size_t n)
{
	if (!grow(o, n))
		return;
	memcpy(o->p + o->len, p, n);
	o->len += n;
	o->p[o->len] = '\0';
	if (!o->nocount) {
		size_t i;

		/* Our own text: ASCII, and U+2026 (one column). */
		for (i = 0; i < n; i++) {
			if (p[i] == '\n')
				o->col = 0;
			else if (((unsigned char)p[i] & 0xc0) != 0x80)
				o->col++;
		}
	}
}

/* rawf - printf our own text. */
static void
rawf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
rawf(struct out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		raw(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* sgr - a colour (SGR code), only when colours are on. */
static void
sgr(struct out *o, const char *code)
{
	if (o->color) {
		o->nocount = true;
		rawf(o, "\033[%sm", code);
		o->nocount = false;
	}
}

/* decode - the code point of the UTF-8 sequence at p (len left), its byte
 * length in *n; invalid bytes decode as themselves with *n = 1 and -1. */
static long
decode(const unsigned char *p, size_t len, size_t *n)
{
	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf && len >= 2 && (p[1] & 0xc0) == 0x80) {
		*n = 2;
		return ((long)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
	}
	if (p[0] >= 0xe0 && p[0] <= 0xef && len >= 3 &&
	    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
		long c = ((long)(p[0] & 0x0f) << 12) |
		    ((long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);

		if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
			*n = 3;
			return c;
		}
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4 && len >= 4 &&
	    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
	    (p[3] & 0xc0) == 0x80) {
		long c = ((long)(p[0] & 0x07) << 18) |
		    ((long)(p[1] & 0x3f) << 12) | ((long)(p[2] & 0x3f) << 6) |
		    (p[3] & 0x3f);

		if (c >= 0x10000 && c <= 0x10ffff) {
			*n = 4;
			return c;
		}
	}
	*n = 1;
	return -1;
}

/* unsafe - a code point that must not reach a terminal as itself: C0, DEL,
 * C1, and format characters that reorder or hide text (bidi embeddings,
 * overrides and isolates, marks, zero-width joiners, BOM). */
static bool
unsafe(long c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    c == 0x061c || c == 0x200b || c == 0x200c || c == 0x200d ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb);
}

/* cwidth - terminal columns of a printable code point (East Asian wide
 * and fullwidth forms take two; combining marks none). */
static int
cwidth(long c)
{
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * mt_text_escape - the displayable form of untrusted bytes: unsafe code
 * points and invalid bytes become visible escapes (\x1b, \u{202e}),
 * whitespace runs a single space.  Returns a malloc'd string and its width
 * in columns, or NULL when out of memory.
 */
char *
mt_text_escape(const char *p, size_t len, size_t *width)
{
	const unsigned char *u = (const unsigned char *)p;
	char *d = malloc(len * 10 + 1);
	size_t i = 0, o = 0, w = 0;
	bool space = false;

	if (d == NULL)
		return NULL;
	while (i < len) {
		size_t n;
		long c = decode(u + i, len - i, &n);

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			if (!space && o > 0) {
				d[o++] = ' ';
				w++;
			}
			space = true;
			i += n;
			continue;
		}
		space = false;
		if (c < 0) {
			o += (size_t)sprintf(d + o, "\\x%02x", u[i]);
			w += 4;
		} else if (unsafe(c)) {
			int k = c < 0x100 ? sprintf(d + o, "\\x%02lx", c) :
			    sprintf(d + o, "\\u{%lx}", c);

			o += (size_t)k;
			w += (size_t)k;
		} else {
			memcpy(d + o, u + i, n);
			o += n;
			w += (size_t)cwidth(c);
		}
		i += n;
	}
	while (o > 0 && d[o - 1] == ' ') {
		o--;
		w--;
	}
	d[o] = '\0';
	*width = w;
	return d;
}

/* put - untrusted text, elided in the middle to at most max columns and
 * padded to pad columns (0: no padding). */
static void
put(struct out *o, struct mt_str s, size_t max, size_t pad)
{
	size_t w, i, col;
	char *t;

	if (s.p == NULL) {
		t = strdup("-");
		w = 1;
	} else
		t = mt_text_escape(s.p, s.len, &w);
	if (t == NULL) {
		o->failed = true;
		return;
	}
	o->nocount = true;
	if (w <= max) {
		raw(o, t, strlen(t));
		col = w;
	} else {
		/* Keep the head and the tail: a host name's domain is at its
		 * end, an address's start says which one it is. */
		size_t head = (max - 1) / 2, tail = max - 1 - head, len = strlen(t);
		size_t hb = 0, tb = len, hw = 0, tw = 0, n;
		const unsigned char *u = (const unsigned char *)t;

		while (hb < len) {
			long c = decode(u + hb, len - hb, &n);
			int cw = c < 0 ? 1 : cwidth(c);

			if (hw + (size_t)cw > head)
				break;
			hw += (size_t)cw;
			hb += n;
		}
		/* Walk back over whole characters from the end. */
		while (tb > hb) {
			size_t b = tb - 1;
			long c;
			int cw;

			while (b > hb && (u[b] & 0xc0) == 0x80)
				b--;
			c = decode(u + b, tb - b, &n);
			cw = c < 0 ? 1 : cwidth(c);
			if (tw + (size_t)cw > tail)
				break;
			tw += (size_t)cw;
			tb = b;
		}
		raw(o, t, hb);
		raw(o, "\xe2\x80\xa6", 3);	/* U+2026, one column */
		raw(o, t + tb, len - tb);
		col = hw + 1 + tw;
	}
	o->nocount = false;
	o->col += col;
	for (i = col; i < pad; i++)
		raw(o, " ", 1);
	free(t);
}

/* putc_s - our own C string, padded. */
static void
puts_pad(struct out *o, const char *s, size_t pad)
{
	size_t n = strlen(s), i;

	raw(o, s, n);
	for (i = n; i < pad; i++)
		raw(o, " ", 1);
}

static const char *const trust_mark[] = {
	[MT_TRUST_NONE] = " ",
	[MT_TRUST_TRUSTED] = "T",
	[MT_TRUST_BOUNDARY] = "B",
	[MT_TRUST_UNTRUSTED] = "u",
	[MT_TRUST_INJECTED] = "X",
};

static const char *const sev_color[] = {
	[MT_SEV_INFO] = "2",
	[MT_SEV_LOW] = "36",
	[MT_SEV_MEDIUM] = "33",
	[MT_SEV_HIGH] = "1;31",
};

/* when - "2003-07-30 23:10:05" of a time, or dashes. */
static void
when(char *buf, size_t len, const struct mt_hop *h)
{
	char t[40];

	if (!h->has_time) {
		snprintf(buf, len, "%-19s", "-");
		return;
	}
	mt_date_format_utc(h->time, t, sizeof(t));
	t[10] = ' ';
	t[19] = '\0';
	snprintf(buf, len, "%s", t);
}

/* hop_lines - two lines of the hop table. */
static void
hop_lines(struct out *o, const struct mt_msg *m, const struct mt_hop *h)
{
	char t[40], zone[16], delay[24], proto[48];
	const struct mt_geo_info *g = h->geo;
	size_t i;

	when(t, sizeof(t), h);
	if (h->has_time && !h->time_no_zone)
		mt_date_format_offset(h->utc_offset, zone, sizeof(zone));
	else
		snprintf(zone, sizeof(zone), "-");
	if (h->has_delay)
		snprintf(delay, sizeof(delay), "%+llds", (long long)h->delay_s);
	else
		snprintf(delay, sizeof(delay), "-");
	if (h->trust == MT_TRUST_INJECTED)
		sgr(o, "31");
	else if (h->trust == MT_TRUST_BOUNDARY)
		sgr(o, "1");
	rawf(o, "%2zu %s %s %-5s %8s  ", h->index, trust_mark[h->trust], t,
	    zone, delay);
	/* Protocol with marks: + TLS, * authenticated. */
	snprintf(proto, sizeof(proto), "%s%s", h->tls == MT_TRUE ? "+" : "",
	    h->auth == MT_TRUE ? "*" : "");
	put(o, h->with, 18, 18);
	puts_pad(o, proto, 3);
	if (g != NULL && (g->country.p != NULL || g->asn >= 0)) {
		put(o, g->country, 2, 3);
		if (g->asn >= 0)
			rawf(o, "AS%ld", g->asn);
	}
	sgr(o, "0");
	while (o->len > 0 && o->p[o->len - 1] == ' ')
		o->len--;
	raw(o, "\n", 1);
	/* Second line: who handed it over, who wrote the line. */
	raw(o, "     from ", 10);
	if (!h->has_from)
		raw(o, "-", 1);
	else {
		/* As Postfix writes it: HELO (rDNS [address]). */
		put(o, h->from.helo, 22, 0);
		if (h->from.rdns.p != NULL || h->from.ip.p != NULL) {
			raw(o, " (", 2);
			if (h->from.rdns.p != NULL) {
				put(o, h->from.rdns, 22, 0);
				if (h->from.ip.p != NULL)
					raw(o, " ", 1);
			}
			if (h->from.ip.p != NULL) {
				raw(o, "[", 1);
				put(o, h->from.ip, 39, 0);
				raw(o, "]", 1);
			}
			raw(o, ")", 1);
		}
	}
	if (o->col + 4 + 30 > WIDTH)
		raw(o, "\n       ", 8);
	raw(o, " by ", 4);
	put(o, h->has_by ? (h->by.host.p ? h->by.host : h->by.ip) :
	    MT_STR_NULL, WIDTH - o->col > 40 ? 40 : WIDTH - o->col - 1, 0);
	for (i = 0; i < m->findings.n; i++)
		if (m->findings.v[i].hop == (long)h->index) {
			const char *id = m->findings.v[i].id;

			if (o->col + 1 + strlen(id) > WIDTH)
				raw(o, "\n     ", 6);
			sgr(o, sev_color[m->findings.v[i].sev]);
			rawf(o, " %s", id);
			sgr(o, "0");
		}
	raw(o, "\n", 1);
	if (h->parsed == MT_PARSED_UNPARSED || (h->parsed == MT_PARSED_PARTIAL &&
	    !h->has_from && !h->has_by)) {
		raw(o, "     raw: ", 10);
		put(o, h->raw, WIDTH - 11, 0);
		raw(o, "\n", 1);
	}
}

static void wrap(struct out *, struct mt_str, size_t);
static void sentence1(struct out *, const struct mt_msg *);

/* sentence - the boundary and the origin in words, wrapped. */
static void
sentence(struct out *dst, const struct mt_msg *m)
{
	struct out o = { .p = NULL };

	sentence1(&o, m);
	if (o.failed) {
		dst->failed = true;
		free(o.p);
		return;
	}
	if (o.p != NULL && o.len > 0 && o.p[o.len - 1] == '\n')
		o.len--;
	wrap(dst, mt_str(o.p, o.len), 0);
	free(o.p);
}

/* sentence1 - the sentence, unwrapped. */
static void
sentence1(struct out *o, const struct mt_msg *m)
{
	const struct mt_hop *b, *c;

	if (!m->has_boundary) {
		raw(o, "No Received line: nothing shows where the message came "
		    "from.\n", 61);
		return;
	}
	b = &m->hops.v[m->boundary_hop];
	rawf(o, "Entered the recipient's side at hop %zu (", m->boundary_hop);
	put(o, b->by.host.p ? b->by.host : b->by.ip, 40, 0);
	raw(o, "), handed over by ", 18);
	if (b->from.ip.p != NULL) {
		put(o, b->from.ip, 39, 0);
		raw(o, " (", 2);
		put(o, b->from.rdns.p ? b->from.rdns : b->from.helo, 40, 0);
		raw(o, ")", 1);
	} else
		raw(o, "an unrecorded address", 21);
	rawf(o, ", confidence %s", m->origin_confidence ?
	    m->origin_confidence : "low");
	if (m->has_claimed) {
		c = &m->hops.v[m->claimed_hop];
		rawf(o, "; the sender's own lines claim it began at ");
		put(o, c->from.ip, 39, 0);
		rawf(o, " (hop %zu)", m->claimed_hop);
	}
	raw(o, ".\n", 2);
}

/* wrap - text wrapped at WIDTH with an indent, escaped. */
static void
wrap(struct out *o, struct mt_str s, size_t indent)
{
	size_t w, col = indent, i, start = 0;
	char *t = s.p ? mt_text_escape(s.p, s.len, &w) : NULL;

	if (t == NULL)
		return;
	for (i = 0;; i++) {
		if (t[i] == ' ' || t[i] == '\0') {
			size_t n = i - start;

			if (col + n + (col > indent) > WIDTH && col > indent) {
				size_t k;

				raw(o, "\n", 1);
				for (k = 0; k < indent; k++)
					raw(o, " ", 1);
				col = indent;
			}
			if (col > indent) {
				raw(o, " ", 1);
				col++;
			}
			/* A word longer than a line is cut where it hits the
			 * margin (message ids, long host names). */
			while (n > WIDTH - col && WIDTH > col + 1) {
				size_t k, cut = WIDTH - col;

				while (cut > 0 && (((unsigned char)t[start +
				    cut]) & 0xc0) == 0x80)
					cut--;
				raw(o, t + start, cut);
				raw(o, "\n", 1);
				for (k = 0; k < indent; k++)
					raw(o, " ", 1);
				col = indent;
				start += cut;
				n -= cut;
			}
			raw(o, t + start, n);
			col += n;
			start = i + 1;
			if (t[i] == '\0')
				break;
		}
	}
	raw(o, "\n", 1);
	free(t);
}

/* mt_msg_text - the terminal report; see mt.h. */
int
mt_msg_text(const struct mt_msg *m, unsigned flags, char **out)
{
	struct out o = { .color = (flags & MT_TEXT_COLOR) != 0 };
	size_t i;

	*out = NULL;
	sgr(&o, "1");
	put(&o, m->path, 56, 0);
	rawf(&o, " #%llu", (unsigned long long)m->index);
	sgr(&o, "0");
	if (m->error.p != NULL) {
		raw(&o, "  error: ", 9);
		put(&o, m->error, 80, 0);
		raw(&o, "\n", 1);
		goto done;
	}
	if (m->has_verdict) {
		raw(&o, "  ", 2);
		sgr(&o, strcmp(m->label, "forged") == 0 ? "1;31" :
		    strcmp(m->label, "suspicious") == 0 ? "1;33" : "1;32");
		rawf(&o, "%s", m->label);
		sgr(&o, "0");
		rawf(&o, " (score %.1f)", m->score);
	}
	raw(&o, "\n", 1);
	raw(&o, "  From: ", 8);
	put(&o, m->sum.from.n > 0 ? m->sum.from.v[0].address : MT_STR_NULL,
	    WIDTH - 10, 0);
	raw(&o, "\n  Subject: ", 12);
	put(&o, m->sum.subject, WIDTH - 13, 0);
	raw(&o, "\n  Envelope: ", 13);
	put(&o, m->env.mail_from, WIDTH - 14, 0);
	raw(&o, "\n  Message-ID: ", 15);
	put(&o, m->sum.message_id, WIDTH - 16, 0);
	raw(&o, "\n\n", 2);
	if (m->hops.n > 0) {
		sgr(&o, "4");
		rawf(&o, "%-2s %s %-19s %-5s %8s  %-18s %-3s %s", "#", "t",
		    "received (UTC)", "zone", "delay", "with", "", "geo");
		sgr(&o, "0");
		raw(&o, "\n", 1);
	}
	for (i = 0; i < m->hops.n; i++)
		hop_lines(&o, m, &m->hops.v[i]);
	if (m->hops.n > 0)
		raw(&o, "t: T trusted, B boundary, u untrusted, X injected; "
		    "with: + TLS, * authenticated\n", 80);
	raw(&o, "\n", 1);
	sentence(&o, m);
	if (m->findings.n > 0)
		raw(&o, "\nFindings:\n", 11);
	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];
		char head[96];
		int n;

		sgr(&o, sev_color[f->sev]);
		n = snprintf(head, sizeof(head), "  %-24s %4.1f  ", f->id,
		    f->score);
		raw(&o, head, (size_t)n);
		sgr(&o, "0");
		wrap(&o, f->detail, (size_t)n);
	}
done:
	if (o.failed) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	return 0;
}
