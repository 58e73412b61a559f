/*
 * msg.c - message lifetime.  A message and everything in it live in one
 * arena; mt_msg_free() releases it all at once.
 */
#include <stdlib.h>
#include <string.h>

#include "mt.h"

/* mt_msg_alloc - an empty message with a copy of its input identity. */
struct mt_msg *
mt_msg_alloc(struct mt_ctx *ctx, const struct mt_input *in)
{
	struct mt_msg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	mt_arena_init(&m->arena);
	m->ctx = ctx;
	if (in != NULL) {
		m->path = mt_arena_dupz(&m->arena, in->path ? in->path : "-");
		m->index = in->index;
		m->offset = in->offset;
		m->size = in->size;
	} else
		m->path = mt_arena_dupz(&m->arena, "-");
	if (m->arena.failed) {
		mt_msg_free(m);
		return NULL;
	}
	return m;
}

/* mt_msg_error - the record of a message that could not be analyzed. */
struct mt_msg *
mt_msg_error(struct mt_ctx *ctx, const struct mt_input *in, const char *error)
{
	struct mt_msg *m;

	if ((m = mt_msg_alloc(ctx, in)) == NULL)
		return NULL;
	m->error = mt_arena_dupz(&m->arena, error);
	return m;
}

/* mt_msg_free - release a message and all it owns; NULL does nothing. */
void
mt_msg_free(struct mt_msg *m)
{
	if (m == NULL)
		return;
	mt_arena_free(&m->arena);
	free(m);
}

/* mt_msg_get_error - the error text, or NULL. */
const char *
mt_msg_get_error(const struct mt_msg *m)
{
	return m->error.p;
}
