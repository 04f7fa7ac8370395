/* Runs every test listed in kernel/tests/selftest_list.h, prints one line per test
 * and powers off with the verdict (QEMU exit 0 only if all passed). */
#include "kernel/selftest.h"

#include <stdarg.h>
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

#define TEST(name) void selftest_##name(struct selftest_result *r);
#include "tests/selftest_list.h"
#undef TEST

extern struct boot_info *boot_info;
int selftest_start_fat32d(void);

struct selftest {
	const char *name;
	void (*fn)(struct selftest_result *r);
};

static const struct selftest tests[] = {
#define TEST(name) { #name, selftest_##name },
#include "tests/selftest_list.h"
#undef TEST
};

void selftest_fail(struct selftest_result *r, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = fmt_snprintf(r->reason, sizeof r->reason, "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof r->reason)
		fmt_vsnprintf(r->reason + n, sizeof r->reason - (size_t)n, fmt, ap);
	va_end(ap);
	r->failed = true;
}

_Noreturn void selftest_run_all(void)
{
	int total = (int)(sizeof tests / sizeof tests[0]);
	int passed = 0, skipped = 0;

	kprintf("=== SELFTEST START: %d tests (%s) ===\n", total, ARCH_NAME);
	/* Boot option: fat32d serves / from the start, so every test runs
	 * through the user-space file system. */
	if (cmdline_has(boot_info->cmdline, "fat32d=first")) {
		int pid = selftest_start_fat32d();
		kprintf("selftest: fat32d started first (%d)\n", pid);
	}
	/* "only=PREFIX" runs just the tests whose names start with PREFIX. */
	char only[32] = "";
	cmdline_value(boot_info->cmdline, "only", only, sizeof only);
	for (int i = 0; i < total; i++) {
		struct selftest_result r = { 0 };
		if (only[0] && strncmp(tests[i].name, only, strlen(only)) != 0) {
			skipped++;
			continue;
		}
		tests[i].fn(&r);
		if (r.failed) {
			kprintf("[FAIL] %s: %s\n", tests[i].name, r.reason);
		} else {
			kprintf("[PASS] %s\n", tests[i].name);
			passed++;
		}
	}
	total -= skipped;
	kprintf("=== SELFTEST END: %d/%d PASSED ===\n", passed, total);
	kprintf("selftest: %d passed, %d failed\n", passed, total - passed);
	arch_poweroff(passed == total ? 0 : 1);
}
