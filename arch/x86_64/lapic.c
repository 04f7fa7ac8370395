/* Local APIC of the boot CPU (xAPIC, memory-mapped), and the legacy 8259
 * PICs, which are shut off so that only the APICs deliver interrupts. */
#include <stdint.h>

#include "acpi.h"
#include "arch.h"
#include "kernel/vm.h"
#include "cpu.h"
#include "io.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"
#include "x86.h"

#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define SVR_ENABLE 0x100
#define LVT_MASKED (1u << 16)
#define APIC_BASE_ENABLE (1ULL << 11)

static volatile uint32_t *lapic;

static uint32_t rd(unsigned reg)
{
	return lapic[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

/* The 8259s power up delivering to vectors 8-15, on top of the CPU
 * exceptions. Even masked they can raise a spurious IRQ 7/15, so move them
 * to VEC_PIC_BASE (ignored by trap_dispatch) before masking every line. */
static void pic_disable(void)
{
	outb(0x20, 0x11); /* ICW1: init, ICW4 follows */
	outb(0xa0, 0x11);
	outb(0x21, VEC_PIC_BASE);     /* ICW2: vector base */
	outb(0xa1, VEC_PIC_BASE + 8);
	outb(0x21, 4); /* ICW3: slave on IRQ 2 */
	outb(0xa1, 2);
	outb(0x21, 1); /* ICW4: 8086 mode */
	outb(0xa1, 1);
	outb(0x21, 0xff); /* mask everything */
	outb(0xa1, 0xff);
}

int lapic_init(void)
{
	pic_disable();
	lapic = ioremap(acpi.lapic_pa, PAGE_SIZE);
	if (!lapic)
		return -ENOMEM;
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	wr(LAPIC_TPR, 0); /* accept every priority */
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_LVT_LINT0, LVT_MASKED); /* the PICs' ExtINT path */
	wr(LAPIC_LVT_ERROR, LVT_MASKED);
	wr(LAPIC_TIMER_DIV, 0x3); /* divide by 16 */
	wr(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	return 0;
}

uint32_t lapic_id(void)
{
	return rd(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

/* Starts the one-shot timer: count ticks, then `vector` (or nothing, if
 * masked: used to calibrate). A count of 0 would stop it. */
void lapic_timer_start(uint32_t count, bool masked)
{
	wr(LAPIC_LVT_TIMER, VEC_TIMER | (masked ? LVT_MASKED : 0));
	wr(LAPIC_TIMER_INIT, count ? count : 1);
}

uint32_t lapic_timer_current(void)
{
	return rd(LAPIC_TIMER_CUR);
}
