/*
 * text.h - terminal-safe text for the report (text.c) and the batch
 * summary (summary.c).  mt_text_escape() itself is declared in mt.h.
 */
#ifndef MT_TEXT_H
#define MT_TEXT_H

#include <stddef.h>

/* Columns of the terminal report and the summary tables. */
#define MT_TEXT_WIDTH 100

/*
 * mt_text_fit - untrusted bytes escaped as by mt_text_escape() and, when
 * wider than max columns (max >= 1), elided in the middle with U+2026 so
 * that both ends stay visible (a host name's domain is at its end, an
 * address's start says which one it is).  Returns a malloc'd string with
 * its width in *width, or NULL when out of memory.
 */
char	*mt_text_fit(const char *p, size_t len, size_t max, size_t *width);

/* mt_text_cwidth - terminal columns of a printable code point: 2 for
 * East Asian wide and fullwidth forms and emoji, 0 for combining marks,
 * else 1 (wide where terminals disagree, so a line never overflows). */
int	mt_text_cwidth(long c);

#endif
