#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fmt/fmt.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

/* Our formatter must agree with the C library for everything it supports. */
#define SAME(...)                                                                  \
	do {                                                                       \
		char a[128], b[128];                                               \
		int na = fmt_snprintf(a, sizeof a, __VA_ARGS__);                   \
		int nb = snprintf(b, sizeof b, __VA_ARGS__);                       \
		ck_assert_str_eq(a, b);                                            \
		ck_assert_int_eq(na, nb);                                          \
	} while (0)

START_TEST(integers)
{
	SAME("%d %i %u", 0, -1, 4000000000u);
	SAME("%d", INT_MIN);
	SAME("%ld %lld", LONG_MIN, LLONG_MAX);
	SAME("%x %X %o %#x %#o", 0xdeadu, 0xbeefu, 8u, 255u, 8u);
	SAME("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	SAME("%.3d|%8.3d|%-8.3x|%.0d", 7, 7, 7u, 0);
	SAME("%hhd %hd %zu %td %jd", 300, 70000, (size_t)99, (ptrdiff_t)-5, (intmax_t)-9);
	SAME("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
	SAME("%llx", 0xffffffffffffffffull);
}
END_TEST

START_TEST(strings_and_chars)
{
	SAME("%s|%10s|%-10s|%.2s", "abc", "abc", "abc", "abc");
	SAME("%c%c|%3c", 'x', 'y', 'z');
	SAME("100%%");
}
END_TEST

START_TEST(pointer)
{
	char a[64];
	fmt_snprintf(a, sizeof a, "%p", (void *)0x1234);
	ck_assert_str_eq(a, "0x1234");
}
END_TEST

START_TEST(truncation)
{
	char a[8];
	memset(a, 'Z', sizeof a);
	ck_assert_int_eq(fmt_snprintf(a, 5, "%s", "hello world"), 11);
	ck_assert_str_eq(a, "hell");
	ck_assert_int_eq(a[5], 'Z'); /* nothing written past the buffer */
	ck_assert_int_eq(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}
END_TEST

START_TEST(odd_formats)
{
	char a[32];
	/* Through a variable, so the compiler's format checker lets us pass
	 * what a buggy caller might. */
	const char *bad = "%q|%", *str = "%s";
	char *volatile null = NULL;
	fmt_snprintf(a, sizeof a, bad);
	ck_assert_str_eq(a, "%q|%");
	fmt_snprintf(a, sizeof a, str, null);
	ck_assert_str_eq(a, "(null)");
}
END_TEST

Suite *fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("fmt");
	tcase_add_test(tc, integers);
	tcase_add_test(tc, strings_and_chars);
	tcase_add_test(tc, pointer);
	tcase_add_test(tc, truncation);
	tcase_add_test(tc, odd_formats);
	suite_add_tcase(s, tc);
	return s;
}
