/* In-guest selftest harness. A test is a function that returns normally on
 * success or records a failure through the CHECK macros; register it with
 * one line in kernel/tests/selftest_list.h. */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdbool.h>

struct selftest_result {
	bool failed;
	char reason[160];
};

void selftest_fail(struct selftest_result *r, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Inside a test function: `r` is the result argument. */
#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			selftest_fail(r, __FILE__, __LINE__, "%s", #cond);             \
			return;                                                        \
		}                                                                      \
	} while (0)
#define CHECKF(cond, ...)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			selftest_fail(r, __FILE__, __LINE__, __VA_ARGS__);             \
			return;                                                        \
		}                                                                      \
	} while (0)

#define SELFTEST(name) void selftest_##name(struct selftest_result *r)

/* Runs every registered test and powers off with the verdict. */
_Noreturn void selftest_run_all(void);

#endif
