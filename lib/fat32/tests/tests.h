/* The test cases, grouped by concern; suite.c gathers them. */
#ifndef FAT32_TESTS_H
#define FAT32_TESTS_H

#include <check.h>

void add_read_tests(Suite *s);
void add_write_tests(Suite *s);
void add_corrupt_tests(Suite *s);
void add_random_tests(Suite *s);

#endif
