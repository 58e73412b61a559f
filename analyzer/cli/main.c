/*
 * main.c - the mailtrace command: options, inputs, the summary, exit
 * status.
 *
 * Exit status: 0 when every input was read and every message analyzed
 * (and, with --fail-on, none reached the label); 1 when some input or
 * message failed (its error record was still written), or with --fail-on
 * when some message reached the label, or on a fatal error (out of
 * memory, a write error, a bad database); 2 for usage errors.
 *
 * The window of messages between reading and writing, and the threads,
 * are pool.c's; the progress line and the lines on stderr progress.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"

#define MAX_DIR_DEPTH 32
#define MAX_LIST 16		/* --dns-server, --dnsbl, --geoip-db each */
#define MAX_TRUST 4096		/* --trusted and --internal entries */
#define DEF_WINDOW 1024		/* messages per DNS window */
#define MAX_WINDOW 65536
#define NODNS_WINDOW 256	/* messages per window for -j N without DNS */
#define MAX_JOBS 256
#define DEF_TOP 10
#define MAX_TOP 100000

const char *progname = "mailtrace";
static struct run *the_run;	/* for oom() */

/* usage - the short help. */
static void
usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTIONS] [FILE|DIR|-]...\n"
"Where did each message really come from, and which of its Received lines\n"
"are lies?  A report per message at a terminal, JSON Lines otherwise.\n"
"\n"
"Inputs (none or '-' reads standard input): a message, an mbox, a Maildir,\n"
"or a directory of messages read recursively in sorted order.\n"
"\n"
"Output:\n"
"  -f, --format=FMT        text (the report; default at a terminal), json\n"
"                          (JSON Lines; default otherwise), ecs (Elastic\n"
"                          Common Schema)\n"
"      --ecs               the same as -f ecs\n"
"      --pretty            indented JSON (selects json unless -f says)\n"
"      --color=WHEN        text colours: auto (default: a terminal without\n"
"                          NO_COLOR), always, never\n"
"      --only=LABEL        records of messages at or above LABEL only\n"
"                          (suspicious, forged); error records always\n"
"      --summary           the batch's aggregate after the records\n"
"      --summary-file=FILE the aggregate to FILE instead\n"
"      --top=N             entries per summary table (default %d)\n"
"      --fail-on=LABEL     exit 1 when a message reaches LABEL\n"
"      --no-progress       no progress line (it is shown only when stderr\n"
"                          is a terminal)\n"
"  -j, --jobs=N            analyzing threads (default: the CPUs; 1: none)\n"
"      --rules=PATH        a rules file or directory loaded after the\n"
"                          shipped rules, whose lines override theirs;\n"
"                          repeatable (rules/README.md)\n"
"      --config=FILE       read options from FILE (default: the first of\n"
"                          ~/.config/mailtrace/config, /etc/mailtrace.conf)\n"
"      --no-config         read no configuration file\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"\n"
"The recipient's side (else the trust boundary is inferred):\n"
"      --trusted=LIST       addresses, CIDR networks, hosts, .domains whose\n"
"                           servers' Received lines are believed; repeatable\n"
"      --internal=LIST      the same, for the organization's inner hosts\n"
"\n"
"DNS (on by default, with the system's resolver configuration):\n"
"  -n, --no-dns             never send DNS queries\n"
"      --dns-server=IP[:PORT]  ask this server ([IPv6]:PORT); repeatable\n"
"      --dns-timeout=MS     per try of a query (default 2000)\n"
"      --dns-budget=MS      for the whole run (default: none)\n"
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
"Exit status: 0 all analyzed; 1 some input or message failed (its error\n"
"record is still written) or, with --fail-on, a message reached the label;\n"
"2 usage error.  See mailtrace(1).\n", progname, DEF_TOP, DEF_WINDOW);
}

/* oom - out of memory: nothing sensible is left to do. */
void
oom(void)
{
	say(the_run, "out of memory");
	exit(1);
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

/* emit_error - the error record of a message or input. */
static void
emit_error(struct run *r, const struct mt_input *in, const char *reason)
{
	r->t.messages++;
	note_failure(&r->t, reason);
	window_error(r, in, reason);
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
	r->reading = s;
	while ((rc = mt_split_next(s, &span)) == 1) {
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
		/* Phase 1 copies what it keeps (or the window copies the
		 * span for a worker): the span may go. */
		window_add(r, &in, span.hdr, span.hdr_len);
		progress_tick(r, false);
	}
	if (rc < 0) {
		char reason[256], buf[PATH_MAX];
		int e = errno;

		say(r, "%s: read error: %s", safe(path, buf, sizeof(buf)),
		    strerror(e));
		snprintf(reason, sizeof(reason), "read error: %s",
		    strerror(e));
		memset(&in, 0, sizeof(in));
		in.path = path;
		in.index = span.index;
		in.offset = mt_split_tell(s);
		emit_error(r, &in, reason);
	}
	r->bytes_done += mt_split_tell(s);
	r->reading = NULL;
	mt_split_free(s);
}

/* input_failed - report an input that could not be opened at all. */
static void
input_failed(struct run *r, const char *path, int err)
{
	struct mt_input in;
	char reason[256], buf[PATH_MAX];

	say(r, "%s: %s", safe(path, buf, sizeof(buf)), strerror(err));
	snprintf(reason, sizeof(reason), "cannot read: %s", strerror(err));
	memset(&in, 0, sizeof(in));
	in.path = path;
	emit_error(r, &in, reason);
}

/* byname - directory entries in byte order, for a stable output order. */
static int
byname(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* skipped - an entry a directory walk leaves out: hidden files and
 * Maildir's tmp/, which hold nothing delivered. */
static bool
skipped(const char *name)
{
	return name[0] == '.' || strcmp(name, "tmp") == 0;
}

/* join - dir/name, malloc'd. */
static char *
join(const char *dir, const char *name)
{
	char *path;

	if (asprintf(&path, "%s%s%s", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0)
		oom();
	return path;
}

static void read_path(struct run *, const char *, int);

/* An input that is not a message source, with a reason: an error record
 * and a line on stderr, so nothing is skipped silently. */
static void
input_refused(struct run *r, const char *path, const char *reason)
{
	struct mt_input in;
	char buf[PATH_MAX];

	say(r, "%s: %s", safe(path, buf, sizeof(buf)), reason);
	memset(&in, 0, sizeof(in));
	in.path = path;
	emit_error(r, &in, reason);
}

/* The directories being walked, to refuse a symlink back into one of them
 * (a loop would otherwise read the same messages without end). */
struct dirstack {
	dev_t	dev[MAX_DIR_DEPTH + 2];
	ino_t	ino[MAX_DIR_DEPTH + 2];
	int	n;
};

static struct dirstack walking;

/* read_dir - every file below dir, sorted; a Maildir reads cur/ and new/. */
static void
read_dir(struct run *r, const char *dir, int depth, const struct stat *st)
{
	struct dirent **ents = NULL;
	int n, i;

	if (depth > MAX_DIR_DEPTH) {
		input_refused(r, dir, "directories nested too deep: not read");
		return;
	}
	for (i = 0; i < walking.n; i++)
		if (walking.dev[i] == st->st_dev && walking.ino[i] == st->st_ino) {
			input_refused(r, dir, "a link back into a directory "
			    "being read: not read again");
			return;
		}
	if ((n = scandir(dir, &ents, NULL, byname)) < 0) {
		input_failed(r, dir, errno);
		return;
	}
	walking.dev[walking.n] = st->st_dev;
	walking.ino[walking.n++] = st->st_ino;
	for (i = 0; i < n; i++) {
		if (!skipped(ents[i]->d_name)) {
			char *path = join(dir, ents[i]->d_name);

			read_path(r, path, depth + 1);
			free(path);
		}
		free(ents[i]);
	}
	walking.n--;
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
	/* Non-blocking open: a FIFO met in a directory walk must not hang
	 * the run.  One named on the command line is read (process
	 * substitution, a named pipe on purpose); blocking is restored. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
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
		read_dir(r, path, depth, &st);
		return;
	}
	if (!S_ISREG(st.st_mode) && depth > 0) {
		close(fd);
		input_refused(r, path, "not a regular file: not read");
		return;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		input_failed(r, path, errno);
		close(fd);
		return;
	}
	read_fd(r, fd, path);
	close(fd);
}

/*
 * size_of - the bytes an input will yield, for the progress line: a
 * file's size, a directory's files summed (as read_dir walks them);
 * false when unknown (a pipe, a terminal).
 */
static bool
size_of(const char *path, int depth, uint64_t *total)
{
	struct dirent **ents = NULL;
	struct stat st;
	bool ok = true;
	int n, i;

	if (strcmp(path, "-") == 0) {
		if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
			return false;
		/* Redirected from a file: what is left of it. */
		*total += (uint64_t)st.st_size;
		return true;
	}
	/* Below the command line, links are not followed here: a link
	 * loop must not cost 2^depth stat calls for a progress estimate. */
	if ((depth == 0 ? stat(path, &st) : lstat(path, &st)) != 0)
		return true;		/* an error record, no bytes */
	if (S_ISREG(st.st_mode)) {
		*total += (uint64_t)st.st_size;
		return true;
	}
	if (!S_ISDIR(st.st_mode))
		return false;
	if (depth > MAX_DIR_DEPTH || (n = scandir(path, &ents, NULL,
	    byname)) < 0)
		return true;
	for (i = 0; i < n; i++) {
		if (ok && !skipped(ents[i]->d_name)) {
			char *p = join(path, ents[i]->d_name);

			ok = size_of(p, depth + 1, total);
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
	return ok;
}

/* number - a decimal option value within [min, max], or a usage error. */
static long
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
	return v;
}

/* label - a --only/--fail-on value, or a usage error. */
static int
label(const char *opt, const char *arg)
{
	if (strcmp(arg, "suspicious") == 0)
		return L_SUSPICIOUS;
	if (strcmp(arg, "forged") == 0)
		return L_FORGED;
	fprintf(stderr, "%s: --%s: want suspicious or forged, not '%s'\n",
	    progname, opt, arg);
	exit(EXIT_USAGE);
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

/* cpus - the CPUs this process may run on. */
static int
cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    CPU_COUNT(&set) > 0)
		n = CPU_COUNT(&set);
	else if ((n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > MAX_JOBS ? MAX_JOBS : (int)n;
}

/* no_color - NO_COLOR is set to something (no-color.org). */
static bool
no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && *v != '\0';
}

/*
 * summary - the aggregate after the records: on stdout as tables (text)
 * or as one final record (json, ecs), or to --summary-file in the same
 * format.  Returns false on a write error (said).
 */
static bool
summary(struct run *r)
{
	const struct opts *o = &r->o;
	FILE *f = stdout;
	char *s = NULL;
	int rc;

	if (o->fmt == FMT_TEXT)
		rc = mt_sum_text(r->sum, o->top, &s);
	else
		rc = mt_sum_json(r->sum, o->top, o->json_flags |
		    (o->fmt == FMT_ECS ? MT_JSON_ECS : 0), &s);
	if (rc != 0)
		oom();
	if (o->summary_file != NULL &&
	    (f = fopen(o->summary_file, "w")) == NULL) {
		say(r, "%s: %s", o->summary_file, strerror(errno));
		free(s);
		return false;
	}
	if (f == stdout && o->fmt == FMT_TEXT && r->written > 0)
		fputc('\n', f);
	fputs(s, f);
	if (o->fmt != FMT_TEXT)
		fputc('\n', f);
	free(s);
	if (f != stdout && (ferror(f) | fclose(f)) != 0) {
		say(r, "%s: write error: %s", o->summary_file,
		    strerror(errno));
		return false;
	}
	return true;
}

/* A --trusted or --internal list, grown as entries come. */
struct list {
	const char	**v;
	size_t		  n, cap;
	char		**own;		/* split copies, freed at the end */
	size_t		  nown;
};

/* add_entries - the entries of a --trusted/--internal value: separated by
 * commas or blanks. */
static void
add_entries(const char *opt, struct list *l, const char *arg)
{
	char *copy, *tok, *save = NULL;
	char **nown;

	if ((copy = strdup(arg)) == NULL ||
	    (nown = realloc(l->own, (l->nown + 1) * sizeof(*nown))) == NULL)
		oom();
	l->own = nown;
	l->own[l->nown++] = copy;
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		if (l->n >= MAX_TRUST) {
			fprintf(stderr, "%s: --%s: at most %d entries\n",
			    progname, opt, MAX_TRUST);
			exit(EXIT_USAGE);
		}
		if (l->n == l->cap) {
			size_t ncap = l->cap ? l->cap * 2 : 16;
			const char **nv = realloc(l->v, ncap * sizeof(*nv));

			if (nv == NULL)
				oom();
			l->v = nv;
			l->cap = ncap;
		}
		l->v[l->n++] = tok;
	}
}

/* list_free - release a list. */
static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->nown; i++)
		free(l->own[i]);
	free(l->own);
	free(l->v);
}

/*
 * with_config - the arguments with the configuration file's options in
 * front of the command line's (which win): --config FILE, else the
 * default file, none with --no-config.  Returns the new argv (argc in
 * *argcp); exits 2 on a bad file.
 */
static char **
with_config(int *argcp, char **argv, struct cli_config *cfg)
{
	const char *file = NULL;
	bool none = false;
	char buf[4096], err[1024], **nv;
	int i, argc = *argcp;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--no-config") == 0)
			none = true;
		else if (strncmp(argv[i], "--config=", 9) == 0)
			file = argv[i] + 9;
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			file = argv[++i];
	}
	if (none)
		return argv;
	if (file == NULL && (file = cli_config_default(buf, sizeof(buf))) ==
	    NULL)
		return argv;
	if (cli_config_read(file, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", progname, err);
		exit(EXIT_USAGE);
	}
	if ((nv = calloc((size_t)(argc + cfg->argc + 1), sizeof(*nv))) ==
	    NULL)
		oom();
	nv[0] = argv[0];
	for (i = 0; i < cfg->argc; i++)
		nv[1 + i] = cfg->argv[i];
	for (i = 1; i < argc; i++)
		nv[cfg->argc + i] = argv[i];
	*argcp = argc + cfg->argc;
	return nv;
}

enum {
	O_PRETTY = 256, O_DNS_SERVER, O_DNS_TIMEOUT, O_DNS_BUDGET,
	O_DNS_CONC, O_DNS_WINDOW, O_DNS_CACHE, O_DNS_REPLAY, O_DNS_EVIDENCE,
	O_DNSBL, O_GEOIP_DB, O_NO_GEOIP, O_RULES, O_ECS, O_COLOR, O_ONLY, O_SUMMARY,
	O_SUMMARY_FILE, O_TOP, O_FAIL_ON, O_NO_PROGRESS, O_TRUSTED, O_INTERNAL,
	O_CONFIG, O_NO_CONFIG,
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "ecs", no_argument, NULL, O_ECS },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "color", required_argument, NULL, O_COLOR },
		{ "colour", required_argument, NULL, O_COLOR },
		{ "only", required_argument, NULL, O_ONLY },
		{ "summary", no_argument, NULL, O_SUMMARY },
		{ "summary-file", required_argument, NULL, O_SUMMARY_FILE },
		{ "top", required_argument, NULL, O_TOP },
		{ "fail-on", required_argument, NULL, O_FAIL_ON },
		{ "no-progress", no_argument, NULL, O_NO_PROGRESS },
		{ "jobs", required_argument, NULL, 'j' },
		{ "trusted", required_argument, NULL, O_TRUSTED },
		{ "internal", required_argument, NULL, O_INTERNAL },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "no-config", no_argument, NULL, O_NO_CONFIG },
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
		{ "rules", required_argument, NULL, O_RULES },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *servers[MAX_LIST], *zones[MAX_LIST], *dbs[MAX_LIST];
	const char *rules[MAX_LIST];
	struct list trusted = { NULL, 0, 0, NULL, 0 };
	struct list internal = { NULL, 0, 0, NULL, 0 };
	struct cli_config cfg;
	struct mt_ctx_opts copts;
	char **args;
	struct run r;
	char err[1024];
	int ch, i, rc, color = -1;	/* -1 auto, 0 never, 1 always */
	bool fmt_set = false, no_progress = false;
	size_t k;

	/* Early ends exit() rather than return: what main holds is then
	 * still reachable, not a leak. */
	if (argv[0] != NULL && argv[0][0] != '\0') {
		const char *slash = strrchr(argv[0], '/');

		progname = slash ? slash + 1 : argv[0];
	}
	memset(&r, 0, sizeof(r));
	memset(&copts, 0, sizeof(copts));
	memset(&cfg, 0, sizeof(cfg));
	the_run = &r;
	copts.dns_servers = servers;
	copts.dnsbl = zones;
	copts.geoip_dbs = dbs;
	copts.rules = rules;
	r.copts = &copts;
	r.o.window = DEF_WINDOW;
	r.o.jobs = 0;
	r.o.top = DEF_TOP;
	r.o.only = r.o.fail_on = L_NONE;
	args = with_config(&argc, argv, &cfg);
	while ((ch = getopt_long(argc, args, "f:j:nhV", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				r.o.fmt = FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				r.o.fmt = FMT_TEXT;
			else if (strcmp(optarg, "ecs") == 0)
				r.o.fmt = FMT_ECS;
			else {
				fprintf(stderr, "%s: unknown format '%s' "
				    "(text, json, ecs)\n", progname, optarg);
				exit(EXIT_USAGE);
			}
			fmt_set = true;
			break;
		case O_ECS:
			r.o.fmt = FMT_ECS;
			fmt_set = true;
			break;
		case O_PRETTY:
			r.o.json_flags |= MT_JSON_PRETTY;
			break;
		case O_COLOR:
			if (strcmp(optarg, "auto") == 0)
				color = -1;
			else if (strcmp(optarg, "always") == 0)
				color = 1;
			else if (strcmp(optarg, "never") == 0)
				color = 0;
			else {
				fprintf(stderr, "%s: --color: want auto, "
				    "always or never, not '%s'\n", progname,
				    optarg);
				exit(EXIT_USAGE);
			}
			break;
		case O_ONLY:
			r.o.only = label("only", optarg);
			break;
		case O_SUMMARY:
			r.o.summary = true;
			break;
		case O_SUMMARY_FILE:
			r.o.summary = true;
			r.o.summary_file = optarg;
			break;
		case O_TOP:
			r.o.top = (size_t)number("top", optarg, 1, MAX_TOP);
			break;
		case O_FAIL_ON:
			r.o.fail_on = label("fail-on", optarg);
			break;
		case O_NO_PROGRESS:
			no_progress = true;
			break;
		case 'j':
			r.o.jobs = (int)number("jobs", optarg, 1, MAX_JOBS);
			break;
		case 'n':
			r.o.no_dns = true;
			break;
		case O_TRUSTED:
			add_entries("trusted", &trusted, optarg);
			break;
		case O_INTERNAL:
			add_entries("internal", &internal, optarg);
			break;
		case O_CONFIG:
		case O_NO_CONFIG:
			break;		/* read by with_config() */
		case O_DNS_SERVER:
			push("dns-server", servers, &copts.ndns_servers,
			    optarg);
			break;
		case O_DNS_TIMEOUT:
			copts.dns_timeout_ms = (int)number("dns-timeout",
			    optarg, 1, 600000);
			break;
		case O_DNS_BUDGET:
			copts.dns_budget_ms = (int)number("dns-budget", optarg,
			    1, INT_MAX);
			break;
		case O_DNS_CONC:
			copts.dns_concurrency = (int)number("dns-concurrency",
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
		case O_RULES:
			push("rules", rules, &copts.nrules, optarg);
			break;
		case O_GEOIP_DB:
			push("geoip-db", dbs, &copts.ngeoip_dbs, optarg);
			break;
		case O_NO_GEOIP:
			copts.no_geoip = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("mailtrace %s (schema %s)\n", MT_VERSION,
			    MT_SCHEMA);
			exit(0);
		default:
			/* optind is past the bad option (and its value). */
			for (i = optind - 1; i >= optind - 2 && i >= 1; i--)
				if (i <= cfg.argc && i - 1 < cfg.nlines) {
					fprintf(stderr, "%s: (that option is "
					    "line %u of %s)\n", progname,
					    cfg.line[i - 1], cfg.file[i - 1]);
					break;
				}
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", progname);
			exit(EXIT_USAGE);
		}
	}
	if (copts.dns_replay && copts.dns_cache == NULL) {
		fprintf(stderr, "%s: --dns-replay needs --dns-cache=FILE\n",
		    progname);
		exit(EXIT_USAGE);
	}
	/* The report at a terminal, records for programs; --pretty asks for
	 * JSON to read. */
	if (!fmt_set)
		r.o.fmt = isatty(STDOUT_FILENO) &&
		    !(r.o.json_flags & MT_JSON_PRETTY) ? FMT_TEXT : FMT_JSON;
	if (r.o.fmt == FMT_TEXT && (r.o.json_flags & MT_JSON_PRETTY)) {
		fprintf(stderr, "%s: --pretty indents JSON, not -f text\n",
		    progname);
		exit(EXIT_USAGE);
	}
	if (color < 0)
		color = isatty(STDOUT_FILENO) && !no_color();
	if (r.o.fmt == FMT_TEXT && color)
		r.o.text_flags |= MT_TEXT_COLOR;
	r.o.progress = !no_progress && isatty(STDERR_FILENO);
	if (r.o.jobs == 0)
		r.o.jobs = cpus();
	copts.no_dns = r.o.no_dns;
	copts.trusted = trusted.v;
	copts.ntrusted = trusted.n;
	copts.internal = internal.v;
	copts.ninternal = internal.n;
	/* Without DNS there is nothing to wait for: one message at a time,
	 * or a window's worth for the threads to share. */
	if (r.o.no_dns)
		r.o.window = r.o.jobs > 1 ? NODNS_WINDOW : 1;
	if ((r.ctx = mt_ctx_new(&copts, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, err);
		exit(1);
	}
	if (r.o.summary && (r.sum = mt_sum_new()) == NULL)
		oom();
	if (r.o.progress) {
		bool known = true;

		if (optind == argc)
			known = size_of("-", 0, &r.bytes_total);
		for (i = optind; i < argc && known; i++)
			known = size_of(args[i], 0, &r.bytes_total);
		if (!known)
			r.bytes_total = 0;
	}
	if (optind == argc)
		read_path(&r, "-", 0);
	for (i = optind; i < argc; i++)
		read_path(&r, args[i], 0);
	window_flush(&r);
	progress_clear(&r);
	rc = r.t.failed > 0 ? 1 : 0;
	if (r.sum != NULL && !summary(&r))
		rc = 1;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		say(&r, "write error: %s", strerror(errno));
		rc = 1;
	}
	if (mt_ctx_dns_save(r.ctx, err, sizeof(err)) != 0) {
		say(&r, "%s", err);
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
	if (r.t.reached > 0) {
		fprintf(stderr, "%s: %llu of %llu messages %s (--fail-on %s)\n",
		    progname, (unsigned long long)r.t.reached,
		    (unsigned long long)r.t.messages,
		    r.o.fail_on == L_FORGED ? "forged" :
		    "suspicious or forged", r.o.fail_on == L_FORGED ?
		    "forged" : "suspicious");
		rc = 1;
	}
	for (k = 0; k < r.t.nreasons; k++)
		free(r.t.reasons[k].reason);
	pool_free(&r);
	free(r.w.v);
	mt_sum_free(r.sum);
	mt_ctx_free(r.ctx);
	list_free(&trusted);
	list_free(&internal);
	if (args != argv)
		free(args);
	cli_config_free(&cfg);
	return rc;
}
