/* lib/time against the host C library's gmtime_r/timegm. */
#include <check.h>
#include <stdlib.h>
#include <time.h>

#include "time/civil.h"

/* One assertion per value, not one per field: every Check assertion is a
 * message to the parent process, and 100k values times eight of them made
 * this test take seconds under ASan (it hit Check's timeout on a busy
 * machine). */
static void check_secs(int64_t s)
{
	time_t t = (time_t)s;
	struct tm want;
	struct civil_time got;
	if (!gmtime_r(&t, &want))
		ck_abort_msg("gmtime_r(%lld) failed", (long long)s);
	civil_from_unix(s, &got);
	int64_t back = days_from_civil(got.year, got.month, got.day) * 86400 + got.hour * 3600 +
		       got.min * 60 + got.sec;
	if (got.year != want.tm_year + 1900 || got.month != (unsigned)want.tm_mon + 1 ||
	    got.day != (unsigned)want.tm_mday || got.hour != (unsigned)want.tm_hour ||
	    got.min != (unsigned)want.tm_min || got.sec != (unsigned)want.tm_sec ||
	    got.weekday != (unsigned)want.tm_wday || back != s)
		ck_abort_msg("%lld: got %d-%02u-%02u %02u:%02u:%02u wd %u (back %lld), "
			     "gmtime says %d-%02d-%02d %02d:%02d:%02d wd %d",
			     (long long)s, (int)got.year, got.month, got.day, got.hour, got.min, got.sec,
			     got.weekday, (long long)back, want.tm_year + 1900, want.tm_mon + 1,
			     want.tm_mday, want.tm_hour, want.tm_min, want.tm_sec, want.tm_wday);
}

START_TEST(matches_gmtime)
{
	static const int64_t edges[] = { 0, -1, 59, 86399, 86400, 951782400 /* 2000-02-29 */,
					 951868800, 4107542400 /* 2100-03-01 */, 1798675200,
					 -2208988800 /* 1900-01-01 */, 253402300799 /* 9999-12-31 */ };
	for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++)
		check_secs(edges[i]);
	srand(7);
	for (int i = 0; i < 100000; i++)
		check_secs(((int64_t)rand() << 16 ^ rand()) % 8000000000ll - 2000000000ll);
}
END_TEST

Suite *time_suite(void);
Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("civil");
	tcase_add_test(tc, matches_gmtime);
	suite_add_tcase(s, tc);
	return s;
}
