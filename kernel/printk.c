/* kprintf goes straight to the arch console with interrupts off, so that
 * lines from interrupt handlers never interleave mid-line. */
#include <stdarg.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/printk.h"

static void console_out(char c, void *ctx)
{
	(void)ctx;
	arch_console_putc(c);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	irq_flags_t f = arch_irq_save();

	va_start(ap, fmt);
	int n = fmt_vformat(console_out, NULL, fmt, ap);
	va_end(ap);
	arch_irq_restore(f);
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
	kprintf("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	fmt_vformat(console_out, NULL, fmt, ap);
	va_end(ap);
	kprintf("\nbacktrace:\n");
	arch_backtrace(arch_frame_pointer(), print_backtrace_frame, 16);
	arch_poweroff(PANIC_EXIT_STATUS);
}
