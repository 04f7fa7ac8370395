/* The one main() of every host unit-test binary: runs the suites the
 * binary's unit_runner() gathers (lib/tests/suites.c for the small
 * libraries, tests/suite.c in lib/fat32 and lib/net) and prints the
 * project's closing line "UNIT_NAME: N passed, M failed" (UNIT_NAME comes
 * from the build). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

SRunner *unit_runner(void);

int main(void)
{
	SRunner *sr = unit_runner();

	srunner_run_all(sr, CK_NORMAL);
	int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("%s: %d passed, %d failed\n", UNIT_NAME, run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
