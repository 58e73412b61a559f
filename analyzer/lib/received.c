/*
 * received.c - one Received field body into a hop.
 *
 * The grammar is RFC 5321 section 4.4 (and RFC 5322 section 3.6.7): clauses
 * "from", "by", "via", "with", "id", "for", extension clauses (an unknown
 * keyword and its value), comments (nested, with quoted-pairs) and the date
 * after the last ';' outside comments.  What goes into each clause and its
 * comments is not standardised: every MTA writes its own "TCP-info", so the
 * fields below follow each MTA's documented layout.  Broken input is
 * evidence, never a failure: it becomes an anomaly and parsing goes on.
 *
 * Field conventions (the contract; the unit tables follow it exactly):
 *
 * helo    The name or literal the client announced.  Postfix, Sendmail,
 *         Gmail, Microsoft: the first token after "from".  Exim: the
 *         "helo=" value, else the first token; Exim 3 "from rdns (helo)
 *         [ip]": the name in parentheses.  qmail, IronPort, CommuniGate:
 *         the "(HELO name)" value, else the first token.  ZMailer: the
 *         quoted "EHLO name".  smtpd: the "claiming to be" value, else the
 *         first token.  Lowercased, one trailing dot removed.  A literal
 *         keeps its brackets ("[192.168.1.5]"); Gmail's "?IPv6:...?" is
 *         written "[ipv6:...]".  Null when absent, for an empty "(HELO )",
 *         for Exim's local submission "from login by host with local"
 *         (the login is the ident), for a phrase ("from mail pickup
 *         service") and for a sender address ("from user@aol.com by").
 * rdns    The name the receiving server looked up and recorded: Postfix,
 *         Sendmail, OpenSMTPD "(rdns [ip])", Gmail "(rdns. [ip])",
 *         "(rdns)" alone; Exim, ZMailer, qmail, smtpd: the first token
 *         when it is a name and an address was recorded beside it.  Exim
 *         is known by "helo=", "ident=", "port=", "[ip]:port", an "(Exim
 *         ...)" comment or an Exim message id; qmail by "(HELO x)",
 *         "(user@ip)", "qmail"/"qp" comments, "envelope-sender" or its
 *         date layout "26 Jun 2002 23:46:51 -0000".  Lowercased, one
 *         trailing dot removed.  "unknown", "unverified", literals and IP
 *         addresses are never rdns.  HELO and rDNS are never merged: in
 *         any other layout "from NAME ([ip])" or "from NAME (ip)" sets
 *         helo only.
 * ip      The connection address the receiving server recorded, canonical
 *         (dotted IPv4, RFC 5952 IPv6, IPv4-mapped written as IPv4,
 *         "IPv6:" prefix and "%zone" dropped, "[[ip]]" tolerated).  Never
 *         from the id clause, never from the by clause, never from a HELO
 *         literal when a recorded address exists.  When the from clause
 *         records no address and its first token is an IP literal, that
 *         literal is the address ("from [1.2.3.4] by", "from 1.2.3.4 by").
 *         Invalid literals (300.1.2.3, a date in brackets) are refused
 *         with anomaly INVALID_IP_LITERAL; "[]" and "[UNIX: localhost]"
 *         record no address.
 * port    From "[ip]:port", "port=N", "ip:port" or "[a.b.c.d.port]"; -1
 *         when absent.
 * ident   Exim "ident=x", Sendmail "(user@rdns [ip])", qmail "(user@ip)",
 *         "IDENT:user@...", "(IDENT: user)", Exim local "from login".
 * by      host: the first token after "by", lowercased, one trailing dot
 *         removed, null when that token is an address; ip: that address,
 *         or one written as the first token of the first by comment ("by
 *         NAME (2603:10b6:...)", "by localhost (host [127.0.0.1])").
 * with    The words after "with" up to the next clause keyword, comment or
 *         ';', whitespace collapsed, case kept ("ESMTPS", "Microsoft SMTP
 *         Server", "Microsoft SMTPSVC", "mapi"); a comment right after
 *         "with" is skipped ("with (TLSv1.2:... encrypted) esmtp").
 * via     The words after "via" the same way ("Frontend Transport").
 * id      The token after "id" without "<>", dots allowed; Courier's
 *         "id X" after the date.
 * for     The first address after "for", without "<>".
 * envelope_from  "(envelope-from <x>)", "(envelope-from x)",
 *         "(envelope-sender <x>)" anywhere, also after the date; Haraka's
 *         "envelope-from <x>" clause; XMail's second "from <x>".  Without
 *         "<>" ("" for the null sender).
 * tls     true on evidence: a protocol of the ESMTPS family (ESMTPS,
 *         ESMTPSA, UTF8SMTPS, LMTPS, SMTPS, HTTPS, Exim's lowercase and
 *         "local-" forms, "ESMTP/TLS/..."), STARTTLS, Exim's "tls"
 *         keyword, comments "(using TLSv1.x with cipher ...)",
 *         "(version=TLS1_2, cipher=...)", "(TLS)", "(TLS1.3)",
 *         "(TLSv1.2:...)", "(Cipher TLSv1:...)", "(... encrypted)", Courier
 *         ", TLS:"/", SSL:".  "(No client certificate requested)" alone is
 *         no proof.  false when a with clause exists without evidence;
 *         null when there is neither.
 * auth    Likewise: ESMTPA, ESMTPSA, LMTPA, UTF8SMTPA, Exim "asmtp",
 *         "(Authenticated sender: x)", "(authenticated as x)",
 *         "(authenticated bits=0)", "(authenticated)", Courier "(AUTH:
 *         LOGIN x)", CommuniGate "(account x)", Yahoo "(x@ip with login)",
 *         "(SquirrelMail authenticated user x)".  A with clause such as
 *         "with Microsoft SMTP Server ... via Frontend Transport" is no
 *         proof.  auth_user is the user when one is written.
 * time    The date after the last ';' outside comments and quoted
 *         strings; without any ';', a date ending the text (SendGrid's Go
 *         layout, smtpd's "at <date>", a date after a comment).  Anomalies
 *         RECEIVED_NO_DATE, RECEIVED_DATE_INVALID, and the date parser's
 *         flags as DATE_NO_ZONE / DATE_OBSOLETE.  utc_offset is the zone
 *         written, in minutes.
 * parsed  "full": the clause grammar, a by clause, a valid date after a
 *         ';', and nothing left unread (a missing from clause is fine:
 *         local pickup).  "partial": a clause was recognised, but the by
 *         clause or the date is missing or invalid, the date had no ';',
 *         an address literal is invalid, or text fits no clause (words
 *         before the first clause, a word after the by domain, an odd
 *         word after extension pairs, a stray ')', a cap hit).
 *         "comment": no clause, only comments and/or a date.  "unparsed":
 *         nothing recognisable.
 *
 * Extension clauses (RFC 5321 4.4 Additional-Registered-Clauses) are
 * keyword-value pairs after a clause's value: vger's "convert
 * rfc822-to-8bit", Exim's "tls TLS_AES_256_GCM_SHA384".  They are read
 * for evidence and otherwise skipped.
 *
 * Work is linear in the field: one lexer pass that never backs up (its
 * tokens kept for the second), at most MT_MAX_CLAUSES clauses and
 * comments kept (anomaly CLAUSES_TRUNCATED), comment nesting counted
 * without recursion (deeper than MT_MAX_COMMENT_DEPTH is comment text,
 * anomaly COMMENT_TOO_DEEP), no allocation but the strings kept in the
 * message arena.
 */
#include <stddef.h>
#include <string.h>

#include "mt.h"

#define WS (MT_C_WSP | MT_C_CRLF)

/* Words before the end of the text where a date without ';' may start. */
#define DATE_RING 12

/* Tokens of the first pass kept for the second (a speed-up only: a
 * longer field is simply lexed again). */
#define TOK_CACHE 128

enum kw {
	KW_NONE, KW_FROM, KW_BY, KW_VIA, KW_WITH, KW_ID, KW_FOR, KW_COUNT
};

enum tok { T_END, T_WORD, T_COMMENT, T_SEMI, T_STRAY };

/* A clause: its keyword, the value words up to the first comment, and a
 * count of the words after it (extension text: keyword value pairs). */
struct clause {
	enum kw		 kw;
	size_t		 pos;		/* offset of the keyword */
	size_t		 nval;
	struct mt_str	 val[3];	/* the first value words */
	size_t		 vbeg, vend;	/* span of all value words */
	bool		 closed;	/* a comment ended the value */
	struct mt_str	 lit;		/* first "[...]" word after val[0] */
	bool		 lit_late;	/* ... written after a comment */
	struct mt_str	 claim;		/* "claiming to be" value */
	int		 claim_state;
	bool		 envfrom_next;	/* previous word was envelope-from */
	size_t		 next;		/* extension words (keyword value) */
	bool		 stray;		/* a word that fits nowhere */
};

/* A top-level comment: the text inside its outer parentheses. */
struct com {
	struct mt_str	 in;
	int		 cl;		/* clause it follows, -1 for none */
	bool		 before;	/* before the clause's first word */
};

/* What a TCP-info comment says ("(rdns [ip])", "([ip]:port helo=x)"). */
struct tcpinfo {
	struct mt_str	 name;		/* first token when it is a name */
	bool		 has_ip;
	struct mt_ip	 ip;
	bool		 ip_bare;	/* the address was not in brackets */
	long		 port;
	struct mt_str	 ident;
	bool		 has_helo;
	struct mt_str	 helo;
	bool		 qhelo;		/* qmail "(HELO x)": address follows */
	bool		 exim;		/* helo=, ident=, port=, ]:port */
	bool		 zmailer;	/* "EHLO x", rhost-flags */
	bool		 qmail;		/* user@ip */
};

struct lex {
	const char	*p;
	size_t		 len, pos;
	size_t		 noquote;	/* no closing quote after this offset */
};

/* A token remembered by the first pass. */
struct tokc {
	enum tok	 t;
	bool		 unt;
	size_t		 beg, end;
};

/* Tokens of [b, e): from the cache when it holds them, else lexed. */
struct iter {
	struct lex	 lx;
	const struct tokc *tc;		/* NULL: lex */
	size_t		 k, n;
	size_t		 end;
};

struct rcv {
	struct mt_msg	*m;
	struct mt_hop	*hop;
	const char	*p;
	size_t		 len;
	uint64_t	 base;		/* offset of p[0] in the message */

	size_t		 ncl, nco;
	int		 cur;		/* open clause, -1 before the first */
	bool		 truncated;
	bool		 junk;		/* words outside any clause */
	bool		 stray;		/* ')' outside a comment */
	bool		 bad_lit;	/* an address that is no address */
	bool		 qmail_date;	/* "26 Jun 2002 23:46:51 -0000" */

	bool		 tls, auth;
	struct mt_str	 auth_user;
	bool		 has_envfrom;
	struct mt_str	 envfrom;
	struct mt_str	 late_id;	/* Courier: "id X" after the date */
	bool		 exim_mta, qmail_mta;
	bool		 local;		/* with "local", "local-esmtp", ... */
	size_t		 ntok;		/* cached tokens, SIZE_MAX: too many */
	bool		 smtpd_via;	/* "from rdns(ip) via SMTP by host" */

	/* Last, so that only the fields above are cleared per field. */
	struct tokc	 tok[TOK_CACHE];
	struct clause	 cl[MT_MAX_CLAUSES];
	struct com	 co[MT_MAX_CLAUSES];
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

/* sub - bytes [b, e) of s. */
static struct mt_str
sub(struct mt_str s, size_t b, size_t e)
{
	return mt_str(s.p + b, e - b);
}

/* ieqn - ASCII case-insensitive equality with n bytes of lit. */
static bool
ieqn(struct mt_str s, const char *lit, size_t n)
{
	size_t i;

	if (s.p == NULL || s.len != n)
		return false;
	for (i = 0; i < n; i++)
		if (mt_lower((unsigned char)s.p[i]) !=
		    mt_lower((unsigned char)lit[i]))
			return false;
	return true;
}

/* istartsn - does s start with n bytes of lit, ignoring ASCII case. */
static bool
istartsn(struct mt_str s, const char *lit, size_t n)
{
	return s.p != NULL && s.len >= n && ieqn(mt_str(s.p, n), lit, n);
}

/* ifindn - offset of n bytes of lit in s ignoring ASCII case, or -1. */
static long
ifindn(struct mt_str s, const char *lit, size_t n)
{
	size_t i;
	int first = mt_lower((unsigned char)lit[0]);

	for (i = 0; i + n <= s.len; i++)
		if (mt_lower((unsigned char)s.p[i]) == first &&
		    ieqn(mt_str(s.p + i, n), lit, n))
			return (long)i;
	return -1;
}

/* The literal's length is known when compiling: no strlen per call. */
#define ieq(s, lit)	ieqn((s), (lit), sizeof(lit) - 1)
#define istarts(s, lit)	istartsn((s), (lit), sizeof(lit) - 1)
#define ifind(s, lit)	ifindn((s), (lit), sizeof(lit) - 1)

/* inset - is ch one of the bytes of the literal set. */
static bool
inset(int ch, const char *set)
{
	for (; *set != '\0'; set++)
		if (ch == (unsigned char)*set)
			return true;
	return false;
}

/* trimr - without trailing bytes from set (a short literal). */
static struct mt_str
trimr(struct mt_str s, const char *set)
{
	while (s.len > 0 && inset((unsigned char)s.p[s.len - 1], set))
		s.len--;
	return s;
}

/* has_any - does s hold a byte of the literal set. */
static bool
has_any(struct mt_str s, const char *set)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (inset((unsigned char)s.p[i], set))
			return true;
	return false;
}

/* unquote - a quoted string's content, quotes (and a comma) removed. */
static struct mt_str
unquote(struct mt_str s)
{
	s = trimr(s, ",");
	if (s.len > 0 && s.p[0] == '"') {
		s.p++;
		s.len--;
	}
	return trimr(s, "\"");
}

/* unangle - an address without the "<>" around it (any depth). */
static struct mt_str
unangle(struct mt_str s)
{
	s = trimr(s, ",;");
	while (s.len >= 2 && s.p[0] == '<' && s.p[s.len - 1] == '>') {
		s.p++;
		s.len -= 2;
	}
	if (s.len >= 1 && s.p[0] == '<') {	/* "<a@b" cut by a comma */
		s.p++;
		s.len--;
	}
	if (s.len >= 1 && s.p[s.len - 1] == '>')
		s.len--;
	return s;
}

/* is_hostish - letters, digits, '-', '.', '_' only, not empty. */
static bool
is_hostish(struct mt_str s)
{
	size_t i;

	if (s.len == 0)
		return false;
	for (i = 0; i < s.len; i++)
		if (!mt_is((unsigned char)s.p[i], MT_C_HOST))
			return false;
	return true;
}

/* keyword - the clause keyword a word is, if any (RFC 5321 4.4). */
static enum kw
keyword(struct mt_str w)
{
	switch (w.len) {
	case 2:
		if (ieq(w, "by"))
			return KW_BY;
		if (ieq(w, "id"))
			return KW_ID;
		break;
	case 3:
		if (ieq(w, "via"))
			return KW_VIA;
		if (ieq(w, "for"))
			return KW_FOR;
		break;
	case 4:
		if (ieq(w, "from"))
			return KW_FROM;
		if (ieq(w, "with"))
			return KW_WITH;
		break;
	}
	return KW_NONE;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                              */
/* ------------------------------------------------------------------ */

/* comment_end - offset after the comment opening at p[i] == '(', nesting
 * counted without recursion (RFC 5322 3.2.2 ccontent, quoted-pairs).  An
 * unterminated comment runs to the end. */
static size_t
comment_end(const char *p, size_t len, size_t i, size_t *maxdepth,
    bool *unterminated)
{
	size_t depth = 0, max = 0;

	while (i < len) {
		int ch = (unsigned char)p[i++];

		if (ch == '\\') {
			if (i < len)
				i++;
		} else if (ch == '(') {
			if (++depth > max)
				max = depth;
		} else if (ch == ')' && --depth == 0) {
			*maxdepth = max;
			*unterminated = false;
			return i;
		}
	}
	*maxdepth = max;
	*unterminated = true;
	return len;
}

/* quote_end - offset after the quoted string opening at p[i] == '"', or
 * SIZE_MAX when it is never closed (the '"' is then an ordinary byte).
 * Once a scan fails no later quote can close, which keeps this linear. */
static size_t
quote_end(struct lex *lx, size_t i)
{
	size_t j;

	if (i >= lx->noquote)
		return SIZE_MAX;
	for (j = i + 1; j < lx->len; j++) {
		if (lx->p[j] == '\\')
			j++;
		else if (lx->p[j] == '"')
			return j + 1;
	}
	lx->noquote = i;
	return SIZE_MAX;
}

/* Bytes that end a word outside comments: WSP, CR, LF, '(', ')', ';'. */
static const bool wstop[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
	['('] = true, [')'] = true, [';'] = true,
};

/* next - the next token from lx: a word (atoms, quoted strings, literals
 * glued together), a comment, a ';', a stray ')', or the end. */
static enum tok
next(struct lex *lx, size_t *beg, size_t *end, size_t *maxdepth,
    bool *unterminated)
{
	const char *p = lx->p;
	size_t i = lx->pos;

	while (i < lx->len && mt_is((unsigned char)p[i], WS))
		i++;
	*beg = i;
	*maxdepth = 0;
	*unterminated = false;
	if (i >= lx->len) {
		lx->pos = i;
		*end = i;
		return T_END;
	}
	if (p[i] == '(') {
		*end = lx->pos = comment_end(p, lx->len, i, maxdepth,
		    unterminated);
		return T_COMMENT;
	}
	if (p[i] == ';' || p[i] == ')') {
		*end = lx->pos = i + 1;
		return p[i] == ';' ? T_SEMI : T_STRAY;
	}
	while (i < lx->len) {
		int ch = (unsigned char)p[i];

		if (wstop[ch])
			break;
		if (ch == '"') {
			size_t q = quote_end(lx, i);

			if (q != SIZE_MAX) {
				i = q;
				continue;
			}
		}
		i++;
	}
	*end = lx->pos = i;
	return T_WORD;
}

/* iter_init - tokens of [b, e) of r's text. */
static void
iter_init(struct iter *it, const struct tokc *tc, size_t ntok,
    const char *p, size_t b, size_t e)
{
	it->lx.p = p;
	it->lx.len = e;
	it->lx.pos = b;
	it->lx.noquote = SIZE_MAX;
	it->end = e;
	it->tc = NULL;
	if (ntok != SIZE_MAX) {
		/* First pass tokens end at every ';' and word boundary, so
		 * a region starting at one starts at a cached token. */
		for (it->k = 0; it->k < ntok && tc[it->k].beg < b; it->k++)
			;
		it->tc = tc;
		it->n = ntok;
	}
}

/* iter_next - the next token of the region, or T_END. */
static enum tok
iter_next(struct iter *it, size_t *beg, size_t *end, bool *unterminated)
{
	size_t depth;

	if (it->tc == NULL)
		return next(&it->lx, beg, end, &depth, unterminated);
	if (it->k >= it->n || it->tc[it->k].end > it->end ||
	    it->tc[it->k].t == T_END)
		return T_END;
	*beg = it->tc[it->k].beg;
	*end = it->tc[it->k].end;
	*unterminated = it->tc[it->k].unt;
	return it->tc[it->k++].t;
}

/* ------------------------------------------------------------------ */
/* Addresses                                                          */
/* ------------------------------------------------------------------ */

enum lit { LIT_NONE, LIT_OK, LIT_BAD };

/* v4port - "a.b.c.d:port" or "a.b.c.d.port" (ecelerity, old Exim);
 * lenient: no RFC writes a port inside an address. */
static bool
v4port(struct mt_str s, struct mt_ip *ip, long *port)
{
	size_t i, dots = 0;

	for (i = 0; i < s.len; i++) {
		if (s.p[i] == ':' || (s.p[i] == '.' && ++dots == 4))
			break;
		if (!mt_is((unsigned char)s.p[i], MT_C_DIGIT) && s.p[i] != '.')
			return false;
	}
	if (i >= s.len || !mt_ip_parse(sub(s, 0, i), ip) || ip->family != 4)
		return false;
	if (!mt_parse_int(sub(s, i + 1, s.len), 0, 65535, port)) {
		memset(ip, 0, sizeof(*ip));
		return false;
	}
	return true;
}

/* ipish - does a bare token look like an address at all: a dotted quad of
 * 1-3 digit parts, or hex groups with at least two colons. */
static bool
ipish(struct mt_str s)
{
	size_t i, dots = 0, colons = 0, run = 0;
	bool digits = true;

	if (istarts(s, "IPv6:"))
		return true;
	for (i = 0; i < s.len && s.p[i] != '%'; i++) {
		int ch = (unsigned char)s.p[i];

		if (ch == '.') {
			dots++;
			run = 0;
		} else if (ch == ':')
			colons++;
		else if (mt_is(ch, MT_C_DIGIT)) {
			if (++run > 3 && colons == 0)
				return false;
		} else if (!mt_is(ch, MT_C_HEX))
			return false;
		else
			digits = false;
	}
	if (colons >= 2)
		return true;
	return colons == 0 && dots == 3 && digits && i == s.len;
}

/* addr_bytes - could s be an address at all: hex digits, ':' and '.',
 * anything after a '%' (zone), or the "IPv6:" prefix.  Saves parsing
 * every host name as an address. */
static bool
addr_bytes(struct mt_str s)
{
	size_t i;

	if (istarts(s, "IPv6:"))
		return true;
	for (i = 0; i < s.len && s.p[i] != '%'; i++)
		if (!mt_is((unsigned char)s.p[i], MT_C_HEX) && s.p[i] != ':' &&
		    s.p[i] != '.')
			return false;
	return true;
}

/* bare - an address written without brackets ("10.1.2.3", "::1",
 * "fe80::1%6", "1.2.3.4:25"); LIT_BAD when it only looks like one. */
static enum lit
bare(struct mt_str s, struct mt_ip *ip, long *port)
{
	memset(ip, 0, sizeof(*ip));
	if (s.len == 0 || s.len > 64 || !addr_bytes(s))
		return LIT_NONE;
	if (mt_ip_parse(s, ip) || v4port(s, ip, port))
		return LIT_OK;
	memset(ip, 0, sizeof(*ip));
	return ipish(s) ? LIT_BAD : LIT_NONE;
}

/* literal - an address literal "[...]" (RFC 5321 4.1.3).  Lenient, as
 * real writers are: a port after "]:" or as a fifth part, doubled
 * brackets, blanks inside, Gmail's "?IPv6:...?".  Sendmail's "[UNIX:
 * localhost]" and an empty "[]" are no address and no error. */
static enum lit
literal(struct mt_str s, struct mt_ip *ip, long *port)
{
	size_t b = 0, e;
	struct mt_str in;

	memset(ip, 0, sizeof(*ip));
	if (s.len >= 2 && s.p[0] == '?' && s.p[s.len - 1] == '?') {
		in = sub(s, 1, s.len - 1);
		if (mt_ip_parse(in, ip))
			return LIT_OK;
		return ipish(in) ? LIT_BAD : LIT_NONE;
	}
	while (b < s.len && b < 2 && s.p[b] == '[')
		b++;
	if (b == 0)
		return LIT_NONE;
	for (e = b; e < s.len && s.p[e] != ']'; e++)
		;
	in = mt_str_trim(sub(s, b, e));
	while (e < s.len && s.p[e] == ']')
		e++;
	if (e + 1 < s.len && s.p[e] == ':')
		(void)mt_parse_int(sub(s, e + 1, s.len), 0, 65535, port);
	if (istarts(in, "UNIX:") || in.len == 0)
		return LIT_NONE;	/* a socket, or "[]": no address */
	if (mt_ip_parse(in, ip) || v4port(in, ip, port))
		return LIT_OK;
	memset(ip, 0, sizeof(*ip));
	return LIT_BAD;
}

/* any_addr - a literal or a bare address. */
static enum lit
any_addr(struct mt_str s, struct mt_ip *ip, long *port)
{
	enum lit l = literal(s, ip, port);

	return l != LIT_NONE ? l : bare(s, ip, port);
}

/* ------------------------------------------------------------------ */
/* Output strings                                                     */
/* ------------------------------------------------------------------ */

/* host - lowercased arena copy without one trailing dot; Gmail's
 * "?IPv6:x?" becomes "[ipv6:x]". */
static struct mt_str
host(struct rcv *r, struct mt_str s)
{
	struct mt_ip ip;
	struct mt_str d;

	if (s.p == NULL)
		return MT_STR_NULL;
	if (s.len >= 3 && s.p[0] == '?' && s.p[s.len - 1] == '?' &&
	    mt_ip_parse(sub(s, 1, s.len - 1), &ip)) {
		d = mt_arena_printf(&r->m->arena, "[%.*s]", (int)(s.len - 2),
		    s.p + 1);
		return mt_arena_lower(&r->m->arena, d);
	}
	if (s.len > 1 && s.p[s.len - 1] == '.')
		s.len--;
	return mt_arena_lower(&r->m->arena, s);
}

/* dup - arena copy, null stays null. */
static struct mt_str
dup(struct rcv *r, struct mt_str s)
{
	if (s.p == NULL)
		return MT_STR_NULL;
	return mt_arena_dup(&r->m->arena, s.p, s.len);
}

/* collapse - words of [b, e) joined by single spaces. */
static struct mt_str
collapse(struct rcv *r, size_t b, size_t e)
{
	char *d;
	size_t i, n = 0;
	bool sp = false;

	if ((d = mt_arena_alloc(&r->m->arena, e - b + 1)) == NULL)
		return mt_str("", 0);
	for (i = b; i < e; i++) {
		if (mt_is((unsigned char)r->p[i], WS)) {
			sp = true;
			continue;
		}
		if (sp && n > 0)
			d[n++] = ' ';
		sp = false;
		d[n++] = r->p[i];
	}
	d[n] = '\0';
	return mt_str(d, n);
}

/* ipstr - canonical text of an address in the arena. */
static struct mt_str
ipstr(struct rcv *r, const struct mt_ip *ip)
{
	char buf[64];
	size_t n = 0, i;

	if (ip->family == 4) {
		/* Dotted quad by hand: inet_ntop goes through printf. */
		for (i = 0; i < 4; i++) {
			unsigned v = ip->addr[i];

			if (i > 0)
				buf[n++] = '.';
			if (v >= 100)
				buf[n++] = (char)('0' + v / 100);
			if (v >= 10)
				buf[n++] = (char)('0' + v / 10 % 10);
			buf[n++] = (char)('0' + v % 10);
		}
		return mt_arena_dup(&r->m->arena, buf, n);
	}
	if (mt_ip_format(ip, buf, sizeof(buf)) == NULL)
		return MT_STR_NULL;
	return mt_arena_dupz(&r->m->arena, buf);
}

/* ------------------------------------------------------------------ */
/* Comments                                                           */
/* ------------------------------------------------------------------ */

/*
 * ctok - the next token inside a comment's text s from *i: a nested
 * comment (returned with its parentheses), a quoted string, a literal
 * "[...]" with what is glued after it, or a run of other bytes.
 */
static bool
ctok(struct mt_str s, size_t *i, struct mt_str *t)
{
	size_t b, j, dummy;
	bool unt;

	while (*i < s.len && mt_is((unsigned char)s.p[*i], WS))
		(*i)++;
	if (*i >= s.len)
		return false;
	b = j = *i;
	if (s.p[j] == '(') {
		j = comment_end(s.p, s.len, j, &dummy, &unt);
	} else if (s.p[j] == '"') {
		for (j++; j < s.len && s.p[j] != '"'; j++)
			if (s.p[j] == '\\')
				j++;
		j = j < s.len ? j + 1 : s.len;
	} else {
		if (s.p[j] == '[') {
			while (j < s.len && s.p[j] != ']')
				j++;
		}
		while (j < s.len && !mt_is((unsigned char)s.p[j], WS) &&
		    s.p[j] != '(')
			j++;
	}
	*t = sub(s, b, j);
	*i = j;
	return true;
}

/* word_after - the first token of s at or after offset from. */
static struct mt_str
word_after(struct mt_str s, size_t from)
{
	size_t i = from, b;

	while (i < s.len && mt_is((unsigned char)s.p[i], WS))
		i++;
	b = i;
	while (i < s.len && !mt_is((unsigned char)s.p[i], WS) &&
	    s.p[i] != '(' && s.p[i] != ')')
		i++;
	return sub(s, b, i);
}

/* tls_comment - does a comment prove TLS: "(TLS)", "(TLS1.3)",
 * "(TLSv1.2:...)", "(using TLSv1.3 with cipher ...)", "(version=TLS1_2,
 * cipher=...)", "(Cipher TLSv1:...)", "(... encrypted)", Courier ", TLS:". */
static bool
tls_comment(struct mt_str c)
{
	int ch;
	long k;

	if (istarts(c, "TLS") || istarts(c, "SSL")) {
		ch = c.len > 3 ? (unsigned char)c.p[3] : -1;
		if (ch == -1 || ch == 'v' || ch == 'V' || ch == ':' ||
		    ch == '-' || ch == '_' || ch == ' ' ||
		    mt_is(ch, MT_C_DIGIT))
			return true;
	}
	if (istarts(c, "using TLS") || istarts(c, "using SSL") ||
	    istarts(c, "cipher TLS") || istarts(c, "cipher SSL"))
		return true;
	if ((k = ifind(c, "version=")) >= 0 && (istarts(sub(c,
	    (size_t)k + 8, c.len), "TLS") || istarts(sub(c, (size_t)k + 8,
	    c.len), "SSL")))
		return true;
	if (istarts(c, "AUTH:") && (ifind(c, ", TLS:") >= 0 ||
	    ifind(c, ", SSL:") >= 0))
		return true;
	return c.len >= 10 && ieq(sub(c, c.len - 10, c.len), " encrypted");
}

/* with_login - Yahoo's "(user@ip with login)": SMTP AUTH was used. */
static bool
with_login(struct mt_str c)
{
	size_t e = c.len, b;

	b = e;
	while (b > 0 && !mt_is((unsigned char)c.p[b - 1], WS))
		b--;
	if (!ieq(sub(c, b, e), "login") && !ieq(sub(c, b, e), "plain"))
		return false;
	while (b > 0 && mt_is((unsigned char)c.p[b - 1], WS))
		b--;
	return b >= 5 && ieq(sub(c, b - 4, b), "with") &&
	    (b == 4 || mt_is((unsigned char)c.p[b - 5], WS));
}

/* evidence - what any comment says about TLS, authentication and the
 * envelope sender. */
static void
evidence(struct rcv *r, struct mt_str c)
{
	struct mt_str w;

	c = mt_str_trim(c);
	if (tls_comment(c))
		r->tls = true;
	if (istarts(c, "Authenticated sender:")) {
		r->auth = true;
		w = trimr(word_after(c, 21), ",;");
		if (w.len > 0 && r->auth_user.p == NULL)
			r->auth_user = w;
	} else if (istarts(c, "authenticated as ")) {
		r->auth = true;
		w = trimr(word_after(c, 17), ",;");
		if (w.len > 0 && r->auth_user.p == NULL)
			r->auth_user = w;
	} else if (ieq(c, "authenticated") ||
	    istarts(c, "authenticated ") || istarts(c, "authenticated(")) {
		r->auth = true;	/* Sendmail "(authenticated bits=0)" */
	} else if (istarts(c, "AUTH: ")) {
		/* Courier "(AUTH: LOGIN user, TLS: ...)" */
		size_t i = 6;
		struct mt_str mech = word_after(c, i);

		r->auth = true;
		w = trimr(word_after(c, (size_t)(mech.p + mech.len - c.p)),
		    ",;");
		if (w.len > 0 && r->auth_user.p == NULL)
			r->auth_user = w;
	} else if (istarts(c, "account ")) {
		/* CommuniGate "(account user@domain HELO name)" */
		r->auth = true;
		w = trimr(word_after(c, 8), ",;");
		if (w.len > 0 && r->auth_user.p == NULL)
			r->auth_user = w;
	} else if (with_login(c)) {
		/* Yahoo "(user@ip with login)": SMTP AUTH */
		size_t at;

		r->auth = true;
		for (at = 0; at < c.len && c.p[at] != '@' &&
		    !mt_is((unsigned char)c.p[at], WS); at++)
			;
		if (at < c.len && c.p[at] == '@' && at > 0 &&
		    r->auth_user.p == NULL)
			r->auth_user = sub(c, 0, at);
	} else if (istarts(c, "SquirrelMail authenticated user ")) {
		r->auth = true;
		w = trimr(word_after(c, 32), ",;");
		if (w.len > 0 && r->auth_user.p == NULL)
			r->auth_user = w;
	}
	if ((istarts(c, "envelope-from") || istarts(c, "envelope-sender")) &&
	    !r->has_envfrom) {
		size_t i = istarts(c, "envelope-from") ? 13 : 15;

		while (i < c.len && (c.p[i] == '=' || c.p[i] == ':'))
			i++;
		w = word_after(c, i);
		if (w.len > 0) {
			r->has_envfrom = true;
			r->envfrom = unangle(w);
		}
	}
	if (istarts(c, "Exim ") || ieq(c, "Exim"))
		r->exim_mta = true;
	if (istarts(c, "qmail") || istarts(c, "qp ") ||
	    istarts(c, "envelope-sender"))
		r->qmail_mta = true;
}

/* bad_lit - record an address that is no address (once per field: a
 * field of a thousand bad literals is one piece of evidence). */
static void
bad_lit(struct rcv *r, const char *at)
{
	if (!r->bad_lit)
		mt_anomaly_add(r->m, MT_AN_INVALID_IP_LITERAL,
		    r->base + (size_t)(at - r->p));
	r->bad_lit = true;
}

/* take_ip - keep an address read from TCP-info; one in brackets wins over
 * a bare one ("(156.67.243.121 [156.67.243.121])"). */
static void
take_ip(struct tcpinfo *ti, const struct mt_ip *ip, long port, bool isbare)
{
	if (ti->has_ip && !(ti->ip_bare && !isbare))
		return;
	ti->has_ip = true;
	ti->ip = *ip;
	ti->ip_bare = isbare;
	if (port >= 0)
		ti->port = port;
}

/*
 * tcpinfo - read the TCP-info comment of a from clause (the text inside
 * its parentheses): "rdns [ip]", "unknown [ip]", "[ip]:port helo=x
 * ident=y", "[ip]:port \"EHLO x\" rhost-flags-..." (ZMailer), "HELO x"
 * (qmail, the address follows in the next comment), "user@rdns [ip]",
 * "IDENT:user@[ip]", "user@ip" (qmail), bare "ip" (Microsoft, qmail),
 * "account user HELO x" (CommuniGate).  Bad addresses are recorded as
 * INVALID_IP_LITERAL.
 */
static void
tcpinfo(struct rcv *r, struct mt_str c, struct tcpinfo *ti)
{
	struct mt_str t, prev = MT_STR_NULL, name = MT_STR_NULL;
	size_t i = 0, n = 0;
	bool skip = false, name_lit = false;
	struct mt_ip ip;
	long port;
	enum lit l;

	for (; ctok(c, &i, &t); n++, prev = t) {
		size_t at;

		port = -1;
		if (t.p[0] == '(')
			continue;	/* "(may be forged)" */
		if (skip) {
			skip = false;
			continue;
		}
		if (ieq(prev, "HELO") || ieq(prev, "EHLO")) {
			ti->helo = t;	/* qmail, CommuniGate */
			continue;
		}
		if (ieq(t, "HELO") || ieq(t, "EHLO")) {
			ti->has_helo = true;
			ti->helo = MT_STR_NULL;	/* "(HELO )" */
			if (n == 0)
				ti->qhelo = true;
			continue;
		}
		if (n == 0 && ieq(t, "account")) {
			skip = true;	/* the user, read by evidence() */
			continue;
		}
		if (t.p[0] == '"') {
			struct mt_str q = mt_str_trim(unquote(t));

			if (istarts(q, "EHLO") || istarts(q, "HELO")) {
				ti->zmailer = true;
				ti->has_helo = true;
				ti->helo = mt_str_trim(sub(q, 4, q.len));
			}
			continue;
		}
		if ((l = literal(t, &ip, &port)) != LIT_NONE ||
		    (t.p[0] == '[')) {
			if (l == LIT_BAD)
				bad_lit(r, t.p);
			else if (l == LIT_OK) {
				take_ip(ti, &ip, port, false);
				if (port >= 0)
					ti->exim = true;
			}
			if (n == 1 && name.p != NULL)
				name_lit = true;
			continue;
		}
		if (istarts(t, "helo=") || istarts(t, "ident=") ||
		    istarts(t, "port=")) {
			size_t eq = mt_lower((unsigned char)t.p[0]) == 'i' ?
			    6 : 5;
			struct mt_str v = sub(t, eq, t.len);

			ti->exim = true;
			if (mt_lower((unsigned char)t.p[0]) == 'h') {
				ti->has_helo = true;
				ti->helo = v;
			} else if (mt_lower((unsigned char)t.p[0]) == 'i')
				ti->ident = v;
			else
				(void)mt_parse_int(v, 0, 65535, &ti->port);
			continue;
		}
		if (istarts(t, "rhost-flags"))
			ti->zmailer = true;
		if (ieq(prev, "IDENT:")) {
			ti->ident = t;
			continue;
		}
		if (istarts(t, "IDENT:")) {
			if (t.len == 6)
				continue;	/* "(IDENT: user)" */
			t = sub(t, 6, t.len);
		}
		for (at = t.len; at > 0 && t.p[at - 1] != '@'; at--)
			;
		if (at > 1 && at < t.len && !has_any(sub(t, 0, at - 1), ":=")) {
			/* "user@rdns", "user@[ip]", qmail "user@ip" */
			struct mt_str right = sub(t, at, t.len);

			ti->ident = sub(t, 0, at - 1);
			l = any_addr(right, &ip, &port);
			if (l == LIT_OK) {
				take_ip(ti, &ip, port, right.p[0] != '[');
				if (right.p[0] != '[')
					ti->qmail = true;
			} else if (l == LIT_BAD)
				bad_lit(r, right.p);
			else if (n == 0)
				name = right;
			continue;
		}
		if (n != 0)
			continue;	/* "RDNS failed", "verified", ... */
		l = bare(t, &ip, &port);
		if (l == LIT_OK)
			take_ip(ti, &ip, port, true);
		else if (l == LIT_BAD)
			bad_lit(r, t.p);
		else
			name = t;
	}
	/* A name is the rDNS only as "(name [ip])" or alone "(name)". */
	if (name.p != NULL && (name_lit || n == 1))
		ti->name = name;
	if (ti->helo.p != NULL || ti->qhelo)
		ti->has_helo = true;
}

/* ------------------------------------------------------------------ */
/* Clauses                                                            */
/* ------------------------------------------------------------------ */

/* room - one more clause or comment may be kept; else record the cap. */
static bool
room(struct rcv *r, size_t pos)
{
	if (r->ncl + r->nco < MT_MAX_CLAUSES)
		return true;
	if (!r->truncated)
		mt_anomaly_add(r->m, MT_AN_CLAUSES_TRUNCATED, r->base + pos);
	r->truncated = true;
	return false;
}

/* word_in - a word inside the open clause. */
static void
word_in(struct rcv *r, struct mt_str w, size_t b, size_t e)
{
	struct clause *c = &r->cl[r->cur];

	/* Extension text: "claiming to be" (smtpd), Exim's "tls",
	 * Haraka's "envelope-from <x>". */
	if (c->envfrom_next) {
		c->envfrom_next = false;
		if (!r->has_envfrom) {
			r->has_envfrom = true;
			r->envfrom = unangle(w);
		}
	}
	if (ieq(w, "envelope-from") || ieq(w, "envelope-sender"))
		c->envfrom_next = true;
	if (c->kw == KW_FROM) {
		if (c->claim_state == 3 && c->claim.p == NULL)
			c->claim = w;
		c->claim_state = ieq(w, "claiming") ? 1 :
		    c->claim_state == 1 && ieq(w, "to") ? 2 :
		    c->claim_state == 2 && ieq(w, "be") ? 3 : 0;
		if (c->nval >= 1 && c->lit.p == NULL &&
		    (w.p[0] == '[' || (w.p[0] == '?' && w.len > 2))) {
			c->lit = w;
			c->lit_late = c->closed;
		}
	}
	/* RFC 5321 4.4: "by" and "id" take one token; what follows is an
	 * extension clause (a keyword and its value: vger's "convert
	 * rfc822-to-8bit", Haraka's "envelope-from <x>").  A word after the
	 * by domain fits no clause ("by GOLD 400"). */
	if (c->nval >= 1 && c->kw == KW_BY) {
		c->stray = true;
		return;
	}
	if (c->nval >= 1 && c->kw == KW_FOR &&
	    (w.p[0] == '<' || has_any(w, "@")))
		c->closed = false;	/* "for <a>, <b>" */
	else if (c->nval >= 1 && c->kw == KW_ID)
		c->closed = true;
	if (!c->closed) {
		if (c->nval < sizeof(c->val) / sizeof(c->val[0]))
			c->val[c->nval] = w;
		if (c->nval == 0)
			c->vbeg = b;
		c->vend = e;
		c->nval++;
		return;
	}
	/* A literal after the TCP-info (Exim 3) is the address. */
	if (c->kw == KW_FROM && c->lit.p == w.p)
		return;
	c->next++;
	if (ieq(w, "tls") || ieq(w, "STARTTLS"))
		r->tls = true;
}

/* clauses - read the clause text [b, e): words, keywords, comments. */
static void
clauses(struct rcv *r, size_t b, size_t e)
{
	struct iter it;
	size_t tb, te;
	bool unt;
	enum tok t;

	iter_init(&it, r->tok, r->ntok, r->p, b, e);
	while (!r->truncated &&
	    (t = iter_next(&it, &tb, &te, &unt)) != T_END) {
		struct mt_str w = mt_str(r->p + tb, te - tb);
		enum kw k;

		switch (t) {
		case T_WORD:
			w = trimr(w, ",");
			if (w.len == 0)
				break;	/* a lone "," between clauses */
			if ((k = keyword(w)) != KW_NONE) {
				struct clause *c;

				if (!room(r, tb))
					break;
				c = &r->cl[r->ncl];
				memset(c, 0, sizeof(*c));
				c->kw = k;
				c->pos = tb;
				r->cur = (int)r->ncl++;
				break;
			}
			if (r->cur < 0) {
				r->junk = true;
				break;
			}
			word_in(r, w, tb, tb + w.len);
			break;
		case T_COMMENT: {
			struct com *co;
			size_t ie = te;

			if (!room(r, tb))
				break;
			if (!unt)
				ie--;
			co = &r->co[r->nco++];
			co->in = mt_str(r->p + tb + 1, ie - tb - 1);
			co->cl = r->cur;
			co->before = r->cur < 0 || r->cl[r->cur].nval == 0;
			if (r->cur >= 0 && r->cl[r->cur].nval > 0)
				r->cl[r->cur].closed = true;
			evidence(r, co->in);
			break;
		}
		case T_SEMI:
			/* A ';' before the last one ends the value. */
			if (r->cur >= 0)
				r->cl[r->cur].closed = true;
			break;
		case T_STRAY:
			r->stray = true;
			break;
		case T_END:
			break;
		}
	}
}

/* firsts - the first clause of each keyword into fk (NULL if none);
 * later ones are recorded as DUPLICATE_CLAUSE and ignored (XMail's "from
 * <sender>" after "by" is its envelope sender, not a duplicate). */
static void
firsts(struct rcv *r, struct clause *fk[KW_COUNT])
{
	size_t i;

	for (i = 0; i < KW_COUNT; i++)
		fk[i] = NULL;
	for (i = 0; i < r->ncl; i++) {
		struct clause *c = &r->cl[i];

		if (fk[c->kw] == NULL) {
			fk[c->kw] = c;
			continue;
		}
		if (c->kw == KW_FROM && c->nval > 0 && c->val[0].p[0] == '<') {
			if (!r->has_envfrom) {
				r->has_envfrom = true;
				r->envfrom = unangle(c->val[0]);
			}
			continue;
		}
		mt_anomaly_add(r->m, MT_AN_DUPLICATE_CLAUSE, r->base + c->pos);
	}
}

/* proto - TLS and authentication evidence of one protocol word of the
 * with clause: the ESMTPS family (RFC 3848, RFC 6531) and Exim's forms. */
static void
proto(struct rcv *r, struct mt_str w)
{
	size_t i, j;

	/* "ESMTP/TLS/AES128-SHA" (IronPort): a TLS part proves TLS. */
	for (i = j = 0; i <= w.len; i++) {
		if (i < w.len && w.p[i] != '/')
			continue;
		if (j > 0 && (istarts(sub(w, j, i), "TLS") ||
		    istarts(sub(w, j, i), "SSL")))
			r->tls = true;
		j = i + 1;
	}
	if (istarts(w, "local-"))
		w = sub(w, 6, w.len);
	if (istarts(w, "UTF8"))
		w = sub(w, 4, w.len);
	if (ieq(w, "STARTTLS") || ieq(w, "HTTPS")) {
		r->tls = true;
		return;
	}
	if (ieq(w, "asmtp")) {	/* Exim 4.3x authenticated SMTP */
		r->auth = true;
		return;
	}
	if (istarts(w, "ESMTP"))
		w = sub(w, 5, w.len);
	else if (istarts(w, "SMTP") || istarts(w, "LMTP"))
		w = sub(w, 4, w.len);
	else
		return;
	/* Only "", "S", "A", "SA" may follow: "SMTPSVC" is no SMTPS. */
	if (ieq(w, "S") || ieq(w, "SA"))
		r->tls = true;
	if (ieq(w, "A") || ieq(w, "SA"))
		r->auth = true;
}

/* ------------------------------------------------------------------ */
/* The hop                                                            */
/* ------------------------------------------------------------------ */

/* exim_id - an Exim message id: "17c56A-0007M1-02" (base 62, 6-6-2), or
 * "1shWB7-0000000Dcib-3hXN" (6-11-4, Exim 4.97 and later). */
static bool
exim_id(struct mt_str s)
{
	size_t i, part = 0, n = 0;
	static const size_t v3[3] = { 6, 6, 2 }, v497[3] = { 6, 11, 4 };
	size_t got[3] = { 0, 0, 0 };

	for (i = 0; i <= s.len; i++) {
		if (i == s.len || s.p[i] == '-') {
			if (part >= 3)
				return false;
			got[part++] = n;
			n = 0;
		} else if (mt_is((unsigned char)s.p[i], MT_C_ALPHA |
		    MT_C_DIGIT))
			n++;
		else
			return false;
	}
	return part == 3 && ((got[0] == v3[0] && got[1] == v3[1] &&
	    got[2] == v3[2]) || (got[0] == v497[0] && got[1] == v497[1] &&
	    got[2] == v497[2]));
}

/* rdns_ok - may a name be recorded as rDNS: a host name, not "unknown",
 * not a literal, not an address. */
static bool
rdns_ok(struct mt_str s)
{
	struct mt_ip ip;

	if (s.p == NULL || !is_hostish(trimr(s, ".")) || ieq(s, "unknown") ||
	    ieq(s, "unverified") || ieq(s, "softdnserr") ||
	    ieq(s, "authenticated"))
		return false;
	return !addr_bytes(s) || !mt_ip_parse(s, &ip);
}

/* set_ip - the connection address and its class. */
static void
set_ip(struct rcv *r, const struct mt_ip *ip, long port)
{
	r->hop->from.addr = *ip;
	r->hop->from.ip = ipstr(r, ip);
	if (port >= 0)
		r->hop->from.port = port;
}

/* do_from - helo, rdns, ip, port and ident of the from clause. */
static void
do_from(struct rcv *r, struct clause *fc, int fi)
{
	struct mt_hop *hop = r->hop;
	struct tcpinfo ti;
	struct mt_str f0 = fc->nval > 0 ? fc->val[0] : MT_STR_NULL;
	struct mt_str pre = MT_STR_NULL;
	struct mt_ip ip;
	long port = -1;
	enum lit f0lit = LIT_NONE;
	bool seen = false, phrase, exim, exim3, qmail, smtpd, local = false;
	size_t i;

	memset(&ti, 0, sizeof(ti));
	ti.port = -1;
	/* The TCP-info comment follows the first token; qmail writes the
	 * address in a second comment after "(HELO name)". */
	for (i = 0; i < r->nco; i++) {
		struct com *co = &r->co[i];
		struct tcpinfo t2;

		if (co->cl != fi)
			continue;
		if (co->before && fc->nval > 0) {
			if (pre.p == NULL)
				pre = mt_str_trim(co->in);
			continue;
		}
		if (!seen) {
			tcpinfo(r, co->in, &ti);
			seen = true;
			continue;
		}
		if (ti.qhelo && !ti.has_ip) {
			memset(&t2, 0, sizeof(t2));
			t2.port = -1;
			tcpinfo(r, co->in, &t2);
			if (t2.has_ip)
				take_ip(&ti, &t2.ip, t2.port, t2.ip_bare);
			else
				r->junk = true;	/* a date where the
						 * address belongs */
			if (t2.ident.p != NULL)
				ti.ident = t2.ident;
			ti.qmail = ti.qmail || t2.qmail;
		} else if (istarts(mt_str_trim(co->in), "IDENT:") &&
		    ti.ident.p == NULL) {
			/* "(IDENT: user)" after the TCP-info */
			ti.ident = trimr(word_after(mt_str_trim(co->in), 6),
			    ")");
		}
	}
	exim = r->exim_mta || ti.exim || ti.zmailer;
	qmail = r->qmail_mta || ti.qhelo || ti.qmail || r->qmail_date;
	/* Exim 3: "from rdns (helo) [ip]", the address after the comment. */
	exim3 = ti.name.p != NULL && !ti.has_ip && fc->lit_late;
	if (exim3) {
		ti.has_helo = true;
		ti.helo = ti.name;
		ti.name = MT_STR_NULL;
	}

	if (f0.p != NULL) {
		f0lit = literal(f0, &ip, &port);
		if (f0lit == LIT_NONE)
			f0lit = bare(f0, &ip, &port);
		if (f0lit == LIT_BAD)
			bad_lit(r, f0.p);
	}
	/* Lenient: "from mail pickup service", "from 12345 named unknown": a
	 * phrase, not an announced name (a literal after the first word is
	 * the address: fetchmail "from host [ip]"). */
	phrase = fc->nval > 1 && fc->lit.p == NULL && f0lit == LIT_NONE;
	/* "from user@domain by host" (AOL, qmail-scanner) names a sender,
	 * not a HELO. */
	if (!seen && fc->nval == 1 && has_any(f0, "@"))
		phrase = true;

	/* ip: the recorded address, else a literal word after the first
	 * token, else the first token itself when it is an address. */
	if (ti.has_ip)
		set_ip(r, &ti.ip, ti.port);
	else {
		struct mt_ip lip;
		long lport = -1;
		enum lit l = fc->lit.p != NULL ?
		    literal(fc->lit, &lip, &lport) : LIT_NONE;

		if (l == LIT_OK)
			set_ip(r, &lip, lport);
		else if (l == LIT_BAD)
			bad_lit(r, fc->lit.p);
		else if (f0lit == LIT_OK)
			set_ip(r, &ip, port);
		if (ti.port >= 0)
			hop->from.port = ti.port;
	}

	/* Exim's local submission "from login (helo=x) by host with
	 * local...": no address recorded, the first token is the login. */
	if (exim && f0.p != NULL && f0lit == LIT_NONE && !phrase &&
	    hop->from.addr.family == 0 && ti.name.p == NULL && r->local)
		local = true;

	/* helo */
	if (fc->claim.p != NULL) {
		struct mt_str q = unquote(fc->claim);

		if (is_hostish(trimr(q, ".")) || literal(q, &ip, &port) !=
		    LIT_NONE)
			hop->from.helo = host(r, q);
	} else if (ti.has_helo) {
		if (ti.helo.p != NULL && ti.helo.len > 0)
			hop->from.helo = host(r, ti.helo);
	} else if (pre.p != NULL && f0lit == LIT_OK && is_hostish(pre))
		hop->from.helo = host(r, pre);	/* Exim 3 "(helo) [ip]" */
	else if (!local && !phrase && f0.p != NULL)
		hop->from.helo = host(r, f0);

	/* rdns: the name in the TCP-info, else (Exim, ZMailer, qmail,
	 * smtpd's "from rdns(ip)[, claiming to be \"helo\"] via SMTP") the
	 * first token when an address was recorded beside it. */
	smtpd = fc->claim.p != NULL || (r->smtpd_via && ti.ip_bare);
	if (rdns_ok(ti.name))
		hop->from.rdns = host(r, ti.name);
	else if ((exim || exim3 || qmail || smtpd) &&
	    !phrase && f0lit == LIT_NONE && rdns_ok(f0) &&
	    hop->from.addr.family != 0 && ti.name.p == NULL)
		hop->from.rdns = host(r, f0);

	/* ident */
	if (ti.ident.p != NULL && ti.ident.len > 0)
		hop->from.ident = dup(r, ti.ident);
	else if (local)
		hop->from.ident = dup(r, f0);
}

/* do_by - the receiving host and the address it wrote for itself. */
static void
do_by(struct rcv *r, struct clause *bc, int bi)
{
	struct mt_hop *hop = r->hop;
	struct mt_ip ip;
	long port = -1;
	size_t i;

	if (bc->nval > 0) {
		enum lit l = any_addr(bc->val[0], &ip, &port);

		if (l == LIT_OK) {
			hop->by.addr = ip;
			hop->by.ip = ipstr(r, &ip);
		} else if (l == LIT_BAD)
			bad_lit(r, bc->val[0].p);
		else
			hop->by.host = host(r, bc->val[0]);
	}
	if (hop->by.addr.family != 0)
		return;
	/* "by NAME (2603:10b6:...)", "by localhost (host [127.0.0.1])" */
	for (i = 0; i < r->nco; i++) {
		struct com *co = &r->co[i];
		struct mt_str c = co->in, t, u;
		size_t k = 0;

		if (co->cl != bi || co->before)
			continue;
		if (ctok(c, &k, &t)) {
			if (any_addr(t, &ip, &port) == LIT_OK ||
			    (ctok(c, &k, &u) &&
			    literal(u, &ip, &port) == LIT_OK &&
			    is_hostish(t))) {
				hop->by.addr = ip;
				hop->by.ip = ipstr(r, &ip);
			}
		}
		break;
	}
}

/* late_words - Courier writes "id X" after the date; read it. */
static void
late_words(struct rcv *r, size_t b)
{
	struct iter it;
	size_t tb, te;
	bool unt, want = false;
	enum tok t;

	iter_init(&it, r->tok, r->ntok, r->p, b, r->len);
	while ((t = iter_next(&it, &tb, &te, &unt)) != T_END) {
		struct mt_str w = mt_str(r->p + tb, te - tb);

		if (t == T_COMMENT) {
			evidence(r, mt_str(r->p + tb + 1, te - tb -
			    (unt ? 1 : 2)));
			continue;
		}
		if (t != T_WORD)
			continue;
		if (want && r->late_id.p == NULL)
			r->late_id = w;
		want = ieq(w, "id");
	}
}

/* date - the timestamp of the text [b, len). */
static bool
date(struct rcv *r, size_t b)
{
	struct mt_date d;
	struct mt_hop *hop = r->hop;
	struct mt_str s = mt_str_trim(mt_str(r->p + b, r->len - b));

	if (s.len == 0) {
		mt_anomaly_add(r->m, MT_AN_RECEIVED_NO_DATE, r->base + r->len);
		return false;
	}
	if (!mt_date_parse(s.p, s.len, &d)) {
		mt_anomaly_add(r->m, MT_AN_RECEIVED_DATE_INVALID,
		    r->base + (size_t)(s.p - r->p));
		return false;
	}
	/* qmail's own layout: no day name, zone -0000 (date822fmt). */
	r->qmail_date = (d.flags & MT_DATE_NO_DAY_NAME) &&
	    (d.flags & MT_DATE_ZONE_UNKNOWN);
	hop->has_time = true;
	hop->time = d.utc;
	hop->utc_offset = d.offset_min;
	hop->time_no_zone = (d.flags & MT_DATE_NO_ZONE) != 0;
	if (d.flags & MT_DATE_NO_ZONE)
		mt_anomaly_add(r->m, MT_AN_DATE_NO_ZONE,
		    r->base + (size_t)(s.p - r->p));
	if (d.flags & (MT_DATE_TWO_DIGIT_YEAR | MT_DATE_OBS_ZONE))
		mt_anomaly_add(r->m, MT_AN_DATE_OBSOLETE,
		    r->base + (size_t)(s.p - r->p));
	return true;
}

/*
 * scan - first pass: the last ';' outside comments and quoted strings
 * (RFC 5321 4.4: the date follows it), the starts of the last words (a
 * date without ';' is looked for among them), and the comment anomalies.
 */
static size_t
scan(struct rcv *r, size_t ring[DATE_RING], size_t *nring)
{
	struct lex lx = { r->p, r->len, 0, SIZE_MAX };
	size_t tb, te, depth, semi = SIZE_MAX;
	bool unt;
	enum tok t;

	*nring = 0;
	r->ntok = 0;
	while ((t = next(&lx, &tb, &te, &depth, &unt)) != T_END) {
		if (r->ntok < TOK_CACHE) {
			r->tok[r->ntok].t = t;
			r->tok[r->ntok].unt = unt;
			r->tok[r->ntok].beg = tb;
			r->tok[r->ntok++].end = te;
		} else
			r->ntok = SIZE_MAX;
		if (t == T_SEMI)
			semi = tb;
		else if (t == T_WORD)
			ring[(*nring)++ % DATE_RING] = tb;
		else if (t == T_COMMENT) {
			if (depth > MT_MAX_COMMENT_DEPTH)
				mt_anomaly_add(r->m, MT_AN_COMMENT_TOO_DEEP,
				    r->base + tb);
			if (unt)
				mt_anomaly_add(r->m,
				    MT_AN_COMMENT_UNTERMINATED, r->base + tb);
		}
	}
	return semi;
}

/* trailing_date - without ';', the offset where a date ending the text
 * starts (SendGrid "id X 2018-03-26 13:35:36.27 +0000 UTC m=+5.7"), or
 * SIZE_MAX.  The earliest of the last words that reads as a date wins. */
static size_t
trailing_date(struct rcv *r, const size_t ring[DATE_RING], size_t nring)
{
	size_t k, n = nring < DATE_RING ? nring : DATE_RING;
	struct mt_date d;

	for (k = 0; k < n; k++) {
		size_t b = ring[(nring - n + k) % DATE_RING];

		if (!mt_is((unsigned char)r->p[b], MT_C_ALPHA | MT_C_DIGIT))
			continue;
		if (mt_date_parse(r->p + b, r->len - b, &d))
			return b;
	}
	return SIZE_MAX;
}

/* mt_rcv_parse - parse one Received field body into hop, see mt.h. */
int
mt_rcv_parse(struct mt_msg *m, const struct mt_field *f, struct mt_hop *hop)
{
	struct rcv *r, rs;
	size_t ring[DATE_RING], nring, semi, cut, i;
	struct clause *fk[KW_COUNT], *fc, *bc, *wc, *c;
	bool dated = false, nosemi = false;

	r = &rs;
	memset(r, 0, offsetof(struct rcv, tok));
	r->m = m;
	r->hop = hop;
	r->p = f->value.p != NULL ? f->value.p : "";
	r->len = f->value.p != NULL ? f->value.len : 0;
	r->base = f->value_offset;
	r->cur = -1;

	hop->parsed = MT_PARSED_UNPARSED;
	hop->from.port = -1;
	hop->tls = MT_NULL;
	hop->auth = MT_NULL;

	/* RFC 5321 4.4: the date follows the last ';'; without one, look
	 * for a date ending the text. */
	semi = scan(r, ring, &nring);
	if (semi != SIZE_MAX) {
		cut = semi;
		clauses(r, 0, cut);
		dated = date(r, cut + 1);
		late_words(r, cut + 1);
	} else if ((cut = trailing_date(r, ring, nring)) != SIZE_MAX) {
		/* Lenient: a date without the ';' RFC 5321 requires is read,
		 * but the field is no longer in the clause grammar. */
		clauses(r, 0, cut);
		dated = date(r, cut);
		nosemi = true;
	} else {
		clauses(r, 0, r->len);
		mt_anomaly_add(r->m, MT_AN_RECEIVED_NO_DATE, r->base + r->len);
	}

	/* An odd word left after extension pairs fits no clause. */
	for (i = 0; i < r->ncl; i++)
		if (r->cl[i].stray || r->cl[i].next % 2 != 0)
			r->junk = true;
	firsts(r, fk);
	fc = fk[KW_FROM];
	bc = fk[KW_BY];
	wc = fk[KW_WITH];
	if (wc != NULL && wc->nval > 0 && istarts(wc->val[0], "local"))
		r->local = true;
	/* smtpd writes "via SMTP" before its by clause; Exchange's "via
	 * Frontend Transport" comes last. */
	if ((c = fk[KW_VIA]) != NULL && c->nval == 1 &&
	    ieq(c->val[0], "SMTP") && bc != NULL && c < bc)
		r->smtpd_via = true;
	if ((c = fk[KW_ID]) != NULL && c->nval > 0 && exim_id(c->val[0]))
		r->exim_mta = true;
	hop->has_from = fc != NULL;
	hop->has_by = bc != NULL;
	if (fc != NULL)
		do_from(r, fc, (int)(fc - r->cl));
	if (bc != NULL)
		do_by(r, bc, (int)(bc - r->cl));
	if (wc != NULL && wc->nval > 0)
		hop->with = collapse(r, wc->vbeg, wc->vend);
	if ((c = fk[KW_VIA]) != NULL && c->nval > 0)
		hop->via = collapse(r, c->vbeg, c->vend);
	if ((c = fk[KW_ID]) != NULL && c->nval > 0)
		hop->id = dup(r, unangle(c->val[0]));
	else if (r->late_id.p != NULL)
		hop->id = dup(r, unangle(r->late_id));
	if ((c = fk[KW_FOR]) != NULL && c->nval > 0)
		hop->for_ = dup(r, unangle(c->val[0]));

	/* TLS and authentication: the words of every with clause, then
	 * what the comments said. */
	for (i = 0; i < r->ncl; i++) {
		size_t k;

		if (r->cl[i].kw != KW_WITH)
			continue;
		for (k = 0; k < r->cl[i].nval && k < 3; k++)
			proto(r, r->cl[i].val[k]);
	}
	hop->tls = r->tls ? MT_TRUE : wc != NULL ? MT_FALSE : MT_NULL;
	hop->auth = r->auth ? MT_TRUE : wc != NULL ? MT_FALSE : MT_NULL;
	hop->auth_user = dup(r, r->auth_user);
	if (r->has_envfrom)
		hop->envelope_from = dup(r, r->envfrom);
	hop->ip_class = mt_ip_classify(&hop->from.addr);

	if (r->ncl == 0)
		hop->parsed = r->junk || r->stray ? MT_PARSED_UNPARSED :
		    r->nco > 0 || dated ? MT_PARSED_COMMENT :
		    MT_PARSED_UNPARSED;
	else if (bc != NULL && dated && !nosemi && !r->junk && !r->stray &&
	    !r->truncated && !r->bad_lit)
		hop->parsed = MT_PARSED_FULL;
	else
		hop->parsed = MT_PARSED_PARTIAL;
	return m->arena.failed ? -1 : 0;
}
