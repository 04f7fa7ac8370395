/* Time on riscv64: the `time` CSR counts at the FDT's timebase frequency;
 * deadlines go through the SBI timer extension. Conversions use a 32.32
 * fixed-point factor so no 128-bit division is needed. */
#include "arch.h"
#include "kernel/printk.h"
#include "riscv.h"
#include "sbi.h"

static uint64_t ns_per_tick_fp;  /* (1e9 << 32) / hz */
static uint64_t ticks_per_ns_fp; /* (hz << 32) / 1e9, rounded up */

static uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t mul_shift32(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

void riscv_timer_init(uint64_t hz)
{
	if (hz == 0)
		panic("timer: the device tree gives no timebase-frequency");
	ns_per_tick_fp = (1000000000ull << 32) / hz;
	ticks_per_ns_fp = ((hz << 32) + 999999999ull) / 1000000000ull;
	csr_set(sie, SIE_STIE);
}

uint64_t arch_timer_ns(void)
{
	return mul_shift32(rdtime(), ns_per_tick_fp);
}

void arch_timer_set_deadline(uint64_t ns)
{
	/* +1 rounds up so the interrupt never comes before the deadline. */
	sbi_set_timer(mul_shift32(ns, ticks_per_ns_fp) + 1);
}
