/*
 * fuzz_date.c - the date parser (mt_date_parse) on any bytes.
 *
 * A date that parses is written back as an RFC 5322 date-time in its own
 * zone and parsed again: the second reading must give the same instant
 * and offset (for years 1000-9999, which the writer can spell).
 */
#include "fuzz.h"

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* civil - year, month, day of a day count since 1970-01-01. */
static void
civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* LLVMFuzzerTestOneInput - one input; see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_date d, e;
	char buf[64], off[16];
	int64_t local, days, secs, y;
	int mon, day, a;

	memset(&d, 0, sizeof(d));
	if (!mt_date_parse((const char *)data, size, &d)) {
		CHECK(!(d.flags & MT_DATE_OK));
		return 0;
	}
	CHECK(d.flags & MT_DATE_OK);
	CHECK(d.offset_min > -100 * 60 && d.offset_min < 100 * 60);
	/* a year of at most five digits either way */
	CHECK(d.utc > -400000LL * 366 * 86400 &&
	    d.utc < 400000LL * 366 * 86400);
	mt_date_format_utc(d.utc, buf, 32);
	CHECK(strlen(buf) < 32);
	mt_date_format_offset(d.offset_min, off, 8);
	CHECK(strlen(off) == 5);

	local = d.utc + (int64_t)d.offset_min * 60;
	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil(days, &y, &mon, &day);
	if (y < 1000 || y > 9999)
		return 0;
	a = d.offset_min < 0 ? -d.offset_min : d.offset_min;
	snprintf(buf, sizeof(buf), "%d %s %04d %02d:%02d:%02d %c%02d%02d",
	    day, months[mon - 1], (int)y, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60),
	    d.offset_min < 0 ? '-' : '+', a / 60, a % 60);
	memset(&e, 0, sizeof(e));
	CHECK(mt_date_parse(buf, strlen(buf), &e));
	CHECK(e.utc == d.utc);
	CHECK(e.offset_min == d.offset_min);
	return 0;
}
