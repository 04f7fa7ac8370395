/* The display table: QEMU gives us at most one scanout we use. */
#include "kernel/display.h"

#include "kernel/printk.h"
#include "tsubame/errno.h"

static struct display *dev;

int display_register(struct display *d)
{
	if (dev)
		return -EBUSY;
	dev = d;
	kprintf("display: %s, %ux%u\n", d->name, d->width, d->height);
	return 0;
}

struct display *display_get(void)
{
	return dev;
}
