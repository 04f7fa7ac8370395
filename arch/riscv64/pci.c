/* PCI on riscv virt: the generic ECAM host bridge from the device tree.
 * Nothing assigns BARs before us, so we hand the generic code the bridge's
 * 32-bit memory window; INTx pins reach the PLIC through interrupt-map. */
#include <string.h>

#include "arch.h"
#include "fdt/fdt.h"
#include "riscv.h"
#include "tsubame/errno.h"

#define MAP_MAX 64
#define MAP_CELLS 6 /* child (3 address + 1 pin), PLIC phandle, PLIC source */

static struct pci_host pci;
static bool have_pci;
static uint32_t map[MAP_MAX][MAP_CELLS];
static uint32_t map_mask[4];
static int map_entries;

static uint64_t cells(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

void riscv_parse_pci(const struct fdt *f)
{
	int n = fdt_find_compatible(f, -1, "pci-host-ecam-generic"), len;
	uint64_t size;

	if (n < 0 || fdt_reg(f, n, 0, &pci.ecam_base, &size) != 0)
		return;
	const uint8_t *p = fdt_prop(f, n, "bus-range", &len);
	pci.bus_start = p && len == 8 ? fdt_be32(p) : 0;
	pci.bus_end = p && len == 8 ? fdt_be32(p + 4) : (unsigned)(size >> 20) - 1;
	/* ranges: (pci addr: 3 cells)(cpu addr: 2 cells)(size: 2 cells) */
	p = fdt_prop(f, n, "ranges", &len);
	for (int i = 0; p && (i + 1) * 28 <= len; i++) {
		const uint8_t *e = p + i * 28;
		if ((fdt_be32(e) >> 24 & 3) == 2 && !pci.mem_size) { /* 32-bit memory space */
			uint64_t bus = cells(e + 4, 2), cpu = cells(e + 12, 2);
			pci.mem_base = cpu;
			pci.mem_size = cells(e + 20, 2);
			pci.mem_bus_offset = cpu - bus;
		}
	}
	p = fdt_prop(f, n, "interrupt-map-mask", &len);
	if (p && len == 16)
		for (int i = 0; i < 4; i++)
			map_mask[i] = fdt_be32(p + 4 * i);
	p = fdt_prop(f, n, "interrupt-map", &len);
	for (int i = 0; p && i < MAP_MAX && (i + 1) * MAP_CELLS * 4 <= len; i++, map_entries++)
		for (int c = 0; c < MAP_CELLS; c++)
			map[i][c] = fdt_be32(p + (i * MAP_CELLS + c) * 4);
	have_pci = true;
}

int arch_pci_host(struct pci_host *out)
{
	if (!have_pci)
		return -ENODEV;
	*out = pci;
	return 0;
}

int arch_msi_alloc(unsigned *irq, uint64_t *addr, uint32_t *data)
{
	(void)irq, (void)addr, (void)data;
	return -ENOTSUP; /* no IMSIC on the default virt board */
}

int arch_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, unsigned *irq)
{
	uint32_t hi = bus << 16 | dev << 11 | fn << 8;

	if (pin < 1 || pin > 4)
		return -EINVAL;
	for (int i = 0; i < map_entries; i++)
		if ((hi & map_mask[0]) == map[i][0] && (pin & map_mask[3]) == map[i][3]) {
			*irq = map[i][5];
			return 0;
		}
	return -ENOENT;
}
