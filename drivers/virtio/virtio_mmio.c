/* virtio over MMIO, version 2 (modern) only: QEMU must run with
 * -global virtio-mmio.force-legacy=false. Registers per virtio 1.x 4.2.2. */
#include "virtio_mmio.h"

#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"
#include "virtio.h"

enum {
	MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010,
	DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
	QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_READY = 0x044,
	QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
	QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090,
	QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
	CONFIG = 0x100,
};
#define MMIO_MAGIC 0x74726976u /* "virt" */

struct mmio_dev {
	volatile uint8_t *regs;
	unsigned irq;
	struct virtio_device vdev;
};

static struct mmio_dev *md(struct virtio_device *d) { return d->transport_data; }
static uint32_t rd(struct virtio_device *d, unsigned off) { return *(volatile uint32_t *)(md(d)->regs + off); }
static void wr(struct virtio_device *d, unsigned off, uint32_t v) { *(volatile uint32_t *)(md(d)->regs + off) = v; }

static uint64_t get_features(struct virtio_device *d)
{
	wr(d, DEVICE_FEATURES_SEL, 1);
	uint64_t hi = rd(d, DEVICE_FEATURES);
	wr(d, DEVICE_FEATURES_SEL, 0);
	return hi << 32 | rd(d, DEVICE_FEATURES);
}

static void set_features(struct virtio_device *d, uint64_t f)
{
	wr(d, DRIVER_FEATURES_SEL, 1);
	wr(d, DRIVER_FEATURES, (uint32_t)(f >> 32));
	wr(d, DRIVER_FEATURES_SEL, 0);
	wr(d, DRIVER_FEATURES, (uint32_t)f);
}

static uint8_t get_status(struct virtio_device *d) { return (uint8_t)rd(d, STATUS); }
static void set_status(struct virtio_device *d, uint8_t s) { wr(d, STATUS, s); }

static uint16_t queue_max_size(struct virtio_device *d, unsigned q)
{
	wr(d, QUEUE_SEL, q);
	if (rd(d, QUEUE_READY))
		return 0; /* already in use */
	uint32_t n = rd(d, QUEUE_NUM_MAX);
	return n > 0x8000 ? 0x8000 : (uint16_t)n;
}

static int queue_enable(struct virtio_device *d, unsigned q, uint16_t size, uint64_t desc,
			uint64_t avail, uint64_t used)
{
	wr(d, QUEUE_SEL, q);
	wr(d, QUEUE_NUM, size);
	wr(d, QUEUE_DESC_LOW, (uint32_t)desc);
	wr(d, QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	wr(d, QUEUE_DRIVER_LOW, (uint32_t)avail);
	wr(d, QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	wr(d, QUEUE_DEVICE_LOW, (uint32_t)used);
	wr(d, QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
	arch_mb();
	wr(d, QUEUE_READY, 1);
	return rd(d, QUEUE_READY) ? 0 : -EIO;
}

static void queue_notify(struct virtio_device *d, unsigned q) { wr(d, QUEUE_NOTIFY, q); }

static void config_read(struct virtio_device *d, unsigned off, void *buf, unsigned len)
{
	/* Byte reads are always allowed for device config on MMIO. */
	for (unsigned i = 0; i < len; i++)
		((uint8_t *)buf)[i] = md(d)->regs[CONFIG + off + i];
}

static void config_write(struct virtio_device *d, unsigned off, const void *buf, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		md(d)->regs[CONFIG + off + i] = ((const uint8_t *)buf)[i];
}

static uint32_t interrupt_ack(struct virtio_device *d)
{
	uint32_t s = rd(d, INTERRUPT_STATUS);
	wr(d, INTERRUPT_ACK, s);
	return s;
}

static int setup_irq(struct virtio_device *d)
{
	return irq_register(md(d)->irq, virtio_interrupt, d);
}

static const struct virtio_transport mmio_transport = {
	.name = "virtio-mmio",
	.get_features = get_features,
	.set_features = set_features,
	.get_status = get_status,
	.set_status = set_status,
	.queue_max_size = queue_max_size,
	.queue_enable = queue_enable,
	.queue_notify = queue_notify,
	.config_read = config_read,
	.config_write = config_write,
	.interrupt_ack = interrupt_ack,
	.setup_irq = setup_irq,
};

int virtio_mmio_probe(uint64_t base, uint64_t size, unsigned irq)
{
	volatile uint8_t *regs = ioremap(base, size);

	if (!regs)
		return -ENOMEM;
	uint32_t magic = *(volatile uint32_t *)(regs + MAGIC);
	uint32_t version = *(volatile uint32_t *)(regs + VERSION);
	uint32_t id = *(volatile uint32_t *)(regs + DEVICE_ID);
	if (magic != MMIO_MAGIC)
		return -ENODEV;
	if (id == 0)
		return -ENODEV; /* an empty slot */
	if (version != 2) {
		kprintf("virtio-mmio@%llx: version %u (legacy) is not supported; run QEMU with "
			"-global virtio-mmio.force-legacy=false\n", (unsigned long long)base, version);
		return -ENOTSUP;
	}
	struct mmio_dev *m = kzalloc(sizeof *m);
	if (!m)
		return -ENOMEM;
	m->regs = regs;
	m->irq = irq;
	m->vdev.transport = &mmio_transport;
	m->vdev.transport_data = m;
	m->vdev.device_id = id;
	fmt_snprintf(m->vdev.name, sizeof m->vdev.name, "virtio-mmio@%llx", (unsigned long long)base);
	virtio_device_found(&m->vdev);
	return 0;
}
