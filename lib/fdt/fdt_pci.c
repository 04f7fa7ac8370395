/* The generic PCI host bridge binding (see fdt_pci.h). */
#include "fdt/fdt_pci.h"

#include <string.h>

#include "tsubame/errno.h"

#define PCI_ADDR_CELLS 3 /* phys.hi, phys.mid, phys.lo */
#define PCI_SPACE_MEM32 2

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

static uint32_t cells_prop(const struct fdt *f, int node, const char *name, uint32_t dflt)
{
	uint64_t v;
	return fdt_prop_u64(f, node, name, &v) == 0 && v <= 8 ? (uint32_t)v : dflt;
}

/* ranges: (PCI address: 3 cells)(CPU address: parent's #address-cells)
 * (size: the bridge's #size-cells). */
static int parse_ranges(const struct fdt *f, int node, struct fdt_pci_host *h)
{
	int parent = fdt_parent(f, node), len;
	uint32_t pac = parent >= 0 ? cells_prop(f, parent, "#address-cells", 2) : 2;
	uint32_t sc = cells_prop(f, node, "#size-cells", 2);
	uint32_t stride = (PCI_ADDR_CELLS + pac + sc) * 4;
	const uint8_t *p = fdt_prop(f, node, "ranges", &len);

	if (!p)
		return 0;
	if (pac < 1 || pac > 2 || sc < 1 || sc > 2 || len % stride)
		return -EINVAL;
	for (uint32_t off = 0; off + stride <= (uint32_t)len; off += stride) {
		const uint8_t *e = p + off;
		if ((fdt_be32(e) >> 24 & 3) == PCI_SPACE_MEM32 && !h->mem_size) {
			uint64_t bus = cells(e + 4, 2), cpu = cells(e + 12, pac);
			h->mem_base = cpu;
			h->mem_size = cells(e + 12 + 4 * pac, sc);
			h->mem_bus_offset = cpu - bus;
		}
	}
	return 0;
}

static int parse_interrupt_map(const struct fdt *f, int node, struct fdt_pci_host *h)
{
	uint32_t cac = cells_prop(f, node, "#address-cells", 0);
	uint32_t cic = cells_prop(f, node, "#interrupt-cells", 0);
	int len;
	const uint8_t *p = fdt_prop(f, node, "interrupt-map-mask", &len);

	if (!p)
		return 0; /* no INTx routing described */
	if (cac != PCI_ADDR_CELLS || cic != 1 || len != (int)(cac + cic) * 4)
		return -EINVAL;
	h->mask_hi = fdt_be32(p);
	h->mask_pin = fdt_be32(p + 4 * cac);
	p = fdt_prop(f, node, "interrupt-map", &len);
	if (!p || len < 0)
		return -EINVAL;
	/* Entries differ in size with their parent: walk them one by one. */
	for (uint32_t off = 0; off < (uint32_t)len;) {
		uint32_t child = (cac + cic) * 4;
		if (h->nroutes == FDT_PCI_MAP_MAX || off + child + 4 > (uint32_t)len)
			return -EINVAL;
		struct fdt_pci_irq_route *r = &h->routes[h->nroutes];
		r->child_hi = fdt_be32(p + off);
		r->pin = fdt_be32(p + off + 4 * cac);
		r->parent = fdt_be32(p + off + child);
		int ctl = fdt_node_by_phandle(f, r->parent);
		if (ctl < 0)
			return -EINVAL;
		uint32_t pac = cells_prop(f, ctl, "#address-cells", 0);
		uint64_t pic;
		if (fdt_prop_u64(f, ctl, "#interrupt-cells", &pic) != 0 || pic < 1 ||
		    pic > FDT_IRQ_CELLS_MAX || pac > 3)
			return -EINVAL;
		uint32_t spec_off = off + child + 4 + 4 * pac;
		if (spec_off + 4 * pic > (uint32_t)len)
			return -EINVAL;
		r->ncells = (uint32_t)pic;
		for (uint32_t c = 0; c < pic; c++)
			r->spec[c] = fdt_be32(p + spec_off + 4 * c);
		h->nroutes++;
		off = spec_off + 4 * (uint32_t)pic;
	}
	return 0;
}

int fdt_pci_host_parse(const struct fdt *f, struct fdt_pci_host *h)
{
	int n = fdt_find_compatible(f, -1, "pci-host-ecam-generic"), len;

	memset(h, 0, sizeof *h);
	if (n < 0 || fdt_reg(f, n, 0, &h->ecam_base, &h->ecam_size) != 0)
		return -ENOENT;
	const uint8_t *p = fdt_prop(f, n, "bus-range", &len);
	h->bus_start = p && len == 8 ? fdt_be32(p) : 0;
	h->bus_end = p && len == 8 ? fdt_be32(p + 4) : (unsigned)(h->ecam_size >> 20) - 1;
	int err = parse_ranges(f, n, h);
	int map_err = parse_interrupt_map(f, n, h);
	if (map_err)
		h->nroutes = 0;
	return err ? err : map_err;
}

int fdt_pci_route(const struct fdt_pci_host *h, unsigned bus, unsigned dev, unsigned fn,
		  unsigned pin, const struct fdt_pci_irq_route **out)
{
	uint32_t hi = bus << 16 | dev << 11 | fn << 8;

	if (pin < 1 || pin > 4)
		return -EINVAL;
	for (int i = 0; i < h->nroutes; i++)
		if ((hi & h->mask_hi) == h->routes[i].child_hi && (pin & h->mask_pin) == h->routes[i].pin) {
			*out = &h->routes[i];
			return 0;
		}
	return -ENOENT;
}
