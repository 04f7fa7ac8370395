/* lib/utf8 against the host C library's own UTF-8 decoder (mbrtowc in a
 * UTF-8 locale) on every 1..4-byte prefix shape, plus known widths. */
#include <check.h>
#include <locale.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tsubame/errno.h"
#include "utf8/utf8.h"

static int decode(const char *s, size_t n, uint32_t *cp)
{
	const uint8_t *p = (const uint8_t *)s;
	int rc = utf8_next(&p, (const uint8_t *)s + n, cp);
	return rc ? rc : (int)(p - (const uint8_t *)s);
}

START_TEST(known_sequences)
{
	uint32_t cp;
	ck_assert_int_eq(decode("A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_int_eq(decode("\xc3\xa9", 2, &cp), 2); /* é */
	ck_assert_uint_eq(cp, 0xE9);
	ck_assert_int_eq(decode("\xe6\x97\xa5", 3, &cp), 3); /* 日 */
	ck_assert_uint_eq(cp, 0x65E5);
	ck_assert_int_eq(decode("\xf0\x9f\x98\x80", 4, &cp), 4); /* 😀 */
	ck_assert_uint_eq(cp, 0x1F600);
	static const char *const bad[] = { "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
					   "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe6\x97", "\xe6\x41\xa5",
					   "\xff", "\xfe" };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(decode(bad[i], strlen(bad[i]), &cp) == -EINVAL, "bad[%u] accepted", i);
	ck_assert_int_eq(decode("", 0, &cp), -EINVAL);
	ck_assert_uint_eq(utf8_length(0xe6), 3);
	ck_assert_uint_eq(utf8_length(0x97), 0);
	ck_assert_uint_eq(utf8_columns('a'), 1);
	ck_assert_uint_eq(utf8_columns(0xE9), 1);
	ck_assert_uint_eq(utf8_columns(0x65E5), 2);  /* 日 */
	ck_assert_uint_eq(utf8_columns(0x30B3), 2);  /* コ */
	ck_assert_uint_eq(utf8_columns(0xFF21), 2);  /* Ａ */
	ck_assert_uint_eq(utf8_columns(0x0301), 0);  /* combining acute */
}
END_TEST

/* Every 2-byte string and many 3- and 4-byte ones: we accept exactly what
 * glibc accepts, with the same value and length. */
START_TEST(agrees_with_libc)
{
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	srand(3);
	for (long k = 0; k < 400000; k++) {
		uint8_t s[4];
		size_t n = k < 65536 ? 2 : 3 + (size_t)(k & 1);
		if (k < 65536) {
			s[0] = (uint8_t)(k >> 8);
			s[1] = (uint8_t)k;
		} else {
			for (size_t i = 0; i < n; i++)
				s[i] = (uint8_t)(i == 0 ? 0xC0 + rand() % 64 : 0x70 + rand() % 0x60);
		}
		mbstate_t st;
		memset(&st, 0, sizeof st);
		wchar_t wc;
		size_t want = mbrtowc(&wc, (const char *)s, n, &st);
		uint32_t cp = 0;
		int got = decode((const char *)s, n, &cp);
		if (want == 0)
			want = 1; /* mbrtowc counts a NUL as 0 bytes */
		/* glibc also takes the old 5- and 6-byte range past U+10FFFF */
		bool libc_ok = want != (size_t)-1 && want != (size_t)-2 && (uint32_t)wc <= 0x10FFFF;
		if (libc_ok != (got > 0) || (libc_ok && (got != (int)want || cp != (uint32_t)wc)))
			ck_abort_msg("%02x %02x %02x %02x (%zu bytes): libc %zd %x, utf8 %d %x", s[0], s[1],
				     n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, n, (ssize_t)want, (unsigned)wc, got, cp);
	}
}
END_TEST

Suite *utf8_suite(void);
Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");
	tcase_add_test(tc, known_sequences);
	tcase_add_test(tc, agrees_with_libc);
	suite_add_tcase(s, tc);
	return s;
}
