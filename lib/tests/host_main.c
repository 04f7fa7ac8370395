/* Host unit tests of the arch-independent libraries (fmt, fdt, string, path, libc's malloc and stdlib),
 * built with ASan/UBSan and the Check framework. Prints the project's
 * closing line "libs: N passed, M failed". */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

Suite *fmt_suite(void);
Suite *fdt_suite(void);
Suite *string_suite(void);
Suite *path_suite(void);
Suite *libc_suite(void);
Suite *time_suite(void);
Suite *telnet_suite(void);
Suite *utf8_suite(void);

int main(void)
{
	/* Check's timeouts only catch hangs: these cases are CPU-bound (and
	 * fsck.fat runs for the FAT32 ones), a busy machine makes them many
	 * times slower than the few seconds they take alone, and no test may
	 * fail because of that. Every case gets the same 300 s unless the
	 * caller's environment says otherwise (CK_DEFAULT_TIMEOUT is read when
	 * a case is created). */
	setenv("CK_DEFAULT_TIMEOUT", "300", 0);
	SRunner *sr = srunner_create(fmt_suite());

	srunner_add_suite(sr, fdt_suite());
	srunner_add_suite(sr, string_suite());
	srunner_add_suite(sr, path_suite());
	srunner_add_suite(sr, libc_suite());
	srunner_add_suite(sr, time_suite());
	srunner_add_suite(sr, telnet_suite());
	srunner_add_suite(sr, utf8_suite());
	srunner_run_all(sr, CK_NORMAL);
	int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("libs: %d passed, %d failed\n", run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
