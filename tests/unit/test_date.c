/*
 * test_date.c - the date parser: a table of real and edge-case dates, a
 * day-by-day sweep of 1900..9999, truncation and mutation of every row in
 * exact-size buffers (so a read past len trips the sanitizer), and a scan
 * of every Date, Received timestamp and mbox "From " line of the shared
 * corpus when it is present.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mt.h"
#include "t.h"

#define NZ MT_DATE_NO_ZONE
#define OZ MT_DATE_OBS_ZONE
#define Y2 MT_DATE_TWO_DIGIT_YEAR
#define NS MT_DATE_NO_SECONDS
#define ND MT_DATE_NO_DAY_NAME
#define ZU MT_DATE_ZONE_UNKNOWN
#define DM MT_DATE_DAY_MISMATCH
#define OF MT_DATE_OTHER_FORM
#define ALL (NZ | OZ | Y2 | NS | ND | ZU | DM | OF)

struct row {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	bool		 ok;
	const char	*utc;		/* want, or NULL when !ok */
	const char	*off;
	unsigned	 flags;		/* all of these set */
	unsigned	 noflags;	/* none of these set */
};

#define BAD(s) { (s), 0, false, NULL, NULL, 0, 0 }

static const struct row rows[] = {
	/* RFC 5322 3.3 */
	{ "Tue, 18 Mar 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "18 Mar 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", ND, ALL & ~ND },
	{ "Wed, 18 Mar 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", DM, ND },
	{ "Tue, 8 Mar 2005 09:14:00 +0000", 0, true,
	    "2005-03-08T09:14:00Z", "+0000", 0, ALL },
	{ "Tue, 08 Mar 2005 09:14:00 +0000", 0, true,
	    "2005-03-08T09:14:00Z", "+0000", 0, ALL },
	{ "tue, 18 mar 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "TUE, 18 MAR 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Thu, 29 Feb 2024 23:59:59 +0000", 0, true,
	    "2024-02-29T23:59:59Z", "+0000", 0, ALL },
	{ "Tue, 29 Feb 2000 00:00:00 +0000", 0, true,
	    "2000-02-29T00:00:00Z", "+0000", 0, ALL },
	{ "Mon, 1 Jan 1900 00:00:00 +0000", 0, true,
	    "1900-01-01T00:00:00Z", "+0000", 0, ALL },
	{ "1 Jan 1900 00:00:00 +0100", 0, true,
	    "1899-12-31T23:00:00Z", "+0100", ND, DM },
	{ "Fri, 31 Dec 9999 23:59:59 +0000", 0, true,
	    "9999-12-31T23:59:59Z", "+0000", 0, ALL },
	/* RFC 5322 4.3 obsolete years */
	{ "Tue, 18 Mar 03 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", Y2, DM | OF },
	{ "18 Mar 99 09:14:00 -0800", 0, true,
	    "1999-03-18T17:14:00Z", "-0800", Y2 | ND, OF },
	{ "Fri, 31 Dec 49 12:00:00 +0000", 0, true,
	    "2049-12-31T12:00:00Z", "+0000", Y2, DM },
	{ "Sun, 1 Jan 50 12:00:00 +0000", 0, true,
	    "1950-01-01T12:00:00Z", "+0000", Y2, DM },
	{ "18 Mar 00 09:14:00 +0000", 0, true,
	    "2000-03-18T09:14:00Z", "+0000", Y2, 0 },
	{ "Tue, 18 Mar 103 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", Y2, DM },
	{ "Sat, 27 Jul 0102 04:38:14 +0300", 0, true,
	    "2002-07-27T01:38:14Z", "+0300", Y2 | OF, DM },
	/* seconds */
	{ "18 Mar 2003 09:14 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", NS | ND, OF },
	{ "Tue, 18 Mar 2003 23:59:60 +0000", 0, true,
	    "2003-03-19T00:00:00Z", "+0000", 0, ALL },
	{ "Sat, 31 Dec 2016 23:59:60 +0000", 0, true,
	    "2017-01-01T00:00:00Z", "+0000", 0, ALL },
	/* folding, whitespace, commas, comments, trailing text */
	{ "Tue,\r\n 18 Mar 2003\r\n 09:14:00\r\n -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue,\n 18 Mar 2003\n\t09:14:00\n -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18\r\n\tMar\r\n 2003 09:14:00 -0800\r\n", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "  Tue,   18   Mar   2003   09:14:00    -0800  ", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue,18 Mar 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "18 Mar 2003, 09:14 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", NS | ND, 0 },
	{ "Tue, 18 Mar 2003 09:14:00 -0800 (PST)", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0800 (Pacific Standard Time)", 0,
	    true, "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0800 (PST) (envelope-from <a@b.c>)",
	    0, true, "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0800 trailing junk \x01\xff", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "(sent) Tue, (the day) 18 Mar 2003 (x(nested)y) 09:14:00 -0800", 0,
	    true, "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0800\0junk", 36, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0800", 25, true,
	    "2003-03-18T09:14:00Z", "+0000", NZ, OZ | ZU },
	/* numeric zones */
	{ "Tue, 18 Mar 2003 09:14:00 +0530", 0, true,
	    "2003-03-18T03:44:00Z", "+0530", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -0330", 0, true,
	    "2003-03-18T12:44:00Z", "-0330", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +0545", 0, true,
	    "2003-03-18T03:29:00Z", "+0545", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +1245", 0, true,
	    "2003-03-17T20:29:00Z", "+1245", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +1300", 0, true,
	    "2003-03-17T20:14:00Z", "+1300", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +1400", 0, true,
	    "2003-03-17T19:14:00Z", "+1400", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 -1200", 0, true,
	    "2003-03-18T21:14:00Z", "-1200", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +2400", 0, true,
	    "2003-03-17T09:14:00Z", "+2400", 0, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 -0000", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", ZU, OZ | NZ },
	{ "Tue, 18 Mar 2003 09:14:00 +0000", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00+0100", 0, true,
	    "2003-03-18T08:14:00Z", "+0100", 0, ALL },
	{ "Tue, 18 Mar 2003 09:14:00 +08:00", 0, true,
	    "2003-03-18T01:14:00Z", "+0800", OF, OZ | ZU },
	{ "Mon, 02 Sep 2002 01:10:39 -08:00", 0, true,
	    "2002-09-02T09:10:39Z", "-0800", OF, OZ | ZU | DM },
	{ "Tue, 24 Sep 2002 10:39:13 +-0500", 0, true,
	    "2002-09-24T15:39:13Z", "-0500", OF, DM },
	{ "Sun, 09 Jun 2024 22:42:03 +0000-62495-238", 0, true,
	    "2024-06-09T22:42:03Z", "+0000", 0, ALL },
	/* RFC 5322 4.3 named zones */
	{ "Tue, 18 Mar 2003 09:14:00 UT", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ, ZU | NZ },
	{ "Tue, 18 Mar 2003 09:14:00 GMT", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ, ZU | NZ },
	{ "Tue, 18 Mar 2003 09:14:00 utc", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ, ZU | NZ },
	{ "Tue, 18 Mar 2003 09:14:00 Z", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ, ZU | NZ },
	{ "Tue, 18 Mar 2003 09:14:00 EST", 0, true,
	    "2003-03-18T14:14:00Z", "-0500", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 EDT", 0, true,
	    "2003-03-18T13:14:00Z", "-0400", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 CST", 0, true,
	    "2003-03-18T15:14:00Z", "-0600", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 CDT", 0, true,
	    "2003-03-18T14:14:00Z", "-0500", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 MST", 0, true,
	    "2003-03-18T16:14:00Z", "-0700", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 MDT", 0, true,
	    "2003-03-18T15:14:00Z", "-0600", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 pst", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 PDT", 0, true,
	    "2003-03-18T16:14:00Z", "-0700", OZ, ZU },
	/* military letters: RFC 5322 4.3, treated as -0000 */
	{ "Tue, 18 Mar 2003 09:14:00 A", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ | ZU, NZ },
	{ "Tue, 18 Mar 2003 09:14:00 m", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ | ZU, NZ },
	{ "Tue, 18 Mar 2003 09:14:00 N", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ | ZU, NZ },
	{ "Tue, 18 Mar 2003 09:14:00 Y", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ | ZU, NZ },
	/* common non-standard names */
	{ "Tue, 18 Mar 2003 09:14:00 CET", 0, true,
	    "2003-03-18T08:14:00Z", "+0100", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 CEST", 0, true,
	    "2003-03-18T07:14:00Z", "+0200", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 BST", 0, true,
	    "2003-03-18T08:14:00Z", "+0100", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 JST", 0, true,
	    "2003-03-18T00:14:00Z", "+0900", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 KST", 0, true,
	    "2003-03-18T00:14:00Z", "+0900", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 HKT", 0, true,
	    "2003-03-18T01:14:00Z", "+0800", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 SGT", 0, true,
	    "2003-03-18T01:14:00Z", "+0800", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 MSK", 0, true,
	    "2003-03-18T06:14:00Z", "+0300", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 EET", 0, true,
	    "2003-03-18T07:14:00Z", "+0200", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 EEST", 0, true,
	    "2003-03-18T06:14:00Z", "+0300", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 WET", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 WEST", 0, true,
	    "2003-03-18T08:14:00Z", "+0100", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 IST", 0, true,
	    "2003-03-18T03:44:00Z", "+0530", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 NZST", 0, true,
	    "2003-03-17T21:14:00Z", "+1200", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 NZDT", 0, true,
	    "2003-03-17T20:14:00Z", "+1300", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 AEST", 0, true,
	    "2003-03-17T23:14:00Z", "+1000", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 AEDT", 0, true,
	    "2003-03-17T22:14:00Z", "+1100", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 METDST", 0, true,
	    "2003-03-18T07:14:00Z", "+0200", OZ, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 XYZT", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OZ | ZU, NZ },
	{ "Tue, 18 Mar 2003 09:14:00 GMT+1", 0, true,
	    "2003-03-18T08:14:00Z", "+0100", OZ | OF, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 GMT-0500", 0, true,
	    "2003-03-18T14:14:00Z", "-0500", OZ | OF, ZU },
	{ "Tue, 18 Mar 2003 09:14:00 UTC+05:30", 0, true,
	    "2003-03-18T03:44:00Z", "+0530", OZ | OF, ZU },
	/* no zone: wall clock read as UTC, flagged */
	{ "Tue, 18 Mar 2003 09:14:00", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", NZ, OZ | ZU | OF },
	{ "Tue, 18 Mar 2003 09:14:00 (PST)", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", NZ, OZ | ZU },
	{ "Tue, 18 Mar 2003 09:14:00 something-long", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", NZ, OZ | ZU },
	/* asctime and mbox "From " lines */
	{ "Thu Aug 22 15:05:07 2002", 0, true,
	    "2002-08-22T15:05:07Z", "+0000", NZ | OF, DM | ND | OZ },
	{ "Thu Aug  3 02:27:50 2023", 0, true,
	    "2023-08-03T02:27:50Z", "+0000", NZ | OF, DM | ND },
	{ "Thu Aug 22 15:05:07 PDT 2002", 0, true,
	    "2002-08-22T22:05:07Z", "-0700", OZ | OF, NZ | DM },
	{ "Thu Aug 22 15:05:07 2002 -0700", 0, true,
	    "2002-08-22T22:05:07Z", "-0700", OF, NZ | DM | OZ },
	{ "Thu Aug 22 15:05:07 +0200 2002", 0, true,
	    "2002-08-22T13:05:07Z", "+0200", OF, NZ | DM },
	{ "Sun Jul 29 11:34:20 2001", 0, true,
	    "2001-07-29T11:34:20Z", "+0000", NZ | OF, DM },
	{ "Aug 22 15:05:07 2002", 0, true,
	    "2002-08-22T15:05:07Z", "+0000", NZ | OF | ND, DM },
	{ "Thu Jan 1 00:00:00 1970", 0, true,
	    "1970-01-01T00:00:00Z", "+0000", NZ | OF, DM },
	{ "Fri Aug 22 15:05:07 2002", 0, true,
	    "2002-08-22T15:05:07Z", "+0000", NZ | OF | DM, 0 },
	{ "Thu Aug 22 15:05:07", 0, false, NULL, NULL, 0, 0 },
	/* month first, AM/PM (Received lines of some Windows mailers) */
	{ "Aug, 29 2002 12:25:04 PM +0600", 0, true,
	    "2002-08-29T06:25:04Z", "+0600", OF, NZ },
	{ "Aug, 29 2002 11:24:18 AM -0800", 0, true,
	    "2002-08-29T19:24:18Z", "-0800", OF, NZ },
	{ "Jun, 06 2002 12:07:31 p.m. -0800", 0, true,
	    "2002-06-06T20:07:31Z", "-0800", OF, NZ },
	{ "Jun, 06 2002 9:17:38    a.m. +0300", 0, true,
	    "2002-06-06T06:17:38Z", "+0300", OF, NZ },
	{ "Aug, 02 2002 12:51:45 AM -0000", 0, true,
	    "2002-08-02T00:51:45Z", "+0000", OF | ZU, NZ },
	{ "Jul, 24 2002 07:45:40 +0600", 0, true,
	    "2002-07-24T01:45:40Z", "+0600", OF, NZ },
	{ "Tue Mar 18 2003 09:14:00 GMT-0800 (Pacific Standard Time)", 0,
	    true, "2003-03-18T17:14:00Z", "-0800", OF, NZ | DM },
	/* ISO 8601 / RFC 3339 / Go */
	{ "2018-03-26T13:35:36Z", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF, OZ | ZU | NZ },
	{ "2018-03-26t13:35:36.123456z", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF, OZ | ZU | NZ },
	{ "2018-03-26T13:35:36+02:00", 0, true,
	    "2018-03-26T11:35:36Z", "+0200", OF, OZ | ZU | NZ },
	{ "2018-03-26T13:35:36-00:00", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF | ZU, OZ | NZ },
	{ "2018-03-26T13:35:36+05", 0, true,
	    "2018-03-26T08:35:36Z", "+0500", OF, OZ | NZ },
	{ "2018-03-26 13:35:36 +0000", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF, OZ | ZU | NZ },
	{ "2018-03-26T13:35Z", 0, true,
	    "2018-03-26T13:35:00Z", "+0000", OF | NS, NZ },
	{ "2018-03-26T13:35:36", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF | NZ, OZ },
	{ "2018-03-26 13:35:36.270951634 +0000 UTC m=+555016.72", 0, true,
	    "2018-03-26T13:35:36Z", "+0000", OF, OZ | ZU | NZ },
	{ "2024-10-26 05:29:08.97608 +0000 UTC", 0, true,
	    "2024-10-26T05:29:08Z", "+0000", OF, NZ },
	{ "2002/09/14 Sat 13:06:03 GMT", 0, true,
	    "2002-09-14T13:06:03Z", "+0000", OF | OZ, DM | ND },
	{ "2002/09/14 Sun 13:06:03 GMT", 0, true,
	    "2002-09-14T13:06:03Z", "+0000", OF | DM, ND },
	/* day/month/year: only when one of them is above 12 */
	{ "26/08/2002 09:28:01", 0, true,
	    "2002-08-26T09:28:01Z", "+0000", OF | NZ, 0 },
	{ "08/26/2002 09:28:01 -0400", 0, true,
	    "2002-08-26T13:28:01Z", "-0400", OF, NZ },
	{ "05/05/2003 10:00:00 +0000", 0, true,
	    "2003-05-05T10:00:00Z", "+0000", OF, NZ },
	{ "14.09.2002 13:06 +0200", 0, true,
	    "2002-09-14T11:06:00Z", "+0200", OF | NS, NZ },
	BAD("04/05/2003 09:28:01"),
	BAD("12-04-2023"),
	/* other spellings */
	{ "Tuesday, 18 March 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", OF, DM | ND },
	{ "Tuesday, 18-Mar-03 09:14:00 GMT", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OF | Y2 | OZ, DM },
	{ "18 Sept 2003 09:14:00 +0000", 0, true,
	    "2003-09-18T09:14:00Z", "+0000", OF | ND, 0 },
	{ "Tue., 18 Mar. 2003 09:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", 0, DM },
	{ "18 Mar 2003 09.14.00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", OF, NZ },
	{ "18 Mar 2003 09.14 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", OF | NS, NZ },
	{ "Tue, 18 Mar 2003 9:14:00 -0800", 0, true,
	    "2003-03-18T17:14:00Z", "-0800", OF, DM },
	{ "18 Mar 2003 09:14:00.5 +0000", 0, true,
	    "2003-03-18T09:14:00Z", "+0000", OF, NZ },
	/* rejected: empty and junk */
	{ "", 0, false, NULL, NULL, 0, 0 },
	BAD("   \r\n "),
	BAD("hello world"),
	BAD("(only a comment)"),
	BAD("Tue,"),
	BAD("Tue, 18 Foo 2003 09:14:00 -0800"),
	BAD("Tue, 18 Mar 2003"),
	BAD("Tue, 18 Mar 2003 09 -0800"),
	BAD("Tue, 18 Mar 2003 09: -0800"),
	BAD("; Tue, 18 Mar 2003 09:14:00 -0800"),
	BAD("Tue, 18 M\xe4r 2003 09:14:00 -0800"),
	BAD("\xff\xfe\x00\x01"),
	{ "Tue, 18 Mar\0 2003 09:14:00 -0800", 32, false, NULL, NULL, 0, 0 },
	/* rejected: values out of range */
	BAD("Tue, 32 Mar 2003 09:14:00 -0800"),
	BAD("Tue, 0 Mar 2003 09:14:00 -0800"),
	BAD("Mon, 30 Feb 2004 09:14:00 -0800"),
	BAD("29 Feb 2003 09:14:00 -0800"),
	BAD("29 Feb 1900 09:14:00 -0800"),
	BAD("31 Apr 2003 09:14:00 -0800"),
	BAD("31 Jun 2003 09:14:00 -0800"),
	BAD("31 Sep 2003 09:14:00 -0800"),
	BAD("31 Nov 2003 09:14:00 -0800"),
	BAD("18 Mar 1899 09:14:00 -0800"),
	BAD("18 Mar 0049 09:14:00 -0800"),
	BAD("18 Mar 10000 09:14:00 -0800"),
	BAD("18 Mar 3 09:14:00 -0800"),
	BAD("18 Mar 2003 24:00:00 -0800"),
	BAD("18 Mar 2003 23:60:00 -0800"),
	BAD("18 Mar 2003 23:59:61 -0800"),
	BAD("18 Mar 2003 123:14:00 -0800"),
	BAD("18 Mar 2003 09:14:00 +2401"),
	BAD("18 Mar 2003 09:14:00 -2500"),
	BAD("18 Mar 2003 09:14:00 +0960"),
	BAD("18 Mar 2003 09:14:00 +530"),
	BAD("18 Mar 2003 09:14:00 +08000"),
	BAD("18 Mar 2003 09:14:00 +08"),
	BAD("18 Mar 2003 09:14:00 +25:00"),
	BAD("18 Mar 2003 09:14:00 GMT+25"),
	BAD("2018-13-26T13:35:36Z"),
	BAD("2018-02-30T13:35:36Z"),
	BAD("2018-03-26T25:35:36Z"),
	BAD("1899-12-31T23:59:59Z"),
	BAD("10000-01-01T00:00:00Z"),
	BAD("32/08/2002 09:28:01"),
	BAD("13/13/2002 09:28:01"),
	/* rejected: digit strings that would overflow a naive parser */
	BAD("Tue, 99999999999999999999 Mar 2003 09:14:00 -0800"),
	BAD("18 Mar 99999999999999999999 09:14:00 -0800"),
	BAD("18 Mar 2003 99999999999999999999:14:00 -0800"),
	BAD("18 Mar 2003 09:99999999999999999999:00 -0800"),
	BAD("18 Mar 2003 09:14:99999999999999999999 -0800"),
	BAD("18 Mar 2003 09:14:00 +99999999999999999999"),
	BAD("18 Mar 2003 09:14:00 GMT+99999999999999999999"),
	BAD("99999999999999999999-03-26T13:35:36Z"),
	BAD("4294967314 Mar 2003 09:14:00 -0800"),
};

/* check_row - parse one row and compare every field with the want. */
static void
check_row(const struct row *r)
{
	size_t len = r->len ? r->len : strlen(r->in);
	char *buf = malloc(len ? len : 1);
	struct mt_date d;
	char got[40], off[16];
	bool ok;

	/* An exact-size heap copy: a read past len trips ASan. */
	memcpy(buf, r->in, len);
	ok = mt_date_parse(buf, len, &d);
	T_INT(r->in, "ok", ok, r->ok);
	T_INT(r->in, "OK flag", (d.flags & MT_DATE_OK) != 0, r->ok);
	if (ok && r->ok) {
		mt_date_format_utc(d.utc, got, sizeof(got));
		T_STR(r->in, "utc", got, r->utc);
		mt_date_format_offset(d.offset_min, off, sizeof(off));
		T_STR(r->in, "offset", off, r->off);
		if ((d.flags & r->flags) != r->flags)
			T_FAIL("%s: flags: got %#x, want all of %#x", r->in,
			    d.flags, r->flags);
		if ((d.flags & r->noflags) != 0)
			T_FAIL("%s: flags: got %#x, want none of %#x", r->in,
			    d.flags, r->noflags);
		t_checked += 2;
	}
	free(buf);
}

/* check_format - the formatters alone, including short buffers. */
static void
check_format(void)
{
	static const struct {
		int64_t		 utc;
		const char	*want;
	} u[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ -2208988800LL, "1900-01-01T00:00:00Z" },
		{ 253402300799LL, "9999-12-31T23:59:59Z" },
		{ 1047978840, "2003-03-18T09:14:00Z" },
	};
	static const struct {
		int		 min;
		const char	*want;
	} o[] = {
		{ 0, "+0000" }, { -480, "-0800" }, { 330, "+0530" },
		{ -210, "-0330" }, { 345, "+0545" }, { 765, "+1245" },
		{ 780, "+1300" }, { 840, "+1400" }, { -720, "-1200" },
	};
	char buf[40];
	size_t i;

	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		mt_date_format_utc(u[i].utc, buf, sizeof(buf));
		T_STR("format_utc", u[i].want, buf, u[i].want);
	}
	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		mt_date_format_offset(o[i].min, buf, sizeof(buf));
		T_STR("format_offset", o[i].want, buf, o[i].want);
	}
	memset(buf, 'x', sizeof(buf));
	mt_date_format_utc(0, buf, 5);
	T_STR("format_utc", "short buffer", buf, "1970");
	T_INT("format_utc", "no write past len", buf[5], 'x');
	mt_date_format_offset(-480, buf, 3);
	T_STR("format_offset", "short buffer", buf, "-0");
}

/* named_ok - "Www, d Mmm yyyy" parses with no day mismatch. */
static bool
named_ok(const char *wd, int day, const char *mon, int y)
{
	char in[64];
	struct mt_date d;

	snprintf(in, sizeof(in), "%s, %d %s %d 12:00:00 +0000", wd, day,
	    mon, y);
	return mt_date_parse(in, strlen(in), &d) &&
	    !(d.flags & MT_DATE_DAY_MISMATCH);
}

/* check_sweep - every day of 1900..9999 through the parser, in order:
 * each is 86400 s after the one before and formats back to itself; and
 * the day after each month's last is refused. */
static void
check_sweep(void)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec",
	};
	static const char *const wday[7] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	char in[64], out[40];
	struct mt_date d;
	int64_t prev = 0;
	int y, m, day, n, w = 1;	/* 1900-01-01 was a Monday */
	long bad = 0, days = 0, named = 0;

	for (y = 1900; y <= 9999; y++)
		for (m = 0; m < 12; m++) {
			bool lp = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

			n = mdays[m] + (m == 1 && lp);
			for (day = 1; day <= n; day++, days++) {
				snprintf(in, sizeof(in),
				    "%04d-%02d-%02dT00:00:00Z", y, m + 1, day);
				if (!mt_date_parse(in, strlen(in), &d) ||
				    (days > 0 && d.utc != prev + 86400)) {
					if (bad++ < 5)
						T_FAIL("sweep: %s: got %lld",
						    in, (long long)d.utc);
				}
				mt_date_format_utc(d.utc, out, sizeof(out));
				if (strcmp(in, out) != 0 && bad++ < 5)
					T_FAIL("sweep: got \"%s\", want \"%s\"",
					    out, in);
				prev = d.utc;
				/* RFC 5322 form, day name, at month ends. */
				if ((day == 1 || day == n) &&
				    named_ok(wday[w], day, mon[m], y))
					named++;
				else if ((day == 1 || day == n) && bad++ < 5)
					T_FAIL("sweep: %s %d %s %d: refused or "
					    "day mismatch", wday[w], day,
					    mon[m], y);
				w = (w + 1) % 7;
			}
			snprintf(in, sizeof(in), "%d %s %d 12:00:00 +0000",
			    n + 1, mon[m], y);
			if (mt_date_parse(in, strlen(in), &d) && bad++ < 5)
				T_FAIL("sweep: %s: accepted", in);
		}
	T_INT("sweep", "failures", bad, 0);
	T_INT("sweep", "days", days, 2958464);
	T_INT("sweep", "day names", named, 8100 * 12 * 2);
}

/* check_robust - every prefix of every row, and random byte mutations,
 * in exact-size buffers: nothing crashes or reads past len, and an
 * accepted date always has sane fields. */
static void
check_robust(void)
{
	static const char pool[] = "0123456789 :+-,.()\r\nAMPZTaz\0\xff/";
	uint32_t seed = 12345;
	size_t i, k, len;
	long accepted = 0, insane = 0;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		len = r->len ? r->len : strlen(r->in);
		for (k = 0; k <= len; k++) {
			char *buf = malloc(k ? k : 1);
			struct mt_date d;

			memcpy(buf, r->in, k);
			if (mt_date_parse(buf, k, &d)) {
				accepted++;
				if (d.offset_min < -1440 ||
				    d.offset_min > 1440 ||
				    d.utc < -2208988800LL - 86400 ||
				    d.utc > 253402300799LL + 86400)
					insane++;
			}
			free(buf);
		}
		for (k = 0; k < 300 && len > 0; k++) {
			char *buf = malloc(len);
			struct mt_date d;
			int edits;

			memcpy(buf, r->in, len);
			for (edits = 0; edits < 3; edits++) {
				seed = seed * 1103515245u + 12345u;
				buf[(seed >> 8) % len] =
				    pool[(seed >> 20) % (sizeof(pool) - 1)];
			}
			if (mt_date_parse(buf, len, &d) &&
			    (d.offset_min < -1440 || d.offset_min > 1440 ||
			    (d.flags & MT_DATE_OK) == 0))
				insane++;
			free(buf);
		}
	}
	T_INT("robust", "insane results", insane, 0);
	T_TRUE("robust", "some prefixes parse", accepted > 0);
}

/* check_long - long runs of separators and unterminated nested comments
 * are read in linear time and refused or accepted as they should be. */
static void
check_long(void)
{
	size_t n = 1 << 20, i;
	char *buf = malloc(n + 64);
	struct mt_date d;
	const char *tail = "18 Mar 2003 09:14:00 -0800";

	memset(buf, ' ', n);
	memcpy(buf + n, tail, strlen(tail));
	T_TRUE("long", "1 MiB of spaces then a date",
	    mt_date_parse(buf, n + strlen(tail), &d));
	for (i = 0; i < n; i++)
		buf[i] = '(';
	T_TRUE("long", "1 MiB of open comments",
	    !mt_date_parse(buf, n + strlen(tail), &d));
	for (i = 0; i < n; i++)
		buf[i] = '9';
	T_TRUE("long", "1 MiB of digits", !mt_date_parse(buf, n, &d));
	free(buf);
}

/* ------------------------------------------------------------------ */
/* The corpus                                                         */
/* ------------------------------------------------------------------ */

struct tally {
	long	 seen, parsed;
};

/* show - print an unparsed value to stderr, escaped. */
static void
show(const char *what, const char *p, size_t len)
{
	size_t i;

	fprintf(stderr, "unparsed %s: \"", what);
	for (i = 0; i < len && i < 200; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			fputc(ch, stderr);
		else if (ch == '\r' || ch == '\n')
			fputc(' ', stderr);
		else
			fprintf(stderr, "\\x%02x", ch);
	}
	fprintf(stderr, "\"\n");
}

/* try - parse one corpus value and count it. */
static void
try(struct tally *t, const char *what, const char *p, size_t len)
{
	struct mt_date d;

	t->seen++;
	if (mt_date_parse(p, len, &d))
		t->parsed++;
	else
		show(what, p, len);
}

/* lineend - offset just past the line starting at i. */
static size_t
lineend(const char *p, size_t len, size_t i)
{
	while (i < len && p[i] != '\n')
		i++;
	return i < len ? i + 1 : i;
}

/* scan_header - each field of one message's header, up to the blank
 * line: Date bodies and the text after the last ';' of Received bodies,
 * folded as they are (the parser reads folding). */
static void
scan_header(const char *p, size_t len, struct tally *date,
    struct tally *rcvd)
{
	size_t i = 0, e, j, semi;

	while (i < len) {
		if (p[i] == '\n' || (p[i] == '\r' && i + 1 < len &&
		    p[i + 1] == '\n'))
			break;			/* end of header */
		e = lineend(p, len, i);
		while (e < len && (p[e] == ' ' || p[e] == '\t'))
			e = lineend(p, len, e);	/* continuation lines */
		if (e - i > 5 && strncasecmp(p + i, "Date:", 5) == 0) {
			try(date, "Date", p + i + 5, e - i - 5);
		} else if (e - i > 9 &&
		    strncasecmp(p + i, "Received:", 9) == 0) {
			semi = 0;
			for (j = i + 9; j < e; j++)
				if (p[j] == ';')
					semi = j + 1;
			if (semi)
				try(rcvd, "Received", p + semi, e - semi);
		}
		i = e;
	}
}

/* scan_mbox - every message of one mboxrd file. */
static void
scan_mbox(const char *p, size_t len, struct tally *date,
    struct tally *rcvd, struct tally *from)
{
	size_t i = 0, e, s, a;

	while (i < len) {
		if (len - i < 5 || memcmp(p + i, "From ", 5) != 0) {
			i = lineend(p, len, i);
			continue;
		}
		/* The separator: "From " sender date; the sender may be
		 * empty ("From  Thu Jan 1 00:00:00 1970"). */
		e = lineend(p, len, i);
		a = i + 5;
		while (a < e && p[a] != ' ' && p[a] != '\n')
			a++;
		try(from, "From", p + a, e - a);
		/* The message runs to the next separator line. */
		s = e;
		while (e < len && !(len - e >= 5 && memcmp(p + e, "From ", 5) ==
		    0 && (e == 0 || p[e - 1] == '\n')))
			e = lineend(p, len, e);
		scan_header(p + s, e - s, date, rcvd);
		i = e;
	}
}

/* check_corpus - the share of real dates the parser reads. */
static void
check_corpus(void)
{
	static const char *const files[] = {
		"phishing_pot.mbox", "spamassassin.mbox", "linux_man.mbox",
	};
	struct tally date = { 0, 0 }, rcvd = { 0, 0 }, from = { 0, 0 };
	char path[4096];
	size_t i, len;
	int found = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p;

		snprintf(path, sizeof(path), "%s/../shared/corpus/%s",
		    MT_SOURCE_DIR, files[i]);
		if ((p = t_slurp(path, &len)) == NULL)
			continue;
		found++;
		scan_mbox(p, len, &date, &rcvd, &from);
		free(p);
	}
	if (found == 0) {
		printf("corpus: skipped (no ../shared/corpus)\n");
		return;
	}
	printf("corpus: Date %ld/%ld (%.2f%%), Received %ld/%ld (%.2f%%), "
	    "From line %ld/%ld (%.2f%%)\n", date.parsed, date.seen,
	    date.seen ? 100.0 * (double)date.parsed / (double)date.seen : 0.0,
	    rcvd.parsed, rcvd.seen,
	    rcvd.seen ? 100.0 * (double)rcvd.parsed / (double)rcvd.seen : 0.0,
	    from.parsed, from.seen,
	    from.seen ? 100.0 * (double)from.parsed / (double)from.seen : 0.0);
	T_TRUE("corpus", "Date fields seen", date.seen > 0);
	T_TRUE("corpus", "at least 99% of Date fields parse",
	    date.parsed * 100 >= date.seen * 99);
	T_TRUE("corpus", "at least 99% of Received dates parse",
	    rcvd.parsed * 100 >= rcvd.seen * 99);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	check_format();
	check_sweep();
	check_robust();
	check_long();
	check_corpus();
	printf("date: %zu table rows\n", sizeof(rows) / sizeof(rows[0]));
	return t_done("date");
}
