/* kprintf goes to the kernel log (kernel/klog.c), which shows it on the
 * console by its level; a panic writes straight to the console. */
#include <stdarg.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/klog.h"
#include "kernel/printk.h"

static void console_out(char c, void *ctx)
{
	(void)ctx;
	arch_console_putc(c);
}

struct line {
	char buf[256];
	size_t len;
};

static void to_line(char c, void *ctx)
{
	struct line *l = ctx;
	if (l->len < sizeof l->buf)
		l->buf[l->len++] = c;
	if (c == '\n' || l->len == sizeof l->buf) { /* long messages go in pieces */
		klog_write(KLOG_DEFAULT_LEVEL, l->buf, l->len);
		l->len = 0;
	}
}

/* Into the kernel log (and the console, by level: klog.h). */
int kprintf(const char *fmt, ...)
{
	va_list ap;
	struct line l = { .len = 0 };

	va_start(ap, fmt);
	int n = fmt_vformat(to_line, &l, fmt, ap);
	va_end(ap);
	if (l.len)
		klog_write(KLOG_DEFAULT_LEVEL, l.buf, l.len);
	return n;
}

void print_backtrace_frame(uintptr_t pc)
{
	kprintf("  [<%p>]\n", (void *)pc);
}

static int in_panic;

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	if (in_panic++) /* a panic while panicking: just stop */
		arch_poweroff(PANIC_EXIT_STATUS);
	klog_console_level(8); /* all of it on the console, whatever the level */
	kprintf("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	fmt_vformat(console_out, NULL, fmt, ap);
	va_end(ap);
	kprintf("\nbacktrace:\n");
	arch_backtrace(arch_frame_pointer(), print_backtrace_frame, 16);
	arch_poweroff(PANIC_EXIT_STATUS);
}
