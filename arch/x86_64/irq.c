/* Platform interrupt numbers (see x86.h): GSIs go through the I/O APIC;
 * MSIs need no routing, as the device itself writes the vector to the
 * local APIC, so masking them is the driver's business (MSI-X table). */
#include <stdint.h>

#include "arch.h"
#include "tsubame/errno.h"
#include "x86.h"

/* MSI address: the fixed 0xfee window (architectural, unlike the local
 * APIC's register base, which comes from the MADT), destination APIC ID in
 * bits 19:12, physical mode. Data: the vector, fixed delivery, edge. */
#define MSI_ADDR_BASE 0xfee00000u

static unsigned msi_used; /* MSIs are never freed: drivers keep theirs */

int arch_msi_alloc(unsigned *irq, uint64_t *addr, uint32_t *data)
{
	irq_flags_t f = arch_irq_save();

	if (msi_used == NR_MSI) {
		arch_irq_restore(f);
		return -ENOSPC;
	}
	unsigned n = IRQ_MSI_BASE + msi_used++;
	arch_irq_restore(f);
	*irq = n;
	*addr = MSI_ADDR_BASE | (lapic_id() << 12);
	*data = VEC_IRQ_BASE + n;
	return 0;
}

int arch_irq_unmask(unsigned irq)
{
	if (irq < NR_GSI)
		return ioapic_route(irq);
	return irq < IRQ_MSI_BASE + msi_used ? 0 : -EINVAL;
}

void arch_irq_mask(unsigned irq)
{
	if (irq < NR_GSI)
		ioapic_mask(irq);
}
