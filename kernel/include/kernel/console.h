/* The serial console for user programs: interrupt-driven input into a
 * ring buffer, output straight to the arch console. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);
/* Up to len bytes; waits for at least one (timeout_ms: 0 = don't wait,
 * TSB_FOREVER, or ms). Returns the count, -EAGAIN, -ETIMEDOUT or -EINTR. */
long console_read(char *buf, size_t len, long timeout_ms);
void console_write(const char *buf, size_t len);
/* Kernel log text for the console (klog.c): on a line of its own, with
 * what a program had started on the current line written again after it. */
void console_log_output(const char *text, size_t len);
/* For tests: feeds bytes as if they had been typed. */
void console_inject(const char *buf, size_t len);

#endif
