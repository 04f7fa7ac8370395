/* The goldfish real-time clock (QEMU riscv64 virt): two 32-bit registers
 * give nanoseconds since 1970; reading the low half latches the high. */
#include "rtc/goldfish_rtc.h"

#include "kernel/rtc.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"

#define TIME_LOW 0x00
#define TIME_HIGH 0x04

static volatile uint32_t *regs;

static int goldfish_read(void *ctx, uint64_t *unix_ns)
{
	(void)ctx;
	uint32_t lo = regs[TIME_LOW / 4];
	uint32_t hi = regs[TIME_HIGH / 4];
	*unix_ns = (uint64_t)hi << 32 | lo;
	return *unix_ns ? 0 : -EIO;
}

void goldfish_rtc_probe(uint64_t base, uint64_t size)
{
	regs = ioremap(base, size < 0x1000 ? 0x1000 : size);
	if (regs)
		rtc_register("goldfish-rtc", goldfish_read, NULL);
}
