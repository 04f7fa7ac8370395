/* Time: the TSC is the clock (arch_timer_ns); the local APIC timer, in
 * one-shot mode, raises the deadline interrupt. Both are calibrated
 * against the PIT, whose 1.193182 MHz input is the one fixed frequency
 * on a PC. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "io.h"
#include "kernel/printk.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define CALIBRATE_MS 10u
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

/* PIT channel 2 counts down once (mode 0) with its gate held high through
 * port 0x61; its output, readable in the same port, rises at zero. The
 * speaker stays off. Meanwhile we watch the TSC and a masked LAPIC timer. */
void timer_calibrate(struct boot_info *bi)
{
	const uint32_t latch = PIT_HZ / (1000 / CALIBRATE_MS);
	uint8_t port61 = inb(0x61);
	unsigned long spins = 0;

	outb(0x61, (port61 & ~0x02) | 0x01);
	outb(0x43, 0xb0); /* channel 2, low then high byte, mode 0, binary */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	lapic_timer_start(0xffffffff, true);
	uint64_t t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		if (++spins > 100000000ul)
			panic("timer: PIT channel 2 never reached zero");
	uint64_t t1 = rdtsc();
	uint32_t lapic_ticks = 0xffffffff - lapic_timer_current();
	outb(0x61, port61);

	uint64_t tsc_hz = (t1 - t0) * (1000 / CALIBRATE_MS);
	lapic_hz = (uint64_t)lapic_ticks * (1000 / CALIBRATE_MS);
	if (!tsc_hz || !lapic_hz)
		panic("timer: calibration failed (tsc %lu Hz, lapic %lu Hz)", tsc_hz, lapic_hz);
	ns_mult = (NS_PER_S << 32) / tsc_hz;
	tsc_origin = t1;
	bi->timer_hz = tsc_hz;
	kprintf("timer: TSC %lu kHz, LAPIC timer %lu kHz\n", tsc_hz / 1000, lapic_hz / 1000);
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
