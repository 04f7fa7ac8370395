/* virtio 1.x devices, independent of the transport (MMIO or PCI). A
 * transport fills struct virtio_device and calls virtio_device_found();
 * the core negotiates features and hands the device to its driver. */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_GPU 16
#define VIRTIO_ID_INPUT 18

struct virtio_device;

/* What a transport provides. Addresses given to queue_enable are physical. */
struct virtio_transport {
	const char *name;
	uint64_t (*get_features)(struct virtio_device *d);
	void (*set_features)(struct virtio_device *d, uint64_t features);
	uint8_t (*get_status)(struct virtio_device *d);
	void (*set_status)(struct virtio_device *d, uint8_t status);
	uint16_t (*queue_max_size)(struct virtio_device *d, unsigned q); /* 0: no such queue */
	int (*queue_enable)(struct virtio_device *d, unsigned q, uint16_t size,
			    uint64_t desc, uint64_t avail, uint64_t used);
	void (*queue_notify)(struct virtio_device *d, unsigned q);
	void (*config_read)(struct virtio_device *d, unsigned off, void *buf, unsigned len);
	void (*config_write)(struct virtio_device *d, unsigned off, const void *buf, unsigned len);
	/* Reads and acknowledges the interrupt cause (bit 0: used buffers,
	 * bit 1: configuration change). */
	uint32_t (*interrupt_ack)(struct virtio_device *d);
	/* Routes the device's interrupt to virtio_interrupt(). 0 or -errno. */
	int (*setup_irq)(struct virtio_device *d);
};

struct virtio_driver;

struct virtio_device {
	const struct virtio_transport *transport;
	void *transport_data;
	uint32_t device_id;
	char name[32];             /* e.g. "virtio-mmio@10008000" */
	uint64_t features;         /* negotiated */
	const struct virtio_driver *driver;
	void *driver_data;
};

struct virtio_driver {
	const char *name;
	uint32_t device_id;
	uint64_t wanted_features;  /* beyond VERSION_1 */
	int (*probe)(struct virtio_device *d);   /* after FEATURES_OK; sets up queues */
	int (*start)(struct virtio_device *d);   /* after DRIVER_OK: may send requests */
	void (*interrupt)(struct virtio_device *d, uint32_t cause);
};

/* Called by a transport for every device it finds. */
void virtio_device_found(struct virtio_device *d);
/* After a request the device did not complete in time: resets the device,
 * so that it touches none of our rings or buffers any more, and brings it
 * back to FEATURES_OK with the same features. The driver then re-enables
 * its queues (virtq_reset) and calls virtio_driver_ok. -errno (the device
 * is then marked FAILED) if it does not come back. */
int virtio_reset(struct virtio_device *d);
void virtio_driver_ok(struct virtio_device *d);
/* The transport's interrupt handler calls this. */
void virtio_interrupt(void *device);

static inline bool virtio_has_feature(const struct virtio_device *d, uint64_t bit)
{
	return (d->features & bit) != 0;
}

#endif
