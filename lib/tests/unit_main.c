/* The one main() of every host unit-test binary: runs the suites the
 * binary's unit_runner() gathers (lib/tests/suites.c for the small
 * libraries, tests/suite.c in lib/fat32 and lib/net) and prints the
 * project's closing line "UNIT_NAME: N passed, M failed" (UNIT_NAME comes
 * from the build). */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

SRunner *unit_runner(void);

int main(void)
{
	/* Check's timeouts only catch hangs: these cases are CPU-bound (and
	 * fsck.fat runs for the FAT32 ones), a busy machine makes them many
	 * times slower than the few seconds they take alone, and no test may
	 * fail because of that. Every case gets the same 300 s unless the
	 * caller's environment says otherwise (CK_DEFAULT_TIMEOUT is read when
	 * a case is created, so before unit_runner builds them). */
	setenv("CK_DEFAULT_TIMEOUT", "300", 0);
	SRunner *sr = unit_runner();

	srunner_run_all(sr, CK_NORMAL);
	int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("%s: %d passed, %d failed\n", UNIT_NAME, run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
