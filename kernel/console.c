/* Console input arrives by interrupt into a ring; readers sleep until a
 * byte is there. If the arch has no receive interrupt, the timer tick
 * polls instead (slower, still no busy wait for readers). */
#include "kernel/console.h"

#include <string.h>

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

/* What programs have written on the console's current line: the shell's
 * prompt and the line being typed (its editor echoes every key). A log
 * message that must reach the console then starts on a line of its own
 * and this is written again below it, so that a message never cuts
 * through what the user is typing (the shell redraws nothing itself). */
static char user_line[512];
static size_t user_len;
static bool user_line_lost;   /* longer than user_line: not replayed */
static bool log_mid_line;     /* the kernel's own output stopped mid-line */

static void track(char c)
{
	if (c == '\n') {
		user_len = 0;
		user_line_lost = false;
	} else if (user_len < sizeof user_line) {
		user_line[user_len++] = c;
		/* A cleared screen (Ctrl-L) starts the line afresh. */
		if (user_len >= 4 && memcmp(user_line + user_len - 4, "\x1b[2J", 4) == 0)
			user_len = 0;
	} else {
		user_line_lost = true;
	}
}

void console_write(const char *buf, size_t len)
{
	irq_flags_t f = arch_irq_save();
	if (log_mid_line) { /* a kernel message left unfinished: ours starts below */
		arch_console_putc('\n');
		log_mid_line = false;
	}
	for (size_t i = 0; i < len; i++) {
		arch_console_putc(buf[i]);
		track(buf[i]);
	}
	arch_irq_restore(f);
}

void console_log_output(const char *text, size_t len)
{
	irq_flags_t f = arch_irq_save();
	if (!len)
		goto out;
	if (!log_mid_line && (user_len || user_line_lost))
		arch_console_putc('\n');
	for (size_t i = 0; i < len; i++)
		arch_console_putc(text[i]);
	log_mid_line = text[len - 1] != '\n';
	if (!log_mid_line && !user_line_lost)
		for (size_t i = 0; i < user_len; i++)
			arch_console_putc(user_line[i]);
out:
	arch_irq_restore(f);
}
