/* The test cases, grouped by concern; test_main.c runs them all. */
#ifndef NET_TESTS_H
#define NET_TESTS_H

#include <check.h>

void add_link_tests(Suite *s);
void add_tcp_tests(Suite *s);
void add_dhcp_dns_tests(Suite *s);
void add_malformed_tests(Suite *s);

#endif
