/*
 * split.c - message spans from a file descriptor: one RFC 5322 message, or
 * an mbox of many.
 *
 * The input is read with read() into one buffer of MT_SPLIT_BUF bytes.
 * Header bytes are copied into a reusable buffer of at most
 * MT_MAX_HEADER_BYTES; bodies are scanned with memchr() and dropped, and a
 * line longer than the buffer is scanned in pieces.  Memory stays bounded
 * (about 1.3 MB at most) whatever the size of the input.
 *
 * Format.  The input is an mbox when its first line starts with "From "
 * (case-sensitive: "From:" is a header field); otherwise all of it is one
 * message, and empty input has no message at all.
 *
 * mbox separators.  mbox is a line format over LF (the mboxrd/mboxo
 * convention, see RFC 4155): a separator is a line starting with "From " that
 * is the first line of the input, follows an empty line ("" or a lone "\r"
 * before the LF, so CRLF files work), or directly follows another separator
 * (an empty message: every separator yields exactly one span).  A "From "
 * line after a non-empty line is message text.  A lone CR never ends an mbox
 * line, so a CR-only mbox is read as one message (known limit).  The
 * separator line ends at its LF; the text after "From ", without the LF and
 * a CR before it, is span.mbox_from (at most MT_MAX_MBOX_FROM bytes kept).
 *
 * Offsets and sizes, in bytes of the input as stored (before any
 * unescaping):
 *   span.offset  the byte after the separator line's LF (0 for a single
 *                message);
 *   span.size    from span.offset up to the next separator line or the end
 *                of input, minus the one empty line ("\n" or "\r\n") that
 *                an mbox writer puts after each message: the empty line
 *                just before the next separator, and at the end of input
 *                the last line when it is empty and ends with LF.  A single
 *                (non-mbox) message is the whole input, nothing removed.
 *   So for "From a\nX: 1\n\nbody\n\nFrom b\n..." message a has offset 7
 *   and size 11 ("X: 1\n\nbody\n").  This matches the message bytes an
 *   mboxrd writer was given, less its ">From " escapes.
 *
 * Header.  span.hdr is the message from its first byte up to and including
 * the first empty line, where header lines end with LF, CRLF or a lone CR
 * (a CR-only message has "\r\r" before its body).  Without an empty line it
 * is the whole message and span.no_body_separator is set.  The header never
 * reaches past span.size: when the only empty line is the mbox padding line
 * after the message (a message without body and without blank line), that
 * line is not part of the header and no_body_separator is set.  Header
 * bytes beyond MT_MAX_HEADER_BYTES are skipped and span.hdr_truncated is
 * set.  In an mbox, a header line matching ^>+From  loses one '>' (mboxrd
 * unescaping, which also undoes mboxo's single '>'); body lines are only
 * looked at to find the next separator.  NUL bytes are data.
 *
 * Body.  With mt_split_keep_body(s, max), span.body holds the message's
 * bytes after the header's empty line, up to span.size (so without the
 * mbox padding line), at most max bytes of them as stored, with the same
 * mboxrd unescaping as the header; span.body_truncated says the body was
 * longer than max.  The body buffer starts small and doubles up to max, so
 * memory stays bounded by max.  A message without an empty line has an
 * empty body.  A ">From " escape cut by the max is left as it is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mt.h"
#include "split.h"

/* The header buffer starts small and doubles up to MT_MAX_HEADER_BYTES. */
#define HDR_FIRST (16 * 1024)

struct mt_split {
	int		 fd;
	char		*buf;		/* MT_SPLIT_BUF bytes read from fd */
	size_t		 pos;		/* unread bytes are buf[pos..end) */
	size_t		 end;
	uint64_t	 base;		/* input offset of buf[0] */
	bool		 eof;		/* read() returned 0 */
	bool		 started;	/* the format is known */
	bool		 mbox;
	bool		 done;
	int		 err;		/* errno of a failure; sticky */
	uint64_t	 index;		/* number of spans returned */
	char		*hdr;		/* header copy of the current message */
	size_t		 hdr_len;
	size_t		 hdr_cap;
	uint64_t	 hdr_raw;	/* header bytes seen, kept or not */
	char		 from[MT_MAX_MBOX_FROM];
	size_t		 from_len;
	bool		 from_cut;	/* the line was longer than the cap */
	size_t		 body_max;	/* mt_split_keep_body(); 0 keeps none */
	char		*body;		/* body copy of the current message */
	size_t		 body_len;
	size_t		 body_cap;
	uint64_t	 body_raw;	/* body bytes seen, kept or not */
};

/* avail - unread bytes in the buffer. */
static inline size_t
avail(const struct mt_split *s)
{
	return s->end - s->pos;
}

/*
 * fill - move unread bytes to the front of the buffer and read more.
 * Returns 0 (s->eof set at the end of input), or -1 with s->err set.
 * Callers only fill when few bytes are unread, so the move is short.
 */
static int
fill(struct mt_split *s)
{
	ssize_t n;

	if (s->eof)
		return 0;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->end - s->pos);
		s->base += s->pos;
		s->end -= s->pos;
		s->pos = 0;
	}
	if (s->end == MT_SPLIT_BUF)
		return 0;
	do
		n = read(s->fd, s->buf + s->end, MT_SPLIT_BUF - s->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		s->err = errno != 0 ? errno : EIO;
		return -1;
	}
	if (n == 0)
		s->eof = true;
	s->end += (size_t)n;
	return 0;
}

/* need - make at least k (small) bytes unread, unless the input ends first. */
static int
need(struct mt_split *s, size_t k)
{
	while (avail(s) < k && !s->eof)
		if (fill(s) < 0)
			return -1;
	return 0;
}

/* keep - account n header bytes, copying what fits under the cap. */
static int
keep(struct mt_split *s, const char *p, size_t n)
{
	size_t room, cap;
	char *nh;

	s->hdr_raw += n;
	if (s->hdr_len >= MT_MAX_HEADER_BYTES)
		return 0;
	room = MT_MAX_HEADER_BYTES - s->hdr_len;
	if (n > room)
		n = room;
	if (n > s->hdr_cap - s->hdr_len) {
		cap = s->hdr_cap;
		while (cap - s->hdr_len < n)
			cap *= 2;
		if (cap > MT_MAX_HEADER_BYTES)
			cap = MT_MAX_HEADER_BYTES;
		if ((nh = realloc(s->hdr, cap)) == NULL) {
			s->err = ENOMEM;
			return -1;
		}
		s->hdr = nh;
		s->hdr_cap = cap;
	}
	memcpy(s->hdr + s->hdr_len, p, n);
	s->hdr_len += n;
	return 0;
}

/* bkeep - account n body bytes, copying what fits under body_max. */
static int
bkeep(struct mt_split *s, const char *p, size_t n)
{
	size_t room, cap;
	char *nb;

	s->body_raw += n;
	if (s->body_max == 0 || s->body_len >= s->body_max)
		return 0;
	room = s->body_max - s->body_len;
	if (n > room)
		n = room;
	if (n == 0)
		return 0;	/* nothing to copy, and s->body may be NULL */
	if (n > s->body_cap - s->body_len) {
		cap = s->body_cap ? s->body_cap : 4096;
		while (cap - s->body_len < n && cap < s->body_max)
			cap = cap > s->body_max / 2 ? s->body_max : cap * 2;
		if (cap > s->body_max)
			cap = s->body_max;
		if ((nb = realloc(s->body, cap)) == NULL) {
			s->err = ENOMEM;
			return -1;
		}
		s->body = nb;
		s->body_cap = cap;
	}
	memcpy(s->body + s->body_len, p, n);
	s->body_len += n;
	return 0;
}

/* adv - consume n unread body bytes, keeping them. */
static int
adv(struct mt_split *s, size_t n)
{
	if (bkeep(s, s->buf + s->pos, n) < 0)
		return -1;
	s->pos += n;
	return 0;
}

/*
 * sepline - read an mbox separator line; the unread bytes start with
 * "From ".  The text after "From " goes to s->from, without the LF and a
 * CR before it.  Returns 0, or -1 on error.
 */
static int
sepline(struct mt_split *s)
{
	const char *p, *q;
	size_t n, k;
	uint64_t total = 0;
	char last = 0;

	s->pos += 5;
	s->from_len = 0;
	s->from_cut = false;
	for (;;) {
		if (avail(s) == 0) {
			if (s->eof) {
				s->from_cut = total > MT_MAX_MBOX_FROM;
				return 0;
			}
			if (fill(s) < 0)
				return -1;
			continue;
		}
		p = s->buf + s->pos;
		q = memchr(p, '\n', avail(s));
		n = q != NULL ? (size_t)(q - p) : avail(s);
		k = MT_MAX_MBOX_FROM - s->from_len;
		if (k > n)
			k = n;
		memcpy(s->from + s->from_len, p, k);
		s->from_len += k;
		if (n > 0)
			last = p[n - 1];
		total += n;
		s->pos += n;
		if (q != NULL) {
			s->pos++;
			/* the CR of a CRLF line end is kept only if the line fit */
			if (last == '\r' && total <= MT_MAX_MBOX_FROM)
				s->from_len--;
			s->from_cut = total > MT_MAX_MBOX_FROM +
			    (last == '\r' ? 1 : 0);
			return 0;
		}
	}
}

/*
 * header - copy the header section up to and including its empty line
 * (RFC 5322 section 2.1; lenient: LF, CRLF and lone CR all end a line).
 * Returns 1 after an empty line, 0 at the end of input, -1 on error.  On
 * 1, *body_bol tells whether the body starts an LF-line, and *blank is the
 * empty line's length when it is also an empty mbox (LF) line, else 0.
 */
static int
header(struct mt_split *s, bool *body_bol, size_t *blank)
{
	const char *p, *e, *q, *r, *lim;
	bool bol = true, lfbol = true;
	size_t n;
	/* The next LF, as an input offset (UINT64_MAX: none found yet), and
	 * how far the input is known to hold none: each byte is searched for
	 * LF once, so a CR-only header (every line ends before any LF) stays
	 * linear instead of searching the rest of the buffer per line. */
	uint64_t lf = UINT64_MAX, nolf = 0, at;

	for (;;) {
		if (avail(s) < 2 && need(s, 2) < 0)
			return -1;
		p = s->buf + s->pos;
		e = s->buf + s->end;
		if (p == e)
			return 0;
		if (bol) {
			if (*p == '\n' || *p == '\r') {
				n = (*p == '\r' && e - p >= 2 && p[1] == '\n') ?
				    2 : 1;
				if (keep(s, p, n) < 0)
					return -1;
				s->pos += n;
				*body_bol = p[n - 1] == '\n';
				*blank = lfbol && *body_bol ? n : 0;
				return 1;
			}
			bol = false;
		}
		/* the line ends at the first LF or at a CR not before an LF */
		at = s->base + s->pos;
		if (lf != UINT64_MAX && lf >= at)
			q = s->buf + (lf - s->base);
		else {
			if (nolf < at)
				nolf = at;
			q = memchr(s->buf + (nolf - s->base), '\n',
			    (size_t)(s->base + s->end - nolf));
			lf = q != NULL ? s->base + (uint64_t)(q - s->buf) :
			    UINT64_MAX;
			nolf = q != NULL ? lf + 1 : s->base + s->end;
		}
		lim = q != NULL ? q : e;
		r = memchr(p, '\r', (size_t)(lim - p));
		if (r != NULL && r + 1 < lim) {
			n = (size_t)(r + 1 - p);
			bol = true;
			lfbol = false;
		} else if (q != NULL) {
			n = (size_t)(q + 1 - p);
			bol = lfbol = true;
		} else if (r != NULL && !s->eof) {
			/* a CR last in the buffer: CRLF or lone CR?  Read on. */
			n = (size_t)(r - p);
		} else {
			n = (size_t)(e - p);
		}
		if (keep(s, p, n) < 0)
			return -1;
		s->pos += n;
	}
}

/*
 * body - skip mbox message text up to the next separator (left unread) or
 * the end of input.  bol: the text starts an LF-line; empty: the length of
 * the LF-line before it when that was empty, else 0.  Returns 1 at a
 * separator, 0 at the end, -1 on error; *trim is the length of the empty
 * line that ends the message (the mbox padding), or 0.
 */
static int
body(struct mt_split *s, bool bol, size_t empty, size_t *trim)
{
	const char *p, *e, *q;

	for (;;) {
		if (avail(s) < 5 && need(s, 5) < 0)
			return -1;
		p = s->buf + s->pos;
		e = s->buf + s->end;
		if (p == e) {
			*trim = bol ? empty : 0;
			return 0;
		}
		if (bol) {
			if (empty > 0 && e - p >= 5 && memcmp(p, "From ", 5) == 0) {
				*trim = empty;
				return 1;
			}
			if (*p == '\n') {
				empty = 1;
				if (adv(s, 1) < 0)
					return -1;
				continue;
			}
			if (*p == '\r' && e - p >= 2 && p[1] == '\n') {
				empty = 2;
				if (adv(s, 2) < 0)
					return -1;
				continue;
			}
			empty = 0;
			bol = false;
		}
		if ((q = memchr(p, '\n', (size_t)(e - p))) == NULL) {
			if (adv(s, avail(s)) < 0)
				return -1;
			continue;
		}
		if (adv(s, (size_t)(q + 1 - p)) < 0)
			return -1;
		bol = true;
	}
}

/* rest - skip everything up to the end of input (keeping the body). */
static int
rest(struct mt_split *s)
{
	for (;;) {
		if (adv(s, avail(s)) < 0)
			return -1;
		if (s->eof)
			return 0;
		if (fill(s) < 0)
			return -1;
	}
}

/*
 * unescape - mboxrd: a line of h[0..*len) matching ^>+From  loses one '>'.
 * Lines start after LF or CR.  In place, one pass: what is written never
 * overtakes what is still to be read.
 */
static void
unescape(char *h, size_t *len)
{
	size_t n = *len, r = 0, w = 0, i = 0, at, k;
	const char *g;

	while (i < n && (g = memchr(h + i, '>', n - i)) != NULL) {
		at = (size_t)(g - h);
		for (k = at; k < n && h[k] == '>'; k++)
			;
		if ((at == 0 || h[at - 1] == '\n' || h[at - 1] == '\r') &&
		    n - k >= 5 && memcmp(h + k, "From ", 5) == 0) {
			memmove(h + w, h + r, at - r);
			w += at - r;
			r = at + 1;
		}
		i = k;
	}
	if (r > 0) {
		memmove(h + w, h + r, n - r);
		*len = w + (n - r);
	}
}

/* mt_split_new - a splitter reading fd; NULL when out of memory. */
struct mt_split *
mt_split_new(int fd)
{
	struct mt_split *s = NULL, *ret = NULL;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto out;
	s->fd = fd;
	if ((s->buf = malloc(MT_SPLIT_BUF)) == NULL)
		goto out;
	if ((s->hdr = malloc(HDR_FIRST)) == NULL)
		goto out;
	s->hdr_cap = HDR_FIRST;
	ret = s;
	s = NULL;
out:
	mt_split_free(s);
	return ret;
}

/* mt_split_next - the next message span: 1, 0 at the end, -1 on error. */
int
mt_split_next(struct mt_split *s, struct mt_span *span)
{
	uint64_t start, size, raw;
	size_t blank = 0, trim = 0;
	bool body_bol = false;
	int found = 0;

	memset(span, 0, sizeof(*span));
	if (s->err != 0)
		goto fail;
	if (s->done)
		return 0;
	if (need(s, 5) < 0)
		goto fail;
	if (avail(s) == 0 || (s->started && !s->mbox)) {
		s->done = true;
		return 0;
	}
	if (!s->started) {
		s->started = true;
		s->mbox = avail(s) >= 5 &&
		    memcmp(s->buf + s->pos, "From ", 5) == 0;
	}
	s->hdr_len = 0;
	s->hdr_raw = 0;
	s->body_len = 0;
	s->body_raw = 0;
	if (s->mbox) {
		/* here the unread bytes start with a separator */
		if (sepline(s) < 0)
			goto fail;
		span->mbox_from = s->from;
		span->mbox_from_len = s->from_len;
		span->mbox_from_truncated = s->from_cut;
	}
	start = mt_split_tell(s);

	if (s->mbox) {
		if (need(s, 5) < 0)
			goto fail;
		/* a separator right after a separator: an empty message */
		if (avail(s) >= 5 && memcmp(s->buf + s->pos, "From ", 5) == 0)
			goto span;
	}
	if ((found = header(s, &body_bol, &blank)) < 0)
		goto fail;
	if (!s->mbox) {
		if (rest(s) < 0)
			goto fail;
	} else if (found && body(s, body_bol, blank, &trim) < 0)
		goto fail;

span:
	size = mt_split_tell(s) - start - trim;
	raw = s->hdr_raw;
	if (found && raw > size) {
		/* the empty line was the mbox padding, not the message's */
		raw = size;
		found = 0;
	}
	if (s->hdr_len > raw)
		s->hdr_len = (size_t)raw;
	span->hdr_truncated = raw > s->hdr_len;
	if (s->mbox)
		unescape(s->hdr, &s->hdr_len);
	if (s->body_max > 0) {
		/* the body is what the span holds after the header */
		uint64_t braw = found ? size - raw : 0;

		if (s->body_len > braw)
			s->body_len = (size_t)braw;
		span->body_truncated = braw > s->body_len;
		if (s->mbox)
			unescape(s->body, &s->body_len);
		span->body = s->body != NULL ? s->body : "";
		span->body_len = s->body_len;
	}
	span->index = s->index++;
	span->offset = start;
	span->size = size;
	span->hdr = s->hdr;
	span->hdr_len = s->hdr_len;
	span->no_body_separator = !found;
	return 1;

fail:
	memset(span, 0, sizeof(*span));
	errno = s->err;
	return -1;
}

/* mt_split_tell - bytes of the input consumed so far. */
uint64_t
mt_split_tell(const struct mt_split *s)
{
	return s->base + s->pos;
}

/* mt_split_free - release a splitter (not its descriptor); NULL is fine. */
void
mt_split_free(struct mt_split *s)
{
	if (s == NULL)
		return;
	free(s->hdr);
	free(s->body);
	free(s->buf);
	free(s);
}

/* mt_split_keep_body - keep up to max body bytes per span; see
 * mailtrace.h.  Takes effect from the next span. */
int
mt_split_keep_body(struct mt_split *s, size_t max)
{
	s->body_max = max;
	if (max < s->body_cap) {
		/* shrink: memory stays bounded by the new max */
		free(s->body);
		s->body = NULL;
		s->body_cap = 0;
	}
	return 0;
}
