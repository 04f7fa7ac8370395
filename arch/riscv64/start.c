/* First C code on riscv64: read the device tree OpenSBI passed us into
 * boot_info (the shared kernel/firmware/fdt_boot.c) and riscv_plat (what
 * only riscv uses), start the console, and enter kmain. */
#include "arch.h"
#include "fdt/fdt.h"
#include "fmt/fmt.h"
#include "kernel/fdt_boot.h"
#include "kernel/printk.h"
#include "riscv.h"
#include "sbi.h"

struct riscv_platform riscv_plat;
static struct boot_info boot;

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

/* What is riscv's own: the console UART the shared layer found (for
 * console.c), the PLIC and this hart's context in it, the test finisher
 * (power-off) and the timebase. */
static void parse_platform(const struct fdt *f, struct boot_info *bi)
{
	struct fdt_uart uart;
	uint64_t size, phandle;
	int n;

	if (fdt_boot_console(f, bi, &uart) == 0) {
		riscv_plat.uart_pa = uart.pa;
		riscv_plat.uart_irq = uart.irq;
	}
	n = fdt_find_compatible(f, -1, "sifive,test0");
	if (n >= 0 && fdt_reg(f, n, 0, &riscv_plat.test_pa, &size) == 0)
		bi->mmio[bi->nmmio++] = (struct phys_range){ riscv_plat.test_pa, size };
	n = fdt_find_compatible(f, -1, "riscv,plic0");
	if (n < 0)
		n = fdt_find_compatible(f, -1, "sifive,plic-1.0.0");
	if (n >= 0 && fdt_reg(f, n, 0, &riscv_plat.plic_pa, &riscv_plat.plic_size) == 0) {
		riscv_plat.plic_context = plic_context_for_hart(f, n, riscv_plat.hartid);
		if (fdt_prop_u64(f, n, "phandle", &phandle) == 0)
			riscv_plat.plic_phandle = (uint32_t)phandle;
	}
	int cpus = fdt_path(f, "/cpus");
	if (cpus >= 0)
		fdt_prop_u64(f, cpus, "timebase-frequency", &riscv_plat.timebase_hz);
	bi->timer_hz = riscv_plat.timebase_hz;
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
	parse_platform(&f, &boot);
	fdt_boot_devices(&f, &boot);
	fdt_boot_cmdline(&f, &boot);
	fdt_boot_memory(&f, fdt_pa, &boot);
	fdt_boot_pci(&f);
	riscv_console_init();
	kmain(&boot);
	panic("kmain returned");
}
