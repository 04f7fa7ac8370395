/* The FAT32 library's test cases, for lib/tests/unit_main.c. */
#include "tests.h"

SRunner *unit_runner(void);
SRunner *unit_runner(void)
{
	Suite *s = suite_create("fat32");

	add_read_tests(s);
	add_write_tests(s);
	add_corrupt_tests(s);
	add_random_tests(s);
	return srunner_create(s);
}
