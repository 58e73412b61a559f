/*
 * main.c - the mailtrace command: options, inputs, output, exit status.
 *
 * Exit status: 0 when every input was read and every message analyzed;
 * 1 when some input or message failed (its error record was still
 * written); 2 for usage errors.
 *
 * With DNS on, messages are analyzed in windows: phase 1 of every message
 * of the window (mt_analyze_begin), one resolution for all of them
 * (mt_ctx_resolve: their queries in flight together), then phase 2 and
 * the records, in input order.  With -n a window is one message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mailtrace.h"

#define EXIT_USAGE 2
#define MAX_DIR_DEPTH 32
#define MAX_REASONS 16
#define MAX_LIST 16		/* --dns-server, --dnsbl, --geoip-db each */
#define DEF_WINDOW 1024		/* messages per DNS window */
#define MAX_WINDOW 65536
/* Header bytes a window holds at most: a window of huge headers is
 * resolved early rather than held (memory stays bounded). */
#define WINDOW_BYTES (64 * 1024 * 1024)

struct opts {
	unsigned	json_flags;
	bool		no_dns;
	size_t		window;
};

/* Messages analyzed to phase 1 and waiting for their DNS answers. */
struct window {
	struct mt_msg	**v;
	size_t		  n;
	size_t		  bytes;
	bool		  said_unavailable;
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
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"DNS (on by default, with the system's resolver configuration):\n"
"  -n, --no-dns             never send DNS queries\n"
"      --dns-server=IP[:PORT]  ask this server ([IPv6]:PORT); repeatable\n"
"      --dns-timeout=MS     per try of a query (default 2000)\n"
"      --dns-budget=MS      for the whole run; then unanswered queries\n"
"                           are timeouts (default: none)\n"
"      --dns-concurrency=N  queries in flight (default 128)\n"
"      --dns-window=N       messages resolved together (default %d)\n"
"      --dns-cache=FILE     load answers from FILE if it exists, save all\n"
"                           answers to it at the end\n"
"      --dns-replay         answer only from --dns-cache, no network\n"
"      --dns-evidence       list every query in dns_evidence\n"
"      --dnsbl=ZONE         look the origin and the hops below the\n"
"                           boundary up in this DNSBL; repeatable\n"
"\n"
"GeoIP/ASN (MaxMind DB files):\n"
"      --geoip-db=PATH      use this .mmdb (repeatable); default: look in\n"
"                           /var/lib/GeoIP, /usr/share/GeoIP, ...\n"
"      --no-geoip           open no database\n"
"\n"
"Exit status: 0 all messages analyzed, 1 some input or message failed (its\n"
"error record is still written), 2 usage error.\n"
"See mailtrace(1) for the record format.\n", progname, DEF_WINDOW);
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

/* Everything one run shares. */
struct run {
	struct mt_ctx	*ctx;
	struct opts	 o;
	struct tally	 t;
	struct window	 w;
};

/* oom - out of memory: nothing sensible is left to do. */
static void __attribute__((noreturn))
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(1);
}

/* emit - write one record line; exits on a broken output. */
static void
emit(struct mt_msg *m, const struct opts *o)
{
	char *json = NULL;

	if (mt_msg_json(m, o->json_flags, &json) != 0)
		oom();
	if (fputs(json, stdout) == EOF || putchar('\n') == EOF) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		    strerror(errno));
		exit(1);
	}
	free(json);
}

/*
 * flush - resolve the window's questions together, finish each message
 * (phase 2) and write the records in input order.  The first time the
 * resolver is found unreachable says so once.
 */
static void
flush(struct run *r)
{
	struct window *w = &r->w;
	const char *why;
	size_t i;

	if (w->n == 0)
		return;
	if (mt_ctx_resolve(r->ctx, w->v, w->n) != 0) {
		fprintf(stderr, "%s: DNS: %s\n", progname, strerror(errno));
		exit(1);
	}
	if (!w->said_unavailable &&
	    (why = mt_ctx_dns_unavailable(r->ctx)) != NULL) {
		fprintf(stderr, "%s: DNS unavailable: %s; the hops looked up "
		    "are marked \"unavailable\"\n", progname, why);
		w->said_unavailable = true;
	}
	for (i = 0; i < w->n; i++) {
		if (mt_analyze_end(w->v[i]) != 0)
			oom();
		emit(w->v[i], &r->o);
		mt_msg_free(w->v[i]);
		w->v[i] = NULL;
	}
	w->n = 0;
	w->bytes = 0;
}

/* queue - a message (or error record) into the window, in input order;
 * a full window is flushed. */
static void
queue(struct run *r, struct mt_msg *m, size_t bytes)
{
	struct window *w = &r->w;

	w->v[w->n++] = m;
	w->bytes += bytes;
	if (w->n >= r->o.window || w->bytes >= WINDOW_BYTES)
		flush(r);
}

/* emit_error - queue the error record of a message or input. */
static void
emit_error(struct run *r, const struct mt_input *in, const char *reason)
{
	struct mt_msg *m;

	r->t.messages++;
	note_failure(&r->t, reason);
	if ((m = mt_msg_error(r->ctx, in, reason)) == NULL)
		oom();
	queue(r, m, 0);
}

/* read_fd - analyze every message of one open input. */
static void
read_fd(struct run *r, int fd, const char *path)
{
	struct mt_split *s;
	struct mt_span span;
	struct mt_input in;
	int rc;

	if ((s = mt_split_new(fd)) == NULL)
		oom();
	mt_split_keep_body(s, MT_MAX_BODY_KEEP);
	while ((rc = mt_split_next(s, &span)) == 1) {
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
			emit_error(r, &in, "empty message");
			continue;
		}
		r->t.messages++;
		/* Phase 1 copies what it keeps: the span may go. */
		if ((m = mt_analyze_begin(r->ctx, &in, span.hdr,
		    span.hdr_len)) == NULL)
			oom();
		queue(r, m, span.hdr_len);
	}
	if (rc < 0) {
		char reason[256];

		fprintf(stderr, "%s: %s: read error: %s\n", progname, path,
		    strerror(errno));
		snprintf(reason, sizeof(reason), "read error: %s",
		    strerror(errno));
		memset(&in, 0, sizeof(in));
		in.path = path;
		in.index = span.index;
		in.offset = mt_split_tell(s);
		emit_error(r, &in, reason);
	}
	mt_split_free(s);
}

/* input_failed - report an input that could not be opened at all. */
static void
input_failed(struct run *r, const char *path, int err)
{
	struct mt_input in;
	char reason[256];

	fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(err));
	snprintf(reason, sizeof(reason), "cannot read: %s", strerror(err));
	memset(&in, 0, sizeof(in));
	in.path = path;
	emit_error(r, &in, reason);
}

static void read_path(struct run *, const char *, int);

/* byname - directory entries in byte order, for a stable output order. */
static int
byname(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* read_dir - every file below dir, sorted; a Maildir reads cur/ and new/. */
static void
read_dir(struct run *r, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n, i;

	if (depth > MAX_DIR_DEPTH) {
		fprintf(stderr, "%s: %s: directories nested too deep, skipped\n",
		    progname, dir);
		return;
	}
	if ((n = scandir(dir, &ents, NULL, byname)) < 0) {
		input_failed(r, dir, errno);
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
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0)
			oom();
		read_path(r, path, depth + 1);
		free(path);
		free(ents[i]);
	}
	free(ents);
}

/* read_path - one command-line input or directory entry. */
static void
read_path(struct run *r, const char *path, int depth)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		read_fd(r, STDIN_FILENO, "-");
		return;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		input_failed(r, path, errno);
		return;
	}
	if (fstat(fd, &st) != 0) {
		input_failed(r, path, errno);
		close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		read_dir(r, path, depth);
		return;
	}
	read_fd(r, fd, path);
	close(fd);
}

/* number - a decimal option value within [min, max], or a usage error. */
static int
number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "%s: --%s: want a number from %ld to %ld, not "
		    "'%s'\n", progname, opt, min, max, arg);
		exit(EXIT_USAGE);
	}
	return (int)v;
}

/* push - add an option value to a list of at most MAX_LIST. */
static void
push(const char *opt, const char **list, size_t *n, const char *arg)
{
	if (*n >= MAX_LIST) {
		fprintf(stderr, "%s: --%s: at most %d\n", progname, opt,
		    MAX_LIST);
		exit(EXIT_USAGE);
	}
	list[(*n)++] = arg;
}

enum {
	O_PRETTY = 256, O_DNS_SERVER, O_DNS_TIMEOUT, O_DNS_BUDGET,
	O_DNS_CONC, O_DNS_WINDOW, O_DNS_CACHE, O_DNS_REPLAY, O_DNS_EVIDENCE,
	O_DNSBL, O_GEOIP_DB, O_NO_GEOIP,
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "no-dns", no_argument, NULL, 'n' },
		{ "dns-server", required_argument, NULL, O_DNS_SERVER },
		{ "dns-timeout", required_argument, NULL, O_DNS_TIMEOUT },
		{ "dns-budget", required_argument, NULL, O_DNS_BUDGET },
		{ "dns-concurrency", required_argument, NULL, O_DNS_CONC },
		{ "dns-window", required_argument, NULL, O_DNS_WINDOW },
		{ "dns-cache", required_argument, NULL, O_DNS_CACHE },
		{ "dns-replay", no_argument, NULL, O_DNS_REPLAY },
		{ "dns-evidence", no_argument, NULL, O_DNS_EVIDENCE },
		{ "dnsbl", required_argument, NULL, O_DNSBL },
		{ "geoip-db", required_argument, NULL, O_GEOIP_DB },
		{ "no-geoip", no_argument, NULL, O_NO_GEOIP },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *servers[MAX_LIST], *zones[MAX_LIST], *dbs[MAX_LIST];
	struct mt_ctx_opts copts;
	struct run r;
	char err[1024];
	int ch, i, rc;
	size_t k;

	if (argv[0] != NULL && argv[0][0] != '\0') {
		const char *slash = strrchr(argv[0], '/');

		progname = slash ? slash + 1 : argv[0];
	}
	memset(&r, 0, sizeof(r));
	memset(&copts, 0, sizeof(copts));
	copts.dns_servers = servers;
	copts.dnsbl = zones;
	copts.geoip_dbs = dbs;
	r.o.window = DEF_WINDOW;
	while ((ch = getopt_long(argc, argv, "f:nhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				fprintf(stderr, "%s: unknown format '%s' "
				    "(json)\n", progname, optarg);
				return EXIT_USAGE;
			}
			break;
		case O_PRETTY:
			r.o.json_flags |= MT_JSON_PRETTY;
			break;
		case 'n':
			r.o.no_dns = true;
			break;
		case O_DNS_SERVER:
			push("dns-server", servers, &copts.ndns_servers,
			    optarg);
			break;
		case O_DNS_TIMEOUT:
			copts.dns_timeout_ms = number("dns-timeout", optarg, 1,
			    600000);
			break;
		case O_DNS_BUDGET:
			copts.dns_budget_ms = number("dns-budget", optarg, 1,
			    INT_MAX);
			break;
		case O_DNS_CONC:
			copts.dns_concurrency = number("dns-concurrency",
			    optarg, 1, 4096);
			break;
		case O_DNS_WINDOW:
			r.o.window = (size_t)number("dns-window", optarg, 1,
			    MAX_WINDOW);
			break;
		case O_DNS_CACHE:
			copts.dns_cache = optarg;
			break;
		case O_DNS_REPLAY:
			copts.dns_replay = true;
			break;
		case O_DNS_EVIDENCE:
			copts.dns_evidence = true;
			break;
		case O_DNSBL:
			push("dnsbl", zones, &copts.ndnsbl, optarg);
			break;
		case O_GEOIP_DB:
			push("geoip-db", dbs, &copts.ngeoip_dbs, optarg);
			break;
		case O_NO_GEOIP:
			copts.no_geoip = true;
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
	if (copts.dns_replay && copts.dns_cache == NULL) {
		fprintf(stderr, "%s: --dns-replay needs --dns-cache=FILE\n",
		    progname);
		return EXIT_USAGE;
	}
	copts.no_dns = r.o.no_dns;
	/* Without DNS there is nothing to wait for: one message at a time. */
	if (r.o.no_dns)
		r.o.window = 1;
	if ((r.w.v = calloc(r.o.window, sizeof(*r.w.v))) == NULL)
		oom();
	if ((r.ctx = mt_ctx_new(&copts, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, err);
		return 1;
	}
	if (optind == argc)
		read_path(&r, "-", 0);
	for (i = optind; i < argc; i++)
		read_path(&r, argv[i], 0);
	flush(&r);
	rc = r.t.failed > 0 ? 1 : 0;
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "%s: write error: %s\n", progname,
		    strerror(errno));
		rc = 1;
	}
	if (mt_ctx_dns_save(r.ctx, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		rc = 1;
	}
	if (r.t.failed > 0) {
		fprintf(stderr, "%s: %llu of %llu messages failed:", progname,
		    (unsigned long long)r.t.failed,
		    (unsigned long long)r.t.messages);
		for (k = 0; k < r.t.nreasons; k++)
			fprintf(stderr, "%s %llu %s", k ? "," : "",
			    (unsigned long long)r.t.reasons[k].count,
			    r.t.reasons[k].reason);
		fputc('\n', stderr);
	}
	for (k = 0; k < r.t.nreasons; k++)
		free(r.t.reasons[k].reason);
	free(r.w.v);
	mt_ctx_free(r.ctx);
	return rc;
}
