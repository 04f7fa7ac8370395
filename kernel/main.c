/* Generic kernel entry: the arch has a console and a boot stack in the
 * upper half; we bring up memory, traps, the platform and the tick, then
 * either run the selftest or idle. */
#include "arch.h"
#include "kernel/cmdline.h"
#include "kernel/devices.h"
#include "kernel/frame.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

struct boot_info *boot_info;

void kmain(struct boot_info *bi)
{
	boot_info = bi;
	kprintf("\nTsubame kernel (%s) booting via %s\n", ARCH_NAME, bi->firmware);
	kprintf("cmdline: \"%s\"\n", bi->cmdline);
	frame_init(bi);
	arch_init_traps();
	vm_init(bi);
	arch_init_platform(bi);
	sched_init();
	timer_start();
	arch_irq_enable();
	kprintf("Tsubame kernel up: timer %llu Hz, tick %llu ms\n",
		(unsigned long long)bi->timer_hz, (unsigned long long)(TICK_NS / 1000000));
	devices_init(bi);

	if (cmdline_has(bi->cmdline, "selftest"))
		selftest_run_all();
	if (cmdline_has(bi->cmdline, "faulttest")) { /* proves faults get reported: scripts/tests */
		volatile int *volatile unmapped = (volatile int *)0x10;
		*unmapped = 1;
	}

	kprintf("Nothing else to run yet; idling. (Ctrl-A X leaves QEMU.)\n");
	for (;;)
		arch_wait_for_interrupt();
}
