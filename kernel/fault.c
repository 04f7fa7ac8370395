/* Fatal kernel exceptions and the breakpoint counter the trap test uses. */
#include "arch.h"
#include "kernel/klog.h"
#include "kernel/printk.h"

volatile unsigned long trap_breakpoint_hits;

_Noreturn void kernel_fault(const char *cause, uintptr_t addr, uintptr_t pc, uintptr_t fp)
{
	arch_irq_disable();
	klog_console_level(8); /* all of it on the console */
	kprintf("\nKERNEL FAULT: %s\n  address %p\n  pc      %p\nbacktrace:\n", cause,
		(void *)addr, (void *)pc);
	print_backtrace_frame(pc);
	arch_backtrace(fp, print_backtrace_frame, 16);
	arch_poweroff(PANIC_EXIT_STATUS);
}
