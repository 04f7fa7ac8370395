/* The network stack's test cases, for lib/tests/unit_main.c. */
#include "tests.h"

SRunner *unit_runner(void);
SRunner *unit_runner(void)
{
	Suite *s = suite_create("net");

	add_link_tests(s);
	add_tcp_tests(s);
	add_dhcp_dns_tests(s);
	add_malformed_tests(s);
	return srunner_create(s);
}
