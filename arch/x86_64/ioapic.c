/* I/O APICs: route a GSI to vector VEC_IRQ_BASE + gsi on the boot CPU. */
#include <stdint.h>

#include "acpi.h"
#include "arch.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"
#include "x86.h"

#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL 0x10 /* pin p: low word at 0x10 + 2p, high at +1 */

#define RTE_POLARITY_LOW (1u << 13)
#define RTE_TRIGGER_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)

struct ioapic {
	volatile uint32_t *regs; /* IOREGSEL at +0, IOWIN at +0x10 */
	uint32_t gsi_base, pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static int nioapics;
static uint32_t dest_apic; /* the boot CPU's local APIC ID */
static uint64_t pci_gsis;  /* bit g: GSI g carries PCI INTx (see pci.c) */

/* Select-then-access: callers keep interrupts off so that nothing on this
 * CPU changes the selector in between. */
static uint32_t rd(struct ioapic *a, uint32_t reg)
{
	a->regs[0] = reg;
	return a->regs[4];
}

static void wr(struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[0] = reg;
	a->regs[4] = v;
}

int ioapic_init(void)
{
	dest_apic = lapic_id();
	for (int i = 0; i < acpi.nioapics; i++) {
		struct ioapic *a = &ioapics[nioapics];
		a->regs = ioremap(acpi.ioapics[i].pa, 0x20);
		if (!a->regs)
			return -ENOMEM;
		a->gsi_base = acpi.ioapics[i].gsi_base;
		a->pins = ((rd(a, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (uint32_t p = 0; p < a->pins; p++)
			wr(a, IOAPIC_REDTBL + 2 * p, RTE_MASKED);
		nioapics++;
	}
	return nioapics ? 0 : -ENODEV;
}

static struct ioapic *find(unsigned gsi, unsigned *pin)
{
	for (int i = 0; i < nioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/* Trigger mode and polarity: as the MADT override says; otherwise ISA
 * lines (GSI < 16) are edge/active-high and PCI lines level/active-low. */
static uint32_t gsi_mode(unsigned gsi)
{
	for (int i = 0; i < acpi.noverrides; i++) {
		const struct acpi_override *o = &acpi.overrides[i];
		if (o->gsi != gsi)
			continue;
		uint32_t m = 0; /* "bus default" for ISA = edge, high */
		if ((o->flags & ACPI_POLARITY_MASK) == ACPI_POLARITY_LOW)
			m |= RTE_POLARITY_LOW;
		if ((o->flags & ACPI_TRIGGER_MASK) == ACPI_TRIGGER_LEVEL)
			m |= RTE_TRIGGER_LEVEL;
		return m;
	}
	if (gsi < 16 && !(pci_gsis >> gsi & 1))
		return 0;
	return RTE_POLARITY_LOW | RTE_TRIGGER_LEVEL;
}

void ioapic_mark_pci(unsigned gsi)
{
	if (gsi < 64)
		pci_gsis |= 1ULL << gsi;
}

int ioapic_route(unsigned gsi)
{
	unsigned pin;
	struct ioapic *a = find(gsi, &pin);

	if (!a)
		return -ENODEV;
	irq_flags_t f = arch_irq_save();
	wr(a, IOAPIC_REDTBL + 2 * pin + 1, dest_apic << 24);
	/* fixed delivery, physical destination, unmasked */
	wr(a, IOAPIC_REDTBL + 2 * pin, (VEC_IRQ_BASE + gsi) | gsi_mode(gsi));
	arch_irq_restore(f);
	return 0;
}

void ioapic_mask(unsigned gsi)
{
	unsigned pin;
	struct ioapic *a = find(gsi, &pin);

	if (!a)
		return;
	irq_flags_t f = arch_irq_save();
	wr(a, IOAPIC_REDTBL + 2 * pin, RTE_MASKED);
	arch_irq_restore(f);
}
