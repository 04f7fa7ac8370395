/* Runs every Check test case and prints "fat32-unit: N passed, M failed";
 * tests/run.sh adds the fuzz run and prints the final summary. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	Suite *s = suite_create("fat32");
	SRunner *sr;
	int run, failed;

	/* Check's timeouts only catch hangs: these cases are CPU-bound (and
	 * fsck.fat runs for the FAT32 ones), a busy machine makes them many
	 * times slower than the few seconds they take alone, and no test may
	 * fail because of that. Every case gets the same 300 s unless the
	 * caller's environment says otherwise (CK_DEFAULT_TIMEOUT is read when
	 * a case is created). */
	setenv("CK_DEFAULT_TIMEOUT", "300", 0);
	add_read_tests(s);
	add_write_tests(s);
	add_corrupt_tests(s);
	add_random_tests(s);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("fat32-unit: %d passed, %d failed\n", run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
