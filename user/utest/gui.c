/* utest gui: the display and input calls refuse callers without gui
 * authority and check their arguments for those with it. The kernel's
 * selftest runs this mode both ways (argument "granted" or "denied"). */
#include <string.h>

#include "gui.h"
#include "tsubame.h"
#include "utest.h"

/* utest guiwin MS: a window that its program leaves behind: it exits
 * after MS ms without closing it (gui-test checks the desktop drops it). */
int mode_guiwin(int ms)
{
	int win = gui_window("utest", 200, 100);
	if (win < 0)
		return fail("gui_window", win);
	gui_fill(win, 0, 0, 200, 100, 0x808080);
	gui_present(win);
	sleep_ms((uint64_t)ms);
	return 0;
}

int mode_gui(const char *how)
{
	struct tsb_gpu_info info;
	struct tsb_input_event ev[4];
	long r;

	if (strcmp(how, "denied") == 0) {
		if ((r = gpu_info(&info)) != -EPERM)
			return fail("gpu_info without authority", r);
		if (gpu_map() != NULL)
			return fail("gpu_map without authority", 0);
		if ((r = gpu_flush(0, 0, 8, 8)) != -EPERM)
			return fail("gpu_flush without authority", r);
		if ((r = input_read(ev, 4, 0)) != -EPERM)
			return fail("input_read without authority", r);
		return 0;
	}
	/* Granted: with or without a display, never -EPERM. */
	r = gpu_info(&info);
	if (r != 0 && r != -ENODEV)
		return fail("gpu_info with authority", r);
	if (r == 0 && (info.width < 320 || info.stride < info.width * 4))
		return fail("gpu_info mode", info.width);
	if (r == 0) {
		uint32_t *fb = gpu_map();
		if (!fb || gpu_map() != fb)
			return fail("gpu_map twice gives one mapping", (long)(uintptr_t)fb);
		fb[0] = 0x123456;
		if (munmap(fb, TSB_PAGE_SIZE) != 0)
			return fail("munmap of the framebuffer's first page", 0);
		if ((r = gpu_flush(-5, -7, 100000, 3)) != 0)
			return fail("gpu_flush of a clipped rectangle", r);
		if ((r = gpu_flush(0, 0, 0, 0)) != 0)
			return fail("gpu_flush of an empty rectangle", r);
	} else if ((r = gpu_flush(0, 0, 8, 8)) != -ENODEV) {
		return fail("gpu_flush without a display", r);
	}
	if ((r = input_read(ev, 0, 0)) != -EINVAL)
		return fail("input_read of 0 events", r);
	if ((r = input_read(ev, 4, -5)) != -EINVAL)
		return fail("input_read with a timeout of -5", r);
	if ((r = input_read((void *)16, 4, 0)) != -EFAULT)
		return fail("input_read into a bad pointer", r);
	r = input_read(ev, 4, 0);
	if (r != -ETIMEDOUT && r < 0)
		return fail("input_read without waiting", r);
	return 0;
}
