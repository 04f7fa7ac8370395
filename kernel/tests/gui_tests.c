/* The display and input side of the kernel: the input queue, device
 * (borrowed) mappings that address spaces must not free, the gui
 * authority, and a flush on the GPU when one is attached. */
#include "kernel/display.h"
#include "kernel/frame.h"
#include "kernel/input.h"
#include "kernel/process.h"
#include "kernel/selftest.h"
#include "tsubame/errno.h"

SELFTEST(input_queue_order_and_timeout)
{
	struct tsb_input_event ev[4];

	while (input_read(ev, 4, TSB_NO_WAIT) > 0)
		; /* whatever a device queued before */
	input_push(TSB_EV_KEY, 30, 1);
	input_push(TSB_EV_KEY, 30, 0);
	input_push(TSB_EV_SYN, 0, 0);
	CHECK(input_read(ev, 2, TSB_NO_WAIT) == 2);
	CHECK(ev[0].type == TSB_EV_KEY && ev[0].code == 30 && ev[0].value == 1);
	CHECK(ev[1].value == 0);
	CHECK(input_read(ev, 4, TSB_NO_WAIT) == 1 && ev[0].type == TSB_EV_SYN);
	CHECK(input_read(ev, 4, TSB_NO_WAIT) == -ETIMEDOUT);
	CHECK(input_read(ev, 4, 20) == -ETIMEDOUT);
}

SELFTEST(borrowed_mapping_survives_its_address_space)
{
	struct frame_stats before, after;
	uint64_t pa;

	CHECK(frame_alloc(&pa) == 0);
	*(volatile uint32_t *)phys_to_virt(pa) = 0xfeedf00d;
	frame_get_stats(&before);
	struct addrspace *as = as_create();
	CHECK(as != NULL);
	if (!as)
		return;
	CHECK(as_map_phys(as, USER_MMAP_BASE, pa, PAGE_SIZE, TSB_PROT_READ | TSB_PROT_WRITE) == 0);
	CHECK(as_map_phys(as, USER_MMAP_BASE, pa, PAGE_SIZE, TSB_PROT_READ) == -EEXIST);
	CHECK(as_map_phys(as, USER_MMAP_BASE + 8192, pa + 1, PAGE_SIZE, TSB_PROT_READ) == -EINVAL);
	CHECK(as_check(as, USER_MMAP_BASE, PAGE_SIZE, TSB_PROT_WRITE));
	CHECK(as_unmap(as, USER_MMAP_BASE, PAGE_SIZE) == 0);
	CHECK(as_map_phys(as, USER_MMAP_BASE, pa, PAGE_SIZE, TSB_PROT_READ) == 0);
	as_destroy(as);
	frame_get_stats(&after);
	/* The page tables came back; the borrowed frame did not go with them. */
	CHECKF(after.free == before.free, "free frames %zu, were %zu", after.free, before.free);
	CHECK(*(volatile uint32_t *)phys_to_virt(pa) == 0xfeedf00d);
	frame_free(pa);
}

static int run_utest_gui(const char *how, uint32_t authority)
{
	char *argv[] = { "/bin/utest.elf", "gui", (char *)how, NULL };
	int st = -1, pid = process_spawn(process_kernel(), argv[0], argv, NULL, authority);

	if (pid < 0 || process_wait(process_kernel(), pid, &st, 0) != pid)
		return -1;
	return st;
}

SELFTEST(gui_calls_need_gui_authority)
{
	CHECKF(run_utest_gui("denied", 0) == 0, "without authority");
	CHECKF(run_utest_gui("granted", TSB_AUTH_GUI) == 0, "with authority");
	/* The mode can fail: a caller without authority is not "granted". */
	CHECK(run_utest_gui("granted", 0) != 0);
}

SELFTEST(gpu_flush_when_attached)
{
	struct display *d = display_get();

	if (!d)
		return; /* make selftest runs without a GPU; gui-test uses one */
	CHECK(d->width >= 320 && d->height >= 200 && d->stride >= d->width * 4);
	CHECK(d->flush(d, 0, 0, 16, 16) == 0);
	CHECK(d->flush(d, d->width - 1, d->height - 1, 1, 1) == 0);
}
