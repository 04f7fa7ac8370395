/* Timer, traps and context switching: the arch's CPU-facing half. */
#include "arch.h"
#include "kernel/rtc.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

SELFTEST(timer_ticks_advance)
{
	/* The time between consecutive ticks, 21 times. A busy host stops
	 * the virtual CPU now and then, which stretches some intervals (and
	 * may bunch the next ones up), so the period is judged by the median,
	 * which such stops do not move; it must agree with the clock within a
	 * factor of 2. The ticks must keep coming: 10 s for all of them. */
	enum { N = 21 };
	uint64_t gap[N], start = arch_timer_ns(), last = 0;
	unsigned long t = timer_ticks();
	int n = -1; /* the first tick only starts the clock */
	while (n < N && arch_timer_ns() - start < 10000000000ull) {
		arch_wait_for_interrupt();
		if (timer_ticks() == t)
			continue;
		t = timer_ticks();
		uint64_t now = arch_timer_ns();
		if (n >= 0)
			gap[n] = now - last;
		last = now;
		n++;
	}
	CHECKF(n == N, "only %d ticks in 10 s", n + 1);
	for (int i = 1; i < N; i++) /* insertion sort: 21 values */
		for (int j = i; j > 0 && gap[j - 1] > gap[j]; j--) {
			uint64_t x = gap[j];
			gap[j] = gap[j - 1];
			gap[j - 1] = x;
		}
	uint64_t median = gap[N / 2];
	CHECKF(median >= TICK_NS / 2 && median <= TICK_NS * 2, "ticks come every %llu ns (median of %d)",
	       (unsigned long long)median, N);
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
	/* It moves with the monotonic clock: by at least the 20 ms waited,
	 * and by no more than the monotonic time around both readings (a busy
	 * host may make that long, but never different). */
	uint64_t t0 = arch_timer_ns();
	CHECK(rtc_now(&a) == 0);
	while (arch_timer_ns() - t0 < 20000000ull)
		arch_wait_for_interrupt();
	CHECK(rtc_now(&b) == 0);
	uint64_t mono = arch_timer_ns() - t0;
	CHECKF(b - a >= 20000000ull && b - a <= mono, "the clock moved %llu ns in %llu ns",
	       (unsigned long long)(b - a), (unsigned long long)mono);
}
