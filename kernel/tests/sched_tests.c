/* Kernel threads: creation, preemption, blocking, timed sleep. */
#include "arch.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"

static volatile int counter;
static struct waitq wq;
static volatile int flag;

static void count_up(void *arg)
{
	int n = (int)(uintptr_t)arg;
	for (int i = 0; i < n; i++) {
		counter++;
		thread_yield();
	}
}

SELFTEST(sched_threads_run_and_exit)
{
	counter = 0;
	CHECK(thread_create("t1", count_up, (void *)100) != NULL);
	CHECK(thread_create("t2", count_up, (void *)100) != NULL);
	uint64_t start = arch_timer_ns();
	while (counter < 200 && arch_timer_ns() - start < 2000000000ull)
		thread_yield();
	CHECKF(counter == 200, "counter %d", counter);
}

static void spin_forever_until_flag(void *arg)
{
	(void)arg;
	while (!flag)
		counter++; /* never yields: only preemption lets others run */
}

SELFTEST(sched_preemption)
{
	flag = 0;
	counter = 0;
	CHECK(thread_create("spinner", spin_forever_until_flag, NULL) != NULL);
	thread_yield(); /* let it start */
	uint64_t t0 = timer_ticks();
	/* We get the CPU back although the spinner never yields. */
	while (timer_ticks() < t0 + 3 * SCHED_SLICE_TICKS)
		thread_yield();
	CHECK(counter > 0);
	flag = 1;
	thread_yield();
}

static void waker(void *arg)
{
	(void)arg;
	thread_sleep_ns(20000000ull); /* 20 ms */
	flag = 1;
	waitq_wake_all(&wq);
}

SELFTEST(sched_waitq_block_and_wake)
{
	waitq_init(&wq);
	flag = 0;
	unsigned long sw0 = sched_context_switches();
	CHECK(thread_create("waker", waker, NULL) != NULL);
	uint64_t start = arch_timer_ns();
	irq_flags_t f = arch_irq_save();
	bool woken = true;
	while (!flag && woken)
		woken = waitq_wait(&wq, start + 2000000000ull);
	arch_irq_restore(f);
	uint64_t took = arch_timer_ns() - start;
	CHECK(woken && flag);
	CHECKF(took >= 20000000ull && took < 500000000ull, "woke after %llu ns",
	       (unsigned long long)took);
	CHECK(sched_context_switches() > sw0);
}

SELFTEST(sched_wait_timeout)
{
	struct waitq nobody;
	waitq_init(&nobody);
	uint64_t start = arch_timer_ns();
	irq_flags_t f = arch_irq_save();
	bool woken = waitq_wait(&nobody, start + 30000000ull);
	arch_irq_restore(f);
	uint64_t took = arch_timer_ns() - start;
	CHECK(!woken);
	CHECKF(took >= 30000000ull && took < 1000000000ull, "timeout after %llu ns",
	       (unsigned long long)took);
}
