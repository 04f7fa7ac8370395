/* Generic PCI: ECAM config access, a recursive scan through bridges, BAR
 * sizing (and assignment where the firmware left BARs unset, as on riscv
 * virt), and dispatch to drivers by vendor/device/class. */
#include "pci.h"

#include "arch.h"
#include "kernel/heap.h"
#include "kernel/printk.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"

#define MAX_DEVICES 64
#define MAX_BUSES 256
#define CFG_COMMAND 0x04
#define CFG_STATUS 0x06
#define CFG_HEADER_TYPE 0x0e
#define CFG_BAR0 0x10
#define CFG_SECONDARY_BUS 0x19
#define CFG_CAP_PTR 0x34
#define CFG_INTERRUPT_LINE 0x3c
#define CFG_INTERRUPT_PIN 0x3d
#define STATUS_CAP_LIST 0x10
#define CMD_MEMORY 0x2
#define CMD_BUS_MASTER 0x4

struct pci_driver {
	uint16_t vendor;
	uint16_t device_min, device_max;
	int (*probe)(struct pci_dev *d);
};

int virtio_pci_probe(struct pci_dev *d);

static const struct pci_driver drivers[] = {
	{ 0x1af4, 0x1040, 0x107f, virtio_pci_probe }, /* modern virtio devices */
};

static struct pci_host host;
static volatile uint8_t *bus_cfg[MAX_BUSES]; /* 1 MiB of ECAM per bus, mapped on demand */
static struct pci_dev *devices[MAX_DEVICES];
static int ndevices;
static uint64_t next_mem; /* for unassigned BARs */

static volatile uint8_t *cfg(const struct pci_dev *d, unsigned off)
{
	return bus_cfg[d->bus] + ((unsigned)d->dev << 15 | (unsigned)d->fn << 12 | (off & 0xfff));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off) { return *cfg(d, off); }
uint16_t pci_read16(const struct pci_dev *d, unsigned off) { return *(volatile uint16_t *)cfg(d, off); }
uint32_t pci_read32(const struct pci_dev *d, unsigned off) { return *(volatile uint32_t *)cfg(d, off); }
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v) { *(volatile uint16_t *)cfg(d, off) = v; }
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v) { *(volatile uint32_t *)cfg(d, off) = v; }

static int map_bus(unsigned bus)
{
	if (bus < host.bus_start || bus > host.bus_end || bus >= MAX_BUSES)
		return -ERANGE;
	if (!bus_cfg[bus]) {
		bus_cfg[bus] = ioremap(host.ecam_base + ((uint64_t)(bus - host.bus_start) << 20), 1u << 20);
		if (!bus_cfg[bus])
			return -ENOMEM;
	}
	return 0;
}

unsigned pci_find_cap(const struct pci_dev *d, uint8_t id, unsigned after)
{
	if (!(pci_read16(d, CFG_STATUS) & STATUS_CAP_LIST))
		return 0;
	unsigned off = after ? pci_read8(d, after + 1) : pci_read8(d, CFG_CAP_PTR);
	for (int guard = 0; off >= 0x40 && off < 0x100 && guard < 48; guard++) {
		if (pci_read8(d, off) == id)
			return off;
		off = pci_read8(d, off + 1);
	}
	return 0;
}

void pci_enable(const struct pci_dev *d)
{
	pci_write16(d, CFG_COMMAND, pci_read16(d, CFG_COMMAND) | CMD_MEMORY | CMD_BUS_MASTER);
}

volatile void *pci_map_bar(const struct pci_dev *d, unsigned n, uint64_t off, uint64_t len)
{
	if (n >= PCI_MAX_BARS || d->bar[n].is_io || !d->bar[n].addr || off > d->bar[n].size ||
	    len > d->bar[n].size - off)
		return NULL;
	return ioremap(d->bar[n].addr + off, len);
}

/* Sizes BAR n (the standard write-all-ones probe) and, if the firmware left
 * it unassigned and the arch gave us a window, places it. Returns how many
 * BAR slots it used (2 for a 64-bit BAR). */
static int probe_bar(struct pci_dev *d, int n)
{
	unsigned off = CFG_BAR0 + 4u * (unsigned)n;
	uint32_t orig = pci_read32(d, off);
	struct pci_bar *b = &d->bar[n];

	b->is_io = orig & 1;
	b->is_64 = !b->is_io && ((orig >> 1) & 3) == 2;
	b->prefetchable = !b->is_io && (orig & 8);
	uint32_t orig_hi = b->is_64 ? pci_read32(d, off + 4) : 0;
	pci_write32(d, off, 0xffffffffu);
	uint32_t mask = pci_read32(d, off);
	pci_write32(d, off, orig);
	uint64_t mask64 = mask & (b->is_io ? ~3u : ~15u);
	if (b->is_64) {
		pci_write32(d, off + 4, 0xffffffffu);
		mask64 |= (uint64_t)pci_read32(d, off + 4) << 32;
		pci_write32(d, off + 4, orig_hi);
	} else if (mask64) {
		mask64 |= 0xffffffff00000000ull;
	}
	if (mask64 == 0)
		return 1; /* unimplemented BAR */
	b->size = ~mask64 + 1;
	uint64_t bus_addr = (orig & (b->is_io ? ~3u : ~15u)) | (uint64_t)orig_hi << 32;
	if (bus_addr == 0 && !b->is_io && host.mem_size) {
		uint64_t at = (next_mem + b->size - 1) & ~(b->size - 1);
		if (at + b->size <= host.mem_base + host.mem_size) {
			next_mem = at + b->size;
			bus_addr = at - host.mem_bus_offset;
			pci_write32(d, off, (uint32_t)bus_addr | (orig & 15));
			if (b->is_64)
				pci_write32(d, off + 4, (uint32_t)(bus_addr >> 32));
		}
	}
	b->addr = bus_addr ? bus_addr + (b->is_io ? 0 : host.mem_bus_offset) : 0;
	return b->is_64 ? 2 : 1;
}

static void scan_bus(unsigned bus, int depth);

static void scan_function(unsigned bus, unsigned dev, unsigned fn, int depth)
{
	struct pci_dev probe = { .bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn };
	uint16_t vendor = pci_read16(&probe, 0);

	if (vendor == 0xffff || ndevices == MAX_DEVICES)
		return;
	struct pci_dev *d = kzalloc(sizeof *d);
	if (!d)
		return;
	*d = probe;
	d->vendor = vendor;
	d->device = pci_read16(d, 2);
	d->prog_if = pci_read8(d, 9);
	d->subclass = pci_read8(d, 10);
	d->class_code = pci_read8(d, 11);
	d->irq_pin = pci_read8(d, CFG_INTERRUPT_PIN);
	d->irq_line = pci_read8(d, CFG_INTERRUPT_LINE);
	devices[ndevices++] = d;
	uint8_t type = pci_read8(d, CFG_HEADER_TYPE) & 0x7f;
	if (type == 1) { /* PCI-to-PCI bridge: follow it */
		unsigned secondary = pci_read8(d, CFG_SECONDARY_BUS);
		if (secondary > bus && depth < 8)
			scan_bus(secondary, depth + 1);
		return;
	}
	if (type != 0)
		return;
	for (int n = 0; n < PCI_MAX_BARS;)
		n += probe_bar(d, n);
}

static void scan_bus(unsigned bus, int depth)
{
	if (map_bus(bus) != 0)
		return;
	for (unsigned dev = 0; dev < 32; dev++) {
		struct pci_dev probe = { .bus = (uint8_t)bus, .dev = (uint8_t)dev };
		if (pci_read16(&probe, 0) == 0xffff)
			continue;
		bool multi = pci_read8(&probe, CFG_HEADER_TYPE) & 0x80;
		for (unsigned fn = 0; fn < (multi ? 8u : 1u); fn++)
			scan_function(bus, dev, fn, depth);
	}
}

const struct pci_dev *pci_device(int n)
{
	return n >= 0 && n < ndevices ? devices[n] : NULL;
}

int pci_init(void)
{
	if (arch_pci_host(&host) != 0)
		return 0;
	next_mem = host.mem_base;
	scan_bus(host.bus_start, 0);
	kprintf("pci: %d functions on buses %u-%u (ECAM at %#llx)\n", ndevices, host.bus_start,
		host.bus_end, (unsigned long long)host.ecam_base);
	for (int i = 0; i < ndevices; i++) {
		struct pci_dev *d = devices[i];
		for (unsigned k = 0; k < sizeof drivers / sizeof drivers[0]; k++)
			if (drivers[k].vendor == d->vendor && d->device >= drivers[k].device_min &&
			    d->device <= drivers[k].device_max)
				drivers[k].probe(d);
	}
	return ndevices;
}
