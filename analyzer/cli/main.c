/*
 * main.c - the mailtrace command: options, inputs, output, exit status.
 *
 * Exit status: 0 when every input was read and every message analyzed;
 * 1 when some input or message failed (its error record was still
 * written); 2 for usage errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mailtrace.h"

#define EXIT_USAGE 2
#define MAX_DIR_DEPTH 32
#define MAX_REASONS 16

struct opts {
	unsigned	json_flags;
	bool		no_dns;
};

/* Counts for the closing line on stderr. */
struct tally {
	uint64_t	messages;
	uint64_t	failed;
	struct {
		char		*reason;
		uint64_t	 count;
	} reasons[MAX_REASONS];
	size_t		nreasons;
};

static const char *progname = "mailtrace";

/* usage - the short help. */
static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] [FILE|DIR|-]...\n"
"Analyze e-mail headers: where did each message really come from, and which\n"
"of its Received lines are lies?  Writes one JSON record per message.\n"
"\n"
"Inputs (none or '-' reads standard input):\n"
"  FILE            one RFC 5322 message, or an mbox (first line \"From \")\n"
"  DIR             a Maildir (cur/ and new/) or a directory of message files,\n"
"                  read recursively in sorted order\n"
"\n"
"Options:\n"
"  -f, --format=FMT   output format: json (JSON Lines, the default)\n"
"      --pretty       indent the JSON for people\n"
"  -n, --no-dns       never send DNS queries\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"Exit status: 0 all messages analyzed, 1 some input or message failed (its\n"
"error record is still written), 2 usage error.\n"
"See mailtrace(1) for the record format.\n", progname);
}

/* note_failure - count one failed message under its reason. */
static void
note_failure(struct tally *t, const char *reason)
{
	size_t i;

	t->failed++;
	for (i = 0; i < t->nreasons; i++)
		if (strcmp(t->reasons[i].reason, reason) == 0) {
			t->reasons[i].count++;
			return;
		}
	if (t->nreasons < MAX_REASONS &&
	    (t->reasons[t->nreasons].reason = strdup(reason)) != NULL)
		t->reasons[t->nreasons++].count = 1;
}

/* emit - write one record line; exits on a broken output. */
static void
emit(struct mt_msg *m, const struct opts *o)
{
	char *json = NULL;

	if (mt_msg_json(m, o->json_flags, &json) != 0) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(1);
	}
	if (fputs(json, stdout) == EOF || putchar('\n') == EOF) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		    strerror(errno));
		exit(1);
	}
	free(json);
}

/* emit_error - write the error record of a message or input. */
static void
emit_error(struct mt_ctx *ctx, const struct mt_input *in, const char *reason,
    const struct opts *o, struct tally *t)
{
	struct mt_msg *m;

	t->messages++;
	note_failure(t, reason);
	if ((m = mt_msg_error(ctx, in, reason)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(1);
	}
	emit(m, o);
	mt_msg_free(m);
}

/* read_fd - analyze every message of one open input. */
static void
read_fd(struct mt_ctx *ctx, int fd, const char *path, const struct opts *o,
    struct tally *t)
{
	struct mt_split *s;
	struct mt_span span;
	struct mt_input in;
	int r;

	if ((s = mt_split_new(fd)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(1);
	}
	mt_split_keep_body(s, MT_MAX_BODY_KEEP);
	while ((r = mt_split_next(s, &span)) == 1) {
		struct mt_msg *m;

		memset(&in, 0, sizeof(in));
		in.path = path;
		in.index = span.index;
		in.offset = span.offset;
		in.size = span.size;
		in.mbox_from = span.mbox_from;
		in.mbox_from_len = span.mbox_from_len;
		in.header_truncated = span.hdr_truncated;
		in.no_body_separator = span.no_body_separator;
		in.mbox_from_truncated = span.mbox_from_truncated;
		in.body = span.body;
		in.body_len = span.body_len;
		in.body_truncated = span.body_truncated;
		if (span.size == 0 && span.hdr_len == 0) {
			emit_error(ctx, &in, "empty message", o, t);
			continue;
		}
		t->messages++;
		if ((m = mt_analyze(ctx, &in, span.hdr, span.hdr_len)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", progname);
			exit(1);
		}
		emit(m, o);
		mt_msg_free(m);
	}
	if (r < 0) {
		char reason[256];

		fprintf(stderr, "%s: %s: read error: %s\n", progname, path,
		    strerror(errno));
		snprintf(reason, sizeof(reason), "read error: %s",
		    strerror(errno));
		memset(&in, 0, sizeof(in));
		in.path = path;
		in.index = span.index;
		in.offset = mt_split_tell(s);
		emit_error(ctx, &in, reason, o, t);
	}
	mt_split_free(s);
}

/* input_failed - report an input that could not be opened at all. */
static void
input_failed(struct mt_ctx *ctx, const char *path, int err,
    const struct opts *o, struct tally *t)
{
	struct mt_input in;
	char reason[256];

	fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(err));
	snprintf(reason, sizeof(reason), "cannot read: %s", strerror(err));
	memset(&in, 0, sizeof(in));
	in.path = path;
	emit_error(ctx, &in, reason, o, t);
}

static void read_path(struct mt_ctx *, const char *, int,
    const struct opts *, struct tally *);

/* byname - directory entries in byte order, for a stable output order. */
static int
byname(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* read_dir - every file below dir, sorted; a Maildir reads cur/ and new/. */
static void
read_dir(struct mt_ctx *ctx, const char *dir, int depth,
    const struct opts *o, struct tally *t)
{
	struct dirent **ents = NULL;
	int n, i;

	if (depth > MAX_DIR_DEPTH) {
		fprintf(stderr, "%s: %s: directories nested too deep, skipped\n",
		    progname, dir);
		return;
	}
	if ((n = scandir(dir, &ents, NULL, byname)) < 0) {
		input_failed(ctx, dir, errno, o, t);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char *path;

		/* Hidden files and Maildir's tmp/ hold nothing delivered. */
		if (name[0] == '.' || strcmp(name, "tmp") == 0) {
			free(ents[i]);
			continue;
		}
		if (asprintf(&path, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0) {
			fprintf(stderr, "%s: out of memory\n", progname);
			exit(1);
		}
		read_path(ctx, path, depth + 1, o, t);
		free(path);
		free(ents[i]);
	}
	free(ents);
}

/* read_path - one command-line input or directory entry. */
static void
read_path(struct mt_ctx *ctx, const char *path, int depth,
    const struct opts *o, struct tally *t)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		read_fd(ctx, STDIN_FILENO, "-", o, t);
		return;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		input_failed(ctx, path, errno, o, t);
		return;
	}
	if (fstat(fd, &st) != 0) {
		input_failed(ctx, path, errno, o, t);
		close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		read_dir(ctx, path, depth, o, t);
		return;
	}
	read_fd(ctx, fd, path, o, t);
	close(fd);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "no-dns", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0, false };
	struct mt_ctx_opts copts;
	struct tally t;
	struct mt_ctx *ctx;
	char err[256];
	int ch, i;
	size_t r;

	if (argv[0] != NULL && argv[0][0] != '\0') {
		const char *slash = strrchr(argv[0], '/');

		progname = slash ? slash + 1 : argv[0];
	}
	while ((ch = getopt_long(argc, argv, "f:nhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				fprintf(stderr, "%s: unknown format '%s' "
				    "(json)\n", progname, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P':
			o.json_flags |= MT_JSON_PRETTY;
			break;
		case 'n':
			o.no_dns = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("mailtrace %s (schema %s)\n", MT_VERSION,
			    MT_SCHEMA);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", progname);
			return EXIT_USAGE;
		}
	}
	memset(&copts, 0, sizeof(copts));
	copts.no_dns = o.no_dns;
	if ((ctx = mt_ctx_new(&copts, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return 1;
	}
	memset(&t, 0, sizeof(t));
	if (optind == argc)
		read_path(ctx, "-", 0, &o, &t);
	for (i = optind; i < argc; i++)
		read_path(ctx, argv[i], 0, &o, &t);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		    strerror(errno));
		mt_ctx_free(ctx);
		return 1;
	}
	if (t.failed > 0) {
		fprintf(stderr, "%s: %llu of %llu messages failed:", progname,
		    (unsigned long long)t.failed,
		    (unsigned long long)t.messages);
		for (r = 0; r < t.nreasons; r++)
			fprintf(stderr, "%s %llu %s", r ? "," : "",
			    (unsigned long long)t.reasons[r].count,
			    t.reasons[r].reason);
		fputc('\n', stderr);
	}
	for (r = 0; r < t.nreasons; r++)
		free(t.reasons[r].reason);
	mt_ctx_free(ctx);
	return t.failed > 0 ? 1 : 0;
}
