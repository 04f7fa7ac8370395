/* Console input arrives by interrupt into a ring; readers sleep until a
 * byte is there. If the arch has no receive interrupt, the timer tick
 * polls instead (slower, still no busy wait for readers). */
#include "kernel/console.h"

#include "arch.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"
#include "tsubame/syscall.h"

#define RING 1024

static char ring[RING];
static unsigned head, tail; /* head: next write, tail: next read */
static struct waitq readers;

static void push(char c)
{
	if (head - tail < RING) /* full: drop the newest byte */
		ring[head++ % RING] = c;
}

static void drain_uart(void *unused)
{
	int c;

	(void)unused;
	while ((c = arch_console_getc()) >= 0)
		push((char)c);
	if (head != tail)
		waitq_wake_all(&readers);
}

void console_init(void)
{
	unsigned irq;

	waitq_init(&readers);
	if (arch_console_enable_rx_irq(&irq) != 0 || irq_register(irq, drain_uart, NULL) != 0)
		kprintf("console: no receive interrupt; input is polled\n");
}

void console_inject(const char *buf, size_t len)
{
	irq_flags_t f = arch_irq_save();
	for (size_t i = 0; i < len; i++)
		push(buf[i]);
	waitq_wake_all(&readers);
	arch_irq_restore(f);
}

long console_read(char *buf, size_t len, long timeout_ms)
{
	uint64_t deadline = timer_deadline(timeout_ms);
	long n = 0;

	if (timeout_check(timeout_ms))
		return -EINVAL;
	if (len == 0)
		return 0;
	irq_flags_t f = arch_irq_save();
	for (;;) {
		drain_uart(NULL); /* covers a missed or absent interrupt */
		while (tail != head && (size_t)n < len)
			buf[n++] = ring[tail++ % RING];
		if (n > 0)
			break;
		if (timeout_ms == TSB_NO_WAIT) {
			n = -EAGAIN;
			break;
		}
		/* Wake at least every tick to poll when there is no interrupt. */
		uint64_t tick = arch_timer_ns() + 20000000ull;
		bool woken = waitq_wait_interruptible(&readers, deadline && deadline < tick ? deadline : tick);
		if (thread_current()->interrupted) {
			n = -EINTR;
			break;
		}
		if (!woken && deadline && arch_timer_ns() >= deadline) {
			n = -ETIMEDOUT;
			break;
		}
	}
	arch_irq_restore(f);
	return n;
}

void console_write(const char *buf, size_t len)
{
	irq_flags_t f = arch_irq_save();
	for (size_t i = 0; i < len; i++)
		arch_console_putc(buf[i]);
	arch_irq_restore(f);
}
