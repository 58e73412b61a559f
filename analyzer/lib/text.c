/*
 * text.c - the terminal report of a message: who wrote it and when, a hop
 * table newest on top (time, zone, delay, protocol with TLS and
 * authentication marks, country and AS, trust, the client as HELO, the
 * name the receiver recorded and the address, the writer, what DNS says
 * today, the hop's findings), the boundary and origin in one sentence, the
 * findings with their evidence, the anomalies and the verdict.  Every line
 * fits MT_TEXT_WIDTH (100) columns.
 *
 * Every byte that came from the message or from DNS passes through
 * mt_text_escape(), which shows C0 and C1 controls, DEL, CR, LF and the
 * Unicode bidirectional and invisible format characters as visible
 * escapes, so no header or PTR name can move the cursor, repaint the
 * screen, start a line of its own or reorder what is shown.  Our own text
 * is ASCII and U+2026.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"
#include "geoip.h"
#include "mt.h"
#include "text.h"

#define WIDTH MT_TEXT_WIDTH
#define INDENT 6		/* the hop table's continuation lines */
#define MIN_CELL 8		/* elision never leaves less of a value */

struct out {
	char	*p;
	size_t	 len, cap;
	bool	 failed;
	bool	 color;
	size_t	 col;		/* columns since the last newline */
};

/* ------------------------------------------------------------------ */
/* Untrusted text made safe                                           */
/* ------------------------------------------------------------------ */

/* decode - the code point of the UTF-8 sequence at p (len left), its byte
 * length in *n; an invalid byte decodes as -1 with *n = 1. */
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

/*
 * unsafe - a code point that must not reach a terminal as itself: C0
 * (CR and LF too: a value never starts a line of the report), DEL, C1,
 * the line and paragraph separators, and the format characters that
 * reorder or hide text (bidi marks, embeddings, overrides and isolates,
 * zero-width characters, soft hyphen, fillers, the BOM, interlinear
 * annotation, tag characters).
 */
static bool
unsafe(long c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    c == 0xad || c == 0x034f || c == 0x061c || c == 0x115f ||
	    c == 0x1160 || c == 0x17b4 || c == 0x17b5 || c == 0x180e ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x206f) || c == 0x3164 || c == 0xfeff ||
	    c == 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0xe0000 && c <= 0xe007f);
}

/* mt_text_cwidth - columns of a printable code point; see text.h. */
int
mt_text_cwidth(long c)
{
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f))
		return 0;
	/* Symbol blocks where some characters have an emoji presentation
	 * count two throughout: a cell a column short beats a line that
	 * wraps on the screen. */
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2300 && c <= 0x23ff) ||
	    (c >= 0x2600 && c <= 0x27bf) || (c >= 0x2b00 && c <= 0x2bff) ||
	    (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xa960 && c <= 0xa97f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe10 && c <= 0xfe19) || (c >= 0xfe30 && c <= 0xfe6f) ||
	    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
	    (c >= 0x16fe0 && c <= 0x18cff) || (c >= 0x1b000 && c <= 0x1b2ff) ||
	    (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * mt_text_escape - the displayable form of untrusted bytes: unsafe code
 * points and invalid bytes become visible escapes (\r, \n, \x1b, \x9b,
 * \u{202e}), runs of spaces and tabs a single space, no space at either
 * end.  Returns a malloc'd string and its width in columns, or NULL when
 * out of memory.
 */
char *
mt_text_escape(const char *p, size_t len, size_t *width)
{
	const unsigned char *u = (const unsigned char *)p;
	char *d;
	size_t i = 0, o = 0, w = 0;
	bool space = false;

	/* An escape is at most 10 bytes ("\u{10ffff}") per 4 input bytes,
	 * or 4 per byte. */
	if (len > (SIZE_MAX - 1) / 4 || (d = malloc(len * 4 + 1)) == NULL)
		return NULL;
	while (i < len) {
		size_t n;
		long c = decode(u + i, len - i, &n);

		if (c == ' ' || c == '\t') {
			space = o > 0;
			i += n;
			continue;
		}
		if (space) {
			d[o++] = ' ';
			w++;
			space = false;
		}
		if (c == '\r' || c == '\n' || c == '\\') {
			/* A backslash of the text doubled: every escape is
			 * unambiguous. */
			d[o++] = '\\';
			d[o++] = c == '\r' ? 'r' : c == '\n' ? 'n' : '\\';
			w += 2;
		} else if (c < 0) {
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
			w += (size_t)mt_text_cwidth(c);
		}
		i += n;
	}
	d[o] = '\0';
	*width = w;
	return d;
}

/* unit - the byte length of the unit of escaped text at p (len left): an
 * escape made by mt_text_escape (\\, \r, \n, \xHH, \u{H...}) or one
 * character; its columns in *w. */
static size_t
unit(const unsigned char *p, size_t len, size_t *w)
{
	size_t n = 1;

	if (p[0] == '\\' && len >= 2) {
		if (p[1] == 'x' && len >= 4)
			n = 4;
		else if (p[1] == 'u')
			while (n < len && p[n - 1] != '}')
				n++;
		else
			n = 2;
		*w = n;
		return n;
	}
	*w = (size_t)mt_text_cwidth(decode(p, len, &n));
	return n;
}

/* mt_text_fit - escaped and elided in the middle to max columns, never
 * inside an escape or a character; see text.h. */
char *
mt_text_fit(const char *p, size_t len, size_t max, size_t *width)
{
	const unsigned char *u;
	size_t w, head, tail, hb = 0, tb, hw = 0, tw = 0, tlen, i, nu = 0;
	size_t *starts = NULL, *widths = NULL;
	char *t, *r = NULL;

	if ((t = mt_text_escape(p, len, &w)) == NULL)
		return NULL;
	if (max == 0)
		max = 1;
	if (w <= max) {
		*width = w;
		return t;
	}
	u = (const unsigned char *)t;
	tlen = strlen(t);
	if ((starts = malloc((tlen + 1) * sizeof(*starts))) == NULL ||
	    (widths = malloc((tlen + 1) * sizeof(*widths))) == NULL)
		goto out;
	for (i = 0; i < tlen; nu++) {
		starts[nu] = i;
		i += unit(u + i, tlen - i, &widths[nu]);
	}
	starts[nu] = tlen;
	head = (max - 1) / 2;
	tail = max - 1 - head;
	for (i = 0; i < nu && hw + widths[i] <= head; i++)
		hw += widths[i];
	hb = starts[i];
	/* Back from the end over whole units. */
	for (i = nu; i > 0 && starts[i - 1] >= hb &&
	    tw + widths[i - 1] <= tail; i--)
		tw += widths[i - 1];
	tb = starts[i];
	if ((r = malloc(hb + 3 + (tlen - tb) + 1)) == NULL)
		goto out;
	memcpy(r, t, hb);
	memcpy(r + hb, "\xe2\x80\xa6", 3);	/* U+2026, one column */
	memcpy(r + hb + 3, t + tb, tlen - tb);
	r[hb + 3 + tlen - tb] = '\0';
	*width = hw + 1 + tw;
out:
	free(starts);
	free(widths);
	free(t);
	return r;
}

/* swidth - the columns of an untrusted value once escaped (0 when absent
 * or out of memory). */
static size_t
swidth(struct mt_str s)
{
	size_t w = 0;
	char *t;

	if (s.p == NULL || (t = mt_text_escape(s.p, s.len, &w)) == NULL)
		return 0;
	free(t);
	return w;
}

/* ------------------------------------------------------------------ */
/* Output                                                             */
/* ------------------------------------------------------------------ */

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

/* bytes - append n bytes that take cols columns (no newline inside). */
static void
bytes(struct out *o, const char *p, size_t n, size_t cols)
{
	if (!grow(o, n))
		return;
	memcpy(o->p + o->len, p, n);
	o->len += n;
	o->p[o->len] = '\0';
	o->col += cols;
}

/* raw - append our own text: ASCII and newlines. */
static void
raw(struct out *o, const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		bytes(o, s, (size_t)(nl - s), (size_t)(nl - s));
		bytes(o, "\n", 1, 0);
		o->col = 0;
		s = nl + 1;
	}
	bytes(o, s, strlen(s), strlen(s));
}

/* rawf - printf our own text. */
static void
rawf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
rawf(struct out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	raw(o, buf);
}

/* spaces - n blanks. */
static void
spaces(struct out *o, size_t n)
{
	while (n-- > 0)
		bytes(o, " ", 1, 1);
}

/* newline - end the line, dropping trailing blanks. */
static void
newline(struct out *o)
{
	while (o->len > 0 && o->p[o->len - 1] == ' ')
		o->p[--o->len] = '\0';
	raw(o, "\n");
}

/* sgr - a colour (SGR code), only when colours are on; takes no column. */
static void
sgr(struct out *o, const char *code)
{
	char buf[32];
	int n;

	if (!o->color)
		return;
	n = snprintf(buf, sizeof(buf), "\033[%sm", code);
	bytes(o, buf, (size_t)n, 0);
}

/* put - an untrusted value ("-" when absent) elided to max columns and
 * padded to pad (0: none); returns the columns written before padding. */
static size_t
put(struct out *o, struct mt_str s, size_t max, size_t pad)
{
	size_t w;
	char *t;

	if (s.p == NULL) {
		bytes(o, "-", 1, 1);
		w = 1;
	} else {
		if ((t = mt_text_fit(s.p, s.len, max, &w)) == NULL) {
			o->failed = true;
			return 0;
		}
		bytes(o, t, strlen(t), w);
		free(t);
	}
	if (pad > w)
		spaces(o, pad - w);
	return w;
}

/*
 * wrap - safe text (already escaped: no control characters) word-wrapped
 * from the current column to WIDTH, continuation lines indented by indent;
 * a word longer than a line is cut at the margin.  Ends the line.
 */
static void
wrap(struct out *o, const char *t, size_t indent)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = 0, len = strlen(t);
	bool start = true;		/* nothing on this line yet */

	while (i < len) {
		size_t j = i, w = 0, n;

		if (t[i] == ' ') {
			i++;
			continue;
		}
		while (j < len && t[j] != ' ') {
			size_t cw;

			j += unit(u + j, len - j, &cw);
			w += cw;
		}
		/* A word that does not fit goes to the next line, unless the
		 * line holds nothing yet. */
		if (!start && o->col + 1 + w > WIDTH) {
			newline(o);
			spaces(o, indent);
		} else if (!start)
			spaces(o, 1);
		start = false;
		while (i < j) {
			size_t cw;

			n = unit(u + i, len - i, &cw);
			if (o->col + cw > WIDTH) {
				newline(o);
				spaces(o, indent);
			}
			bytes(o, t + i, n, cw);
			i += n;
		}
	}
	newline(o);
}

/* wrapv - an untrusted value, escaped, then wrapped as wrap(). */
static void
wrapv(struct out *o, struct mt_str s, size_t indent)
{
	size_t w;
	char *t;

	if (s.p == NULL) {
		wrap(o, "-", indent);
		return;
	}
	if ((t = mt_text_escape(s.p, s.len, &w)) == NULL) {
		o->failed = true;
		return;
	}
	wrap(o, t, indent);
	free(t);
}

/* flushw - the text built in b (already safe) wrapped into o, then b
 * emptied. */
static void
flushw(struct out *o, struct out *b, size_t indent)
{
	if (b->failed)
		o->failed = true;
	else if (b->p != NULL)
		wrap(o, b->p, indent);
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ */
/* The report                                                         */
/* ------------------------------------------------------------------ */

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

static const char *const sev_name[] = {
	[MT_SEV_INFO] = "info",
	[MT_SEV_LOW] = "low",
	[MT_SEV_MEDIUM] = "medium",
	[MT_SEV_HIGH] = "high",
};

/* label_color - the colour of a verdict label. */
static const char *
label_color(const char *label)
{
	return strcmp(label, "forged") == 0 ? "1;31" :
	    strcmp(label, "suspicious") == 0 ? "1;33" : "1;32";
}

/* when - "2003-07-30 22:50:00" of a UTC time into buf (len >= 20). */
static void
when(char *buf, size_t len, int64_t t)
{
	char s[40];

	mt_date_format_utc(t, s, sizeof(s));
	s[10] = ' ';
	s[19] = '\0';
	memcpy(buf, s, len < 20 ? len : 20);
	buf[len < 20 ? len - 1 : 19] = '\0';
}

/* delay - a signed delay in its largest units: "+12s", "-3m05s",
 * "+2h07m", "+3d04h". */
static void
delay(char *buf, size_t len, int64_t d)
{
	const char *sign = d < 0 ? "-" : "+";
	uint64_t a = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;

	if (a < 60)
		snprintf(buf, len, "%s%llus", sign, (unsigned long long)a);
	else if (a < 3600)
		snprintf(buf, len, "%s%llum%02llus", sign,
		    (unsigned long long)(a / 60), (unsigned long long)(a % 60));
	else if (a < 86400)
		snprintf(buf, len, "%s%lluh%02llum", sign,
		    (unsigned long long)(a / 3600),
		    (unsigned long long)(a % 3600 / 60));
	else if (a < 100 * 86400ULL)
		snprintf(buf, len, "%s%llud%02lluh", sign,
		    (unsigned long long)(a / 86400),
		    (unsigned long long)(a % 86400 / 3600));
	else
		snprintf(buf, len, "%s%llud", sign,
		    (unsigned long long)(a / 86400));
}

/* cap_for - the largest width c such that the values, each elided to at
 * most c columns, fit avail columns together (never under MIN_CELL). */
static size_t
cap_for(const size_t *w, size_t n, size_t avail)
{
	size_t c = MIN_CELL, i, sum;

	for (i = 0; i < n; i++)
		if (w[i] > c)
			c = w[i];
	for (; c > MIN_CELL; c--) {
		for (sum = 0, i = 0; i < n; i++)
			sum += w[i] < c ? w[i] : c;
		if (sum <= avail)
			break;
	}
	return c;
}

/* hop_head - the first line of a hop: index, trust, time, zone, delay,
 * protocol and marks, country, AS number and organization. */
static void
hop_head(struct out *o, const struct mt_hop *h)
{
	char t[24], zone[16], d[24];
	const struct mt_geo_info *g = h->geo;

	if (h->has_time)
		when(t, sizeof(t), h->time);
	else
		snprintf(t, sizeof(t), "-");
	if (h->has_time && !h->time_no_zone)
		mt_date_format_offset(h->utc_offset, zone, sizeof(zone));
	else
		snprintf(zone, sizeof(zone), "-");
	if (h->has_delay)
		delay(d, sizeof(d), h->delay_s);
	else
		snprintf(d, sizeof(d), "-");
	if (h->trust == MT_TRUST_INJECTED)
		sgr(o, "31");
	else if (h->trust == MT_TRUST_BOUNDARY)
		sgr(o, "1");
	rawf(o, "%3zu %s  %-19s %-5s %7s  ", h->index, trust_mark[h->trust],
	    t, zone, d);
	put(o, h->with, 10, 10);
	rawf(o, "%s%s ", h->tls == MT_TRUE ? "+" : " ",
	    h->auth == MT_TRUE ? "*" : " ");
	if (g != NULL) {
		if (g->country.p != NULL) {
			put(o, g->country, 2, 0);
			spaces(o, 1);
		}
		if (g->asn >= 0)
			rawf(o, "AS%ld ", g->asn);
		if (g->as_org.p != NULL && o->col + 2 < WIDTH)
			put(o, g->as_org, WIDTH - o->col, 0);
	}
	sgr(o, "0");
	newline(o);
}

/* hop_from - "from HELO (RDNS [IP]) by HOST", as Postfix writes it, the
 * names elided together to fit one line. */
static void
hop_from(struct out *o, const struct mt_hop *h)
{
	struct mt_str by = h->has_by ? (h->by.host.p ? h->by.host : h->by.ip) :
	    MT_STR_NULL;
	size_t w[3], fixed, c;

	w[0] = h->has_from && h->from.helo.p ? swidth(h->from.helo) : 1;
	w[1] = h->has_from && h->from.rdns.p ? swidth(h->from.rdns) : 0;
	w[2] = by.p != NULL ? swidth(by) : 1;
	fixed = INDENT + 5 + 4;			/* "from ", " by " */
	if (h->has_from && (h->from.rdns.p || h->from.ip.p))
		fixed += 3 + (h->from.rdns.p && h->from.ip.p ? 1 : 0);
	if (h->has_from && h->from.ip.p)
		fixed += 2 + swidth(h->from.ip);
	c = cap_for(w, 3, fixed < WIDTH ? WIDTH - fixed : 0);
	spaces(o, INDENT);
	raw(o, "from ");
	if (!h->has_from)
		raw(o, "-");
	else {
		put(o, h->from.helo, c, 0);
		if (h->from.rdns.p != NULL || h->from.ip.p != NULL) {
			raw(o, " (");
			if (h->from.rdns.p != NULL) {
				put(o, h->from.rdns, c, 0);
				if (h->from.ip.p != NULL)
					raw(o, " ");
			}
			if (h->from.ip.p != NULL) {
				raw(o, "[");
				put(o, h->from.ip, 46, 0);
				raw(o, "]");
			}
			raw(o, ")");
		}
	}
	raw(o, " by ");
	put(o, by, c, 0);
	newline(o);
	if (h->parsed == MT_PARSED_UNPARSED ||
	    (h->parsed == MT_PARSED_PARTIAL && !h->has_from && !h->has_by)) {
		spaces(o, INDENT);
		raw(o, "raw: ");
		put(o, h->raw, WIDTH - INDENT - 5, 0);
		newline(o);
	}
}

/* tri - "yes", "no" or NULL for unknown. */
static const char *
tri(enum mt_tri t)
{
	return t == MT_TRUE ? "yes" : t == MT_FALSE ? "no" : NULL;
}

/* hop_dns - what DNS says today about the hop's client, one wrapped
 * paragraph: PTR names, forward confirmation, the HELO name, DNSBLs. */
static void
hop_dns(struct out *o, const struct mt_hop *h)
{
	const struct mt_dns_info *d = h->dns;
	struct out b = { .p = NULL };
	const char *s;
	size_t i, j;

	if (d == NULL)
		return;
	raw(&b, "dns:");
	if (d->status == MT_DNS_OK && d->ptr.n > 0) {
		raw(&b, " PTR");
		for (i = 0; i < d->ptr.n && i < 3; i++) {
			raw(&b, i > 0 ? ", " : " ");
			put(&b, d->ptr.v[i], 60, 0);
		}
		if (d->ptr.n > 3)
			rawf(&b, " (and %zu more)", d->ptr.n - 3);
	} else if (d->status == MT_DNS_OK || d->status == MT_DNS_NXDOMAIN)
		raw(&b, " no PTR name");
	else if (d->status == MT_DNS_SKIPPED)
		raw(&b, " not looked up (skipped)");
	else
		rawf(&b, " PTR lookup %s", mt_enrich_status_name(d->status));
	if ((s = tri(d->fcrdns)) != NULL)
		rawf(&b, "; forward-confirmed: %s", s);
	if ((s = tri(d->helo_resolves)) != NULL)
		rawf(&b, "; HELO resolves to the address: %s", s);
	for (i = 0; i < d->dnsbl.n; i++) {
		const struct mt_dnsbl_result *r = &d->dnsbl.v[i];

		rawf(&b, "; %s ", r->listed ? "LISTED on" : "not on");
		put(&b, r->zone, 60, 0);
		for (j = 0; j < r->codes.n && j < 4; j++) {
			raw(&b, j == 0 ? " (" : " ");
			put(&b, r->codes.v[j], 40, 0);
		}
		if (r->codes.n > 0)
			raw(&b, ")");
		if (r->reason.p != NULL) {
			raw(&b, ": ");
			put(&b, r->reason, 80, 0);
		}
	}
	spaces(o, INDENT);
	flushw(o, &b, INDENT + 5);
}

/* hop_findings - the ids of the findings about a hop, coloured by
 * severity. */
static void
hop_findings(struct out *o, const struct mt_msg *m, const struct mt_hop *h)
{
	size_t i, n = 0;

	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];
		size_t w = strlen(f->id);

		if (f->hop != (long)h->index)
			continue;
		if (n++ == 0) {
			spaces(o, INDENT);
			raw(o, "!");
		}
		if (o->col + 1 + w > WIDTH) {
			newline(o);
			spaces(o, INDENT + 1);
		}
		raw(o, " ");
		sgr(o, sev_color[f->sev]);
		raw(o, f->id);
		sgr(o, "0");
	}
	if (n > 0)
		newline(o);
}

/* hops - the hop table, newest (index 0) on top. */
static void
hops(struct out *o, const struct mt_msg *m)
{
	size_t i;

	if (m->hops.n == 0)
		return;
	sgr(o, "4");
	rawf(o, "%3s %s  %-19s %-5s %7s  %-10s %-2s %s", "#", "t",
	    "received (UTC)", "zone", "delay", "with", "", "country AS");
	sgr(o, "0");
	newline(o);
	for (i = 0; i < m->hops.n; i++) {
		const struct mt_hop *h = &m->hops.v[i];

		hop_head(o, h);
		hop_from(o, h);
		hop_dns(o, h);
		hop_findings(o, m, h);
	}
	sgr(o, "2");
	raw(o, "t: T trusted, B boundary, u untrusted, X injected.  "
	    "with: + TLS, * authenticated.");
	sgr(o, "0");
	newline(o);
}

/* where - the origin host in words: address (name, country, AS). */
static void
where(struct out *b, const struct mt_hop *h)
{
	struct mt_str name = h->from.rdns.p ? h->from.rdns : h->from.helo;
	const struct mt_geo_info *g = h->geo;

	if (h->from.ip.p == NULL) {
		raw(b, "an unrecorded address");
		if (name.p != NULL) {
			raw(b, " (");
			put(b, name, 60, 0);
			raw(b, ")");
		}
		return;
	}
	put(b, h->from.ip, 46, 0);
	raw(b, " (");
	put(b, name, 60, 0);
	if (g != NULL && g->country.p != NULL) {
		raw(b, ", ");
		put(b, g->country, 2, 0);
	}
	if (g != NULL && g->asn >= 0)
		rawf(b, ", AS%ld", g->asn);
	raw(b, ")");
}

/* sentence - the boundary and the origin in one sentence. */
static void
sentence(struct out *o, const struct mt_msg *m)
{
	struct out b = { .p = NULL };
	const struct mt_hop *h;

	if (!m->has_boundary) {
		raw(o, "No Received field: nothing shows where the message came "
		    "from.\n");
		return;
	}
	h = &m->hops.v[m->boundary_hop];
	rawf(&b, "Entered the recipient's side at hop %zu (", m->boundary_hop);
	put(&b, h->by.host.p ? h->by.host : h->by.ip, 60, 0);
	rawf(&b, ", boundary %s), handed over by ", m->boundary_reason ?
	    m->boundary_reason : "inferred");
	where(&b, h);
	rawf(&b, ", confidence %s", m->origin_confidence ?
	    m->origin_confidence : "low");
	if (m->has_claimed) {
		rawf(&b, "; the sender's own lines claim it began at ");
		where(&b, &m->hops.v[m->claimed_hop]);
		rawf(&b, " (hop %zu)", m->claimed_hop);
	}
	raw(&b, ".");
	flushw(o, &b, 0);
}

/* findings - each finding: id, severity, score, hop, then its detail. */
static void
findings(struct out *o, const struct mt_msg *m)
{
	size_t i;

	if (m->findings.n == 0) {
		raw(o, "\nFindings: none.\n");
		return;
	}
	raw(o, "\nFindings:\n");
	for (i = 0; i < m->findings.n; i++) {
		const struct mt_finding *f = &m->findings.v[i];

		raw(o, "  ");
		sgr(o, sev_color[f->sev]);
		raw(o, f->id);
		sgr(o, "0");
		rawf(o, "  %s, %.1f", sev_name[f->sev], f->score);
		if (f->hop >= 0)
			rawf(o, ", hop %ld", f->hop);
		newline(o);
		spaces(o, 4);
		wrapv(o, f->detail, 4);
	}
}

/* anomalies - the anomaly ids with their offsets, ten at most. */
static void
anomalies(struct out *o, const struct mt_msg *m)
{
	struct out b = { .p = NULL };
	size_t i;

	if (m->anomalies.n == 0)
		return;
	rawf(&b, "Anomalies (%zu):", m->anomalies.n);
	for (i = 0; i < m->anomalies.n && i < 10; i++)
		rawf(&b, "%s %s at %llu", i ? "," : "",
		    mt_anomaly_name(m->anomalies.v[i].code),
		    (unsigned long long)m->anomalies.v[i].offset);
	if (m->anomalies.n > 10)
		rawf(&b, ", and %zu more", m->anomalies.n - 10);
	raw(&b, ".");
	raw(o, "\n");
	flushw(o, &b, 2);
}

/* field - "  Name:       value" of the header block, elided. */
static void
field(struct out *o, const char *name, struct mt_str v)
{
	rawf(o, "  %-12s", name);
	put(o, v, WIDTH - o->col, 0);
	newline(o);
}

/* header - who, to whom, what and when, as the author's fields say. */
static void
header(struct out *o, const struct mt_msg *m)
{
	const struct mt_summary *s = &m->sum;
	char buf[64];

	rawf(o, "  %-12s", "From:");
	if (s->from.n == 0)
		raw(o, "-");
	else {
		const struct mt_addr *a = &s->from.v[0];

		if (a->name.p != NULL && a->name.len > 0) {
			put(o, a->name, 40, 0);
			raw(o, " ");
		}
		raw(o, "<");
		put(o, a->address, WIDTH - o->col - 1, 0);
		raw(o, ">");
	}
	newline(o);
	rawf(o, "  %-12s", "To:");
	put(o, s->to.n > 0 ? s->to.v[0].address : MT_STR_NULL, 70, 0);
	if (s->to.n > 1)
		rawf(o, " and %zu more", s->to.n - 1);
	newline(o);
	field(o, "Subject:", s->subject);
	rawf(o, "  %-12s", "Date:");
	if (s->has_date) {
		when(buf, sizeof(buf), s->date.utc);
		rawf(o, "%s UTC", buf);
		if (!(s->date.flags & MT_DATE_NO_ZONE)) {
			mt_date_format_offset(s->date.offset_min, buf,
			    sizeof(buf));
			rawf(o, " (%s)", buf);
		}
	} else if (s->date_raw.p != NULL) {
		raw(o, "unreadable: ");
		put(o, s->date_raw, WIDTH - o->col, 0);
	} else
		raw(o, "-");
	newline(o);
	rawf(o, "  %-12s", "Envelope:");
	put(o, m->env.mail_from, 70, 0);
	if (m->env.mail_from_source.p != NULL) {
		raw(o, " (");
		put(o, m->env.mail_from_source, 14, 0);
		raw(o, ")");
	}
	newline(o);
	field(o, "Message-ID:", s->message_id);
}

/* mt_msg_text - the terminal report; see mailtrace.h. */
int
mt_msg_text(const struct mt_msg *m, unsigned flags, char **out)
{
	struct out o = { .color = (flags & MT_TEXT_COLOR) != 0 };
	size_t room;

	*out = NULL;
	/* The title: where the message is, and its verdict on the right. */
	room = WIDTH - 30;
	sgr(&o, "1");
	put(&o, m->path, room - 22, 0);
	rawf(&o, " #%llu", (unsigned long long)m->index);
	sgr(&o, "0");
	if (m->error.p != NULL) {
		raw(&o, "  ");
		sgr(&o, "1;31");
		raw(&o, "error:");
		sgr(&o, "0");
		raw(&o, " ");
		put(&o, m->error, WIDTH - o.col, 0);
		newline(&o);
		goto done;
	}
	if (m->has_verdict) {
		raw(&o, "  ");
		sgr(&o, label_color(m->label));
		raw(&o, m->label);
		sgr(&o, "0");
		rawf(&o, " (score %.1f)", m->score);
	}
	newline(&o);
	header(&o, m);
	raw(&o, "\n");
	hops(&o, m);
	raw(&o, "\n");
	sentence(&o, m);
	findings(&o, m);
	anomalies(&o, m);
	if (m->has_verdict) {
		raw(&o, "\nVerdict: ");
		sgr(&o, label_color(m->label));
		raw(&o, m->label);
		sgr(&o, "0");
		rawf(&o, ", score %.1f from %zu finding%s.", m->score,
		    m->findings.n, m->findings.n == 1 ? "" : "s");
		newline(&o);
	}
done:
	if (o.failed) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	return 0;
}
