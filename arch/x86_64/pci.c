/* The PCI host bridge, from the ACPI MCFG. The firmware (SeaBIOS) has
 * already assigned every BAR, so no window is handed out for that. */
#include <stdint.h>

#include "acpi.h"
#include "arch.h"
#include "tsubame/errno.h"
#include "x86.h"

int arch_pci_host(struct pci_host *out)
{
	if (!acpi.ecam_valid)
		return -ENODEV;
	/* The MCFG base is where bus 0 would be, even if the range starts later. */
	*out = (struct pci_host){
		.ecam_base = acpi.ecam_pa + ((uint64_t)acpi.ecam_bus_start << 20),
		.bus_start = acpi.ecam_bus_start,
		.bus_end = acpi.ecam_bus_end,
	};
	return 0;
}

/* The exact INTx routing is in the DSDT's _PRT, which takes an AML
 * interpreter to read. Instead use the ISA IRQ the firmware routed the pin
 * to and wrote into the function's Interrupt Line register (as the MP table
 * does); QEMU's PIIX and ICH9 also deliver that IRQ to the I/O APIC. */
int arch_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, unsigned line, unsigned *irq)
{
	if (pin < 1 || pin > 4 || !acpi.ecam_valid || bus < acpi.ecam_bus_start ||
	    bus > acpi.ecam_bus_end || dev > 31 || fn > 7)
		return -EINVAL;
	if (line == 0 || line >= 16) /* 0xff: not connected / not routed */
		return -ENOENT;
	*irq = acpi_isa_irq_to_gsi(line);
	ioapic_mark_pci(*irq);
	return 0;
}
