/* The suites of the host unit tests of the small arch-independent
 * libraries (fmt, fdt, string, path, libc's malloc and stdlib, time,
 * telnet, utf8), built with ASan/UBSan; lib/tests/unit_main.c runs them and
 * prints "libs: N passed, M failed". */
#include <check.h>

Suite *fmt_suite(void);
Suite *fdt_suite(void);
Suite *string_suite(void);
Suite *path_suite(void);
Suite *libc_suite(void);
Suite *time_suite(void);
Suite *telnet_suite(void);
Suite *utf8_suite(void);

SRunner *unit_runner(void);
SRunner *unit_runner(void)
{
	SRunner *sr = srunner_create(fmt_suite());

	srunner_add_suite(sr, fdt_suite());
	srunner_add_suite(sr, string_suite());
	srunner_add_suite(sr, path_suite());
	srunner_add_suite(sr, libc_suite());
	srunner_add_suite(sr, time_suite());
	srunner_add_suite(sr, telnet_suite());
	srunner_add_suite(sr, utf8_suite());
	return sr;
}
