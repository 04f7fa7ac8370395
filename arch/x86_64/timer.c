/* Time: the TSC is the clock (arch_timer_ns); the local APIC timer, in
 * one-shot mode, raises the deadline interrupt. Both are calibrated
 * against the PIT, whose 1.193182 MHz input is the one fixed frequency
 * on a PC. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "io.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define PIT_WINDOW (PIT_HZ / 50) /* PIT ticks in one calibration window: 20 ms */
#define MAX_ERROR_SHIFT 6        /* a window may be off by 1/64 at most */
#define WINDOWS 3                /* good windows wanted; the median counts */
#define MAX_WINDOWS 30
#define SAMPLE_TRIES 16
#define NS_PER_S 1000000000ULL
#define MAX_STEP_NS NS_PER_S /* longer waits are split: keeps count math in 64 bits */

static uint64_t tsc_origin, ns_mult; /* ns = (tsc - origin) * mult >> 32 */
static uint64_t lapic_hz;
static uint64_t deadline;
static bool armed;

uint64_t arch_timer_ns(void)
{
	if (!ns_mult)
		return 0; /* not calibrated yet: time stands still, but monotonic */
	return ((unsigned __int128)(rdtsc() - tsc_origin) * ns_mult) >> 32;
}

/* Calibration. PIT channel 2 counts down (mode 0) from 0xffff with its
 * gate held high through port 0x61 (speaker off); its output, readable in
 * the same port, rises if the count reaches zero. Its count and a masked
 * LAPIC timer are read between two TSC reads at both ends of a window of
 * PIT_WINDOW ticks. Under QEMU the device reads may wait for milliseconds
 * (the vCPU thread preempted by the host, or waiting for QEMU's I/O lock
 * while this shared machine is busy), and a window whose ends were not
 * read promptly gave frequencies off by orders of magnitude (seen: TSC
 * 5.8 MHz instead of 2.6 GHz, 4 boots in 10 with two busy loops beside).
 * So each end is the best of several tries, the TSC time around it bounds
 * how far off the window can be, a window off by more than 1/64 is not
 * used, and of the good windows the median counts. (What happens inside a
 * window does not matter: the three clocks all run in real time.) */
struct clock_sample {
	uint64_t tsc;   /* the middle of the reads */
	uint64_t slack; /* TSC ticks between the first and the last read */
	uint32_t lapic;
	uint16_t pit;
};

struct window {
	uint64_t tsc_hz, lapic_hz;
	uint64_t slack, tsc_ticks; /* it may be off by slack / tsc_ticks */
};

static uint16_t pit_count(void)
{
	outb(0x43, 0x80); /* latch channel 2's count */
	uint8_t lo = inb(0x42);
	return (uint16_t)(lo | inb(0x42) << 8);
}

static struct clock_sample sample_clocks(void)
{
	struct clock_sample best = {.slack = UINT64_MAX};

	for (int i = 0; i < SAMPLE_TRIES; i++) {
		uint64_t before = rdtsc();
		uint16_t pit = pit_count();
		uint32_t lapic = lapic_timer_current();
		uint64_t slack = rdtsc() - before;
		if (slack < best.slack)
			best = (struct clock_sample){before + slack / 2, slack, lapic, pit};
	}
	return best;
}

/* One window; false if the count ran out (the host stopped us for the
 * remaining 35 ms) or a clock did not move. */
static bool measure_window(struct window *w)
{
	/* Writing the mode (channel 2, low then high byte, mode 0, binary)
	 * also drops the output; the count is loaded by the time the writes
	 * are done. */
	outb(0x43, 0xb0);
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	lapic_timer_start(0xffffffff, true);
	struct clock_sample s = sample_clocks();
	for (unsigned long spins = 0; (uint16_t)(s.pit - pit_count()) < PIT_WINDOW; spins++)
		if (spins > 100000000ul)
			panic("timer: PIT channel 2 does not count");
	struct clock_sample e = sample_clocks();
	if ((inb(0x61) & 0x20) || e.tsc <= s.tsc)
		return false;
	uint64_t pit_ticks = (uint16_t)(s.pit - e.pit), tsc_ticks = e.tsc - s.tsc;
	w->tsc_hz = tsc_ticks * PIT_HZ / pit_ticks;
	w->lapic_hz = (uint64_t)(s.lapic - e.lapic) * PIT_HZ / pit_ticks;
	w->slack = s.slack + e.slack;
	w->tsc_ticks = tsc_ticks;
	return w->tsc_hz && w->lapic_hz;
}

void timer_calibrate(struct boot_info *bi)
{
	struct window good[WINDOWS], best = {.tsc_ticks = 0};
	uint8_t port61 = inb(0x61);
	int n = 0;

	outb(0x61, (port61 & ~0x02) | 0x01);
	for (int tries = 0; tries < MAX_WINDOWS && n < WINDOWS; tries++) {
		struct window w;
		if (!measure_window(&w))
			continue;
		if (!best.tsc_ticks || w.slack * best.tsc_ticks < best.slack * w.tsc_ticks)
			best = w;
		if (w.slack << MAX_ERROR_SHIFT > w.tsc_ticks)
			continue;
		int i = n++; /* insertion sort by TSC frequency */
		for (; i > 0 && good[i - 1].tsc_hz > w.tsc_hz; i--)
			good[i] = good[i - 1];
		good[i] = w;
	}
	outb(0x61, port61);
	if (!best.tsc_ticks)
		panic("timer: calibration against the PIT failed");
	struct window w = n ? good[n / 2] : best;
	if (!n)
		kprintf(KERN_WARNING "timer: calibration may be off by up to %lu%%: the machine is busy\n",
			(unsigned long)(w.slack * 100 / w.tsc_ticks) + 1);
	lapic_hz = w.lapic_hz;
	ns_mult = (NS_PER_S << 32) / w.tsc_hz;
	tsc_origin = rdtsc();
	bi->timer_hz = w.tsc_hz;
	kprintf("timer: TSC %lu kHz, LAPIC timer %lu kHz\n", w.tsc_hz / 1000, lapic_hz / 1000);
}

static void arm(void)
{
	uint64_t now = arch_timer_ns();
	uint64_t delta = deadline > now ? deadline - now : 0;

	if (delta > MAX_STEP_NS)
		delta = MAX_STEP_NS;
	/* +1: never early by rounding down; a past deadline still fires at once */
	uint64_t count = delta * lapic_hz / NS_PER_S + 1;
	lapic_timer_start(count > 0xffffffff ? 0xffffffff : (uint32_t)count, false);
}

void arch_timer_set_deadline(uint64_t ns)
{
	irq_flags_t f = arch_irq_save();

	deadline = ns;
	armed = true;
	arm();
	arch_irq_restore(f);
}

void timer_vector(void)
{
	if (!armed)
		return;
	if (arch_timer_ns() < deadline) { /* one step of a long wait, or early */
		arm();
		return;
	}
	armed = false;
	timer_interrupt();
}
