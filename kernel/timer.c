/* The tick: each deadline schedules the next one TICK_NS later. Deadlines
 * are computed from the previous deadline, not from "now", so the tick
 * does not drift when an interrupt is served late. */
#include "kernel/timer.h"

#include "arch.h"
#include "kernel/sched.h"
#include "tsubame/errno.h"
#include "tsubame/syscall.h"

static volatile uint64_t ticks;
static uint64_t next_deadline;

void timer_start(void)
{
	next_deadline = arch_timer_ns() + TICK_NS;
	arch_timer_set_deadline(next_deadline);
}

uint64_t timer_ticks(void)
{
	return ticks;
}

void timer_interrupt(void)
{
	uint64_t now = arch_timer_ns();

	ticks++;
	next_deadline += TICK_NS;
	if (next_deadline <= now) /* we fell behind (e.g. a long stop in gdb) */
		next_deadline = now + TICK_NS;
	arch_timer_set_deadline(next_deadline);
	sched_tick();
}

uint64_t timer_deadline(long timeout_ms)
{
	if (timeout_ms < 0)
		return 0;
	uint64_t now = arch_timer_ns(), ms = (uint64_t)timeout_ms;
	/* Saturate: a deadline past the end of the clock never comes, which
	 * is what "none" (0) means. */
	if (ms > (UINT64_MAX - now) / 1000000ull)
		return 0;
	return now + ms * 1000000ull;
}

int timeout_check(long timeout_ms)
{
	return timeout_ms < TSB_FOREVER ? -EINVAL : 0;
}
