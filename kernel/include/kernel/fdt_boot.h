/* The machine as a flattened device tree describes it, in the terms of
 * boot_info: written once for every arch that boots with an FDT (riscv64
 * today; an aarch64 port would use the same). The arch keeps only what is
 * its own: its interrupt controller, its timer, its power-off device.
 *
 * For SMP later: the /cpus node (one cpu@N per hart with status, isa and
 * interrupts-extended naming its interrupt-controller contexts) belongs
 * here too, as an iterator the arch asks for each CPU. */
#ifndef KERNEL_FDT_BOOT_H
#define KERNEL_FDT_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "fdt/fdt.h"

/* Usable RAM (device_type "memory") into bi->ram; the reservation block,
 * /reserved-memory and the blob itself (at fdt_pa) into bi->reserved. */
void fdt_boot_memory(const struct fdt *f, uint64_t fdt_pa, struct boot_info *bi);
/* /chosen/bootargs into bi->cmdline ("" if none). */
void fdt_boot_cmdline(const struct fdt *f, struct boot_info *bi);
/* The nodes generic drivers probe (kernel/devices.c), by compatible, into
 * bi->devices: base, size and first interrupt cell. */
void fdt_boot_devices(const struct fdt *f, struct boot_info *bi);

/* The console UART: the node /chosen/stdout-path names, else the first
 * ns16550a. Its registers go into bi->mmio (kept mapped by vm_init).
 * 0 or -ENOENT. */
struct fdt_uart {
	uint64_t pa, size;
	unsigned irq; /* first interrupt cell, 0 if none */
};
int fdt_boot_console(const struct fdt *f, struct boot_info *bi, struct fdt_uart *out);

/* The first cell of a node's "interrupts" (0 if none): the platform
 * interrupt number wherever the controller takes one cell (PLIC). */
unsigned fdt_first_interrupt(const struct fdt *f, int node);

/* The generic PCI host bridge, kept for arch_pci_host / arch_pci_intx:
 * fdt_boot_pci reads it (false if there is none), fdt_boot_pci_host
 * fills a pci_host, fdt_boot_pci_intx gives the one-cell interrupt an INTx
 * pin is routed to on the controller with phandle `controller`. */
bool fdt_boot_pci(const struct fdt *f);
int fdt_boot_pci_host(struct pci_host *out);
int fdt_boot_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, uint32_t controller,
		      unsigned *irq);

#endif
