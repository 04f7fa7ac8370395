/* Wall-clock time. A real-time clock driver (goldfish on riscv64 virt,
 * the CMOS clock on x86) registers itself; the kernel reads it once and
 * then counts from the monotonic clock, so later reads cost nothing and
 * never go backwards. Times are nanoseconds since 1970-01-01 UTC. */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include <stdint.h>

/* read() returns 0 and the current time, or -errno. */
void rtc_register(const char *name, int (*read)(void *ctx, uint64_t *unix_ns), void *ctx);
/* The wall-clock time, or -ENODEV when no clock was registered. */
int rtc_now(uint64_t *unix_ns);
/* The registered clock read now (rtc_now counts from one early read): an
 * independent measure of time, for checking the monotonic clock against
 * (selftest). 0, -ENODEV, or the driver's error. */
int rtc_read_hardware(uint64_t *unix_ns);

#endif
