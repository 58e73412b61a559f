/*
 * linear.c - work stays linear in the input whatever its line ends: 8 MiB
 * of short header lines ending in LF, CRLF, a lone CR, and a mix, split
 * (mt_split_*) and analyzed (mt_analyze on the kept header).  The
 * splitter once searched the rest of its buffer for an LF on every line,
 * so a CR-only header took a hundred times longer than an LF one.  Each
 * kind must take at most ten times the LF time plus a second: a generous
 * margin that a slow or busy machine stays far inside, and that a return
 * to per-line rescanning still breaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mt.h"
#include "t.h"

#define SIZE (8 * 1024 * 1024)

/* now - monotonic seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* run - split SIZE bytes of line+end repeated and analyze the messages;
 * returns the seconds it took. */
static double
run(struct mt_ctx *ctx, const char *name, const char *line, const char *end)
{
	size_t ll = strlen(line), el = strlen(end), n = 0;
	struct mt_split *s;
	struct mt_span span;
	double t0, t;
	char *buf;
	int fd, spans = 0;

	if ((buf = malloc(SIZE)) == NULL)
		abort();
	while (n + ll + el <= SIZE) {
		memcpy(buf + n, line, ll);
		memcpy(buf + n + ll, end, el);
		n += ll + el;
	}
	if ((fd = memfd_create("linear", MFD_CLOEXEC)) < 0 ||
	    write(fd, buf, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	t0 = now();
	if ((s = mt_split_new(fd)) == NULL)
		abort();
	while (mt_split_next(s, &span) == 1) {
		struct mt_input in;
		struct mt_msg *m;

		memset(&in, 0, sizeof(in));
		in.path = name;
		in.size = span.size;
		in.header_truncated = span.hdr_truncated;
		in.no_body_separator = span.no_body_separator;
		if ((m = mt_analyze(ctx, &in, span.hdr, span.hdr_len)) == NULL)
			abort();
		mt_msg_free(m);
		spans++;
	}
	t = now() - t0;
	T_INT(name, "messages", spans, 1);
	T_INT(name, "all read", mt_split_tell(s), n);
	mt_split_free(s);
	close(fd);
	free(buf);
	printf("%s: %.3f s\n", name, t);
	return t;
}

/* main - LF first, as the yardstick, then the others. */
int
main(void)
{
	static const struct {
		const char *name, *end;
	} kinds[] = {
		{ "CRLF", "\r\n" },
		{ "CR only", "\r" },
		{ "CR CR LF", "\r\r\n" },
	};
	struct mt_ctx_opts o;
	struct mt_ctx *ctx;
	char err[256];
	double lf, t;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.no_dns = true;
	if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "linear: %s\n", err);
		return 1;
	}
	lf = run(ctx, "LF", "X-A: b", "\n");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		t = run(ctx, kinds[i].name, "X-A: b", kinds[i].end);
		T_TRUE(kinds[i].name, "at most ten times the LF time + 1 s",
		    t <= 10 * lf + 1.0);
	}
	t = run(ctx, "one long line", "x", "");
	T_TRUE("one long line", "at most ten times the LF time + 1 s",
	    t <= 10 * lf + 1.0);
	mt_ctx_free(ctx);
	return t_done("linear");
}
