/* Calendar dates for the wall clock, UTC, proleptic Gregorian: shared by
 * the kernel (the CMOS clock gives a date) and the user library (the shell's
 * date, the desktop's clock). Howard Hinnant's days_from_civil and
 * civil_from_days algorithms. */
#ifndef LIB_TIME_CIVIL_H
#define LIB_TIME_CIVIL_H

#include <stdint.h>

struct civil_time {
	int64_t year;
	unsigned month, day;      /* 1..12, 1..31 */
	unsigned hour, min, sec;
	unsigned weekday;         /* 0 = Sunday */
};

/* Days since 1970-01-01 of a date (month 1..12, day 1..31). */
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
/* The date and time of a count of seconds since 1970-01-01 00:00 UTC. */
void civil_from_unix(int64_t secs, struct civil_time *out);

#endif
