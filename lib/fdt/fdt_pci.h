/* A generic PCI host bridge as a device tree describes it
 * ("pci-host-ecam-generic"): its ECAM, bus range, 32-bit memory window and
 * the interrupt-map that routes INTx pins to an interrupt controller. Used
 * by the kernel on every FDT machine and by the host tests. */
#ifndef TSUBAME_FDT_PCI_H
#define TSUBAME_FDT_PCI_H

#include <stdint.h>

#include "fdt/fdt.h"

#define FDT_PCI_MAP_MAX 64
#define FDT_IRQ_CELLS_MAX 4 /* largest interrupt specifier kept (a GIC's is 3 cells) */

/* One interrupt-map entry: where a (device, pin) goes. */
struct fdt_pci_irq_route {
	uint32_t child_hi;       /* phys.hi of the child unit address: bus, device, function */
	uint32_t pin;            /* 1 = INTA .. 4 = INTD */
	uint32_t parent;         /* phandle of the interrupt controller */
	uint32_t ncells;         /* its #interrupt-cells */
	uint32_t spec[FDT_IRQ_CELLS_MAX]; /* the interrupt specifier in that controller */
};

struct fdt_pci_host {
	uint64_t ecam_base, ecam_size;
	unsigned bus_start, bus_end;
	uint64_t mem_base, mem_size;   /* the first 32-bit memory window (0: none) */
	uint64_t mem_bus_offset;       /* CPU address - PCI bus address in it */
	uint32_t mask_hi, mask_pin;    /* interrupt-map-mask */
	int nroutes;
	struct fdt_pci_irq_route routes[FDT_PCI_MAP_MAX];
};

/* Reads the first pci-host-ecam-generic node. Entry sizes come from the
 * cells properties: the bridge's #address-cells (3) and #interrupt-cells
 * (1) for the child side, and each interrupt parent's #address-cells (0 if
 * absent) and #interrupt-cells for the parent side. 0; -ENOENT if there is
 * no such bridge; -EINVAL if a property is malformed (the whole map is
 * then dropped: nroutes = 0, and the ECAM is still usable). */
int fdt_pci_host_parse(const struct fdt *f, struct fdt_pci_host *h);
/* The route of INTx `pin` of bus/dev/fn. 0, -EINVAL (bad pin), -ENOENT. */
int fdt_pci_route(const struct fdt_pci_host *h, unsigned bus, unsigned dev, unsigned fn,
		  unsigned pin, const struct fdt_pci_irq_route **out);

#endif
