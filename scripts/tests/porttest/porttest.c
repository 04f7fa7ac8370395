/* porttest: an ordinary C program using the standard library the way
 * portable programs do, built on the host with tsubame-cc and run from
 * Tsubame's shell (scripts/tests/shell-session.py checks its output).
 * usage: porttest [DIR]   (a writable directory, default /host) */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

static void goodbye(void)
{
	printf("porttest: atexit handler ran\n");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/host";

	atexit(goodbye);
	printf("porttest: %s, writing in %s\n", argv[0], dir);
	check_stdio_numbers();
	check_math();
	check_memory();
	check_sorting();
	check_jumps();
	check_time();
	check_environment();
	check_files(dir);
	check_errors(dir);
	if (checks_failed()) {
		printf("porttest: %d of %d checks FAILED\n", checks_failed(), checks_run());
		return 1;
	}
	printf("porttest: all %d checks ok\n", checks_run());
	return 0;
}
