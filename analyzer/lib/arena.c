/*
 * arena.c - the per-message arena.  Everything a message owns is carved
 * from a list of chunks freed together by mt_msg_free(); nothing inside is
 * freed separately.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt.h"

#define CHUNK_MIN (16 * 1024)
#define ALIGN 16

struct mt_arena_chunk {
	struct mt_arena_chunk	*next;
	size_t			 size, used;
	_Alignas(16) unsigned char data[];
};

/* mt_arena_init - an empty arena. */
void
mt_arena_init(struct mt_arena *a)
{
	a->head = NULL;
	a->total = 0;
	a->failed = false;
}

/* mt_arena_free - release every chunk. */
void
mt_arena_free(struct mt_arena *a)
{
	struct mt_arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	mt_arena_init(a);
}

/* carve - n bytes, 16-byte aligned, not zeroed. */
static void *
carve(struct mt_arena *a, size_t n)
{
	struct mt_arena_chunk *c = a->head;
	size_t need, size;
	void *p;

	if (n > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	if (c == NULL || c->size - c->used < need) {
		size = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (a->total > size && a->total < 64 * 1024 * 1024 &&
		    need <= a->total)
			size = a->total;	/* grow geometrically */
		c = malloc(sizeof(*c) + size);
		if (c == NULL) {
			a->failed = true;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += size;
	}
	p = c->data + c->used;
	c->used += need;
	return p;
}

/* mt_arena_alloc - n zeroed bytes, 16-byte aligned. */
void *
mt_arena_alloc(struct mt_arena *a, size_t n)
{
	void *p = carve(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

/* mt_arena_dup - NUL-terminated copy of n bytes. */
struct mt_str
mt_arena_dup(struct mt_arena *a, const char *p, size_t n)
{
	char *d = carve(a, n + 1);

	if (d == NULL)
		return mt_str("", 0);
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return mt_str(d, n);
}

/* mt_arena_dupz - copy of a C string. */
struct mt_str
mt_arena_dupz(struct mt_arena *a, const char *z)
{
	return mt_arena_dup(a, z, strlen(z));
}

/* mt_arena_lower - lowercased (ASCII) copy; null stays null. */
struct mt_str
mt_arena_lower(struct mt_arena *a, struct mt_str s)
{
	struct mt_str d;
	size_t i;

	if (s.p == NULL)
		return s;
	d = mt_arena_dup(a, s.p, s.len);
	for (i = 0; i < d.len; i++)
		((char *)d.p)[i] = (char)mt_lower((unsigned char)d.p[i]);
	return d;
}

/* mt_arena_printf - formatted copy; one formatting pass unless the text
 * is longer than the stack buffer. */
struct mt_str
mt_arena_printf(struct mt_arena *a, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	int n;
	char *d;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return mt_str("", 0);
	if ((size_t)n < sizeof(buf))
		return mt_arena_dup(a, buf, (size_t)n);
	d = carve(a, (size_t)n + 1);
	if (d == NULL)
		return mt_str("", 0);
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return mt_str(d, (size_t)n);
}

/* mt_vec_push_ - append a zeroed item, doubling the storage when full. */
void *
mt_vec_push_(struct mt_arena *a, void **items, size_t *count, size_t *cap,
    size_t size)
{
	unsigned char *p;

	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *n;

		if (ncap > SIZE_MAX / size / 2)
			return NULL;
		/* Not zeroed: items are copied in, and each new one is
		 * zeroed as it is pushed. */
		n = carve(a, ncap * size);
		if (n == NULL)
			return NULL;
		if (*count > 0)
			memcpy(n, *items, *count * size);
		*items = n;
		*cap = ncap;
	}
	p = (unsigned char *)*items + *count * size;
	memset(p, 0, size);
	(*count)++;
	return p;
}
