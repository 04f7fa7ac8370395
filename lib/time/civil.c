/* Calendar arithmetic: an era is 400 years (146097 days); inside it, a year
 * starts on March 1 so that the leap day comes last. */
#include "time/civil.h"

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);                       /* 0..399 */
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_unix(int64_t secs, struct civil_time *out)
{
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	out->hour = (unsigned)(rem / 3600);
	out->min = (unsigned)(rem / 60 % 60);
	out->sec = (unsigned)(rem % 60);
	out->weekday = (unsigned)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	out->day = doy - (153 * mp + 2) / 5 + 1;
	out->month = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int64_t)yoe + era * 400 + (out->month <= 2);
}
