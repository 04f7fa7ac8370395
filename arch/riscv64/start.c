/* First C code on riscv64: read the device tree OpenSBI passed us into
 * boot_info and riscv_plat, start the console, and enter kmain. Nothing
 * about the board is assumed: every address comes from the FDT. */
#include <string.h>

#include "arch.h"
#include "fdt/fdt.h"
#include "fmt/fmt.h"
#include "kernel/printk.h"
#include "riscv.h"
#include "sbi.h"

struct riscv_platform riscv_plat;
static struct boot_info boot;

static void add_range(struct phys_range *r, int *n, uint64_t base, uint64_t size)
{
	if (*n < BOOT_MAX_RANGES && size)
		r[(*n)++] = (struct phys_range){ base, size };
}

static void parse_memory(const struct fdt *f, struct boot_info *bi)
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
	add_range(bi->reserved, &bi->nreserved, riscv_plat.fdt_pa, f->total);
}

/* The UART named by /chosen/stdout-path, else the first ns16550a. */
static int find_uart(const struct fdt *f)
{
	int len, chosen = fdt_path(f, "/chosen");
	const char *path = chosen >= 0 ? fdt_prop(f, chosen, "stdout-path", &len) : NULL;

	if (path && len > 0 && len < 128) {
		char p[128];
		memcpy(p, path, (size_t)len);
		p[len - 1] = '\0';
		char *colon = strchr(p, ':'); /* "path:options" */
		if (colon)
			*colon = '\0';
		int n = fdt_path(f, p);
		if (n >= 0)
			return n;
	}
	return fdt_find_compatible(f, -1, "ns16550a");
}

static unsigned first_interrupt(const struct fdt *f, int node)
{
	int len;
	const void *p = fdt_prop(f, node, "interrupts", &len);
	return p && len >= 4 ? fdt_be32(p) : 0;
}

/* The PLIC context whose "interrupts-extended" entry targets this hart's
 * supervisor external interrupt (cause 9). */
static int plic_context_for_hart(const struct fdt *f, int plic, uint64_t hartid)
{
	char path[48];
	uint64_t phandle;
	int len;

	fmt_snprintf(path, sizeof path, "/cpus/cpu@%llx/interrupt-controller",
		     (unsigned long long)hartid);
	int intc = fdt_path(f, path);
	if (intc < 0 || fdt_prop_u64(f, intc, "phandle", &phandle) != 0)
		return -1;
	const uint8_t *p = fdt_prop(f, plic, "interrupts-extended", &len);
	for (int i = 0; p && (i + 1) * 8 <= len; i++)
		if (fdt_be32(p + i * 8) == phandle && fdt_be32(p + i * 8 + 4) == IRQ_S_EXT)
			return i;
	return -1;
}

static void parse_devices(const struct fdt *f, struct boot_info *bi)
{
	uint64_t size;
	int n;

	if ((n = find_uart(f)) >= 0 && fdt_reg(f, n, 0, &riscv_plat.uart_pa, &riscv_plat.uart_size) == 0) {
		riscv_plat.uart_irq = first_interrupt(f, n);
		add_range(bi->mmio, &bi->nmmio, riscv_plat.uart_pa, riscv_plat.uart_size);
	}
	n = fdt_find_compatible(f, -1, "sifive,test0");
	if (n >= 0 && fdt_reg(f, n, 0, &riscv_plat.test_pa, &size) == 0)
		add_range(bi->mmio, &bi->nmmio, riscv_plat.test_pa, size);
	n = fdt_find_compatible(f, -1, "riscv,plic0");
	if (n < 0)
		n = fdt_find_compatible(f, -1, "sifive,plic-1.0.0");
	if (n >= 0 && fdt_reg(f, n, 0, &riscv_plat.plic_pa, &riscv_plat.plic_size) == 0)
		riscv_plat.plic_context = plic_context_for_hart(f, n, riscv_plat.hartid);
	/* Devices generic drivers probe (kernel/devices.c). */
	static const char *const generic[] = { "virtio,mmio", "google,goldfish-rtc" };
	for (unsigned k = 0; k < sizeof generic / sizeof generic[0]; k++)
		for (n = fdt_find_compatible(f, -1, generic[k]); n >= 0 && bi->ndevices < BOOT_MAX_DEVICES;
		     n = fdt_find_compatible(f, n, generic[k])) {
			struct platform_device *d = &bi->devices[bi->ndevices];
			if (fdt_reg(f, n, 0, &d->base, &d->size) != 0)
				continue;
			strlcpy(d->compatible, generic[k], sizeof d->compatible);
			d->irq = first_interrupt(f, n);
			bi->ndevices++;
		}
	int cpus = fdt_path(f, "/cpus");
	if (cpus >= 0)
		fdt_prop_u64(f, cpus, "timebase-frequency", &riscv_plat.timebase_hz);
	bi->timer_hz = riscv_plat.timebase_hz;

	int chosen = fdt_path(f, "/chosen"), len;
	const char *args = chosen >= 0 ? fdt_prop(f, chosen, "bootargs", &len) : NULL;
	if (args && len > 0)
		strlcpy(bi->cmdline, args, len < BOOT_CMDLINE_MAX ? (size_t)len : BOOT_CMDLINE_MAX);
}

void arch_start(uint64_t hartid, uint64_t fdt_pa);
void arch_start(uint64_t hartid, uint64_t fdt_pa)
{
	struct fdt f;

	riscv_plat.hartid = hartid;
	riscv_plat.fdt_pa = fdt_pa;
	boot.firmware = "OpenSBI (device tree)";
	/* The boot page table maps the first 8 GiB of physical memory. */
	int err = fdt_pa && fdt_pa < 0x200000000ull ? fdt_init(&f, phys_to_virt(fdt_pa), 1u << 20) : -1;
	if (err) {
		for (const char *m = "tsubame: no valid device tree; halting\n"; *m; m++)
			sbi_console_putchar(*m);
		arch_poweroff(PANIC_EXIT_STATUS);
	}
	parse_devices(&f, &boot);
	parse_memory(&f, &boot);
	riscv_parse_pci(&f);
	riscv_console_init();
	kmain(&boot);
	panic("kmain returned");
}
