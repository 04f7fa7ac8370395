/* The periodic tick, built on the arch's one-shot deadline timer. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

/* 10 ms: fine enough for responsive sleeps and round-robin (a 55 ms PIT
 * tick would make every sleep coarse), cheap enough under TCG. */
#define TICK_NS 10000000ull

void timer_start(void);
uint64_t timer_ticks(void);
/* The one rule for timeouts of blocking calls (tsubame/syscall.h):
 * TSB_NO_WAIT, ms > 0 or TSB_FOREVER; -EINVAL for any other value. Every
 * system call that takes a timeout checks it with this before it waits. */
int timeout_check(long timeout_ms);
/* The absolute deadline (arch_timer_ns) of a timeout in ms, for waitq_wait:
 * 0, meaning none, for TSB_FOREVER and for a timeout so long that the
 * deadline would be past the end of the clock (it saturates, never wraps).
 * Callers treat TSB_NO_WAIT themselves. */
uint64_t timer_deadline(long timeout_ms);

#endif
