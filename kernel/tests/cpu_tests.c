/* Timer, traps and context switching: the arch's CPU-facing half. */
#include "arch.h"
#include "kernel/rtc.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

SELFTEST(timer_ticks_advance)
{
	uint64_t t0 = timer_ticks(), start = arch_timer_ns();

	/* Five ticks must arrive within a second of wall time. */
	while (timer_ticks() < t0 + 5 && arch_timer_ns() - start < 1000000000ull)
		arch_wait_for_interrupt();
	uint64_t ticks = timer_ticks() - t0, ns = arch_timer_ns() - start;
	CHECKF(ticks >= 5, "only %llu ticks in %llu ns", (unsigned long long)ticks,
	       (unsigned long long)ns);
	/* And the tick period agrees with the clock (within a factor of 2). */
	CHECKF(ns >= ticks * TICK_NS / 2 && ns <= (ticks + 1) * TICK_NS * 2,
	       "%llu ticks took %llu ns", (unsigned long long)ticks, (unsigned long long)ns);
}

SELFTEST(timer_monotonic)
{
	uint64_t prev = arch_timer_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = arch_timer_ns();
		CHECKF(now >= prev, "time went back: %llu -> %llu", (unsigned long long)prev,
		       (unsigned long long)now);
		prev = now;
	}
}

SELFTEST(trap_breakpoint_resumes)
{
	unsigned long before = trap_breakpoint_hits;

	arch_breakpoint();
	arch_breakpoint();
	CHECK(trap_breakpoint_hits == before + 2);
}

SELFTEST(trap_illegal_insn_fixup)
{
	CHECK(arch_probe_illegal_insn() == 1);
	CHECK(arch_probe_illegal_insn() == 1); /* and again: the handler state was restored */
}

static struct arch_context main_ctx, thread_ctx;
static volatile int pingpong;

static void pong(void *arg)
{
	int *rounds = arg;

	for (int i = 0; i < *rounds; i++) {
		pingpong++;
		arch_context_switch(&thread_ctx, &main_ctx);
	}
	for (;;) /* never resumed again */
		arch_context_switch(&thread_ctx, &main_ctx);
}

SELFTEST(context_switch_pingpong)
{
	int rounds = 100;
	uintptr_t top = kstack_alloc();

	CHECK(top != 0);
	pingpong = 0;
	arch_context_init(&thread_ctx, top, pong, &rounds);
	for (int i = 0; i < rounds; i++) {
		arch_context_switch(&main_ctx, &thread_ctx);
		CHECKF(pingpong == i + 1, "round %d saw %d", i, pingpong);
	}
	kstack_free(top);
}

SELFTEST(rtc_wall_clock)
{
	uint64_t a, b;

	/* Both machines have a clock (goldfish on virt, CMOS on q35), set from
	 * the host when QEMU starts. */
	CHECK(rtc_now(&a) == 0);
	uint64_t year2024 = 1704067200ull * 1000000000ull, year2100 = 4102444800ull * 1000000000ull;
	CHECKF(a > year2024 && a < year2100, "the clock says %llu s since 1970",
	       (unsigned long long)(a / 1000000000ull));
	/* It moves with the monotonic clock. */
	uint64_t t0 = arch_timer_ns();
	while (arch_timer_ns() - t0 < 20000000ull)
		arch_wait_for_interrupt();
	CHECK(rtc_now(&b) == 0 && b - a >= 20000000ull && b - a < 1000000000ull);
}
