/* Late platform bring-up, once kmain has a frame allocator: the page
 * tables for device registers can be allocated now. */
#include "acpi.h"
#include "arch.h"
#include "cpu.h"
#include "kernel/printk.h"
#include "x86.h"

void arch_init_platform(struct boot_info *bi)
{
	int err = acpi_init();

	kprintf("cpu: NX %s, 1 GiB pages %s, SMEP %s, SMAP %s\n", cpu_features.nx ? "on" : "no",
		cpu_features.page1g ? "yes" : "no", cpu_features.smep ? "on" : "no",
		cpu_features.smap ? "on" : "no");
	if (err)
		panic("x86: no usable ACPI MADT (%d): cannot find the interrupt controllers", err);
	if ((err = lapic_init()) || (err = ioapic_init()))
		panic("x86: APIC setup failed (%d)", err);
	kprintf("acpi: LAPIC %#lx, %d I/O APIC(s) (first %#lx, GSI %u), %d ISA override(s)\n",
		acpi.lapic_pa, acpi.nioapics, acpi.ioapics[0].pa, acpi.ioapics[0].gsi_base,
		acpi.noverrides);
	kprintf("acpi: PM1a_CNT %#x, S5 %s, ECAM %#lx buses %u-%u\n", acpi.pm1a_cnt,
		acpi.s5_valid ? "found" : "missing", acpi.ecam_pa, acpi.ecam_bus_start,
		acpi.ecam_bus_end);
	timer_calibrate(bi);
	x86_rtc_init();
}
