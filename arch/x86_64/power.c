/* Power-off. Exit status convention for tests under QEMU: exit 0 = pass.
 *  - status 0: ACPI S5 (SLP_TYPa | SLP_EN into PM1a_CNT). QEMU then quits
 *    with status 0, which nothing else can produce.
 *  - otherwise, or if S5 did not take: isa-debug-exit (-device
 *    isa-debug-exit,iobase=0xf4,iosize=0x04). Writing v makes QEMU exit
 *    with (v << 1) | 1, always odd, so a failed S5 for status 0 still
 *    shows as a failure (exit 1). */
#include "acpi.h"
#include "arch.h"
#include "io.h"

#define DEBUG_EXIT_PORT 0xf4
#define SLP_EN (1u << 13)
#define S5_WAIT_NS 2000000000ULL

static void acpi_s5(void)
{
	if (!acpi.s5_valid || !acpi.pm1a_cnt)
		return;
	/* Keep the other control bits (SCI_EN...), replace SLP_TYP. QEMU does
	 * not need ACPI mode switched on first; firmware that does would want
	 * the SMI_CMD/ACPI_ENABLE handshake, which we skip. */
	outw(acpi.pm1a_cnt, (inw(acpi.pm1a_cnt) & ~0x1c00) | (acpi.slp_typa << 10) | SLP_EN);
	if (acpi.pm1b_cnt)
		outw(acpi.pm1b_cnt, (inw(acpi.pm1b_cnt) & ~0x1c00) | (acpi.slp_typb << 10) | SLP_EN);
	/* QEMU acts on it from its main loop, a while later (milliseconds, more
	 * on a busy host): wait long enough that a failure really is one. */
	/* (The spin bound covers a clock that is not calibrated yet.) */
	uint64_t start = arch_timer_ns();
	for (unsigned long spins = 0; spins < 1000000000ul; spins++) {
		if (arch_timer_ns() - start > S5_WAIT_NS)
			break;
		__asm__ volatile("pause");
	}
}

_Noreturn void arch_poweroff(int status)
{
	arch_irq_disable();
	if (status == 0)
		acpi_s5();
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	arch_halt(); /* not under QEMU with the debug-exit device */
}
