/*
 * pool.c - windows of messages and the threads that analyze them.
 *
 * A window holds messages in input order from reading to writing.  With
 * one job everything runs in the main thread: phase 1 of each message as
 * it is read (mt_analyze_begin), then, for the whole window, one DNS
 * resolution (mt_ctx_resolve: all its questions in flight together),
 * phase 2 (mt_analyze_end), rendering and writing.
 *
 * With -j N the main thread reads (copying each message's header and
 * kept body), and N threads, the main one included, each with a context
 * of its own, share the work of a window in three steps with a barrier
 * after each:
 *
 *   1. phase 1: each thread takes the next message not yet taken;
 *   2. the main thread alone resolves the window (the workers' contexts
 *      share the main context's resolver through mt_ctx_opts.dns_share,
 *      so there is one answer cache, and mt_res_run has one caller);
 *   3. phase 2 and rendering: each thread finishes the messages it began
 *      (a message is used with its own context only, by one thread at a
 *      time; the barrier hands it over).
 *
 * Without DNS steps 1 and 3 are one.  The main thread then writes the
 * rendered records in input order, counts them into the summary and
 * frees them.  A message's record depends only on the message and on the
 * answers to its own questions, and windows are cut the same way whatever
 * N is, so -j N writes the same bytes as -j 1.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Header and body bytes a window holds at most: a window of huge
 * messages is finished early rather than held (memory stays bounded). */
#define WINDOW_BYTES (64 * 1024 * 1024)

enum task { T_BEGIN, T_END, T_BOTH, T_QUIT };

struct worker {
	struct pool	*pool;
	int		 id;		/* 0: the main thread */
	struct mt_ctx	*ctx;
	pthread_t	 th;
	bool		 started;
};

struct pool {
	struct run	*r;
	pthread_mutex_t	 mu;
	pthread_cond_t	 go, done;
	unsigned	 gen;		/* task generation */
	enum task	 task;
	int		 busy;		/* threads still on this generation */
	int		 ready;		/* threads that made their context */
	int		 failed;	/* threads that could not */
	char		 err[512];
	atomic_size_t	 next;		/* next item to take (T_BEGIN, T_BOTH) */
	int		 n;		/* workers, main included */
	struct worker	*wk;
};

/* begin - phase 1 of a deferred message with ctx; the copy goes. */
static void
begin(struct item *it, struct mt_ctx *ctx, int id)
{
	if ((it->m = mt_analyze_begin(ctx, &it->in, it->hdr,
	    it->hdr_len)) == NULL)
		oom();
	it->pending = false;
	it->worker = id;
	free(it->copy);
	it->copy = NULL;
}

/* rank - the L_* of a message. */
static int
rank(const struct mt_msg *m)
{
	const char *l = mt_msg_get_label(m);

	if (l == NULL)
		return L_NONE;
	return strcmp(l, "forged") == 0 ? L_FORGED :
	    strcmp(l, "suspicious") == 0 ? L_SUSPICIOUS : L_CLEAN;
}

/* finish - phase 2 and the record in the output format (none when --only
 * drops it; error records are always written). */
static void
finish(struct run *r, struct item *it)
{
	const struct opts *o = &r->o;
	int rc;

	if (mt_analyze_end(it->m) != 0)
		oom();
	it->label = rank(it->m);
	it->findings = mt_msg_count_findings(it->m);
	it->out = NULL;
	if (o->only != L_NONE && it->label != L_NONE && it->label < o->only)
		return;
	switch (o->fmt) {
	case FMT_TEXT:
		rc = mt_msg_text(it->m, o->text_flags, &it->out);
		break;
	case FMT_ECS:
		rc = mt_msg_ecs(it->m, o->json_flags, &it->out);
		break;
	default:
		rc = mt_msg_json(it->m, o->json_flags, &it->out);
		break;
	}
	if (rc != 0)
		oom();
	it->out_len = strlen(it->out);
}

/* run_task - one thread's share of a task over the window. */
static void
run_task(struct pool *p, struct worker *wk, enum task t)
{
	struct window *w = &p->r->w;
	size_t i;

	switch (t) {
	case T_BEGIN:
	case T_BOTH:
		while ((i = atomic_fetch_add(&p->next, 1)) < w->n) {
			struct item *it = &w->v[i];

			if (it->pending)
				begin(it, wk->ctx, wk->id);
			if (t == T_BOTH && (it->worker == wk->id ||
			    mt_msg_get_error(it->m) != NULL))
				finish(p->r, it);
		}
		break;
	case T_END:
		for (i = 0; i < w->n; i++)
			if (w->v[i].worker == wk->id)
				finish(p->r, &w->v[i]);
		break;
	case T_QUIT:
		break;
	}
}

/* worker_main - a worker thread: make a context sharing the main one's
 * resolver, then run tasks until told to quit. */
static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	struct pool *p = wk->pool;
	struct mt_ctx_opts co = *p->r->copts;
	char err[512];
	unsigned seen;

	co.dns_share = p->r->ctx;
	wk->ctx = mt_ctx_new(&co, err, sizeof(err));
	pthread_mutex_lock(&p->mu);
	if (wk->ctx == NULL) {
		p->failed++;
		snprintf(p->err, sizeof(p->err), "%s", err);
	} else
		p->ready++;
	seen = p->gen;
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
	if (wk->ctx == NULL)
		return NULL;
	for (;;) {
		enum task t;

		pthread_mutex_lock(&p->mu);
		while (p->gen == seen)
			pthread_cond_wait(&p->go, &p->mu);
		seen = p->gen;
		t = p->task;
		pthread_mutex_unlock(&p->mu);
		if (t == T_QUIT)
			break;
		run_task(p, wk, t);
		pthread_mutex_lock(&p->mu);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* pool_start - the worker threads, each with its context; exits when a
 * context cannot be made. */
static void
pool_start(struct run *r)
{
	struct pool *p;
	int i, err;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->wk = calloc((size_t)r->o.jobs, sizeof(*p->wk))) == NULL)
		oom();
	p->r = r;
	p->n = r->o.jobs;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	atomic_init(&p->next, 0);
	p->wk[0].pool = p;
	p->wk[0].ctx = r->ctx;
	r->pool = p;
	for (i = 1; i < p->n; i++) {
		p->wk[i].pool = p;
		p->wk[i].id = i;
		if ((err = pthread_create(&p->wk[i].th, NULL, worker_main,
		    &p->wk[i])) != 0) {
			say(r, "cannot start a thread: %s", strerror(err));
			exit(1);
		}
		p->wk[i].started = true;
	}
	pthread_mutex_lock(&p->mu);
	while (p->ready + p->failed < p->n - 1)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (p->failed > 0) {
		say(r, "%s", p->err);
		exit(1);
	}
}

/* dispatch - run a task on every thread, the main one included, and wait
 * until all are done. */
static void
dispatch(struct run *r, enum task t)
{
	struct pool *p = r->pool;

	pthread_mutex_lock(&p->mu);
	p->task = t;
	atomic_store(&p->next, 0);
	p->busy = p->n - 1;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	run_task(p, &p->wk[0], t);
	pthread_mutex_lock(&p->mu);
	while (p->busy > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* pool_free - stop the threads, free their contexts; see cli.h. */
void
pool_free(struct run *r)
{
	struct pool *p = r->pool;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->task = T_QUIT;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (i = 1; i < p->n; i++)
		if (p->wk[i].started) {
			pthread_join(p->wk[i].th, NULL);
			mt_ctx_free(p->wk[i].ctx);
		}
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p->wk);
	free(p);
	r->pool = NULL;
}

/* slot - a new item at the end of the window. */
static struct item *
slot(struct run *r)
{
	struct window *w = &r->w;
	struct item *it;

	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 64;
		struct item *nv = realloc(w->v, ncap * sizeof(*nv));

		if (nv == NULL)
			oom();
		w->v = nv;
		w->cap = ncap;
	}
	it = &w->v[w->n++];
	memset(it, 0, sizeof(*it));
	it->label = L_NONE;
	return it;
}

/* full - flush the window when it holds enough messages or bytes. */
static void
full(struct run *r)
{
	if (r->w.n >= r->o.window || r->w.bytes >= WINDOW_BYTES)
		window_flush(r);
}

/* copy - the input, header and kept body of a message in one block the
 * item owns (phase 1 runs later, in a worker). */
static void
copy(struct item *it, const struct mt_input *in, const char *hdr,
    size_t hdr_len)
{
	size_t plen = strlen(in->path) + 1;
	char *b;

	if ((b = malloc(plen + hdr_len + in->body_len + in->mbox_from_len +
	    1)) == NULL)
		oom();
	it->copy = b;
	it->in = *in;
	memcpy(b, in->path, plen);
	it->in.path = b;
	b += plen;
	memcpy(b, hdr, hdr_len);
	it->hdr = b;
	it->hdr_len = hdr_len;
	b += hdr_len;
	if (in->body != NULL) {
		memcpy(b, in->body, in->body_len);
		it->in.body = b;
		b += in->body_len;
	}
	if (in->mbox_from != NULL) {
		memcpy(b, in->mbox_from, in->mbox_from_len);
		it->in.mbox_from = b;
	}
	it->pending = true;
}

/* window_add - see cli.h. */
void
window_add(struct run *r, const struct mt_input *in, const char *hdr,
    size_t hdr_len)
{
	struct item *it = slot(r);

	if (r->o.jobs > 1)
		copy(it, in, hdr, hdr_len);
	else if ((it->m = mt_analyze_begin(r->ctx, in, hdr, hdr_len)) == NULL)
		oom();
	/* Cut windows the same way whatever the jobs (see the top). */
	r->w.bytes += hdr_len + (in->body != NULL ? in->body_len : 0);
	full(r);
}

/* window_error - see cli.h. */
void
window_error(struct run *r, const struct mt_input *in, const char *reason)
{
	struct item *it = slot(r);

	if ((it->m = mt_msg_error(r->ctx, in, reason)) == NULL)
		oom();
	full(r);
}

/* resolve - the window's DNS questions, the main thread alone; the first
 * time the resolver is found unreachable says so once. */
static void
resolve(struct run *r)
{
	struct window *w = &r->w;
	struct mt_msg **msgs;
	const char *why;
	size_t i;

	if (r->o.no_dns)
		return;
	if ((msgs = malloc(w->n * sizeof(*msgs))) == NULL)
		oom();
	for (i = 0; i < w->n; i++)
		msgs[i] = w->v[i].m;
	if (mt_ctx_resolve(r->ctx, msgs, w->n) != 0) {
		say(r, "DNS: %s", strerror(errno));
		exit(1);
	}
	free(msgs);
	if (!r->said_unavailable &&
	    (why = mt_ctx_dns_unavailable(r->ctx)) != NULL) {
		say(r, "DNS unavailable: %s; the hops looked up are marked "
		    "\"unavailable\"", why);
		r->said_unavailable = true;
	}
}

/* write_out - the records in input order, counted; exits on a broken
 * output. */
static void
write_out(struct run *r)
{
	struct window *w = &r->w;
	size_t i;

	progress_clear(r);
	for (i = 0; i < w->n; i++) {
		struct item *it = &w->v[i];

		if (it->out != NULL) {
			/* Text reports are separated by a blank line. */
			if ((r->o.fmt == FMT_TEXT && r->written > 0 &&
			    putchar('\n') == EOF) ||
			    fwrite(it->out, 1, it->out_len, stdout) !=
			    it->out_len ||
			    (r->o.fmt != FMT_TEXT && putchar('\n') == EOF)) {
				say(r, "write error: %s", strerror(errno));
				exit(1);
			}
			r->written++;
			free(it->out);
		}
		if (it->label != L_NONE) {
			r->t.labels[it->label]++;
			if (r->o.fail_on != L_NONE && it->label >= r->o.fail_on)
				r->t.reached++;
		}
		r->t.findings += it->findings;
		if (r->sum != NULL)
			mt_sum_add(r->sum, it->m);
		mt_msg_free(it->m);
		free(it->copy);
	}
	/* A terminal shows each window at once; a pipe or file gets
	 * stdio's buffering. */
	if (r->o.progress)
		fflush(stdout);
}

/* window_flush - see cli.h. */
void
window_flush(struct run *r)
{
	struct window *w = &r->w;
	size_t i, pending = 0;

	if (w->n == 0)
		return;
	for (i = 0; i < w->n; i++)
		pending += w->v[i].pending;
	if (pending > 1 && r->pool == NULL)
		pool_start(r);
	if (r->pool != NULL) {
		if (r->o.no_dns)
			dispatch(r, T_BOTH);
		else {
			dispatch(r, T_BEGIN);
			resolve(r);
			dispatch(r, T_END);
		}
	} else {
		/* One job, or a single deferred message: all here. */
		for (i = 0; i < w->n; i++)
			if (w->v[i].pending)
				begin(&w->v[i], r->ctx, 0);
		resolve(r);
		for (i = 0; i < w->n; i++)
			finish(r, &w->v[i]);
	}
	write_out(r);
	w->n = 0;
	w->bytes = 0;
	progress_tick(r, false);
}
