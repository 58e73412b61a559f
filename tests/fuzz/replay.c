/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() on files, so the
 * committed corpora are checked by ctest in every build, with gcc and
 * without libFuzzer.
 *
 *   replay_TARGET PATH...    every file of each directory (byte order of
 *                            the names), or the file itself
 *
 * Each input is read into a buffer of exactly its size, so a read past
 * the end trips the sanitizers.  Each input's name is written to stderr
 * before it runs, so the last name before a crash or a sanitizer report
 * is the culprit (ctest shows the output of failed tests only).  Exit
 * status 0 when every input ran; 1 when none did or a path could not be
 * read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void	__sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static const char *current;	/* the input being run */

/* say - the current input's name on stderr, async-signal-safe. */
static void
say(void)
{
	static const char pre[] = "replay: crashed on ";

	if (current == NULL)
		return;
	(void)!write(2, pre, sizeof(pre) - 1);
	(void)!write(2, current, strlen(current));
	(void)!write(2, "\n", 1);
}

/* crashed - a fatal signal: name the input, then die of it. */
static void
crashed(int sig)
{
	say();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* readall - the whole file in a malloc'd buffer of exactly its size. */
static uint8_t *
readall(const char *path, size_t *size)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || st.st_size < 0)
		goto fail;
	/* malloc(0) may return NULL: keep one byte, report the real size */
	if ((buf = malloc((size_t)st.st_size ? (size_t)st.st_size : 1)) == NULL)
		goto fail;
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	close(fd);
	*size = off;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* one - run the target on one file; the slowest time is kept. */
static int
one(const char *path, double *slowest, const char **slow_name)
{
	struct timespec a, b;
	uint8_t *buf;
	size_t size = 0;
	double t;

	if ((buf = readall(path, &size)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	current = path;
	fprintf(stderr, "replay: %s\n", path);
	clock_gettime(CLOCK_MONOTONIC, &a);
	LLVMFuzzerTestOneInput(buf, size);
	clock_gettime(CLOCK_MONOTONIC, &b);
	current = NULL;
	free(buf);
	t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (t > *slowest) {
		*slowest = t;
		free((void *)*slow_name);
		*slow_name = strdup(path);
	}
	return 0;
}

/* byname - directory entries in byte order. */
static int
byname(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

/* main - run every input named by the arguments. */
int
main(int argc, char **argv)
{
	const char *slow_name = NULL;
	double slowest = 0;
	size_t runs = 0;
	int i, k, n, bad = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(say);
	signal(SIGSEGV, crashed);
	signal(SIGABRT, crashed);
	signal(SIGBUS, crashed);
	signal(SIGFPE, crashed);
	signal(SIGILL, crashed);
	for (i = 1; i < argc; i++) {
		struct dirent **ents;
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (one(argv[i], &slowest, &slow_name) == 0)
				runs++;
			else
				bad = 1;
			continue;
		}
		if ((n = scandir(argv[i], &ents, NULL, byname)) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			bad = 1;
			continue;
		}
		for (k = 0; k < n; k++) {
			char *path;

			if (ents[k]->d_name[0] != '.' &&
			    asprintf(&path, "%s/%s", argv[i],
			    ents[k]->d_name) >= 0) {
				if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
					if (one(path, &slowest, &slow_name) == 0)
						runs++;
					else
						bad = 1;
				}
				free(path);
			}
			free(ents[k]);
		}
		free(ents);
	}
	printf("replay: %zu inputs, slowest %.3f s (%s)\n", runs, slowest,
	    slow_name != NULL ? slow_name : "-");
	free((void *)slow_name);
	if (runs == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	return bad;
}
