/*
 * fuzz.h - what the fuzz targets share: one analysis context for the
 * process, an in-memory file descriptor, a fresh message, and CHECK(),
 * which aborts with a line saying which invariant broke (libFuzzer and
 * the replay program both report an abort as a crash).
 *
 * Each target defines LLVMFuzzerTestOneInput().  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer binary; built with replay.c it is a
 * plain program that runs every file of a corpus, which is how ctest
 * checks the committed corpora in the normal build.
 */
#ifndef MT_FUZZ_H
#define MT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* fz_ctx - the process's context: shipped rules, never any DNS. */
static inline struct mt_ctx *
fz_ctx(void)
{
	static struct mt_ctx *ctx;
	struct mt_ctx_opts o;
	char err[512];

	if (ctx == NULL) {
		memset(&o, 0, sizeof(o));
		o.no_dns = true;
		if ((ctx = mt_ctx_new(&o, err, sizeof(err))) == NULL) {
			fprintf(stderr, "fuzz: no context: %s\n", err);
			abort();
		}
	}
	return ctx;
}

/* fz_msg - an empty message of the process's context. */
static inline struct mt_msg *
fz_msg(void)
{
	struct mt_input in;
	struct mt_msg *m;

	memset(&in, 0, sizeof(in));
	in.path = "fuzz";
	if ((m = mt_msg_alloc(fz_ctx(), &in)) == NULL)
		abort();
	return m;
}

/* fz_memfd - a descriptor reading the bytes, positioned at 0. */
static inline int
fz_memfd(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0)
		abort();
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0)
			abort();
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* fz_json_clean - true if the JSON text is valid UTF-8 with no raw
 * control character (RFC 8259 section 7: they must be escaped). */
static inline int
fz_json_clean(const char *s, size_t len)
{
	size_t i;

	if (!mt_utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != ' ')
			return 0;
	return 1;
}

#endif
