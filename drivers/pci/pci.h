/* PCI configuration space through ECAM, bus enumeration and BARs. */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_BARS 6
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_VENDOR 0x09

struct pci_bar {
	uint64_t addr;   /* CPU physical address, 0 if unused */
	uint64_t size;
	bool is_io, is_64, prefetchable;
};

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if;
	uint8_t irq_pin;  /* 1..4 = INTA..INTD, 0 = none */
	uint8_t irq_line; /* Interrupt Line as the firmware left it (0xff: none) */
	struct pci_bar bar[PCI_MAX_BARS];
};

uint8_t pci_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* Offset of the first (after > 0: the next after `after`) capability with
 * this id, or 0. The walk is bounded, so a looping list cannot hang us. */
unsigned pci_find_cap(const struct pci_dev *d, uint8_t id, unsigned after);
/* Enables memory decoding and bus mastering (DMA). */
void pci_enable(const struct pci_dev *d);
/* Maps (uncached) `len` bytes at `off` in BAR n; NULL if out of range. */
volatile void *pci_map_bar(const struct pci_dev *d, unsigned n, uint64_t off, uint64_t len);

/* Scans every bus behind the host bridge and hands each function to the
 * driver that claims its vendor/device/class. Returns functions found. */
int pci_init(void);
/* The n-th function found by the last scan (for tests and listings). */
const struct pci_dev *pci_device(int n);

#endif
