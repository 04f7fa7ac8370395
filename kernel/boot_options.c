/* Boot options for tests, benchmarks and diagnostics, kept out of kmain. */
#include "kernel/boot_options.h"

#include "kernel/cmdline.h"
#include "kernel/fsproxy.h"
#include "kernel/ipc.h"
#include "kernel/selftest.h"

#define INIT_PATH "/bin/init.elf"
#define BENCH_PATH "/bin/bench.elf"

/* Unbounded recursion for "stacktest": the guard page below the stack
 * must turn it into a reported fault, not a hang. */
static volatile int stack_depth_limit = 1 << 30; /* volatile: not provably infinite */

static int overflow_the_stack(int depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	if (depth > stack_depth_limit)
		return 0;
	return overflow_the_stack(depth + 1) + pad[0];
}

void boot_options_run(const struct boot_info *bi)
{
	if (cmdline_has(bi->cmdline, "ipctrace"))
		ipc_trace_set(true);
	if (cmdline_has(bi->cmdline, "selftest"))
		selftest_run_all();
	if (cmdline_has(bi->cmdline, "faulttest")) {
		volatile int *volatile unmapped = (volatile int *)0x10;
		*unmapped = 1;
	}
	if (cmdline_has(bi->cmdline, "stacktest"))
		overflow_the_stack(1);
}

const char *boot_first_program(const struct boot_info *bi)
{
	if (!cmdline_has(bi->cmdline, "bench"))
		return INIT_PATH;
	fsproxy_bench_mount();
	return BENCH_PATH;
}
