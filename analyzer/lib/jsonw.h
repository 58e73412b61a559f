/*
 * jsonw.h - a direct JSON writer: each value is escaped and appended to a
 * growable buffer as the caller produces it, with no tree in between.
 *
 * The output is byte for byte what jansson's json_dumps() writes with
 * JSON_PRESERVE_ORDER and either JSON_COMPACT or JSON_INDENT(2) (the
 * record format before this writer existed): "," and ":" compact; ",\n",
 * ": " and two spaces per level pretty; "{}" and "[]" for empty
 * containers; integers in decimal; reals as "%.17g" with ".0" added when
 * there is neither a point nor an exponent, and no "+" or leading zeros
 * in the exponent ("1.0000000000000001e-5").  Strings escape '"', '\\'
 * and every control character below 0x20 (\b \f \n \r \t, else \u00XX
 * with upper-case hex); '/', DEL and non-ASCII characters are written as
 * they are.  Message bytes are untrusted: NUL and every byte that is not
 * part of valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) become U+FFFD, as mt_utf8_clean() does.
 *
 * The caller keeps the structure balanced (a key before each value in an
 * object, every container closed); the writer does not check it beyond a
 * nesting cap.  Out of memory is sticky: later calls do nothing and
 * mt_jw_take() returns NULL.  Library code: it never prints.
 */
#ifndef MT_JSONW_H
#define MT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MT_JW_MAX_DEPTH 32	/* nesting cap; deeper sets failed */

enum {
	MT_JW_PRETTY = 1 << 0,		/* two-space indentation */
	MT_JW_ESCAPE_LS = 1 << 1,	/* also escape U+2028 and U+2029 (for
					 * consumers that embed the text in
					 * JavaScript); jansson does not */
};

struct mt_jw {
	char		*buf;		/* malloc'd; NUL-terminated by take */
	size_t		 len, cap;
	unsigned	 flags;		/* MT_JW_* */
	unsigned	 depth;		/* open containers */
	bool		 failed;	/* out of memory or too deep */
	bool		 after_key;	/* a key was written, its value not */
	bool		 last_empty;	/* the container closed last had no
					 * item */
	bool		 has_items[MT_JW_MAX_DEPTH]; /* per open container */
};

/* A point to come back to (mt_jw_mark, mt_jw_rollback). */
struct mt_jw_mark {
	size_t		 len;
	unsigned	 depth;
	bool		 has_items;
	bool		 after_key;
};

/* mt_jw_init - an empty writer with flags (MT_JW_*); allocates nothing. */
void	mt_jw_init(struct mt_jw *w, unsigned flags);
/* mt_jw_reset - empty the writer for the next document, keeping its
 * buffer and flags. */
void	mt_jw_reset(struct mt_jw *w);
/* mt_jw_free - release the buffer; the writer is then empty. */
void	mt_jw_free(struct mt_jw *w);
/*
 * mt_jw_take - the document written so far as a malloc'd NUL-terminated
 * string the caller frees (*len, when not NULL, its length), and an empty
 * writer; NULL when anything failed (out of memory, nesting too deep).
 */
char	*mt_jw_take(struct mt_jw *w, size_t *len);

/*
 * mt_jw_mark - remember where the writer is; mt_jw_rollback - forget
 * everything written since (in the same container), for a member that
 * turns out to be unwanted, such as an object left empty:
 *	mt_jw_mark(w, &mk); mt_jw_key(w, "geo"); ...object...;
 *	if (mt_jw_last_empty(w)) mt_jw_rollback(w, &mk);
 */
void	mt_jw_mark(const struct mt_jw *w, struct mt_jw_mark *mk);
void	mt_jw_rollback(struct mt_jw *w, const struct mt_jw_mark *mk);
/* mt_jw_last_empty - did the container closed last hold no item. */
bool	mt_jw_last_empty(const struct mt_jw *w);

/* Containers.  Inside an object each value follows mt_jw_key(). */
void	mt_jw_obj(struct mt_jw *w);
void	mt_jw_obj_end(struct mt_jw *w);
void	mt_jw_arr(struct mt_jw *w);
void	mt_jw_arr_end(struct mt_jw *w);

/* mt_jw_key - an object member's name (a C string); mt_jw_keyn with a
 * length.  Escaped like any string. */
void	mt_jw_key(struct mt_jw *w, const char *name);
void	mt_jw_keyn(struct mt_jw *w, const char *p, size_t len);

/*
 * mt_jw_keyq - a member name the caller has quoted itself, as the text
 * "\"name\": " (quotes, colon, one space) of n bytes: for literal names
 * that need no escape, which MT_JW_KEY() writes without a strlen or an
 * escaping pass (the space is left out unless pretty).
 */
void	mt_jw_keyq(struct mt_jw *w, const char *quoted, size_t n);
#define MT_JW_KEY(w, lit) mt_jw_keyq((w), "\"" lit "\": ", sizeof(lit) + 3)

/* Values. */
void	mt_jw_null(struct mt_jw *w);
void	mt_jw_bool(struct mt_jw *w, bool v);
void	mt_jw_int(struct mt_jw *w, int64_t v);
/* A real as jansson prints it; NaN and infinities (which JSON cannot
 * say) are written as null. */
void	mt_jw_real(struct mt_jw *w, double v);
/* mt_jw_str - a string of len bytes; p == NULL writes null. */
void	mt_jw_str(struct mt_jw *w, const char *p, size_t len);
/* mt_jw_strz - a C string; NULL writes null. */
void	mt_jw_strz(struct mt_jw *w, const char *z);

#endif
