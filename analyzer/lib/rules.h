/*
 * rules.h - the rules engine: admin-editable *.rules files (PCRE2 patterns,
 * scores, verdict thresholds) compiled once per context.
 *
 * The file format is documented in rules/README.md.  Kinds of pattern rule:
 *   mta       the MTA flavour of a Received line (first match wins)
 *   received  a Received dialect the clause tokenizer cannot read; named
 *             groups fill hop fields
 *   hop       a finding when a hop field matches
 *   header    a finding when a header field matches
 * and of value line: score, label, description, org, stamp, note,
 * authserv.
 *
 * Ownership: a struct mt_rules belongs to one context, hence to one thread
 * (it keeps one reusable match buffer).  Every string it returns is owned
 * by it and valid until the next mt_rules_load_*() or mt_rules_free().
 * Nothing returned points into PCRE2 match data: hop fields are copied into
 * the message's arena, and match slices point into the caller's subject.
 *
 * No PCRE2 type appears here; only rules.c includes <pcre2.h>.
 */
#ifndef MT_RULES_H
#define MT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "mt.h"

struct mt_rules;

/* mt_rules_new - an empty rule set; NULL when out of memory. */
struct mt_rules	*mt_rules_new(void);
/* mt_rules_free - release a rule set and all it owns; NULL does nothing. */
void		 mt_rules_free(struct mt_rules *r);

/*
 * Loading.  A file is parsed and every pattern compiled before anything is
 * merged into r, so a file that fails leaves r as it was.  A rule with the
 * same kind and NAME as an earlier one (or a score/label/description with
 * the same id) replaces it; a replaced pattern rule keeps its place in the
 * order.  Each returns 0, or -1 with a one-line reason in err (errlen
 * bytes) as "path:line: message".
 */
int	mt_rules_load_buf(struct mt_rules *r, const char *name, const char *buf,
	    size_t len, char *err, size_t errlen);
int	mt_rules_load_file(struct mt_rules *r, const char *path, char *err,
	    size_t errlen);
/* Every "*.rules" file of dir (not starting with '.'), in byte order of
 * their names; stops at the first file that fails. */
int	mt_rules_load_dir(struct mt_rules *r, const char *dir, char *err,
	    size_t errlen);

/* mt_rules_count - the number of pattern rules loaded (all kinds). */
size_t	mt_rules_count(const struct mt_rules *r);

/*
 * mt_rules_mta - the name of the first "mta" rule (in file order) whose
 * pattern matches raw, a Received field body; NULL when none does.
 */
const char *mt_rules_mta(struct mt_rules *r, struct mt_str raw);

/*
 * mt_rules_received - try the "received" dialect rules on hop->raw, in file
 * order.  On the first match, fill every hop field that is still null
 * from the rule's named groups (copies in m->arena; helo, rdns and by
 * lowercased; ip and byip canonical through mt_ip_parse/mt_ip_format;
 * port through mt_parse_int; date through mt_date_parse), raise
 * hop->parsed to MT_PARSED_PARTIAL unless it was FULL, and return true.
 * A group that does not parse (a bad IP literal, a bad date) records its
 * anomaly at hop->offset and leaves the field null.  Returns false when no
 * rule matches.
 */
bool	mt_rules_received(struct mt_rules *r, struct mt_msg *m,
	    struct mt_hop *hop);

/* One finding raised by a hop or header rule, passed to a callback. */
struct mt_rules_hit {
	const char		*finding;	/* the rule's NAME: a finding id */
	const char		*field;		/* hop field ("rdns") or header
						 * field name as in the rule */
	struct mt_str		 match;		/* the matched text, a slice of
						 * the subject */
	const struct mt_hop	*hop;		/* hop rules: the hop */
	const struct mt_field	*hdr;		/* header rules: the field */
	const char		*file;		/* where the rule was written */
	unsigned		 line;
};

/* Return false to stop the iteration. */
typedef bool (*mt_rules_hit_fn)(void *arg, const struct mt_rules_hit *hit);

/*
 * mt_rules_match_hop - run every "hop" rule on its field of hop (helo,
 * rdns, ip, by, raw, with, id, for; a null field is skipped), in file
 * order, calling cb for each match.  m may be NULL; when given, a subject
 * cut or a match limit records RULE_LIMIT at hop->offset.  Returns the
 * number of matches reported.
 */
size_t	mt_rules_match_hop(struct mt_rules *r, struct mt_msg *m,
	    const struct mt_hop *hop, mt_rules_hit_fn cb, void *arg);

/*
 * mt_rules_match_header - run every "header" rule on the unfolded value of
 * each field of m whose name equals the rule's (ASCII case-insensitive),
 * rule by rule in file order and fields in message order, calling cb for
 * each match.  Returns the number of matches reported.
 */
size_t	mt_rules_match_header(struct mt_rules *r, struct mt_msg *m,
	    mt_rules_hit_fn cb, void *arg);

/* mt_rules_score - the score of finding id, or dflt when no rule sets it. */
double	mt_rules_score(const struct mt_rules *r, const char *id, double dflt);
/* mt_rules_label - true and *threshold set when label has a threshold. */
bool	mt_rules_label(const struct mt_rules *r, const char *label,
	    double *threshold);
/* mt_rules_verdict - the label with the highest threshold <= score;
 * "clean" when labels are loaded but score reaches none of them; NULL when
 * no label is loaded at all (the caller then uses its defaults). */
const char *mt_rules_verdict(const struct mt_rules *r, double score);
/* mt_rules_org - the organisation ("org NAME DOMAIN...") that lists the
 * registrable domain, or NULL: domains of one operator, such as
 * outlook.com and office365.com, that the chain engine treats as one. */
const char *mt_rules_org(const struct mt_rules *r, struct mt_str domain);
/* mt_rules_org_asn - is asn one of the autonomous systems the "asn ORG
 * NUMBER..." line of org lists: MT_TRUE or MT_FALSE; MT_NULL when org has
 * no "asn" line (nothing is known about its networks). */
enum mt_tri mt_rules_org_asn(const struct mt_rules *r, const char *org,
	    long asn);
/* mt_rules_description - the human text of finding id, or NULL. */
const char *mt_rules_description(const struct mt_rules *r, const char *id);

/*
 * Vendor stamps (rules/vendor.rules).  A "stamp" line names a header field
 * that a spam filter writes and how to read it; "note" lines say what its
 * values mean.  The strings belong to r.
 */
struct mt_rules_stamp {
	const char	*header;	/* as written in the rule */
	const char	*vendor;	/* "microsoft", "spamassassin", ... */
	const char	*format;	/* "pairs", "params", "value",
					 * "spamassassin", "rspamd", "presence" */
	const char	*key;		/* the field name for "value", else NULL */
	const char	*org;		/* org=ORG (lowercased), or NULL */
};

/* mt_rules_stamp - the stamp line for a header field name (ASCII case-
 * insensitive), or NULL when the field is no known stamp. */
const struct mt_rules_stamp *mt_rules_stamp(const struct mt_rules *r,
	    struct mt_str header);
/*
 * mt_rules_note - the TEXT of the first "note" line, in load order, for
 * header whose KEY equals key and whose VALUE fits value (ASCII case-
 * insensitive; a range compares value as a decimal number), or NULL.  key
 * "-" asks for the note on the stamp itself.  Not const: the first call
 * after a load builds an index.
 */
const char *mt_rules_note(struct mt_rules *r, struct mt_str header,
	    struct mt_str key, struct mt_str value);
/* mt_rules_authserv - true when an "authserv" line names id (RFC 8601
 * authserv-id of the recipient's side; ASCII case-insensitive). */
bool	mt_rules_authserv(const struct mt_rules *r, struct mt_str id);

/*
 * Limits.  Subjects longer than MT_MAX_RULE_SUBJECT are matched on their
 * first MT_MAX_RULE_SUBJECT bytes only; a match that exceeds the PCRE2
 * match, depth or heap limits (limits.h) counts as no match.  Both are
 * counted here for the life of r, so a caller can compare the counts
 * before and after a call.
 */
size_t	mt_rules_limit_hits(const struct mt_rules *r);
size_t	mt_rules_subject_cuts(const struct mt_rules *r);

/*
 * mt_rules_selftest - check every sample line ("match:", "nomatch:") of
 * every pattern rule against that rule alone.  Returns the number of
 * samples that failed (0 when all behave); the first failure is described
 * in err as "file:line: rule NAME: sample \"...\" did not match" (or
 * "matched but must not", or "hit the match limit").
 */
int	mt_rules_selftest(struct mt_rules *r, char *err, size_t errlen);

#endif
