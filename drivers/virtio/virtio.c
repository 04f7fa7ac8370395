/* Device initialisation per virtio 1.x section 3.1.1: reset, ACKNOWLEDGE,
 * DRIVER, feature negotiation with FEATURES_OK read back, driver-specific
 * setup, DRIVER_OK. Any failure leaves the device FAILED with a reason. */
#include "virtio.h"

#include <stddef.h>

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
	kprintf("virtio: %s (device id %u): %s (error %d); device marked FAILED\n", d->name,
		d->device_id, why, err);
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
	t->set_status(d, 0); /* reset */
	t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	t->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	uint64_t offered = t->get_features(d);
	if (!(offered & VIRTIO_F_VERSION_1)) {
		fail(d, "device does not offer VIRTIO_F_VERSION_1 (legacy-only)", -ENOTSUP);
		return;
	}
	d->features = offered & (VIRTIO_F_VERSION_1 | drv->wanted_features);
	t->set_features(d, d->features);
	t->set_status(d, t->get_status(d) | VIRTIO_STATUS_FEATURES_OK);
	if (!(t->get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
		fail(d, "device rejected our feature set", -ENOTSUP);
		return;
	}
	d->driver = drv;
	int err = t->setup_irq(d);
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

void virtio_interrupt(void *device)
{
	struct virtio_device *d = device;
	uint32_t cause = d->transport->interrupt_ack(d);

	if (cause && d->driver && d->driver->interrupt)
		d->driver->interrupt(d, cause);
}
