/* PCI on riscv virt: the generic ECAM host bridge from the device tree
 * (kernel/firmware/fdt_boot.c reads it). Nothing assigns BARs before us, so
 * the generic code gets the bridge's 32-bit memory window; INTx pins reach
 * the PLIC through the bridge's interrupt-map. */
#include "arch.h"
#include "kernel/fdt_boot.h"
#include "riscv.h"
#include "tsubame/errno.h"

int arch_pci_host(struct pci_host *out)
{
	return fdt_boot_pci_host(out);
}

int arch_msi_alloc(unsigned *irq, uint64_t *addr, uint32_t *data)
{
	(void)irq, (void)addr, (void)data;
	return -ENOTSUP; /* no IMSIC on the default virt board */
}

/* The firmware's Interrupt Line register means nothing here. */
int arch_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, unsigned line, unsigned *irq)
{
	(void)line;
	return fdt_boot_pci_intx(bus, dev, fn, pin, riscv_plat.plic_phandle, irq);
}
