/* lib/time against the host C library's gmtime_r/timegm. */
#include <check.h>
#include <stdlib.h>
#include <time.h>

#include "time/civil.h"

static void check_secs(int64_t s)
{
	time_t t = (time_t)s;
	struct tm want;
	struct civil_time got;
	ck_assert_ptr_nonnull(gmtime_r(&t, &want));
	civil_from_unix(s, &got);
	ck_assert_int_eq(got.year, want.tm_year + 1900);
	ck_assert_uint_eq(got.month, (unsigned)want.tm_mon + 1);
	ck_assert_uint_eq(got.day, (unsigned)want.tm_mday);
	ck_assert_uint_eq(got.hour, (unsigned)want.tm_hour);
	ck_assert_uint_eq(got.min, (unsigned)want.tm_min);
	ck_assert_uint_eq(got.sec, (unsigned)want.tm_sec);
	ck_assert_uint_eq(got.weekday, (unsigned)want.tm_wday);
	ck_assert_int_eq(days_from_civil(got.year, got.month, got.day) * 86400 + got.hour * 3600 +
				 got.min * 60 + got.sec,
			 s);
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
