/*
 * test_split.c - the splitter: single messages with every kind of line end,
 * mbox separators, mboxrd unescaping, caps fed ten times over, pipes, read
 * errors, a differential check against a plain in-memory splitter, and the
 * developer corpus when it is there.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mt.h"
#include "split.h"
#include "t.h"

/* One span as the tests keep it: copies, not borrowed pointers. */
struct sp {
	uint64_t	 index, off, size;
	char		*hdr;
	size_t		 hlen;
	bool		 trunc, nobody;
	char		*from;		/* NULL: no mbox "From " line */
	size_t		 flen;
	bool		 fcut;		/* mbox_from_truncated */
	char		*body;		/* kept body (t_keep > 0), else NULL */
	size_t		 blen;
	bool		 btrunc;
};

/* Body bytes the splitter keeps (mt_split_keep_body) in collect() and the
 * reference in ref_message(); 0 keeps none and compares none. */
static size_t t_keep;

struct res {
	struct sp	*v;
	size_t		 n, cap;
	int		 rc;		/* last mt_split_next() result */
	int		 err;		/* errno when rc == -1 */
	uint64_t	 tell;		/* mt_split_tell() at the end */
};

/* bdup - a malloc'd copy of n bytes (never NULL). */
static char *
bdup(const char *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		abort();
	if (n > 0)
		memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* push - append a copy of a span. */
static void
push(struct res *r, const char *hdr, size_t hlen, uint64_t off,
    uint64_t size, bool trunc, bool nobody, const char *from, size_t flen)
{
	struct sp *x;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		if ((r->v = realloc(r->v, r->cap * sizeof(*r->v))) == NULL)
			abort();
	}
	x = &r->v[r->n];
	x->index = r->n;
	r->n++;
	x->off = off;
	x->size = size;
	x->hdr = bdup(hdr, hlen);
	x->hlen = hlen;
	x->trunc = trunc;
	x->nobody = nobody;
	x->from = from != NULL ? bdup(from, flen) : NULL;
	x->flen = flen;
	x->fcut = false;
	x->body = NULL;
	x->blen = 0;
	x->btrunc = false;
}

/* res_free - release a span list. */
static void
res_free(struct res *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].hdr);
		free(r->v[i].from);
		free(r->v[i].body);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* collect - split fd to the end, keeping every span. */
static void
collect(int fd, struct res *r)
{
	struct mt_split *s;
	struct mt_span span;

	memset(r, 0, sizeof(*r));
	if ((s = mt_split_new(fd)) == NULL)
		abort();
	if (t_keep > 0)
		mt_split_keep_body(s, t_keep);
	while ((r->rc = mt_split_next(s, &span)) == 1) {
		if (span.index != r->n)
			T_FAIL("span index %llu, want %zu",
			    (unsigned long long)span.index, r->n);
		push(r, span.hdr, span.hdr_len, span.offset, span.size,
		    span.hdr_truncated, span.no_body_separator, span.mbox_from,
		    span.mbox_from_len);
		r->v[r->n - 1].fcut = span.mbox_from_truncated;
		if (t_keep > 0 && span.body == NULL)
			T_FAIL("span %zu: no body kept", r->n - 1);
		else if (t_keep > 0) {
			r->v[r->n - 1].body = bdup(span.body, span.body_len);
			r->v[r->n - 1].blen = span.body_len;
			r->v[r->n - 1].btrunc = span.body_truncated;
		} else if (span.body != NULL)
			T_FAIL("span %zu: a body without keep_body", r->n - 1);
	}
	if (r->rc < 0)
		r->err = errno;
	r->tell = mt_split_tell(s);
	mt_split_free(s);
}

/* feed_file - an unlinked temporary file holding p, positioned at 0. */
static int
feed_file(const char *p, size_t n)
{
	char path[] = "/tmp/test_split.XXXXXX";
	ssize_t w;
	size_t done = 0;
	int fd;

	if ((fd = mkstemp(path)) < 0) {
		perror("mkstemp");
		abort();
	}
	unlink(path);
	while (done < n) {
		if ((w = write(fd, p + done, n - done)) < 0) {
			perror("write");
			abort();
		}
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/*
 * feed_pipe - the read end of a pipe that a forked child fills with p, in
 * writes of chunk bytes (0: as much as the pipe takes).  The child only
 * writes, the parent only reads: no deadlock whatever the size.
 */
static int
feed_pipe(const char *p, size_t n, size_t chunk, pid_t *pid)
{
	int fds[2];
	size_t done = 0, k;
	ssize_t w;

	if (pipe(fds) < 0 || (*pid = fork()) < 0) {
		perror("pipe/fork");
		abort();
	}
	if (*pid == 0) {
		close(fds[0]);
		while (done < n) {
			k = chunk == 0 || chunk > n - done ? n - done : chunk;
			if ((w = write(fds[1], p + done, k)) < 0) {
				if (errno == EINTR)
					continue;
				_exit(1);
			}
			done += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/* reap - wait for a writer child; true when it wrote everything. */
static bool
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

enum { VIA_FILE, VIA_PIPE, VIA_PIPE_BYTES };

/* run - split p fed through a file or a pipe. */
static void
run(const char *p, size_t n, int via, struct res *r)
{
	pid_t pid = -1;
	int fd;

	if (via == VIA_FILE)
		fd = feed_file(p, n);
	else
		fd = feed_pipe(p, n, via == VIA_PIPE_BYTES ? 1 : 0, &pid);
	collect(fd, r);
	close(fd);
	if (pid > 0 && !reap(pid))
		T_FAIL("writer child failed");
}

/* esc - printable form of bytes for failure messages (cut after max). */
static char *
esc(const char *p, size_t n, size_t max)
{
	char *o = malloc(4 * (n < max ? n : max) + 64), *w = o;
	size_t i;

	if (o == NULL)
		abort();
	for (i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n')
			w += sprintf(w, "\\n");
		else if (c == '\r')
			w += sprintf(w, "\\r");
		else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			w += sprintf(w, "\\x%02x", c);
		else
			*w++ = (char)c;
	}
	if (i < n)
		w += sprintf(w, "...(%zu bytes)", n);
	*w = '\0';
	return o;
}

/* t_bytes - compare byte strings with lengths; print both on failure. */
static void
t_bytes(const char *ctx, const char *what, const char *g, size_t glen,
    const char *wt, size_t wlen)
{
	char *a, *b;

	t_checked++;
	if ((g == NULL) == (wt == NULL) &&
	    (g == NULL || (glen == wlen && memcmp(g, wt, glen) == 0)))
		return;
	a = g != NULL ? esc(g, glen, 300) : bdup("(null)", 6);
	b = wt != NULL ? esc(wt, wlen, 300) : bdup("(null)", 6);
	T_FAIL("%s: %s: got \"%s\", want \"%s\"", ctx, what, a, b);
	free(a);
	free(b);
}

/* same - compare two span lists. */
static void
same(const char *ctx, const struct res *got, const struct res *want)
{
	size_t i;
	char w[64];

	T_INT(ctx, "rc", got->rc, 0);
	T_INT(ctx, "spans", got->n, want->n);
	for (i = 0; i < got->n && i < want->n; i++) {
		const struct sp *g = &got->v[i], *x = &want->v[i];

		snprintf(w, sizeof(w), "span %zu offset", i);
		T_INT(ctx, w, g->off, x->off);
		snprintf(w, sizeof(w), "span %zu size", i);
		T_INT(ctx, w, g->size, x->size);
		snprintf(w, sizeof(w), "span %zu hdr", i);
		t_bytes(ctx, w, g->hdr, g->hlen, x->hdr, x->hlen);
		snprintf(w, sizeof(w), "span %zu hdr_truncated", i);
		T_INT(ctx, w, g->trunc, x->trunc);
		snprintf(w, sizeof(w), "span %zu no_body_separator", i);
		T_INT(ctx, w, g->nobody, x->nobody);
		snprintf(w, sizeof(w), "span %zu mbox_from", i);
		t_bytes(ctx, w, g->from, g->flen, x->from, x->flen);
		if (t_keep == 0)
			continue;
		snprintf(w, sizeof(w), "span %zu body", i);
		t_bytes(ctx, w, g->body, g->blen, x->body, x->blen);
		snprintf(w, sizeof(w), "span %zu body_truncated", i);
		T_INT(ctx, w, g->btrunc, x->btrunc);
	}
}

/* ------------------------------------------------------------------ */
/* A plain in-memory splitter: the specification, written naively     */
/* ------------------------------------------------------------------ */

/* lf_empty - the LF-line [ls, le) is empty for mbox: "" or "\r". */
static bool
lf_empty(const char *p, size_t ls, size_t le)
{
	return le == ls || (le - ls == 1 && p[ls] == '\r');
}

/* ref_message - one message region [b, e) with trim bytes of padding. */
static void
ref_message(const char *in, size_t b, size_t e, size_t trim, bool mbox,
    const char *from, size_t flen, struct res *r)
{
	const char *p = in + b;
	size_t len = e - b, size = len - trim, h = len, i, kept, j;
	bool bol = true, found = false;
	char *u;

	/* the first empty line; LF, CRLF and lone CR end header lines */
	for (i = 0; i < len; i++) {
		if (bol && (p[i] == '\n' || p[i] == '\r')) {
			h = i + (p[i] == '\r' && i + 1 < len &&
			    p[i + 1] == '\n' ? 2 : 1);
			found = true;
			break;
		}
		bol = p[i] == '\n' ||
		    (p[i] == '\r' && (i + 1 >= len || p[i + 1] != '\n'));
	}
	if (found && h > size) {
		h = size;
		found = false;
	}
	kept = h < MT_MAX_HEADER_BYTES ? h : MT_MAX_HEADER_BYTES;
	if ((u = malloc(kept + 1)) == NULL)
		abort();
	for (i = j = 0; i < kept; i++) {
		if (mbox && p[i] == '>' &&
		    (i == 0 || p[i - 1] == '\n' || p[i - 1] == '\r')) {
			size_t k = i;

			while (k < kept && p[k] == '>')
				k++;
			if (kept - k >= 5 && memcmp(p + k, "From ", 5) == 0)
				continue;
		}
		u[j++] = p[i];
	}
	push(r, u, j, b, size, h > kept, !found, from, flen);
	free(u);
	if (t_keep > 0) {
		/* the body: after the empty line up to size, at most t_keep
		 * bytes as stored, then unescaped like the header */
		size_t bl = found ? size - h : 0, bk = bl < t_keep ? bl : t_keep;
		const char *q = p + h;

		if ((u = malloc(bk + 1)) == NULL)
			abort();
		for (i = j = 0; i < bk; i++) {
			if (mbox && q[i] == '>' &&
			    (i == 0 || q[i - 1] == '\n' || q[i - 1] == '\r')) {
				size_t k = i;

				while (k < bk && q[k] == '>')
					k++;
				if (bk - k >= 5 && memcmp(q + k, "From ", 5) == 0)
					continue;
			}
			u[j++] = q[i];
		}
		r->v[r->n - 1].body = bdup(u, j);
		r->v[r->n - 1].blen = j;
		r->v[r->n - 1].btrunc = bl > bk;
		free(u);
	}
}

/* ref_split - split in[0..n) by the rules in split.c's opening comment. */
static void
ref_split(const char *in, size_t n, struct res *r)
{
	size_t ls, le, ms = 0, trim, flen = 0;
	bool first = true, pempty = false, psep = false, open = false;
	char from[MT_MAX_MBOX_FROM];

	memset(r, 0, sizeof(*r));
	if (n == 0)
		return;
	if (n < 5 || memcmp(in, "From ", 5) != 0) {
		ref_message(in, 0, n, 0, false, NULL, 0, r);
		return;
	}
	for (ls = 0; ls < n; ls = le + 1) {
		const char *q = memchr(in + ls, '\n', n - ls);
		bool sep;

		le = q != NULL ? (size_t)(q - in) : n;
		sep = n - ls >= 5 && memcmp(in + ls, "From ", 5) == 0 &&
		    (first || pempty || psep);
		if (sep) {
			if (open) {
				/* the empty line before a separator is padding */
				trim = 0;
				if (pempty && !psep) {
					size_t k = ls - 1;

					while (k > ms && in[k - 1] != '\n')
						k--;
					trim = ls - k;
				}
				ref_message(in, ms, ls, trim, true, from, flen,
				    r);
			}
			flen = le - ls - 5;
			if (q != NULL && flen > 0 && in[le - 1] == '\r')
				flen--;
			if (flen > MT_MAX_MBOX_FROM)
				flen = MT_MAX_MBOX_FROM;
			memcpy(from, in + ls + 5, flen);
			ms = q != NULL ? le + 1 : n;
			open = true;
		}
		pempty = q != NULL && lf_empty(in, ls, le);
		psep = sep;
		first = false;
		if (q == NULL)
			break;
	}
	/* at the end, a last empty line ending with LF is padding too */
	trim = 0;
	if (n > ms && in[n - 1] == '\n') {
		size_t k = n - 1;

		while (k > ms && in[k - 1] != '\n')
			k--;
		if (lf_empty(in, k, n - 1))
			trim = n - k;
	}
	ref_message(in, ms, n, trim, true, from, flen, r);
}

/* ------------------------------------------------------------------ */
/* The table                                                          */
/* ------------------------------------------------------------------ */

struct want {
	uint64_t	 off, size;
	const char	*hdr;
	size_t		 hlen;		/* 0: strlen(hdr) */
	bool		 trunc, nobody;
	const char	*from;		/* NULL: absent */
};

struct tcase {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	size_t		 n;
	struct want	 w[4];
};

static const struct tcase cases[] = {
	{ "single LF", "Subject: a\nFrom: b@c\n\nbody\n", 0, 1, {
	    { 0, 27, "Subject: a\nFrom: b@c\n\n", 0, false, false, NULL } } },
	{ "single CRLF", "Subject: a\r\nX: y\r\n\r\nbody\r\n", 0, 1, {
	    { 0, 26, "Subject: a\r\nX: y\r\n\r\n", 0, false, false, NULL } } },
	{ "lone CR", "Subject: a\rX: y\r\rbody\r", 0, 1, {
	    { 0, 22, "Subject: a\rX: y\r\r", 0, false, false, NULL } } },
	{ "mixed line ends", "A: 1\r\nB: 2\nC: 3\rD: 4\r\n\nbody", 0, 1, {
	    { 0, 27, "A: 1\r\nB: 2\nC: 3\rD: 4\r\n\n", 0, false, false,
	    NULL } } },
	{ "lone CR empty line after LF", "A: 1\n\rbody", 0, 1, {
	    { 0, 10, "A: 1\n\r", 0, false, false, NULL } } },
	{ "CR then CRLF empty line", "A: 1\r\r\nbody", 0, 1, {
	    { 0, 11, "A: 1\r\r\n", 0, false, false, NULL } } },
	{ "no trailing newline", "Subject: a\n\nbody", 0, 1, {
	    { 0, 16, "Subject: a\n\n", 0, false, false, NULL } } },
	{ "one line, no newline", "Subject: a", 0, 1, {
	    { 0, 10, "Subject: a", 0, false, true, NULL } } },
	{ "no body", "Subject: a\n\n", 0, 1, {
	    { 0, 12, "Subject: a\n\n", 0, false, false, NULL } } },
	{ "no blank line", "Subject: a\nX: y\n", 0, 1, {
	    { 0, 16, "Subject: a\nX: y\n", 0, false, true, NULL } } },
	{ "empty input", "", 0, 0, { { 0 } } },
	{ "only a newline", "\n", 0, 1, {
	    { 0, 1, "\n", 0, false, false, NULL } } },
	{ "From: is a header", "From: a\n\nFrom b\n", 0, 1, {
	    { 0, 16, "From: a\n\n", 0, false, false, NULL } } },
	{ "From without space", "From", 0, 1, {
	    { 0, 4, "From", 0, false, true, NULL } } },
	{ "no unescaping outside mbox", "X: 1\n>From a\n\n", 0, 1, {
	    { 0, 14, "X: 1\n>From a\n\n", 0, false, false, NULL } } },
	{ "mbox of three",
	    "From a@b Mon Jan  1 00:00:00 2024\n"
	    "Subject: one\n\nbody one\n\n"
	    "From c@d Tue\n"
	    "Subject: two\nX: 2\n\n\n"
	    "From e@f\r\n"
	    "Subject: three\r\n\r\nbody\r\n\n", 0, 3, {
	    { 34, 23, "Subject: one\n\n", 0, false, false,
	      "a@b Mon Jan  1 00:00:00 2024" },
	    { 71, 19, "Subject: two\nX: 2\n\n", 0, false, false, "c@d Tue" },
	    { 101, 24, "Subject: three\r\n\r\n", 0, false, false, "e@f" } } },
	{ "mbox CRLF padding",
	    "From a\r\nX: 1\r\n\r\nb\r\n\r\n"
	    "From b\r\nY: 2\r\n\r\n\r\n", 0, 2, {
	    { 8, 11, "X: 1\r\n\r\n", 0, false, false, "a" },
	    { 29, 8, "Y: 2\r\n\r\n", 0, false, false, "b" } } },
	{ "mbox without final padding", "From a\nX: 1\n\nbody\n", 0, 1, {
	    { 7, 11, "X: 1\n\n", 0, false, false, "a" } } },
	{ "mboxrd unescaping",
	    "From x\n"
	    ">From here\nX: 1\n>>From there\n>>>Fromage\n >From no\n"
	    "Y: >From z\n\n>From body\n\n", 0, 1, {
	    { 7, 73,
	      "From here\nX: 1\n>From there\n>>>Fromage\n >From no\n"
	      "Y: >From z\n\n", 0, false, false, "x" } } },
	{ "mboxrd unescaping after CR",
	    "From x\nA: 1\r>From y\r\n>>From z\r\r", 0, 1, {
	    { 7, 24, "A: 1\rFrom y\r\n>From z\r\r", 0, false, false, "x" } } },
	{ "adjacent separators",
	    "From a\nFrom b\nFrom c\nSubject: x\n\nbody\n", 0, 3, {
	    { 7, 0, "", 0, false, true, "a" },
	    { 14, 0, "", 0, false, true, "b" },
	    { 21, 17, "Subject: x\n\n", 0, false, false, "c" } } },
	{ "separators around an empty line", "From a\n\nFrom b\n", 0, 2, {
	    { 7, 0, "", 0, false, true, "a" },
	    { 15, 0, "", 0, false, true, "b" } } },
	{ "header only, padding is not its blank line",
	    "From a\nX: 1\n\nFrom b\nY: 2\n\n", 0, 2, {
	    { 7, 5, "X: 1\n", 0, false, true, "a" },
	    { 20, 5, "Y: 2\n", 0, false, true, "b" } } },
	{ "From line inside a header",
	    "From a\nX: 1\nFrom b\n\n", 0, 1, {
	    { 7, 12, "X: 1\nFrom b\n", 0, false, true, "a" } } },
	{ "body From after text is no separator",
	    "From a\nX: 1\n\nline\nFrom b\n\nFrom c\n", 0, 2, {
	    { 7, 18, "X: 1\n\n", 0, false, false, "a" },
	    { 33, 0, "", 0, false, true, "c" } } },
	{ "From after a blank CRLF line",
	    "From a\nX: 1\n\nline\r\n\r\nFrom c\nY: 2\n", 0, 2, {
	    { 7, 12, "X: 1\n\n", 0, false, false, "a" },
	    { 28, 5, "Y: 2\n", 0, false, true, "c" } } },
	{ "blank line of spaces is not empty",
	    "From a\nX: 1\n\nline\n \nFrom b\n", 0, 1, {
	    { 7, 20, "X: 1\n\n", 0, false, false, "a" } } },
	{ "NUL bytes, single", "Subj\0ect: a\n\nbo\0dy\n\0", 20, 1, {
	    { 0, 20, "Subj\0ect: a\n\n", 13, false, false, NULL } } },
	{ "NUL bytes, mbox", "From a\nX: \0\n\n\0\n\nFrom b\n\0", 24, 2, {
	    { 7, 8, "X: \0\n\n", 6, false, false, "a" },
	    { 23, 1, "\0", 1, false, true, "b" } } },
	{ "separator at end, no LF", "From a", 0, 1, {
	    { 6, 0, "", 0, false, true, "a" } } },
	{ "empty separator text", "From \nX: 1\n\n", 0, 1, {
	    { 6, 5, "X: 1\n", 0, false, true, "" } } },
	{ "truncated last message", "From a\nX: 1\n\nbody\n\nFrom b\nSubj", 0, 2, {
	    { 7, 11, "X: 1\n\n", 0, false, false, "a" },
	    { 26, 4, "Subj", 0, false, true, "b" } } },
	/* known limit: mbox lines end with LF, so a CR-only mbox is one
	 * long separator line */
	{ "CR-only mbox", "From a\rX: 1\r\rbody\r", 0, 1, {
	    { 18, 0, "", 0, false, true, "a\rX: 1\r\rbody\r" } } },
};

/* want_res - the table's expectations as a span list. */
static void
want_res(const struct tcase *c, struct res *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < c->n; i++) {
		const struct want *w = &c->w[i];

		push(r, w->hdr, w->hlen ? w->hlen : strlen(w->hdr), w->off,
		    w->size, w->trunc, w->nobody, w->from,
		    w->from ? strlen(w->from) : 0);
	}
}

/* test_table - every table case through a file, a pipe, a pipe written
 * byte by byte, and the reference splitter. */
static void
test_table(void)
{
	static const char *vianame[] = { "file", "pipe", "pipe bytes" };
	struct res want, got;
	char ctx[160];
	size_t i, len;
	int via;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		want_res(&cases[i], &want);
		for (via = VIA_FILE; via <= VIA_PIPE_BYTES; via++) {
			snprintf(ctx, sizeof(ctx), "%s (%s)", cases[i].name,
			    vianame[via]);
			run(cases[i].in, len, via, &got);
			same(ctx, &got, &want);
			T_INT(ctx, "tell at end", got.tell, len);
			res_free(&got);
		}
		/* the plain splitter agrees with the table */
		snprintf(ctx, sizeof(ctx), "%s (reference)", cases[i].name);
		ref_split(cases[i].in, len, &got);
		got.rc = 0;
		same(ctx, &got, &want);
		res_free(&got);
		res_free(&want);
	}
}

/* ------------------------------------------------------------------ */
/* Caps fed ten times over, long lines, pipes                         */
/* ------------------------------------------------------------------ */

/* A growable byte buffer for building big inputs. */
struct buf {
	char	*p;
	size_t	 n, cap;
};

/* add - append n bytes. */
static void
add(struct buf *b, const char *p, size_t n)
{
	if (b->n + n > b->cap) {
		while (b->n + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			abort();
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* adds - append a C string. */
static void
adds(struct buf *b, const char *z)
{
	add(b, z, strlen(z));
}

/* addc - append n copies of c. */
static void
addc(struct buf *b, char c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		add(b, &c, 1);
}

/* check_big - split b through a file and a pipe; compare to the reference
 * and return the file result for more checks. */
static void
check_big(const char *name, const struct buf *b, struct res *got)
{
	struct res want, piped;
	char ctx[160];

	ref_split(b->p, b->n, &want);
	run(b->p, b->n, VIA_FILE, got);
	snprintf(ctx, sizeof(ctx), "%s (file)", name);
	same(ctx, got, &want);
	T_INT(ctx, "tell at end", got->tell, b->n);
	run(b->p, b->n, VIA_PIPE, &piped);
	snprintf(ctx, sizeof(ctx), "%s (pipe)", name);
	same(ctx, &piped, &want);
	res_free(&piped);
	res_free(&want);
}

/* test_caps - caps and buffer sizes fed ten times over. */
static void
test_caps(void)
{
	struct buf b = { 0 };
	struct res got;
	size_t pad = 10 * (size_t)MT_MAX_HEADER_BYTES, at;
	static const char line[] = "X-Pad: 0123456789abcdef0123456789abcdef\n";

	/* a header of ten times MT_MAX_HEADER_BYTES */
	adds(&b, "From a\n");
	while (b.n < pad)
		adds(&b, line);
	adds(&b, "\nbody\n\n");
	at = b.n;
	adds(&b, "From b\nSubject: next\n\nbody\n");
	check_big("10x header cap", &b, &got);
	T_INT("10x header cap", "spans", got.n, 2);
	if (got.n == 2) {
		T_TRUE("10x header cap", "truncated", got.v[0].trunc);
		T_INT("10x header cap", "kept", got.v[0].hlen,
		    MT_MAX_HEADER_BYTES);
		T_TRUE("10x header cap", "kept starts the header",
		    memcmp(got.v[0].hdr, line, sizeof(line) - 1) == 0);
		T_INT("10x header cap", "size", got.v[0].size, at - 7 - 1);
		T_TRUE("10x header cap", "next not truncated",
		    !got.v[1].trunc);
		t_bytes("10x header cap", "next header", got.v[1].hdr,
		    got.v[1].hlen, "Subject: next\n\n", 15);
	}
	res_free(&got);
	b.n = 0;

	/* a single body line of ten times MT_SPLIT_BUF */
	adds(&b, "From a\nX: 1\n\n");
	addc(&b, 'b', 10 * (size_t)MT_SPLIT_BUF);
	adds(&b, "\n\nFrom b\nY: 2\n\nbody\n");
	check_big("10x buffer body line", &b, &got);
	T_INT("10x buffer body line", "spans", got.n, 2);
	if (got.n == 2) {
		T_INT("10x buffer body line", "size", got.v[0].size,
		    6 + 10 * (uint64_t)MT_SPLIT_BUF + 1);
		t_bytes("10x buffer body line", "next header", got.v[1].hdr,
		    got.v[1].hlen, "Y: 2\n\n", 6);
	}
	res_free(&got);
	b.n = 0;

	/* a single header line of ten times MT_SPLIT_BUF (over the cap) */
	adds(&b, "From a\nX: ");
	addc(&b, 'h', 10 * (size_t)MT_SPLIT_BUF);
	adds(&b, "\r\n\r\nbody\r\n\r\nFrom b\r\nY: 2\r\n\r\n");
	check_big("10x buffer header line", &b, &got);
	T_INT("10x buffer header line", "spans", got.n, 2);
	if (got.n == 2) {
		T_TRUE("10x buffer header line", "truncated",
		    got.v[0].trunc);
		T_INT("10x buffer header line", "kept", got.v[0].hlen,
		    MT_MAX_HEADER_BYTES);
		T_TRUE("10x buffer header line", "separator found",
		    !got.v[0].nobody);
		t_bytes("10x buffer header line", "next from", got.v[1].from,
		    got.v[1].flen, "b", 1);
	}
	res_free(&got);
	b.n = 0;

	/* an mbox "From " line of ten times MT_MAX_MBOX_FROM */
	adds(&b, "From ");
	addc(&b, 'f', 10 * (size_t)MT_MAX_MBOX_FROM);
	adds(&b, "\r\nX: 1\r\n\r\n\r\nFrom ");
	addc(&b, 'g', MT_MAX_MBOX_FROM);
	adds(&b, "\r\nY: 2\r\n\r\n");
	check_big("10x mbox From cap", &b, &got);
	T_INT("10x mbox From cap", "spans", got.n, 2);
	if (got.n == 2) {
		T_INT("10x mbox From cap", "from kept", got.v[0].flen,
		    MT_MAX_MBOX_FROM);
		T_TRUE("10x mbox From cap", "cut reported", got.v[0].fcut);
		T_TRUE("10x mbox From cap", "exact fit not cut",
		    !got.v[1].fcut);
		T_TRUE("10x mbox From cap", "from bytes",
		    got.v[0].from[0] == 'f' &&
		    got.v[0].from[MT_MAX_MBOX_FROM - 1] == 'f');
		T_INT("10x mbox From cap", "offset", got.v[0].off,
		    5 + 10 * MT_MAX_MBOX_FROM + 2);
		/* exactly the cap, then CRLF: the CR is not text */
		T_INT("10x mbox From cap", "full from", got.v[1].flen,
		    MT_MAX_MBOX_FROM);
		T_TRUE("10x mbox From cap", "full from bytes",
		    got.v[1].from[MT_MAX_MBOX_FROM - 1] == 'g');
	}
	res_free(&got);
	b.n = 0;

	/* a long run of '>' before "From " in a header */
	adds(&b, "From a\nX: 1\n");
	addc(&b, '>', 3 * (size_t)MT_SPLIT_BUF);
	adds(&b, "From x\n\n");
	check_big("long >From", &b, &got);
	T_INT("long >From", "spans", got.n, 1);
	if (got.n == 1)
		T_INT("long >From", "one > removed", got.v[0].hlen,
		    5 + 3 * (size_t)MT_SPLIT_BUF - 1 + 7);
	res_free(&got);
	b.n = 0;

	/* a big mbox through a pipe written in small pieces */
	{
		size_t i;
		char sep[64];

		for (i = 0; i < 20000; i++) {
			snprintf(sep, sizeof(sep), "From m%zu\n", i);
			adds(&b, sep);
			adds(&b, "Received: from x by y; Mon, 1 Jan 2024\n"
			    "Subject: s\n\nline\n>From q\nline\n\n");
		}
		check_big("20000 messages", &b, &got);
		T_INT("20000 messages", "spans", got.n, 20000);
		res_free(&got);
		run(b.p, b.n, VIA_PIPE_BYTES, &got);
		T_INT("20000 messages (pipe bytes)", "spans", got.n, 20000);
		res_free(&got);
	}
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Differential: random inputs, buffer boundaries everywhere          */
/* ------------------------------------------------------------------ */

static uint64_t rng = 88172645463325252ULL;

/* rnd - xorshift64, deterministic. */
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const tokens[] = {
	"From a\n", "From b\r\n", "From ", "From", "\n", "\r\n", "\r",
	"X: 1\n", "X: 2\r\n", "Y: 3\r", ">From c\n", ">>From d\r\n", ">",
	"body\n", "e", " ", "\n\n", "\r\n\r\n", "\r\r", "From c\n\n",
};

/* random_tail - append count random tokens (and NUL sometimes). */
static void
random_tail(struct buf *b, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		if (rnd(25) == 0)
			add(b, "\0", 1);
		else
			adds(b, tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))]);
	}
}

/* test_random - random inputs against the reference splitter. */
static void
test_random(void)
{
	struct buf b = { 0 };
	struct res want, got;
	char ctx[64];
	int i, d;

	for (i = 0; i < 3000; i++) {
		b.n = 0;
		if (rnd(2))
			adds(&b, "From s\n");
		random_tail(&b, 1 + (int)rnd(30));
		/* bodies: none, a few bytes, or all of them */
		t_keep = i % 3 == 0 ? 0 : i % 3 == 1 ? 1 + rnd(40) : 1 << 20;
		ref_split(b.p, b.n, &want);
		snprintf(ctx, sizeof(ctx), "random %d (keep %zu)", i, t_keep);
		run(b.p, b.n, i % 10 == 0 ? VIA_PIPE_BYTES : VIA_FILE, &got);
		same(ctx, &got, &want);
		res_free(&got);
		res_free(&want);
	}
	t_keep = 0;

	/* the first read of a file fills the buffer: put that boundary at
	 * every position of a random tail */
	for (d = 0; d < 24; d++) {
		for (i = 0; i < 25; i++) {
			b.n = 0;
			adds(&b, "From p\nX: 1\n\n");
			while (b.n < MT_SPLIT_BUF - (size_t)d - 80)
				adds(&b, "0123456789012345678901234567890\n");
			addc(&b, 'z', MT_SPLIT_BUF - (size_t)d - b.n - 1);
			adds(&b, "\n");
			random_tail(&b, 2 + (int)rnd(20));
			ref_split(b.p, b.n, &want);
			snprintf(ctx, sizeof(ctx), "boundary -%d #%d", d, i);
			run(b.p, b.n, VIA_FILE, &got);
			same(ctx, &got, &want);
			res_free(&got);
			res_free(&want);
		}
	}
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Bodies kept for DKIM (mt_split_keep_body)                          */
/* ------------------------------------------------------------------ */

struct bcase {
	const char	*name;
	const char	*in;
	size_t		 keep;
	size_t		 n;
	struct {
		const char	*body;
		bool		 trunc;
	} w[3];
};

static const struct bcase bcases[] = {
	{ "single: no unescaping", "A: 1\n\nbody\n>From x\n\n", 100, 1,
	    { { "body\n>From x\n\n", false } } },
	{ "single CRLF", "A: 1\r\n\r\nline 1\r\nline 2\r\n", 100, 1,
	    { { "line 1\r\nline 2\r\n", false } } },
	{ "mbox: padding dropped, >From unescaped",
	    "From a\nA: 1\n\nline\n>From x\n>>From y\n\nFrom b\nB: 2\n\nz\n",
	    100, 2, { { "line\nFrom x\n>From y\n", false }, { "z\n", false } } },
	{ "mbox CRLF", "From a\r\nA: 1\r\n\r\nl\r\n>From q\r\n\r\nFrom b\r\n"
	    "B: 2\r\n\r\n", 100, 2, { { "l\r\nFrom q\r\n", false },
	    { "", false } } },
	{ "cut at keep", "A: 1\n\n0123456789", 4, 1,
	    { { "0123", true } } },
	{ "exactly keep", "A: 1\n\n0123", 4, 1, { { "0123", false } } },
	{ "no body separator", "A: 1\nB: 2\n", 100, 1, { { "", false } } },
	{ "empty mbox message", "From a\nFrom b\nX: 1\n\nq\n", 100, 2,
	    { { "", false }, { "q\n", false } } },
	{ "padding only", "From a\nX: 1\n\nFrom b\nX: 2\n\n", 100, 2,
	    { { "", false }, { "", false } } },
	{ "NUL in the body", "A: 1\n\na\0b\n", 100, 1, { { "a", false } } },
};

/* test_body - bodies kept by mt_split_keep_body: a table, the reference,
 * and a body of ten times the keep cap. */
static void
test_body(void)
{
	static const char *vianame[] = { "file", "pipe", "pipe bytes" };
	struct buf b = { 0 };
	struct res got, want;
	char ctx[160];
	size_t i, j, len;
	int via;

	for (i = 0; i < sizeof(bcases) / sizeof(bcases[0]); i++) {
		const struct bcase *c = &bcases[i];

		len = strlen(c->in);
		if (strcmp(c->name, "NUL in the body") == 0)
			len += 3;
		t_keep = c->keep;
		for (via = VIA_FILE; via <= VIA_PIPE_BYTES; via++) {
			snprintf(ctx, sizeof(ctx), "body %s (%s)", c->name,
			    vianame[via]);
			run(c->in, len, via, &got);
			T_INT(ctx, "spans", got.n, c->n);
			for (j = 0; j < got.n && j < c->n; j++) {
				const char *wb = c->w[j].body;
				size_t wl = strlen(wb);

				if (strcmp(c->name, "NUL in the body") == 0)
					wb = "a\0b\n", wl = 4;
				t_bytes(ctx, "body", got.v[j].body,
				    got.v[j].blen, wb, wl);
				T_INT(ctx, "body_truncated", got.v[j].btrunc,
				    c->w[j].trunc);
			}
			res_free(&got);
		}
		snprintf(ctx, sizeof(ctx), "body %s (reference)", c->name);
		ref_split(c->in, len, &want);
		run(c->in, len, VIA_FILE, &got);
		same(ctx, &got, &want);
		res_free(&got);
		res_free(&want);
	}

	/* a body of ten times the keep cap, with escapes around the cut */
	t_keep = 1000;
	adds(&b, "From a\nX: 1\n\n");
	for (i = 0; i < 10 * 1000 / 20; i++)
		adds(&b, i % 7 == 0 ? ">From 0123456789012\n" :
		    "0123456789012345678\n");
	adds(&b, "\nFrom b\nY: 2\n\nshort\n");
	check_big("10x keep cap", &b, &got);
	T_INT("10x keep cap", "spans", got.n, 2);
	if (got.n == 2) {
		T_TRUE("10x keep cap", "truncated", got.v[0].btrunc);
		/* 1000 bytes as stored, less one '>' per escaped line */
		T_INT("10x keep cap", "kept", got.v[0].blen, 1000 - 8);
		T_TRUE("10x keep cap", "unescaped", memcmp(got.v[0].body,
		    "From 0123456789012\n", 19) == 0);
		t_bytes("10x keep cap", "next body", got.v[1].body,
		    got.v[1].blen, "short\n", 6);
		T_TRUE("10x keep cap", "next whole", !got.v[1].btrunc);
	}
	res_free(&got);

	/* MT_MAX_BODY_KEEP: a body ten times over, through a pipe */
	b.n = 0;
	t_keep = MT_MAX_BODY_KEEP;
	adds(&b, "X: 1\n\n");
	while (b.n < 10 * (size_t)MT_MAX_BODY_KEEP)
		adds(&b, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
	check_big("10x MT_MAX_BODY_KEEP", &b, &got);
	T_INT("10x MT_MAX_BODY_KEEP", "spans", got.n, 1);
	if (got.n == 1) {
		T_INT("10x MT_MAX_BODY_KEEP", "kept", got.v[0].blen,
		    MT_MAX_BODY_KEEP);
		T_TRUE("10x MT_MAX_BODY_KEEP", "truncated", got.v[0].btrunc);
	}
	res_free(&got);
	t_keep = 0;
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Errors and interrupted reads                                       */
/* ------------------------------------------------------------------ */

/* on_alarm - only interrupts read(). */
static void
on_alarm(int sig)
{
	(void)sig;
}

/* test_errors - read errors, the end of input, EINTR. */
static void
test_errors(void)
{
	struct mt_split *s;
	struct mt_span span;
	struct res got;
	int fd, rc;

	/* reading a directory fails with EISDIR, and keeps failing */
	if ((fd = open("/tmp", O_RDONLY)) >= 0) {
		s = mt_split_new(fd);
		T_TRUE("directory", "new", s != NULL);
		errno = 0;
		rc = mt_split_next(s, &span);
		T_INT("directory", "rc", rc, -1);
		T_INT("directory", "errno", errno, EISDIR);
		errno = 0;
		rc = mt_split_next(s, &span);
		T_INT("directory", "rc again", rc, -1);
		T_INT("directory", "errno again", errno, EISDIR);
		mt_split_free(s);
		close(fd);
	}
	s = mt_split_new(-1);
	errno = 0;
	rc = mt_split_next(s, &span);
	T_INT("bad fd", "rc", rc, -1);
	T_INT("bad fd", "errno", errno, EBADF);
	mt_split_free(s);
	mt_split_free(NULL);

	/* after the end, next keeps returning 0 */
	fd = feed_file("From a\n\n", 8);
	s = mt_split_new(fd);
	T_INT("end", "first", mt_split_next(s, &span), 1);
	T_INT("end", "second", mt_split_next(s, &span), 0);
	T_INT("end", "third", mt_split_next(s, &span), 0);
	T_INT("end", "tell", mt_split_tell(s), 8);
	mt_split_free(s);
	close(fd);

	/* reads interrupted by a signal are retried */
	{
		struct sigaction sa, old;
		struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, off;
		static const char msg[] = "Subject: late\n\nbody\n";
		pid_t pid;
		int fds[2];

		memset(&off, 0, sizeof(off));
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;	/* no SA_RESTART */
		sigemptyset(&sa.sa_mask);
		if (pipe(fds) < 0 || (pid = fork()) < 0)
			abort();
		if (pid == 0) {
			struct timespec ts = { 0, 200000000 };

			close(fds[0]);
			nanosleep(&ts, NULL);
			_exit(write(fds[1], msg, sizeof(msg) - 1) ==
			    (ssize_t)sizeof(msg) - 1 ? 0 : 1);
		}
		close(fds[1]);
		sigaction(SIGALRM, &sa, &old);
		setitimer(ITIMER_REAL, &it, NULL);
		collect(fds[0], &got);
		setitimer(ITIMER_REAL, &off, NULL);
		sigaction(SIGALRM, &old, NULL);
		close(fds[0]);
		T_TRUE("EINTR", "writer", reap(pid));
		T_INT("EINTR", "rc", got.rc, 0);
		T_INT("EINTR", "spans", got.n, 1);
		if (got.n == 1)
			t_bytes("EINTR", "hdr", got.v[0].hdr, got.v[0].hlen,
			    "Subject: late\n\n", 15);
		res_free(&got);
	}
}

/* ------------------------------------------------------------------ */
/* The developer corpus                                               */
/* ------------------------------------------------------------------ */

/* escapes - lines matching ^>+From  in p[0..n). */
static size_t
escapes(const char *p, size_t n)
{
	size_t i, k, c = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '>' || (i > 0 && p[i - 1] != '\n'))
			continue;
		for (k = i; k < n && p[k] == '>'; k++)
			;
		if (n - k >= 5 && memcmp(p + k, "From ", 5) == 0)
			c++;
	}
	return c;
}

/* now - monotonic seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* test_corpus - split the developer corpus: span counts, headers, and
 * sizes against MANIFEST.tsv.  Skipped when the corpus is absent. */
static void
test_corpus(void)
{
	static const struct {
		const char	*file;
		size_t		 count;
	} files[] = {
		{ "linux_man.mbox", 495 },
		{ "phishing_pot.mbox", 566 },
		{ "spamassassin.mbox", 462 },
	};
	char path[4096], *data, *man;
	size_t i, j, n, mlen, lines, bytes = 0, spans = 0;
	double t, total = 0;

	snprintf(path, sizeof(path), "%s/../shared/corpus/MANIFEST.tsv",
	    MT_SOURCE_DIR);
	if ((man = t_slurp(path, &mlen)) == NULL) {
		printf("corpus: skipped (no %s)\n", path);
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct res got;
		const char *ctx = files[i].file;
		const char *m = man, *me = man + mlen;
		int fd;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[i].file);
		if ((data = t_slurp(path, &n)) == NULL) {
			printf("corpus: %s skipped\n", files[i].file);
			continue;
		}
		for (lines = 0, j = 0; j + 5 <= n; j++)
			if ((j == 0 || data[j - 1] == '\n') &&
			    memcmp(data + j, "From ", 5) == 0)
				lines++;
		T_INT(ctx, "From lines", lines, files[i].count);
		fd = open(path, O_RDONLY);
		t = now();
		collect(fd, &got);
		total += now() - t;
		close(fd);
		bytes += n;
		spans += got.n;
		T_INT(ctx, "rc", got.rc, 0);
		T_INT(ctx, "spans", got.n, lines);
		T_INT(ctx, "tell", got.tell, n);
		for (j = 0; j < got.n; j++) {
			const struct sp *x = &got.v[j];
			char w[64];
			size_t want = 0;
			bool found = false;

			snprintf(w, sizeof(w), "span %zu hdr has ':'", j);
			T_TRUE(ctx, w, memchr(x->hdr, ':', x->hlen) != NULL);
			snprintf(w, sizeof(w), "span %zu in bounds", j);
			T_TRUE(ctx, w, x->off + x->size <= n);
			if (x->off + x->size > n)
				continue;
			/* MANIFEST.tsv: file, index, ..., bytes (6th column) of
			 * the original message, before mboxrd escaping */
			while (m < me && !found) {
				const char *le = memchr(m, '\n', (size_t)(me - m));
				const char *f = m, *c;
				int col = 0;

				if (le == NULL)
					le = me;
				if ((size_t)(le - m) > strlen(ctx) &&
				    memcmp(m, ctx, strlen(ctx)) == 0 &&
				    m[strlen(ctx)] == '\t') {
					for (c = m; c < le && col < 5; c++)
						if (*c == '\t' && ++col == 5)
							f = c + 1;
					want = strtoul(f, NULL, 10);
					found = true;
				}
				m = le + 1;
			}
			snprintf(w, sizeof(w), "span %zu size vs MANIFEST", j);
			T_TRUE(ctx, w, found);
			if (found)
				T_INT(ctx, w, x->size -
				    escapes(data + x->off, (size_t)x->size), want);
		}
		res_free(&got);
		free(data);
	}
	free(man);
	printf("corpus: %zu spans, %.1f MB split in %.3f s\n", spans,
	    (double)bytes / 1e6, total);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_table();
	test_caps();
	test_random();
	test_body();
	test_errors();
	test_corpus();
	return t_done("test_split");
}
