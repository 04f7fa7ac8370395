/* lib/libc/string.c is built here with its functions renamed (tsb_*) so
 * they can be compared with the host C library without clashing. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "string_rename.h"

START_TEST(mem_functions)
{
	unsigned char src[300], a[300], b[300];
	for (int i = 0; i < 300; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	/* Every alignment and length combination near word boundaries. */
	for (int off = 0; off < 9; off++) {
		for (int len = 0; len < 40; len++) {
			memset(a, 0, sizeof a);
			memset(b, 0, sizeof b);
			tsb_memcpy(a + off, src + (8 - off), (size_t)len);
			memcpy(b + off, src + (8 - off), (size_t)len);
			ck_assert_mem_eq(a, b, sizeof a);
			tsb_memset(a + off, 0xab, (size_t)len);
			memset(b + off, 0xab, (size_t)len);
			ck_assert_mem_eq(a, b, sizeof a);
		}
	}
	memcpy(a, src, 300);
	memcpy(b, src, 300);
	tsb_memmove(a + 3, a, 200);
	memmove(b + 3, b, 200);
	ck_assert_mem_eq(a, b, 300);
	tsb_memmove(a, a + 5, 200);
	memmove(b, b + 5, 200);
	ck_assert_mem_eq(a, b, 300);
	ck_assert_int_eq(tsb_memcmp("abc", "abd", 3) < 0, 1);
	ck_assert_int_eq(tsb_memcmp("abc", "abc", 3), 0);
	ck_assert_ptr_eq(tsb_memchr("hello", 'l', 5), (const char *)"hello" + 2);
}
END_TEST

START_TEST(str_functions)
{
	char buf[8];
	ck_assert_uint_eq(tsb_strlen(""), 0);
	ck_assert_uint_eq(tsb_strlen("abcd"), 4);
	ck_assert_uint_eq(tsb_strnlen("abcd", 2), 2);
	ck_assert_int_eq(tsb_strcmp("a", "b") < 0, 1);
	ck_assert_int_eq(tsb_strcmp("b", "a") > 0, 1);
	ck_assert_int_eq(tsb_strcmp("\xff", "a") > 0, 1); /* compares as unsigned */
	ck_assert_int_eq(tsb_strncmp("abcX", "abcY", 3), 0);
	const char *s = "a/b/c";
	ck_assert_ptr_eq(tsb_strchr(s, '/'), s + 1);
	ck_assert_ptr_eq(tsb_strrchr(s, '/'), s + 3);
	ck_assert_ptr_eq(tsb_strchr(s, 0), s + 5);
	ck_assert_ptr_null(tsb_strchr(s, 'z'));
	ck_assert_ptr_eq(tsb_strstr(s, "b/c"), s + 2);
	ck_assert_ptr_null(tsb_strstr(s, "cc"));
	ck_assert_uint_eq(tsb_strlcpy(buf, "truncate me", sizeof buf), 11);
	ck_assert_str_eq(buf, "truncat");
}
END_TEST

Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc = tcase_create("string");
	tcase_add_test(tc, mem_functions);
	tcase_add_test(tc, str_functions);
	suite_add_tcase(s, tc);
	return s;
}
