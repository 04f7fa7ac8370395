/* The test cases, grouped by concern; suite.c gathers them. */
#ifndef NET_TESTS_H
#define NET_TESTS_H

#include <check.h>

void add_link_tests(Suite *s);
void add_tcp_tests(Suite *s);
void add_dhcp_dns_tests(Suite *s);
void add_malformed_tests(Suite *s);

#endif
