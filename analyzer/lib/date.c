/*
 * date.c - the one date parser: the Date field, the mbox "From " line and
 * the timestamp after the last ';' of a Received field.
 *
 * It reads RFC 5322 section 3.3 date-time with the obsolete syntax of
 * section 4.3 (two- and three-digit years, named and military zones, CFWS
 * between any two tokens), and the other layouts real mail carries:
 * asctime as in mbox "From " lines, ISO 8601 / RFC 3339, Go's
 * time.String(), month-first and all-numeric dates written by broken
 * mailers.  Leniency is never silent: each departure from RFC 5322 sets a
 * flag (MT_DATE_*), and the caller turns flags into anomalies.
 *
 * The instant is computed with days-from-civil arithmetic: no mktime(), no
 * timegm(), no locale, no zone database.  Input is a byte slice that may
 * hold NUL and 8-bit bytes; nothing is read past len and nothing is
 * allocated.  Work is linear in the bytes before the end of the zone;
 * whatever follows a complete date is not looked at.
 */
#include <stdio.h>
#include <string.h>

#include "mt.h"

/* Longest name we match ("september", "wednesday") plus room to tell a
 * longer word from it. */
#define WORD_MAX 12

/* The date being read, before checks. */
struct dt {
	int		 year, ydigits, mon, day;
	int		 hour, min, sec;
	int		 wday;		/* 0 = Sunday, -1 when no day name */
	int		 off;		/* minutes east of UTC */
	bool		 has_zone;
	unsigned	 flags;
};

static const char *const mon_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const day_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

/*
 * Zone names.  RFC 5322 section 4.3 defines UT, GMT and the eight North
 * American names; everything after them is not in any RFC but is common in
 * real mail (usually as a comment after a numeric zone, sometimes alone).
 * Several are ambiguous; we take the meaning most often seen in mail and
 * say so.  All of them set MT_DATE_OBS_ZONE, so a reader knows the offset
 * came from a name.
 */
static const struct zone {
	const char	*name;
	int		 off;		/* minutes east of UTC */
} zones[] = {
	/* RFC 5322 4.3 obs-zone */
	{ "ut", 0 }, { "gmt", 0 },
	{ "est", -300 }, { "edt", -240 },
	{ "cst", -360 }, { "cdt", -300 },	/* CST: not China (+0800) */
	{ "mst", -420 }, { "mdt", -360 },
	{ "pst", -480 }, { "pdt", -420 },
	/* common, not standardised */
	{ "utc", 0 }, { "wet", 0 }, { "west", 60 },
	{ "bst", 60 },		/* British Summer, not Bangladesh (+0600) */
	{ "cet", 60 }, { "cest", 120 }, { "met", 60 }, { "mest", 120 },
	{ "metdst", 120 }, { "mez", 60 }, { "mesz", 120 },
	{ "eet", 120 }, { "eest", 180 }, { "eetdst", 180 },
	{ "msk", 180 },		/* Moscow since 2014 (+0400 in 2011-2014) */
	{ "msd", 240 },
	{ "ist", 330 },		/* India, not Ireland (+0100), Israel (+0200) */
	{ "pkt", 300 }, { "npt", 345 }, { "ict", 420 }, { "wib", 420 },
	{ "hkt", 480 }, { "sgt", 480 }, { "awst", 480 },
	{ "pht", 480 },		/* Philippines */
	{ "jst", 540 }, { "kst", 540 },
	{ "acst", 570 }, { "acdt", 630 }, { "aest", 600 }, { "aedt", 660 },
	{ "nzst", 720 }, { "nzdt", 780 },
	{ "wat", 60 }, { "cat", 120 }, { "sast", 120 }, { "eat", 180 },
	{ "akst", -540 }, { "akdt", -480 }, { "hst", -600 },
	{ "ast", -240 },	/* Atlantic, not Arabia (+0300) */
	{ "adt", -180 }, { "nst", -210 }, { "ndt", -150 },
	{ "brt", -180 }, { "art", -180 },
};

/* comment - skip an RFC 5322 comment starting at '(' (nested, with
 * quoted-pairs); an unterminated one runs to the end. */
static void
comment(struct mt_cur *c)
{
	size_t depth = 0;

	while (c->pos < c->len) {
		int ch = (unsigned char)c->p[c->pos++];

		if (ch == '\\') {
			if (c->pos < c->len)
				c->pos++;
		} else if (ch == '(')
			depth++;
		else if (ch == ')' && depth > 0 && --depth == 0)
			return;
	}
}

/* sep - skip CFWS between tokens: SP, HTAB, CR and LF anywhere (folding,
 * RFC 5322 3.2.2), comments, and commas.  Lenient: RFC 5322 allows a comma
 * only after the day name; mailers put them elsewhere too. */
static void
sep(struct mt_cur *c)
{
	while (c->pos < c->len) {
		int ch = (unsigned char)c->p[c->pos];

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
		    ch == ',')
			c->pos++;
		else if (ch == '(')
			comment(c);
		else
			break;
	}
}

/* isdig - is the byte ahead of the cursor a digit. */
static bool
isdig(const struct mt_cur *c, size_t ahead)
{
	return mt_is(mt_cur_peek_at(c, ahead), MT_C_DIGIT);
}

/* isalph - is the byte ahead of the cursor a letter. */
static bool
isalph(const struct mt_cur *c, size_t ahead)
{
	return mt_is(mt_cur_peek_at(c, ahead), MT_C_ALPHA);
}

/* digits - consume a run of digits and return its length; *v is its value
 * when the run has at most 9 digits (so it never overflows), and callers
 * check the length before they use it. */
static size_t
digits(struct mt_cur *c, int *v)
{
	size_t n = 0;
	int acc = 0;

	while (c->pos < c->len &&
	    mt_is((unsigned char)c->p[c->pos], MT_C_DIGIT)) {
		if (n < 9)
			acc = acc * 10 + (c->p[c->pos] - '0');
		n++;
		c->pos++;
	}
	*v = acc;
	return n;
}

/* word - consume a run of letters and return its length; buf gets it in
 * lower case when it fits, else "". */
static size_t
word(struct mt_cur *c, char buf[WORD_MAX])
{
	size_t n = 0;

	while (c->pos < c->len &&
	    mt_is((unsigned char)c->p[c->pos], MT_C_ALPHA)) {
		if (n + 1 < WORD_MAX)
			buf[n] = (char)mt_lower((unsigned char)c->p[c->pos]);
		n++;
		c->pos++;
	}
	buf[n + 1 < WORD_MAX ? n : 0] = '\0';
	return n;
}

/* lookup - index of a day or month name: the three-letter abbreviation,
 * the full name, or (leniently) any prefix between them such as "Sept",
 * "Tues", "Thurs"; -1 if none.  *longer says it was not three letters. */
static int
lookup(const char *w, size_t n, const char *const *names, int count,
    bool *longer)
{
	int i;

	for (i = 0; i < count; i++)
		if (n >= 3 && n <= strlen(names[i]) &&
		    memcmp(w, names[i], n) == 0) {
			*longer = n != 3;
			return i;
		}
	return -1;
}

/* dot - skip one '.' right after a name ("Mar. 18"). */
static void
dot(struct mt_cur *c)
{
	if (mt_cur_peek(c) == '.')
		c->pos++;
}

/* year - record a year of 2 to 4 digits; the obsolete short forms are
 * widened in finish(). */
static bool
year(struct dt *t, int v, size_t n)
{
	if (n < 2 || n > 4)
		return false;
	t->year = v;
	t->ydigits = (int)n;
	return true;
}

/* hms - hour ":" minute [":" second] with an optional fraction (dropped).
 * Lenient: one-digit fields and "09.14.00" are read and flagged. */
static bool
hms(struct mt_cur *c, struct dt *t)
{
	int h, m, s = 0, f;
	size_t nh, nm, ns = 2;
	int sc;

	nh = digits(c, &h);
	if (nh < 1 || nh > 2)
		return false;
	sc = mt_cur_peek(c);
	if ((sc != ':' && sc != '.') || !isdig(c, 1))
		return false;
	c->pos++;
	nm = digits(c, &m);
	if (nm < 1 || nm > 2)
		return false;
	if (mt_cur_peek(c) == sc && isdig(c, 1)) {
		c->pos++;
		ns = digits(c, &s);
		if (ns < 1 || ns > 2)
			return false;
	} else
		t->flags |= MT_DATE_NO_SECONDS;
	if (sc == ':' && mt_cur_peek(c) == '.' && isdig(c, 1)) {
		/* Fractional seconds (ISO 8601, Go): dropped. */
		c->pos++;
		(void)digits(c, &f);
		t->flags |= MT_DATE_OTHER_FORM;
	}
	if (sc == '.' || nh != 2 || nm != 2 || ns != 2)
		t->flags |= MT_DATE_OTHER_FORM;
	t->hour = h;
	t->min = m;
	t->sec = s;
	return true;
}

/* ampm - an optional "AM", "PM", "a.m." or "p.m." after the time (seen in
 * Received lines of some Windows mailers); turned into a 24-hour clock. */
static void
ampm(struct mt_cur *c, struct dt *t)
{
	size_t save = c->pos, i = 1;
	int ch;

	sep(c);
	ch = mt_lower(mt_cur_peek(c));
	if (ch != 'a' && ch != 'p')
		goto none;
	if (mt_cur_peek_at(c, i) == '.')
		i++;
	if (mt_lower(mt_cur_peek_at(c, i)) != 'm')
		goto none;
	i++;
	if (mt_cur_peek_at(c, i) == '.')
		i++;
	if (isalph(c, i))
		goto none;
	c->pos += i;
	t->flags |= MT_DATE_OTHER_FORM;
	/* Lenient: "13:05 PM" and "0:05 AM" keep the hour as written. */
	if (t->hour >= 1 && t->hour <= 12) {
		if (ch == 'p' && t->hour != 12)
			t->hour += 12;
		else if (ch == 'a' && t->hour == 12)
			t->hour = 0;
	}
	return;
none:
	c->pos = save;
}

/* numzone - a numeric zone at a sign: "+HHMM", "+HH:MM", and "+HH" where
 * hours_only allows it (ISO 8601, "GMT+1").  Returns 1 when read, 0 when
 * the sign starts no zone, -1 for an impossible zone. */
static int
numzone(struct mt_cur *c, struct dt *t, bool iso, bool named)
{
	int sign, v, hh, mm = 0;
	size_t n;

	sign = mt_cur_peek(c) == '-' ? -1 : 1;
	c->pos++;
	if ((mt_cur_peek(c) == '+' || mt_cur_peek(c) == '-') && isdig(c, 1)) {
		/* "+-0500" from a broken formatter: the second sign wins. */
		sign = mt_cur_peek(c) == '-' ? -1 : 1;
		c->pos++;
		t->flags |= MT_DATE_OTHER_FORM;
	}
	if (!isdig(c, 0))
		return 0;
	n = digits(c, &v);
	if (n == 4) {
		hh = v / 100;
		mm = v % 100;
	} else if (n <= 2 && mt_cur_peek(c) == ':' && isdig(c, 1) &&
	    isdig(c, 2) && !isdig(c, 3)) {
		/* "+08:00", RFC 3339; not RFC 5322 outside ISO dates. */
		c->pos++;
		hh = v;
		(void)digits(c, &mm);
		if (!iso)
			t->flags |= MT_DATE_OTHER_FORM;
	} else if (n <= 2 && (iso || named))
		hh = v;
	else
		return -1;
	/* RFC 5322 3.3: minutes below 60; we allow up to 24 hours. */
	if (mm >= 60 || hh * 60 + mm > 24 * 60)
		return -1;
	t->off = sign * (hh * 60 + mm);
	/* RFC 5322 3.3: "-0000" says the local zone is not known. */
	if (sign < 0 && t->off == 0 && !named)
		t->flags |= MT_DATE_ZONE_UNKNOWN;
	return 1;
}

/* namezone - a zone name or military letter (RFC 5322 4.3).  Returns 1
 * when read, 0 when the word is no zone, -1 for an impossible offset. */
static int
namezone(struct mt_cur *c, struct dt *t, bool iso)
{
	char w[WORD_MAX];
	size_t n, i;
	int nx;

	n = word(c, w);
	nx = mt_cur_peek(c);
	if ((nx == '+' || nx == '-') && isdig(c, 1) &&
	    (strcmp(w, "gmt") == 0 || strcmp(w, "utc") == 0 ||
	    strcmp(w, "ut") == 0)) {
		/* "GMT+1", "UTC+08:00": not RFC 5322 but unambiguous. */
		t->flags |= MT_DATE_OBS_ZONE | MT_DATE_OTHER_FORM;
		return numzone(c, t, iso, true);
	}
	if (mt_is(nx, MT_C_DIGIT))
		return 0;		/* "EST5EDT", "id123": not a zone */
	t->off = 0;
	if (n == 1 && w[0] == 'z') {
		/* Z is +0000 whatever sign RFC 822 meant, and it is the
		 * RFC 3339 way to say UTC. */
		if (!iso)
			t->flags |= MT_DATE_OBS_ZONE;
		return 1;
	}
	if (n == 1) {
		/* RFC 5322 4.3: RFC 822 got the military zones' signs wrong,
		 * so they "SHOULD all be considered equivalent to -0000". */
		t->flags |= MT_DATE_OBS_ZONE | MT_DATE_ZONE_UNKNOWN;
		return 1;
	}
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(w, zones[i].name) == 0) {
			t->off = zones[i].off;
			t->flags |= MT_DATE_OBS_ZONE;
			return 1;
		}
	/* RFC 5322 4.3: other alphabetic zones (usually 3 to 5 letters)
	 * whose meaning is not known are -0000.  A longer word is text. */
	if (n <= 6) {
		t->flags |= MT_DATE_OBS_ZONE | MT_DATE_ZONE_UNKNOWN;
		return 1;
	}
	return 0;
}

/* zone - an optional zone after the time.  Returns 1 when read, 0 when
 * there is none (the cursor is left where it was), -1 for a zone that is
 * there but impossible ("+2500", "+0960", "+530"). */
static int
zone(struct mt_cur *c, struct dt *t, bool iso)
{
	size_t save = c->pos;
	int ch, r = 0;

	sep(c);
	ch = mt_cur_peek(c);
	if (ch == '+' || ch == '-')
		r = numzone(c, t, iso, false);
	else if (mt_is(ch, MT_C_ALPHA))
		r = namezone(c, t, iso);
	if (r == 0)
		c->pos = save;
	else if (r > 0)
		t->has_zone = true;
	return r;
}

/* tail - what follows the time in most layouts: AM/PM, then a zone. */
static bool
tail(struct mt_cur *c, struct dt *t, bool iso)
{
	ampm(c, t);
	return zone(c, t, iso) >= 0;
}

/* time_ahead - does a time ("15:05") start at the cursor. */
static bool
time_ahead(const struct mt_cur *c)
{
	size_t i = 0;

	while (i < 3 && isdig(c, i))
		i++;
	return i >= 1 && i <= 2 && mt_cur_peek_at(c, i) == ':';
}

/* day_first - RFC 5322: day month year time [zone], the day already read.
 * Lenient: "18-Mar-2003" (RFC 850, HTTP) is read and flagged. */
static bool
day_first(struct mt_cur *c, struct dt *t, int v, size_t n)
{
	char w[WORD_MAX];
	size_t wn;
	bool longer, dash = false;

	if (n < 1 || n > 2)
		return false;
	t->day = v;
	if (mt_cur_peek(c) == '-' && isalph(c, 1)) {
		c->pos++;
		dash = true;
		t->flags |= MT_DATE_OTHER_FORM;
	} else
		sep(c);
	wn = word(c, w);
	if ((t->mon = lookup(w, wn, mon_names, 12, &longer) + 1) == 0)
		return false;
	if (longer)
		t->flags |= MT_DATE_OTHER_FORM;
	dot(c);
	if (dash && mt_cur_peek(c) == '-')
		c->pos++;
	else
		sep(c);
	n = digits(c, &v);
	if (!year(t, v, n))
		return false;
	sep(c);
	if (!hms(c, t))
		return false;
	return tail(c, t, false);
}

/* month_first - the month already read: asctime "Aug 22 15:05:07 [zone]
 * 2002 [zone]" as in mbox "From " lines, or "Aug, 29 2002 12:25:04 PM
 * +0600" and JavaScript's "Mar 18 2003 09:14:00 GMT-0800". */
static bool
month_first(struct mt_cur *c, struct dt *t)
{
	size_t n;
	int v, z;

	t->flags |= MT_DATE_OTHER_FORM;
	dot(c);
	sep(c);
	n = digits(c, &v);
	if (n < 1 || n > 2)
		return false;
	t->day = v;
	sep(c);
	if (time_ahead(c)) {
		if (!hms(c, t))
			return false;
		ampm(c, t);
		if (zone(c, t, false) < 0)
			return false;
		sep(c);
		n = digits(c, &v);
		if (!year(t, v, n))
			return false;
		z = t->has_zone ? 0 : zone(c, t, false);
		return z >= 0;
	}
	n = digits(c, &v);
	if (!year(t, v, n))
		return false;
	sep(c);
	if (!hms(c, t))
		return false;
	return tail(c, t, false);
}

/*
 * numeric - all-numeric dates, the first number (a, na digits) already
 * read: ISO 8601 "2018-03-26[T ]13:35:36[.frac][Z|+hh:mm]", Go's
 * "2018-03-26 13:35:36.27 +0000 UTC m=+5.7", "2002/09/14 Sat 13:06:03",
 * and "26/08/2002 09:28:01".  In the last, day and month are told apart
 * only when one is above 12: "04/05/2003" is refused, not guessed.
 */
static bool
numeric(struct mt_cur *c, struct dt *t, int a, size_t na)
{
	char w[WORD_MAX];
	int sc, b, e;
	size_t nb, ne, wn;
	bool iso = false, longer;

	t->flags |= MT_DATE_OTHER_FORM;
	sc = mt_cur_peek(c);
	c->pos++;
	nb = digits(c, &b);
	if (nb < 1 || nb > 2 || mt_cur_peek(c) != sc || !isdig(c, 1))
		return false;
	c->pos++;
	ne = digits(c, &e);
	if (na == 4 && ne >= 1 && ne <= 2) {
		(void)year(t, a, na);
		t->mon = b;
		t->day = e;
		iso = sc == '-';
	} else if (na <= 2 && (ne == 2 || ne == 4)) {
		(void)year(t, e, ne);
		if (a > 12 && b <= 12) {
			t->day = a;
			t->mon = b;
		} else if (b > 12 && a <= 12) {
			t->mon = a;
			t->day = b;
		} else if (a == b)
			t->mon = t->day = a;
		else
			return false;
	} else
		return false;
	if ((mt_cur_peek(c) == 'T' || mt_cur_peek(c) == 't') && isdig(c, 1))
		c->pos++;
	else {
		sep(c);
		if (isalph(c, 0)) {
			wn = word(c, w);
			t->wday = lookup(w, wn, day_names, 7, &longer);
			if (t->wday < 0)
				return false;
			dot(c);
			sep(c);
		}
	}
	if (!hms(c, t))
		return false;
	return tail(c, t, iso);
}

/* parse - the layout is told by the first tokens: a day name, a month name
 * (month first), a number and a date separator (numeric), or a day. */
static bool
parse(struct mt_cur *c, struct dt *t)
{
	char w[WORD_MAX];
	size_t n;
	int v, ch;
	bool longer;

	sep(c);
	if (isalph(c, 0)) {
		n = word(c, w);
		t->wday = lookup(w, n, day_names, 7, &longer);
		if (t->wday >= 0) {
			if (longer)
				t->flags |= MT_DATE_OTHER_FORM;
			dot(c);
			sep(c);
			if (!isalph(c, 0))
				goto number;
			n = word(c, w);
		}
		if ((t->mon = lookup(w, n, mon_names, 12, &longer) + 1) == 0)
			return false;
		if (longer)
			t->flags |= MT_DATE_OTHER_FORM;
		return month_first(c, t);
	}
number:
	if (!isdig(c, 0))
		return false;
	n = digits(c, &v);
	ch = mt_cur_peek(c);
	if ((ch == '-' || ch == '/' || ch == '.') && isdig(c, 1))
		return numeric(c, t, v, n);
	return day_first(c, t, v, n);
}

/* leap - Gregorian leap year. */
static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* days_from_civil - days since 1970-01-01 of a proleptic Gregorian date
 * (the era arithmetic of H. Hinnant's chrono algorithms). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* finish - widen the year, check every field and compute the instant. */
static bool
finish(struct dt *t, struct mt_date *d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int64_t days;
	int wd;

	/* RFC 5322 4.3: a two-digit year below 50 is 20xx, else 19xx; a
	 * three-digit year gets 1900 added.  Both set TWO_DIGIT_YEAR. */
	if (t->ydigits == 2) {
		t->year += t->year < 50 ? 2000 : 1900;
		t->flags |= MT_DATE_TWO_DIGIT_YEAR;
	} else if (t->ydigits == 3) {
		t->year += 1900;
		t->flags |= MT_DATE_TWO_DIGIT_YEAR;
	} else if (t->year >= 100 && t->year < 1000) {
		/* Lenient: "0102" is struct tm's tm_year printed with %04d by
		 * some bulk mailers of 2002; read like a three-digit year. */
		t->year += 1900;
		t->flags |= MT_DATE_TWO_DIGIT_YEAR | MT_DATE_OTHER_FORM;
	}
	if (t->year < 1900 || t->year > 9999 || t->mon < 1 || t->mon > 12 ||
	    t->day < 1 || t->hour > 23 || t->min > 59 || t->sec > 60)
		return false;
	if (t->day > mdays[t->mon - 1] +
	    (t->mon == 2 && leap(t->year) ? 1 : 0))
		return false;
	days = days_from_civil(t->year, t->mon, t->day);
	/* 1970-01-01 was a Thursday; days may be negative before it. */
	wd = (int)(((days % 7) + 7 + 4) % 7);
	if (t->wday >= 0 && t->wday != wd)
		t->flags |= MT_DATE_DAY_MISMATCH;
	if (t->wday < 0)
		t->flags |= MT_DATE_NO_DAY_NAME;
	if (!t->has_zone) {
		/* Wall-clock time read as if it were UTC; the caller flags
		 * it (never silently taken as UTC). */
		t->off = 0;
		t->flags |= MT_DATE_NO_ZONE;
	}
	/* A leap second 60 simply lands on the next minute's 00. */
	d->utc = days * 86400 + t->hour * 3600 + t->min * 60 + t->sec -
	    (int64_t)t->off * 60;
	d->offset_min = t->off;
	d->flags = t->flags | MT_DATE_OK;
	return true;
}

/* mt_date_parse - read one date-time, see mt.h. */
bool
mt_date_parse(const char *p, size_t len, struct mt_date *d)
{
	struct mt_cur c;
	struct dt t;

	memset(d, 0, sizeof(*d));
	if (p == NULL || len == 0)
		return false;
	memset(&t, 0, sizeof(t));
	t.wday = -1;
	mt_cur_init(&c, p, len);
	if (!parse(&c, &t) || !finish(&t, d)) {
		memset(d, 0, sizeof(*d));
		return false;
	}
	return true;
}

/* mt_date_format_utc - "2003-03-18T22:14:00Z", see mt.h. */
void
mt_date_format_utc(int64_t utc, char *buf, size_t len)
{
	int64_t days, secs, z, era, doe, yoe, y, doy, mp, dd, mm;

	if (buf == NULL || len == 0)
		return;
	/* Floor division, so times before 1970 come out right. */
	days = utc / 86400;
	secs = utc % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days, the inverse of days_from_civil(). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	y += mm <= 2;
	if (y >= 0 && y <= 9999 && len >= 21) {
		/* The usual case without printf (records write one per
		 * hop); the same text as the format below. */
		int64_t f[6] = { y, mm, dd, secs / 3600, secs / 60 % 60,
		    secs % 60 };
		static const char sepch[6] = { '-', '-', 'T', ':', ':', 'Z' };
		size_t i, o = 0;

		buf[o++] = (char)('0' + y / 1000);
		buf[o++] = (char)('0' + y / 100 % 10);
		buf[o++] = (char)('0' + y / 10 % 10);
		buf[o++] = (char)('0' + y % 10);
		for (i = 1; i < 6; i++) {
			buf[o++] = sepch[i - 1];
			buf[o++] = (char)('0' + f[i] / 10);
			buf[o++] = (char)('0' + f[i] % 10);
		}
		buf[o++] = sepch[5];
		buf[o] = '\0';
		return;
	}
	snprintf(buf, len, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
	    (long long)y, (long long)mm, (long long)dd,
	    (long long)(secs / 3600), (long long)(secs / 60 % 60),
	    (long long)(secs % 60));
}

/* mt_date_format_offset - "-0800", "+0530", see mt.h. */
void
mt_date_format_offset(int offset_min, char *buf, size_t len)
{
	long long a = offset_min;

	if (buf == NULL || len == 0)
		return;
	if (a < 0)
		a = -a;
	if (a < 100 * 60 && len >= 6) {
		buf[0] = offset_min < 0 ? '-' : '+';
		buf[1] = (char)('0' + a / 600);
		buf[2] = (char)('0' + a / 60 % 10);
		buf[3] = (char)('0' + a % 60 / 10);
		buf[4] = (char)('0' + a % 10);
		buf[5] = '\0';
		return;
	}
	snprintf(buf, len, "%c%02lld%02lld", offset_min < 0 ? '-' : '+',
	    a / 60, a % 60);
}
