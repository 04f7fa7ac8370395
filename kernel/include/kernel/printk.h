/* Kernel console output and fatal errors. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdint.h>

/* One backtrace line, for panic and fault reports. */
void print_backtrace_frame(uintptr_t pc);

/* QEMU exit status used when the kernel panics (nonzero = failure). */
#define PANIC_EXIT_STATUS 3

#endif
