/* The periodic tick, built on the arch's one-shot deadline timer. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

/* 10 ms: fine enough for responsive sleeps and round-robin (a 55 ms PIT
 * tick would make every sleep coarse), cheap enough under TCG. */
#define TICK_NS 10000000ull

void timer_start(void);
uint64_t timer_ticks(void);
/* The absolute deadline (arch_timer_ns) of a timeout in ms, for waitq_wait:
 * 0, meaning none, for TSB_FOREVER (any negative value). Callers treat
 * TSB_NO_WAIT themselves. */
uint64_t timer_deadline(long timeout_ms);

#endif
