/* Generic kernel entry: the arch has a console and a boot stack in the
 * upper half; we bring up memory, traps, the platform and the tick, the
 * devices and the first mounts, then start the first program (init) and
 * idle. Boot options for tests live in boot_options.c. */
#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/boot_options.h"
#include "kernel/klog.h"
#include "kernel/devices.h"
#include "kernel/fat32fs.h"
#include "kernel/console.h"
#include "kernel/process.h"
#include "kernel/frame.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

struct boot_info *boot_info;

void kmain(struct boot_info *bi)
{
	boot_info = bi;
	kprintf("\nTsubame kernel (%s) booting via %s\n", ARCH_NAME, bi->firmware);
	kprintf("cmdline: \"%s\"\n", bi->cmdline);
	klog_cmdline(bi->cmdline);
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
	/* Phase one of the two-phase mount: the kernel's own FAT32 serves / and
	 * /host until fat32d registers. */
	if (fat32fs_mount(0, "/") != 0)
		kprintf("vfs: no root file system: dev 0 (disk.img) is missing or not FAT32\n");
	if (fat32fs_mount(1, "/host") != 0)
		kprintf("vfs: /host not mounted: dev 1 (hostfs.img) is missing or not FAT32\n");

	console_init();
	process_init();
	/* Test and diagnostic boot options (the selftest does not return). */
	boot_options_run(bi);
	const char *first = boot_first_program(bi);
	char *const init_argv[] = { (char *)first, NULL };
	static char bootargs[BOOT_CMDLINE_MAX + 16];
	fmt_snprintf(bootargs, sizeof bootargs, "BOOTARGS=%s", bi->cmdline);
	char *const init_envp[] = { bootargs, NULL };
	int pid = process_spawn(NULL, first, init_argv, init_envp, TSB_AUTH_ALL);
	if (pid < 0)
		panic("cannot start %s: error %d", first, pid);
	/* The boot thread has nothing left to do; it sleeps for good. */
	struct waitq forever;
	waitq_init(&forever);
	arch_irq_disable();
	for (;;)
		waitq_wait(&forever, 0);
}
