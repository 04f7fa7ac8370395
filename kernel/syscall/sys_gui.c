/* Display and input system calls for the gui service. Only a process
 * holding gui authority (init grants it to the gui alone) may use them:
 * anyone else could read the screen or every keystroke. */
#include "kernel/display.h"
#include "kernel/input.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

#define INPUT_BATCH 64

static struct display *display_for_caller(long *err)
{
	struct display *d = display_get();

	*err = !(process_current()->authority & TSB_AUTH_GUI) ? -EPERM : !d ? -ENODEV : 0;
	return *err ? NULL : d;
}

SYSCALL(gpu_info)
{
	long err;
	struct display *d = display_for_caller(&err);
	UNUSED_ARGS(a1, a2, a3, a4, a5);

	if (!d)
		return err;
	struct tsb_gpu_info info = { d->width, d->height, d->stride, 0 };
	return copy_to_user(a0, &info, sizeof info);
}

SYSCALL(gpu_map)
{
	long err;
	struct display *d = display_for_caller(&err);
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);

	if (!d)
		return err;
	/* Where the caller already sees the framebuffer, the same address:
	 * asking again costs no new mapping. */
	struct addrspace *as = process_current()->as;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		uint64_t pa;
		unsigned fl;
		if (v->borrowed && v->end - v->start == d->fb_bytes &&
		    arch_pt_translate(as->root, v->start, &pa, &fl) == 0 && pa == d->fb_pa)
			return (long)v->start;
	}
	uintptr_t at = as_find_free(as, USER_MMAP_BASE, d->fb_bytes);
	if (!at)
		return -ENOMEM;
	err = as_map_phys(as, at, d->fb_pa, d->fb_bytes, TSB_PROT_READ | TSB_PROT_WRITE);
	return err ? err : (long)at;
}

SYSCALL(gpu_flush)
{
	long err;
	struct display *d = display_for_caller(&err);
	UNUSED_ARGS(a4, a5);

	if (!d)
		return err;
	/* The rectangle is four int32 values; clipped in 64 bits, so any
	 * values are safe. */
	int64_t x0 = (int32_t)a0, y0 = (int32_t)a1;
	int64_t x1 = x0 + (int32_t)a2, y1 = y0 + (int32_t)a3;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > d->width)
		x1 = d->width;
	if (y1 > d->height)
		y1 = d->height;
	if (x0 >= x1 || y0 >= y1)
		return 0; /* nothing on screen */
	return d->flush(d, (uint32_t)x0, (uint32_t)y0, (uint32_t)(x1 - x0), (uint32_t)(y1 - y0));
}

SYSCALL(input_read)
{
	struct tsb_input_event ev[INPUT_BATCH];
	UNUSED_ARGS(a3, a4, a5);

	if (!(process_current()->authority & TSB_AUTH_GUI))
		return -EPERM;
	if (a1 == 0)
		return -EINVAL;
	size_t max = a1 < INPUT_BATCH ? a1 : INPUT_BATCH;
	if (!as_check(process_current()->as, a0, max * sizeof ev[0], TSB_PROT_WRITE))
		return -EFAULT;
	long n = input_read(ev, max, (long)a2);
	if (n > 0 && copy_to_user(a0, ev, (size_t)n * sizeof ev[0]) != 0)
		return -EFAULT;
	return n;
}
