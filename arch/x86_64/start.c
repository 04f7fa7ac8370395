/* First C code: called by boot.S in 64-bit mode, upper half, boot stack. */
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "kernel/printk.h"
#include "x86.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u

void arch_start(uint32_t magic, uint32_t info_pa);
void arch_start(uint32_t magic, uint32_t info_pa)
{
	static struct boot_info bi;

	uart_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		kprintf("tsubame: not started by a Multiboot loader (eax = %#x), halting\n", magic);
		arch_halt();
	}
	cpu_init();
	arch_init_traps();
	multiboot_parse(info_pa, &bi);
	early_map_ram(&bi);
	bi.firmware = "Multiboot";
	kmain(&bi);
	panic("kmain returned");
}
