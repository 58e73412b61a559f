/*
 * cli.h - what the files of the mailtrace command share: the options of
 * a run, the window of messages between reading and writing, the worker
 * threads, the progress line.
 *
 *   main.c      options, inputs (files, mbox, Maildir, directories),
 *               the summary, the exit status
 *   pool.c      windows of messages: phase 1 (parallel), one DNS
 *               resolution, phase 2 and rendering (parallel), the records
 *               written in input order
 *   progress.c  the progress line on a terminal's standard error, and
 *               every other line the command writes there
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mailtrace.h"

#define EXIT_USAGE 2

enum fmt { FMT_JSON, FMT_TEXT, FMT_ECS };

/* Verdict labels in rising order; an error record has none. */
enum { L_CLEAN, L_SUSPICIOUS, L_FORGED, L_NONE = -1 };

struct opts {
	enum fmt	 fmt;
	unsigned	 json_flags;	/* MT_JSON_PRETTY */
	unsigned	 text_flags;	/* MT_TEXT_COLOR */
	bool		 no_dns;
	size_t		 window;	/* messages per window */
	int		 jobs;		/* threads analyzing, main included */
	bool		 progress;
	bool		 summary;
	const char	*summary_file;	/* NULL: the summary goes to stdout */
	size_t		 top;
	int		 only;		/* L_NONE, or the lowest label printed */
	int		 fail_on;	/* L_NONE, or the label that exits 1 */
};

/* One message between reading and writing. */
struct item {
	struct mt_msg	*m;		/* after phase 1, or an error record */
	/* Deferred to a worker (jobs > 1): the input, copied. */
	bool		 pending;
	struct mt_input	 in;
	const char	*hdr;
	size_t		 hdr_len;
	char		*copy;		/* owns in.path, hdr, body, mbox_from */
	int		 worker;	/* the thread (context) of phase 1 */
	/* Rendered by phase 2. */
	char		*out;		/* the record, or NULL when --only drops it */
	size_t		 out_len;
	int		 label;		/* L_* */
	size_t		 findings;
};

struct window {
	struct item	*v;
	size_t		 n, cap;
	size_t		 bytes;		/* header and body bytes held */
};

/* Counts for the closing lines on stderr. */
#define MAX_REASONS 16
struct tally {
	uint64_t	messages;
	uint64_t	failed;
	struct {
		char		*reason;
		uint64_t	 count;
	} reasons[MAX_REASONS];
	size_t		nreasons;
	uint64_t	labels[3];	/* written or not (--only) */
	uint64_t	findings;
	uint64_t	reached;	/* messages at or above --fail-on */
};

struct pool;

/* Everything one run shares. */
struct run {
	struct mt_ctx		*ctx;	/* the main thread's; owns the resolver */
	const struct mt_ctx_opts *copts; /* for the workers' contexts */
	struct opts		 o;
	struct tally		 t;
	struct window		 w;
	struct pool		*pool;	/* NULL until a window needs workers */
	struct mt_sum		*sum;	/* NULL without --summary */
	bool			 said_unavailable;
	uint64_t		 written;	/* records written */
	/* progress */
	uint64_t		 bytes_done;	/* of inputs already read */
	uint64_t		 bytes_total;	/* 0: unknown */
	const struct mt_split	*reading;	/* the input being read */
};

extern const char *progname;

/* main.c */
void		 oom(void) __attribute__((noreturn));

/* pool.c */
/* window_add - one message into the window: with one job phase 1 runs at
 * once on span (borrowed), else the span is copied for a worker; a full
 * window is flushed. */
void		 window_add(struct run *r, const struct mt_input *in,
		    const char *hdr, size_t hdr_len);
/* window_error - an error record into the window. */
void		 window_error(struct run *r, const struct mt_input *in,
		    const char *reason);
/* window_flush - finish every message of the window and write the
 * records in input order. */
void		 window_flush(struct run *r);
/* pool_free - stop the worker threads and free their contexts. */
void		 pool_free(struct run *r);

/* progress.c */
/* progress_tick - redraw the progress line, at most 4 times a second
 * (force: now). */
void		 progress_tick(struct run *r, bool force);
/* progress_clear - erase the progress line (before other output). */
void		 progress_clear(struct run *r);
/* safe - a path or name (untrusted: a directory entry) with every byte a
 * terminal would act on shown as \xNN, into buf (len >= 32). */
const char	*safe(const char *s, char *buf, size_t len);
/* say - a line on stderr ("mailtrace: ..."), the progress line erased
 * first. */
void		 say(struct run *r, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

#endif
