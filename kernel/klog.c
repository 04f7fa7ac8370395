/* The kernel log ring (see klog.h). One CPU and interrupts off around
 * every change: kprintf may come from an interrupt handler. */
#include "kernel/klog.h"

#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"

static char ring[KLOG_BYTES];
static size_t head, used;        /* next byte written; bytes held */
static int console_level = KLOG_BOOT_CONSOLE;
static bool level_pinned;         /* loglevel= on the command line */
static bool mid_line;             /* the last line has no newline yet */
static int line_level;            /* ... and this level */

static void ring_put(char c)
{
	if (used == KLOG_BYTES) { /* full: drop the oldest line (or what is left of it) */
		size_t tail = (head + KLOG_BYTES - used) % KLOG_BYTES;
		while (used > 0) {
			char old = ring[tail];
			tail = (tail + 1) % KLOG_BYTES;
			used--;
			if (old == '\n')
				break;
		}
	}
	ring[head] = c;
	head = (head + 1) % KLOG_BYTES;
	used++;
}

static void ring_puts(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring_put(s[i]);
}

/* "<N>" at the start of a line: its level, and the prefix's length. */
static size_t level_prefix(const char *s, size_t n, int *level)
{
	if (n >= 3 && s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>') {
		*level = s[1] - '0';
		return 3;
	}
	return 0;
}

void klog_write(int level, const char *text, size_t len)
{
	irq_flags_t f = arch_irq_save();
	size_t i = 0;

	while (i < len) {
		if (!mid_line && text[i] == '\n') { /* a blank line: spacing on the console only */
			if (level < console_level)
				console_log_output(text + i, 1);
			i++;
			continue;
		}
		if (!mid_line) {
			line_level = level;
			i += level_prefix(text + i, len - i, &line_level);
			uint64_t us = arch_timer_ns() / 1000;
			char stamp[32];
			int n = fmt_snprintf(stamp, sizeof stamp, "[%5llu.%06llu] ", (unsigned long long)(us / 1000000),
					     (unsigned long long)(us % 1000000));
			ring_puts(stamp, (size_t)n);
			mid_line = true;
		}
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) + 1 : len - i;
		ring_puts(text + i, n);
		if (line_level < console_level)
			console_log_output(text + i, n);
		if (nl)
			mid_line = false;
		i += n;
	}
	arch_irq_restore(f);
}

size_t klog_read(char *out, size_t size)
{
	irq_flags_t f = arch_irq_save();
	size_t n = used < size ? used : size;
	size_t from = (head + KLOG_BYTES - n) % KLOG_BYTES;
	for (size_t i = 0; i < n; i++)
		out[i] = ring[(from + i) % KLOG_BYTES];
	arch_irq_restore(f);
	return n;
}

int klog_console_level(int level)
{
	int old = console_level;
	if (level >= 0 && level <= 8)
		console_level = level;
	return old;
}

void klog_cmdline(const char *cmdline)
{
	char v[4];
	if (cmdline_value(cmdline, "loglevel", v, sizeof v) && v[0] >= '0' && v[0] <= '8' && !v[1]) {
		console_level = v[0] - '0';
		level_pinned = true;
	}
}

void klog_boot_done(void)
{
	if (!level_pinned)
		console_level = KLOG_QUIET_CONSOLE;
}
