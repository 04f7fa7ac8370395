/* Late platform bring-up, once the kernel page table is live. */
#include "arch.h"
#include "riscv.h"

void arch_init_platform(struct boot_info *bi)
{
	plic_init();
	riscv_timer_init(bi->timer_hz);
}
