/*
 * limits.h - every size cap of mailtrace, in one place.
 *
 * Each cap has a name, an anomaly recorded at the byte offset where it was
 * hit, and a unit test that feeds ten times the cap.  Analysis goes on after
 * a cap is hit: what is beyond it is skipped, and the record says so.
 */
#ifndef MT_LIMITS_H
#define MT_LIMITS_H

/* Header section bytes kept per message; the rest of the header is skipped
 * (anomaly HEADER_TRUNCATED).  Bodies are never kept. */
#define MT_MAX_HEADER_BYTES (1024 * 1024)

/* Header fields per message (anomaly FIELDS_TRUNCATED). */
#define MT_MAX_FIELDS 4096

/* Bytes of one field, name and folded body (anomaly FIELD_TRUNCATED). */
#define MT_MAX_FIELD_LEN (64 * 1024)

/* Received fields turned into hops (anomaly RECEIVED_TRUNCATED). */
#define MT_MAX_RECEIVED 256

/* Nesting depth of comments inside one structured field (anomaly
 * COMMENT_TOO_DEEP); deeper text is treated as comment text. */
#define MT_MAX_COMMENT_DEPTH 64

/* Clauses and comments read from one Received field (anomaly
 * CLAUSES_TRUNCATED). */
#define MT_MAX_CLAUSES 64

/* Addresses kept per address field (anomaly ADDRESSES_TRUNCATED). */
#define MT_MAX_ADDRESSES 1024

/* Encoded words decoded per field (anomaly ENCODED_WORDS_TRUNCATED). */
#define MT_MAX_ENCODED_WORDS 256

/* Anomalies recorded per message; later ones are counted, not kept
 * (anomaly ANOMALIES_TRUNCATED, recorded once). */
#define MT_MAX_ANOMALIES 1024

/* Length of a header value copied into the JSON record as a display string
 * (subject, raw Received text); longer values are cut at a UTF-8 boundary
 * (anomaly VALUE_TRUNCATED). */
#define MT_MAX_VALUE_OUT (16 * 1024)

/* Bytes of a subject matched by a pattern rule; a longer Received
 * body or header value is matched on its first MT_MAX_RULE_SUBJECT bytes
 * (anomaly RULE_LIMIT).  The PCRE2 limits below bound one match; a match
 * that exceeds them counts as no match (anomaly RULE_LIMIT), so a
 * catastrophic-backtracking pattern costs milliseconds, not hours. */
#define MT_MAX_RULE_SUBJECT (8 * 1024)
#define MT_RULE_MATCH_LIMIT 200000	/* pcre2_set_match_limit */
#define MT_RULE_DEPTH_LIMIT 10000	/* pcre2_set_depth_limit */
#define MT_RULE_HEAP_LIMIT_KIB 4096	/* pcre2_set_heap_limit */

/* Bytes of one line read by the splitter while looking for a separator;
 * longer lines are read in pieces, never held whole. */
#define MT_SPLIT_BUF (256 * 1024)

/* Bytes of an mbox "From " line's text (after "From ") kept; the rest of
 * the line is skipped (anomaly MBOX_FROM_TRUNCATED). */
#define MT_MAX_MBOX_FROM 1000

/* Body bytes kept per message for DKIM body hashes: MT_MAX_BODY_KEEP,
 * defined in mailtrace.h because the reader's caller passes it; a longer
 * body is not verified (the DKIM result says why). */

/* Authentication evidence.  Items read from one field: method results of
 * an Authentication-Results field, tags of a DKIM or ARC tag-list, pairs of
 * a Received-SPF field, fields of a vendor stamp (anomaly
 * AUTH_ITEMS_TRUNCATED).  DKIM signatures verified per message: each costs
 * a header hash and may cost a body hash (anomaly
 * DKIM_SIGNATURES_TRUNCATED; the rest are listed, not verified).  Names in
 * one h= list (anomaly DKIM_HEADERS_TRUNCATED; the signature is then a
 * permerror). */
#define MT_MAX_AUTH_ITEMS 256
#define MT_MAX_DKIM_SIGNATURES 16
#define MT_MAX_DKIM_HEADERS 256

/* Hops of one message whose client address is looked up in DNS: the
 * boundary hop and the hops below it (a forger can write 250 plausible
 * lines, each would cost queries).  Hops beyond it get the DNS status
 * "skipped" (not asked) in the record, not an anomaly: the message is not
 * malformed.  Names of one PTR answer that are forward-confirmed (RFC 7208
 * 5.5 stops at 10 too); the rest count as not confirming. */
#define MT_MAX_DNS_HOPS 16
#define MT_MAX_FCRDNS_NAMES 10

/* Directory recursion depth when reading a directory of messages. */
#define MT_MAX_DIR_DEPTH 32

#endif
