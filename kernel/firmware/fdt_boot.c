/* Boot information from a flattened device tree (see fdt_boot.h). Nothing
 * about the board is assumed: every address comes from the tree. */
#include "kernel/fdt_boot.h"

#include <string.h>

#include "fdt/fdt_pci.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

static void add_range(struct phys_range *r, int *n, uint64_t base, uint64_t size)
{
	if (*n < BOOT_MAX_RANGES && size)
		r[(*n)++] = (struct phys_range){ base, size };
}

void fdt_boot_memory(const struct fdt *f, uint64_t fdt_pa, struct boot_info *bi)
{
	uint64_t base, size;

	for (int n = fdt_find_device_type(f, -1, "memory"); n >= 0;
	     n = fdt_find_device_type(f, n, "memory"))
		for (int i = 0; fdt_reg(f, n, i, &base, &size) == 0; i++)
			add_range(bi->ram, &bi->nram, base, size);
	for (int i = 0; fdt_mem_rsv(f, i, &base, &size) == 0; i++)
		add_range(bi->reserved, &bi->nreserved, base, size);
	int rm = fdt_path(f, "/reserved-memory");
	for (int c = rm >= 0 ? fdt_first_child(f, rm) : -1; c >= 0; c = fdt_next_sibling(f, c))
		for (int i = 0; fdt_reg(f, c, i, &base, &size) == 0; i++)
			add_range(bi->reserved, &bi->nreserved, base, size);
	add_range(bi->reserved, &bi->nreserved, fdt_pa, f->total);
}

void fdt_boot_cmdline(const struct fdt *f, struct boot_info *bi)
{
	int chosen = fdt_path(f, "/chosen"), len;
	const char *args = chosen >= 0 ? fdt_prop(f, chosen, "bootargs", &len) : NULL;

	if (args && len > 0)
		strlcpy(bi->cmdline, args, len < BOOT_CMDLINE_MAX ? (size_t)len : BOOT_CMDLINE_MAX);
}

unsigned fdt_first_interrupt(const struct fdt *f, int node)
{
	int len;
	const void *p = fdt_prop(f, node, "interrupts", &len);
	return p && len >= 4 ? fdt_be32(p) : 0;
}

/* Devices generic drivers probe. Adding one: its compatible here and a
 * probe line in kernel/devices.c. */
static const char *const generic_devices[] = { "virtio,mmio", "google,goldfish-rtc" };

void fdt_boot_devices(const struct fdt *f, struct boot_info *bi)
{
	for (unsigned k = 0; k < sizeof generic_devices / sizeof generic_devices[0]; k++)
		for (int n = fdt_find_compatible(f, -1, generic_devices[k]);
		     n >= 0 && bi->ndevices < BOOT_MAX_DEVICES;
		     n = fdt_find_compatible(f, n, generic_devices[k])) {
			struct platform_device *d = &bi->devices[bi->ndevices];
			if (fdt_reg(f, n, 0, &d->base, &d->size) != 0)
				continue;
			strlcpy(d->compatible, generic_devices[k], sizeof d->compatible);
			d->irq = fdt_first_interrupt(f, n);
			bi->ndevices++;
		}
}

/* The node /chosen/stdout-path names ("path:options"), else the first
 * ns16550a. */
static int find_uart(const struct fdt *f)
{
	int len, chosen = fdt_path(f, "/chosen");
	const char *path = chosen >= 0 ? fdt_prop(f, chosen, "stdout-path", &len) : NULL;

	if (path && len > 0 && len < 128) {
		char p[128];
		memcpy(p, path, (size_t)len);
		p[len - 1] = '\0';
		char *colon = strchr(p, ':');
		if (colon)
			*colon = '\0';
		int n = fdt_path(f, p);
		if (n >= 0)
			return n;
	}
	return fdt_find_compatible(f, -1, "ns16550a");
}

int fdt_boot_console(const struct fdt *f, struct boot_info *bi, struct fdt_uart *out)
{
	int n = find_uart(f);

	if (n < 0 || fdt_reg(f, n, 0, &out->pa, &out->size) != 0)
		return -ENOENT;
	out->irq = fdt_first_interrupt(f, n);
	if (bi->nmmio < (int)(sizeof bi->mmio / sizeof bi->mmio[0]))
		bi->mmio[bi->nmmio++] = (struct phys_range){ out->pa, out->size };
	return 0;
}

static struct fdt_pci_host pci;
static bool have_pci;

bool fdt_boot_pci(const struct fdt *f)
{
	int err = fdt_pci_host_parse(f, &pci);

	/* A malformed interrupt-map leaves no INTx routes (arch_pci_intx then
	 * says -ENOENT, and the driver reports it); the ECAM is still good. */
	have_pci = err != -ENOENT;
	return have_pci;
}

int fdt_boot_pci_host(struct pci_host *out)
{
	if (!have_pci)
		return -ENODEV;
	*out = (struct pci_host){
		.ecam_base = pci.ecam_base,
		.bus_start = pci.bus_start,
		.bus_end = pci.bus_end,
		.mem_base = pci.mem_base,
		.mem_size = pci.mem_size,
		.mem_bus_offset = pci.mem_bus_offset,
	};
	return 0;
}

int fdt_boot_pci_intx(unsigned bus, unsigned dev, unsigned fn, unsigned pin, uint32_t controller,
		      unsigned *irq)
{
	const struct fdt_pci_irq_route *r;
	int err = have_pci ? fdt_pci_route(&pci, bus, dev, fn, pin, &r) : -ENODEV;

	if (err)
		return err;
	if (r->parent != controller || r->ncells != 1)
		return -ENOTSUP; /* routed to a controller this kernel does not drive */
	*irq = r->spec[0];
	return 0;
}
