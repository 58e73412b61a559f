/*
 * t.h - the unit tests' few macros.  Tests are tables; a failure prints
 * what was fed, what came out and what was wanted, and the program's exit
 * status is the number of failures (capped), so ctest sees it.
 */
#ifndef MT_T_H
#define MT_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed;
static int t_checked;

#define T_FAIL(...) do { \
	t_failed++; \
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
} while (0)

/* Compare a (possibly NULL) C string with a want (NULL = absent). */
#define T_STR(ctx, what, got, want) do { \
	const char *t_g = (got), *t_w = (want); \
	t_checked++; \
	if ((t_g == NULL) != (t_w == NULL) || \
	    (t_g != NULL && strcmp(t_g, t_w) != 0)) \
		T_FAIL("%s: %s: got \"%s\", want \"%s\"", (ctx), (what), \
		    t_g ? t_g : "(null)", t_w ? t_w : "(null)"); \
} while (0)

#define T_INT(ctx, what, got, want) do { \
	long long t_g = (long long)(got), t_w = (long long)(want); \
	t_checked++; \
	if (t_g != t_w) \
		T_FAIL("%s: %s: got %lld, want %lld", (ctx), (what), t_g, t_w); \
} while (0)

#define T_TRUE(ctx, what, cond) do { \
	t_checked++; \
	if (!(cond)) \
		T_FAIL("%s: %s: condition false: %s", (ctx), (what), #cond); \
} while (0)

/* t_slurp - a whole file, NUL-terminated and malloc'd; NULL when it cannot
 * be read (tests of ../shared data then say "skipped"). */
static inline char *
t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

#ifdef MT_INT_H
/* t_anomalies - the anomalies of m as "CODE@offset ..." (tests that
 * include mt.h before t.h). */
static inline const char *
t_anomalies(const struct mt_msg *m, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < m->anomalies.n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s@%llu",
		    i ? " " : "", mt_anomaly_name(m->anomalies.v[i].code),
		    (unsigned long long)m->anomalies.v[i].offset);
	return buf;
}
#endif

static inline int
t_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, t_checked, t_failed);
	if (t_checked == 0) {
		fprintf(stderr, "%s: no checks ran\n", name);
		return 1;
	}
	return t_failed > 100 ? 100 : t_failed;
}

#endif
