/*
 * progress.c - the progress line of a batch on a terminal's standard
 * error: messages, bytes read of the total (when the inputs' sizes are
 * known), rate, time left, verdicts so far.  At most four redraws a
 * second, erased before anything else is written to the terminal and at
 * the end; never drawn when standard error is not a terminal (the
 * caller decides: opts.progress).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define TICK_NS 250000000LL	/* 4 redraws a second */

static bool	shown;		/* a progress line is on the screen */
static int64_t	start_ns, last_ns;

/* now_ns - monotonic nanoseconds. */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* human - bytes as "812 B", "12.3 MB", "1.20 GB" (powers of 1000). */
static void
human(char *buf, size_t len, uint64_t b)
{
	if (b < 1000)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else if (b < 1000000)
		snprintf(buf, len, "%.1f kB", (double)b / 1e3);
	else if (b < 1000000000)
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
	else
		snprintf(buf, len, "%.2f GB", (double)b / 1e9);
}

/* duration - seconds as "42s", "3m05s", "2h07m". */
static void
duration(char *buf, size_t len, double s)
{
	unsigned long long t = s < 0 ? 0 : (unsigned long long)(s + 0.5);

	if (t < 60)
		snprintf(buf, len, "%llus", t);
	else if (t < 3600)
		snprintf(buf, len, "%llum%02llus", t / 60, t % 60);
	else
		snprintf(buf, len, "%lluh%02llum", t / 3600, t % 3600 / 60);
}

/* columns - the terminal's width (80 when unknown). */
static size_t
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* progress_tick - see cli.h. */
void
progress_tick(struct run *r, bool force)
{
	char line[512], a[32], b[32], eta[32];
	uint64_t done, msgs = r->t.messages;
	int64_t now;
	double secs;
	size_t n, width;

	if (!r->o.progress)
		return;
	now = now_ns();
	if (start_ns == 0)
		start_ns = last_ns = now;
	if (!force && now - last_ns < TICK_NS)
		return;
	last_ns = now;
	secs = (double)(now - start_ns) / 1e9;
	done = r->bytes_done + (r->reading != NULL ?
	    mt_split_tell(r->reading) : 0);
	human(a, sizeof(a), done);
	n = (size_t)snprintf(line, sizeof(line), "%s: %llu messages, %s",
	    progname, (unsigned long long)msgs, a);
	if (r->bytes_total > 0 && done <= r->bytes_total) {
		human(b, sizeof(b), r->bytes_total);
		n += (size_t)snprintf(line + n, sizeof(line) - n,
		    " of %s (%.0f%%)", b, 100.0 * (double)done /
		    (double)r->bytes_total);
	}
	if (secs >= 0.5) {
		n += (size_t)snprintf(line + n, sizeof(line) - n,
		    ", %.0f msg/s", (double)msgs / secs);
		if (r->bytes_total > done && done > 0) {
			duration(eta, sizeof(eta), secs *
			    (double)(r->bytes_total - done) / (double)done);
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    ", ETA %s", eta);
		}
	}
	snprintf(line + n, sizeof(line) - n, ", %llu findings (%llu "
	    "suspicious, %llu forged)", (unsigned long long)r->t.findings,
	    (unsigned long long)r->t.labels[L_SUSPICIOUS],
	    (unsigned long long)r->t.labels[L_FORGED]);
	/* One line, never wrapped: cut to the terminal's width. */
	width = columns();
	if (width > 1 && strlen(line) > width - 1)
		line[width - 1] = '\0';
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	shown = true;
}

/* progress_clear - see cli.h. */
void
progress_clear(struct run *r)
{
	if (!shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	shown = false;
}

/* say - see cli.h. */
void
say(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r != NULL)
		progress_clear(r);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* utf8_len - the length of a valid UTF-8 sequence at p, 0 if none. */
static size_t
utf8_len(const unsigned char *p)
{
	if (p[0] >= 0xc2 && p[0] <= 0xdf && (p[1] & 0xc0) == 0x80)
		return 2;
	if (p[0] >= 0xe0 && p[0] <= 0xef && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && !(p[0] == 0xe0 && p[1] < 0xa0) &&
	    !(p[0] == 0xed && p[1] >= 0xa0))
		return 3;
	if (p[0] >= 0xf0 && p[0] <= 0xf4 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 &&
	    !(p[0] == 0xf0 && p[1] < 0x90) && !(p[0] == 0xf4 && p[1] >= 0x90))
		return 4;
	return 0;
}

/* hidden - a UTF-8 sequence a terminal acts on or that hides text: C1,
 * the bidi and zero-width format characters, line separators. */
static bool
hidden(const unsigned char *p, size_t n)
{
	if (n == 2)
		return p[0] == 0xc2 && p[1] <= 0x9f;
	return n == 3 && p[0] == 0xe2 && ((p[1] == 0x80 && ((p[2] >= 0x8b &&
	    p[2] <= 0x8f) || (p[2] >= 0xa8 && p[2] <= 0xae))) ||
	    (p[1] == 0x81 && p[2] >= 0xa0 && p[2] <= 0xaf));
}

/* safe - see cli.h. */
const char *
safe(const char *s, char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, n;

	while (*u != '\0' && o + 17 < len) {
		if (*u >= 0x20 && *u < 0x7f) {
			buf[o++] = (char)*u++;
			continue;
		}
		if ((n = utf8_len(u)) > 0 && !hidden(u, n)) {
			memcpy(buf + o, u, n);
			o += n;
			u += n;
			continue;
		}
		for (n = n ? n : 1; n > 0; n--)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", *u++);
	}
	buf[o] = '\0';
	return buf;
}
