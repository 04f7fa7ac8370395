/* What the arch parsed from the firmware (FDT or Multiboot) must be sane. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/cmdline.h"
#include "kernel/selftest.h"

extern struct boot_info *boot_info;

SELFTEST(boot_info_sane)
{
	const struct boot_info *bi = boot_info;
	uint64_t total = 0;

	CHECK(bi->nram > 0 && bi->nram <= BOOT_MAX_RANGES);
	for (int i = 0; i < bi->nram; i++) {
		CHECKF(bi->ram[i].size > 0, "RAM range %d is empty", i);
		total += bi->ram[i].size;
		for (int j = i + 1; j < bi->nram; j++)
			CHECKF(bi->ram[i].base + bi->ram[i].size <= bi->ram[j].base ||
				       bi->ram[j].base + bi->ram[j].size <= bi->ram[i].base,
			       "RAM ranges %d and %d overlap", i, j);
	}
	/* QEMU is started with 64 MiB or more; anything less means we misparsed. */
	CHECKF(total >= 60ull * 1024 * 1024, "only %llu bytes of RAM found",
	       (unsigned long long)total);
	uint64_t kpa = kernel_virt_to_phys(__kernel_start);
	int inside = 0;
	for (int i = 0; i < bi->nram; i++)
		inside |= kpa >= bi->ram[i].base && kpa < bi->ram[i].base + bi->ram[i].size;
	CHECKF(inside, "kernel at %#llx is not inside reported RAM", (unsigned long long)kpa);
	CHECK(bi->timer_hz >= 1000000);
	CHECKF(cmdline_has(bi->cmdline, "selftest"), "cmdline \"%s\"", bi->cmdline);
	CHECK(bi->firmware && bi->firmware[0]);
}

SELFTEST(cmdline_parse)
{
	char v[16];

	CHECK(cmdline_has("a selftest b", "selftest"));
	CHECK(!cmdline_has("selftests", "selftest"));
	CHECK(!cmdline_has("", "x"));
	CHECK(cmdline_value("x=1 root=/dev/a y", "root", v, sizeof v) && strcmp(v, "/dev/a") == 0);
	CHECK(!cmdline_value("root", "root", v, sizeof v));
	CHECK(cmdline_value("k=abcdefghijklmnopqrstuvwxyz", "k", v, 4) && strcmp(v, "abc") == 0);
}

SELFTEST(fmt_format)
{
	char b[64];

	fmt_snprintf(b, sizeof b, "%d|%5u|%-4x|%08lx|%s|%c", -42, 7u, 0xabu, 0x1234ul, "hi", 'z');
	CHECKF(strcmp(b, "-42|    7|ab  |00001234|hi|z") == 0, "got \"%s\"", b);
	fmt_snprintf(b, sizeof b, "%#llx %zu %p", 0xffffffffffffffffull, (size_t)12, (void *)0x10);
	CHECKF(strcmp(b, "0xffffffffffffffff 12 0x10") == 0, "got \"%s\"", b);
	int n = fmt_snprintf(b, 4, "abcdef");
	CHECK(n == 6 && strcmp(b, "abc") == 0);
}
