/* The network device table: one device is all QEMU gives us. */
#include "kernel/netdev.h"

#include "kernel/printk.h"
#include "tsubame/errno.h"

static struct netdev *dev;

int netdev_register(struct netdev *nd)
{
	if (dev)
		return -EBUSY;
	dev = nd;
	kprintf("netdev: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x\n", nd->name, nd->mac[0], nd->mac[1],
		nd->mac[2], nd->mac[3], nd->mac[4], nd->mac[5]);
	return 0;
}

struct netdev *netdev_get(void)
{
	return dev;
}
