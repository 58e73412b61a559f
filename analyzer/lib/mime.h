/*
 * mime.h - RFC 2047 helpers beyond mt_mime_decode() (declared in mt.h).
 */
#ifndef MT_MIME_H
#define MT_MIME_H

#include "mt.h"

/*
 * mt_mime_decode_phrase - decode a display-name phrase (RFC 2047 section
 * 5(3)) that the caller has already taken out of its quoting: quoted
 * strings unescaped and joined to the atoms around them, comments removed,
 * runs of CFWS made one space.  Encoded words are decoded as by
 * mt_mime_decode() without a fallback charset, including words that came
 * from inside a quoted string (not allowed by RFC 2047 section 5, but
 * broken mailers send them: deliberate leniency).  The result has no
 * leading or trailing WSP; it may be empty.  phrase.p NULL gives a null
 * slice.  offset is the byte offset of the phrase in the message, for
 * anomalies.  The result lives in the message arena.
 */
struct mt_str	mt_mime_decode_phrase(struct mt_msg *m, struct mt_str phrase,
		    uint64_t offset);

#endif
