/* Boot options that change what the kernel does after bring-up, for
 * tests, benchmarks and diagnostics (kernel/boot_options.c). */
#ifndef KERNEL_BOOT_OPTIONS_H
#define KERNEL_BOOT_OPTIONS_H

#include "arch.h"

/* ipctrace; selftest (runs the in-guest tests and powers off: does not
 * return); faulttest and stacktest (a kernel page fault, a kernel stack
 * overflow: each must be reported, see scripts/tests/kernel-fault.sh). */
void boot_options_run(const struct boot_info *bi);
/* The program to start as pid 1: /bin/init.elf, or /bin/bench.elf with
 * "bench" (which also mounts dev 0 read-only in the kernel at /kbench, to
 * compare fat32d against). */
const char *boot_first_program(const struct boot_info *bi);

#endif
