/* Runs every Check test case and prints "net-unit: N passed, M failed";
 * tests/run.sh adds the fuzz run and prints the final summary. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	Suite *s = suite_create("net");
	SRunner *sr;
	int run, failed;

	add_link_tests(s);
	add_tcp_tests(s);
	add_dhcp_dns_tests(s);
	add_malformed_tests(s);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("net-unit: %d passed, %d failed\n", run - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
