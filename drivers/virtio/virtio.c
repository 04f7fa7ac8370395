/* Device initialisation per virtio 1.x section 3.1.1: reset, ACKNOWLEDGE,
 * DRIVER, feature negotiation with FEATURES_OK read back, driver-specific
 * setup, DRIVER_OK. Any failure leaves the device FAILED with a reason. */
#include "virtio.h"

#include <stddef.h>

#include "arch.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

extern const struct virtio_driver virtio_blk_driver, virtio_net_driver, virtio_gpu_driver,
	virtio_input_driver;

static const struct virtio_driver *const drivers[] = {
	&virtio_blk_driver,
	&virtio_net_driver,
	&virtio_gpu_driver,
	&virtio_input_driver,
};

static void fail(struct virtio_device *d, const char *why, int err)
{
	d->transport->set_status(d, d->transport->get_status(d) | VIRTIO_STATUS_FAILED);
	kprintf(KERN_ERR "virtio: %s (device id %u): %s (error %d); device marked FAILED\n", d->name,
		d->device_id, why, err);
}

/* Reset, ACKNOWLEDGE, DRIVER, then FEATURES_OK with `features` (those the
 * device offers of them). After a reset the device uses no ring and no
 * buffer of ours any more (virtio 1.x 2.4); it is done when the status
 * reads back 0 (4.1.4.3.2), which a working device does at once: a bounded
 * wait, so a dead one cannot hang us. */
static int negotiate(struct virtio_device *d, uint64_t wanted)
{
	const struct virtio_transport *t = d->transport;

	t->set_status(d, 0);
	uint64_t give_up = arch_timer_ns() + 1000000000ull;
	while (t->get_status(d) != 0)
		if (arch_timer_ns() > give_up)
			return -ETIMEDOUT;
	t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	uint64_t offered = t->get_features(d);
	if (!(offered & VIRTIO_F_VERSION_1))
		return -ENOTSUP;
	d->features = offered & (VIRTIO_F_VERSION_1 | wanted);
	t->set_features(d, d->features);
	t->set_status(d, t->get_status(d) | VIRTIO_STATUS_FEATURES_OK);
	return t->get_status(d) & VIRTIO_STATUS_FEATURES_OK ? 0 : -EPROTO;
}

void virtio_device_found(struct virtio_device *d)
{
	const struct virtio_driver *drv = NULL;
	const struct virtio_transport *t = d->transport;

	for (unsigned i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
		if (drivers[i]->device_id == d->device_id)
			drv = drivers[i];
	if (!drv) {
		kprintf("virtio: %s: no driver for device id %u\n", d->name, d->device_id);
		return;
	}
	int err = negotiate(d, drv->wanted_features);
	if (err) {
		fail(d, err == -ENOTSUP ? "device does not offer VIRTIO_F_VERSION_1 (legacy-only)"
			: err == -EPROTO ? "device rejected our feature set" : "device does not finish its reset",
		     err);
		return;
	}
	d->driver = drv;
	err = t->setup_irq(d);
	if (err) {
		fail(d, "cannot route its interrupt", err);
		return;
	}
	err = drv->probe(d);
	if (err) {
		fail(d, "driver setup failed", err);
		return;
	}
	t->set_status(d, t->get_status(d) | VIRTIO_STATUS_DRIVER_OK);
	if (drv->start && (err = drv->start(d)) != 0)
		kprintf("virtio: %s: %s failed to start (error %d)\n", d->name, drv->name, err);
}

int virtio_reset(struct virtio_device *d)
{
	uint64_t had = d->features;
	int err = negotiate(d, had);

	if (!err && d->features != had)
		err = -EPROTO; /* it no longer offers what the driver relies on */
	if (err)
		fail(d, "cannot be reset", err);
	return err;
}

void virtio_driver_ok(struct virtio_device *d)
{
	d->transport->set_status(d, d->transport->get_status(d) | VIRTIO_STATUS_DRIVER_OK);
}

void virtio_interrupt(void *device)
{
	struct virtio_device *d = device;
	uint32_t cause = d->transport->interrupt_ack(d);

	if (cause && d->driver && d->driver->interrupt)
		d->driver->interrupt(d, cause);
}
