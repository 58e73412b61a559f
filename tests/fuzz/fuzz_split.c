/*
 * fuzz_split.c - the splitter (mt_split_*) on any bytes.
 *
 * The input is read twice, keeping bodies up to a size chosen by a hash
 * of the input (none, a few bytes, all of them): from a memfd, where
 * read() returns everything at once, and piece by piece from a thread
 * (see chunked()), with piece sizes from the same hash.  The two runs must
 * give the same spans: where read() happens to stop must never change the
 * messages or the bodies kept.  Each span is checked against the input:
 * offsets in order and in range, a single message is the whole input,
 * an mbox has the messages a plain line-by-line reading finds, starting
 * where it says (seps()), caps held, and the "From " text is the line's.
 * An input starting "BIG:" is inflated past the read buffer, one starting
 * "BIGH" past the header cap too (see big()).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>

#include "fuzz.h"

/* One span, copied. */
struct sp {
	uint64_t	 index, off, size;
	char		*hdr, *from, *body;
	size_t		 hlen, flen, blen;
	bool		 trunc, nobody, fcut, hasfrom, btrunc;
};

struct res {
	struct sp	*v;
	size_t		 n;
	int		 rc;
	uint64_t	 tell;
};

/* copy - a malloc'd copy of n bytes. */
static char *
copy(const char *p, size_t n)
{
	char *c = malloc(n + 1);

	if (c == NULL)
		abort();
	if (n > 0)
		memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* collect - every span of fd into r, keeping up to keep body bytes. */
static void
collect(int fd, size_t keep, struct res *r)
{
	struct mt_split *s = mt_split_new(fd);
	struct mt_span span;
	size_t cap = 0;

	if (s == NULL)
		abort();
	mt_split_keep_body(s, keep);
	memset(r, 0, sizeof(*r));
	while ((r->rc = mt_split_next(s, &span)) == 1) {
		struct sp *x;

		if (r->n == cap) {
			cap = cap ? 2 * cap : 8;
			if ((r->v = realloc(r->v, cap * sizeof(*r->v))) == NULL)
				abort();
		}
		x = &r->v[r->n++];
		memset(x, 0, sizeof(*x));
		x->index = span.index;
		x->off = span.offset;
		x->size = span.size;
		x->hdr = copy(span.hdr, span.hdr_len);
		x->hlen = span.hdr_len;
		x->trunc = span.hdr_truncated;
		x->nobody = span.no_body_separator;
		x->hasfrom = span.mbox_from != NULL;
		x->from = copy(span.mbox_from, span.mbox_from_len);
		x->flen = span.mbox_from_len;
		x->fcut = span.mbox_from_truncated;
		x->body = copy(span.body, span.body_len);
		x->blen = span.body_len;
		x->btrunc = span.body_truncated;
		CHECK(span.hdr_len == 0 || span.hdr != NULL);
		CHECK(span.body_len == 0 || span.body != NULL);
		CHECK(span.body_len <= keep);
		CHECK(span.hdr_len + span.body_len <= span.size);
	}
	r->tell = mt_split_tell(s);
	mt_split_free(s);
}

/* release - free a result. */
static void
release(struct res *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].hdr);
		free(r->v[i].from);
		free(r->v[i].body);
	}
	free(r->v);
}

/* The writer thread's job. */
struct feed {
	const uint8_t	*p;
	size_t		 n;
	uint32_t	 seed;
	size_t		 max;		/* largest write */
	int		 fd;
};

/* writer - write the input in pieces of pseudo-random sizes, then close. */
static void *
writer(void *arg)
{
	struct feed *f = arg;
	uint32_t x = f->seed | 1;
	size_t off = 0, k;
	ssize_t w;

	while (off < f->n) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		k = 1 + x % f->max;
		if (k > f->n - off)
			k = f->n - off;
		w = write(f->fd, f->p + off, k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

/*
 * chunked - split the input read a piece at a time: small inputs through
 * a SOCK_SEQPACKET socket, where each read() returns one packet of at
 * most 4096 bytes (the packets must fit the splitter's free room, or
 * their tails would be lost), big ones through a pipe in writes of up to
 * 4 to 64 KiB (where read() stops then depends on timing, but the spans
 * must not).
 */
static void
chunked(const uint8_t *data, size_t size, uint32_t h, size_t keep,
    struct res *r)
{
	struct feed f;
	pthread_t t;
	int sv[2];

	f.p = data;
	f.n = size;
	f.seed = h;
	if (size + 4096 <= MT_SPLIT_BUF) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sv) != 0)
			abort();
		f.max = (size_t)1 << (h % 13);
	} else {
		if (pipe2(sv, O_CLOEXEC) != 0)
			abort();
		f.max = (size_t)4096 << (h % 5);
	}
	f.fd = sv[1];
	if (pthread_create(&t, NULL, writer, &f) != 0)
		abort();
	collect(sv[0], keep, r);
	pthread_join(t, NULL);
	close(sv[0]);
}

/*
 * seps - where the messages of an mbox start, found the plain way: a line
 * starting "From " is a separator when it is the first line, follows an
 * empty LF line ("" or "\r"), or follows another separator; the message
 * starts after its LF (or at the end of the input).  Returns the count;
 * the first max starts go to at[].
 */
static size_t
seps(const uint8_t *d, size_t n, uint64_t *at, size_t max)
{
	bool empty = true, sep = false;
	size_t i = 0, count = 0, e;
	const uint8_t *q;

	while (i < n) {
		q = memchr(d + i, '\n', n - i);
		e = q != NULL ? (size_t)(q - d) : n;	/* the line is d[i, e) */
		if (e - i >= 5 && memcmp(d + i, "From ", 5) == 0 &&
		    (empty || sep)) {
			sep = true;
			if (count < max)
				at[count] = q != NULL ? e + 1 : n;
			count++;
		} else
			sep = false;
		empty = e == i || (e == i + 1 && d[i] == '\r');
		i = q != NULL ? e + 1 : n;
	}
	return count;
}

/* check - the spans of a whole input against the input itself. */
static void
check(const uint8_t *data, size_t size, const struct res *r)
{
	bool mbox = size >= 5 && memcmp(data, "From ", 5) == 0;
	uint64_t prev_end = 0;
	size_t i;

	CHECK(r->rc == 0);
	CHECK(r->tell == size);
	if (size == 0) {
		CHECK(r->n == 0);
		return;
	}
	if (!mbox) {
		/* a single message: all of it, header a prefix */
		CHECK(r->n == 1);
		CHECK(r->v[0].off == 0 && r->v[0].size == size);
		CHECK(r->v[0].hlen <= MT_MAX_HEADER_BYTES);
		CHECK(memcmp(r->v[0].hdr, data, r->v[0].hlen) == 0);
		CHECK(!r->v[0].hasfrom);
		CHECK(!r->v[0].trunc || r->v[0].hlen == MT_MAX_HEADER_BYTES);
		return;
	}
	CHECK(r->n >= 1);
	{
		uint64_t at[64];
		size_t k, want = seps(data, size, at, 64);

		CHECK(r->n == want);
		for (k = 0; k < want && k < 64; k++)
			CHECK(r->v[k].off == at[k]);
	}
	for (i = 0; i < r->n; i++) {
		const struct sp *x = &r->v[i];
		bool found = false;
		size_t k;

		CHECK(x->index == i);
		CHECK(x->hasfrom);
		CHECK(x->off >= prev_end + 5);
		CHECK(x->off <= size && x->size <= size - x->off);
		CHECK(x->hlen <= x->size);
		CHECK(x->hlen <= MT_MAX_HEADER_BYTES);
		CHECK(x->flen <= MT_MAX_MBOX_FROM);
		/* "From " and the kept text end 0 to 2 bytes before the
		 * message: nothing, LF, or CR LF after them. */
		for (k = 0; !x->fcut && k <= 2 && !found; k++) {
			uint64_t e = x->off - k, b;

			if (e < x->flen + 5)
				continue;
			b = e - x->flen - 5;
			found = memcmp(data + b, "From ", 5) == 0 &&
			    memcmp(data + b + 5, x->from, x->flen) == 0 &&
			    (b == 0 || data[b - 1] == '\n') &&
			    (k == 0 ? x->off == size : data[x->off - 1] == '\n');
		}
		CHECK(x->fcut || found);
		prev_end = x->off + x->size;
	}
}

/* same - two runs gave the same spans. */
static void
same(const struct res *a, const struct res *b)
{
	size_t i;

	CHECK(a->rc == b->rc);
	CHECK(a->tell == b->tell);
	CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		const struct sp *x = &a->v[i], *y = &b->v[i];

		CHECK(x->index == y->index);
		CHECK(x->off == y->off);
		CHECK(x->size == y->size);
		CHECK(x->hlen == y->hlen);
		CHECK(memcmp(x->hdr, y->hdr, x->hlen) == 0);
		CHECK(x->trunc == y->trunc);
		CHECK(x->nobody == y->nobody);
		CHECK(x->hasfrom == y->hasfrom);
		CHECK(x->flen == y->flen);
		CHECK(memcmp(x->from, y->from, x->flen) == 0);
		CHECK(x->fcut == y->fcut);
		CHECK(x->blen == y->blen);
		CHECK(memcmp(x->body, y->body, x->blen) == 0);
		CHECK(x->btrunc == y->btrunc);
	}
}

/*
 * big - "BIG:" and a pattern: the pattern repeated to BIG_SIZE bytes, so
 * the read buffer (MT_SPLIT_BUF) is crossed, which inputs of a few KiB
 * never do; "BIGH" and a pattern: repeated to BIGH_SIZE, past the header
 * cap (MT_MAX_HEADER_BYTES) as well.  NULL otherwise; *size is set.
 */
#define BIG_SIZE (2 * MT_SPLIT_BUF + 17)
#define BIGH_SIZE (MT_MAX_HEADER_BYTES + MT_SPLIT_BUF + 17)
static uint8_t *
big(const uint8_t *data, size_t *size)
{
	uint8_t *b;
	size_t i, n, total;

	if (*size < 5 || memcmp(data, "BIG", 3) != 0 ||
	    (data[3] != ':' && data[3] != 'H'))
		return NULL;
	total = data[3] == 'H' ? BIGH_SIZE : BIG_SIZE;
	if ((b = malloc(total)) == NULL)
		abort();
	n = *size - 4;
	for (i = 0; i < total; i += n)
		memcpy(b + i, data + 4, total - i < n ? total - i : n);
	*size = total;
	return b;
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t keeps[] = { 0, 1, 5, 64, 4096, MT_MAX_BODY_KEEP };
	struct res a, b;
	uint32_t h = 2166136261u;
	uint8_t *inflated;
	size_t i, keep;
	int fd;

	if ((inflated = big(data, &size)) != NULL)
		data = inflated;
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	keep = keeps[(h >> 16) % (sizeof(keeps) / sizeof(keeps[0]))];
	fd = fz_memfd(data, size);
	collect(fd, keep, &a);
	close(fd);
	check(data, size, &a);
	chunked(data, size, h, keep, &b);
	same(&a, &b);
	release(&b);
	release(&a);
	free(inflated);
	return 0;
}
