/* virtio over PCI, modern (1.x) only: the device's registers are found
 * through vendor capabilities (common, notify, ISR, device config), per
 * virtio 1.x section 4.1. Interrupts use one MSI-X vector where the
 * platform has MSI, else the legacy INTx line with the ISR register. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/heap.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "pci/pci.h"
#include "tsubame/errno.h"
#include "virtio.h"

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4
#define NO_VECTOR 0xffff

/* The MSI-X capability (PCI 3.0, 6.8.2) and one entry of its table. */
#define MSIX_CAP_CONTROL 2        /* u16 */
#define MSIX_CAP_TABLE 4          /* u32: BAR in bits 0..2, offset above */
#define MSIX_CTL_ENABLE 0x8000
#define MSIX_CTL_FUNCTION_MASK 0x4000
#define MSIX_ENTRY_ADDR_LO 0
#define MSIX_ENTRY_ADDR_HI 4
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CONTROL 12     /* bit 0: masked */
#define MSIX_ENTRY_SIZE 16

/* Common configuration structure offsets. */
enum {
	DEVICE_FEATURE_SELECT = 0x00, DEVICE_FEATURE = 0x04, DRIVER_FEATURE_SELECT = 0x08,
	DRIVER_FEATURE = 0x0c, MSIX_CONFIG = 0x10, NUM_QUEUES = 0x12, DEVICE_STATUS = 0x14,
	QUEUE_SELECT = 0x16, QUEUE_SIZE = 0x18, QUEUE_MSIX_VECTOR = 0x1a, QUEUE_ENABLE = 0x1c,
	QUEUE_NOTIFY_OFF = 0x1e, QUEUE_DESC = 0x20, QUEUE_DRIVER = 0x28, QUEUE_DEVICE = 0x30,
};

struct vpci {
	struct pci_dev *pci;
	volatile uint8_t *common, *notify, *isr, *device;
	uint32_t notify_mult;
	bool msix;
	unsigned irq;
	struct virtio_device vdev;
};

static struct vpci *vp(struct virtio_device *d) { return d->transport_data; }
static void w8(volatile uint8_t *b, unsigned o, uint8_t v) { b[o] = v; }
static void w16(volatile uint8_t *b, unsigned o, uint16_t v) { *(volatile uint16_t *)(b + o) = v; }
static void w32(volatile uint8_t *b, unsigned o, uint32_t v) { *(volatile uint32_t *)(b + o) = v; }
static uint16_t r16(volatile uint8_t *b, unsigned o) { return *(volatile uint16_t *)(b + o); }
static uint32_t r32(volatile uint8_t *b, unsigned o) { return *(volatile uint32_t *)(b + o); }
static void w64(volatile uint8_t *b, unsigned o, uint64_t v)
{
	w32(b, o, (uint32_t)v);
	w32(b, o + 4, (uint32_t)(v >> 32));
}

static uint64_t get_features(struct virtio_device *d)
{
	volatile uint8_t *c = vp(d)->common;
	w32(c, DEVICE_FEATURE_SELECT, 1);
	uint64_t hi = r32(c, DEVICE_FEATURE);
	w32(c, DEVICE_FEATURE_SELECT, 0);
	return hi << 32 | r32(c, DEVICE_FEATURE);
}

static void set_features(struct virtio_device *d, uint64_t f)
{
	volatile uint8_t *c = vp(d)->common;
	w32(c, DRIVER_FEATURE_SELECT, 1);
	w32(c, DRIVER_FEATURE, (uint32_t)(f >> 32));
	w32(c, DRIVER_FEATURE_SELECT, 0);
	w32(c, DRIVER_FEATURE, (uint32_t)f);
}

static uint8_t get_status(struct virtio_device *d) { return vp(d)->common[DEVICE_STATUS]; }
static void set_status(struct virtio_device *d, uint8_t s) { w8(vp(d)->common, DEVICE_STATUS, s); }

static uint16_t queue_max_size(struct virtio_device *d, unsigned q)
{
	volatile uint8_t *c = vp(d)->common;
	if (q >= r16(c, NUM_QUEUES))
		return 0;
	w16(c, QUEUE_SELECT, (uint16_t)q);
	return r16(c, QUEUE_ENABLE) ? 0 : r16(c, QUEUE_SIZE);
}

static int queue_enable(struct virtio_device *d, unsigned q, uint16_t size, uint64_t desc,
			uint64_t avail, uint64_t used)
{
	volatile uint8_t *c = vp(d)->common;
	w16(c, QUEUE_SELECT, (uint16_t)q);
	w16(c, QUEUE_SIZE, size);
	w64(c, QUEUE_DESC, desc);
	w64(c, QUEUE_DRIVER, avail);
	w64(c, QUEUE_DEVICE, used);
	if (vp(d)->msix) {
		w16(c, QUEUE_MSIX_VECTOR, 0);
		if (r16(c, QUEUE_MSIX_VECTOR) != 0)
			return -EIO; /* the device could not take the vector */
	}
	arch_mb();
	w16(c, QUEUE_ENABLE, 1);
	return 0;
}

static void queue_notify(struct virtio_device *d, unsigned q)
{
	volatile uint8_t *c = vp(d)->common;
	w16(c, QUEUE_SELECT, (uint16_t)q);
	uint16_t off = r16(c, QUEUE_NOTIFY_OFF);
	w16(vp(d)->notify, off * vp(d)->notify_mult, (uint16_t)q);
}

static void config_read(struct virtio_device *d, unsigned off, void *buf, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		((uint8_t *)buf)[i] = vp(d)->device[off + i];
}

static void config_write(struct virtio_device *d, unsigned off, const void *buf, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		vp(d)->device[off + i] = ((const uint8_t *)buf)[i];
}

static uint32_t interrupt_ack(struct virtio_device *d)
{
	/* With MSI-X the vector itself says "queue"; the ISR is for INTx only
	 * (reading it also deasserts the line). */
	return vp(d)->msix ? 1 : vp(d)->isr[0];
}

/* MSI-X: table entry 0 gets the platform's message, every queue uses it. */
static int setup_msix(struct vpci *v)
{
	unsigned cap = pci_find_cap(v->pci, PCI_CAP_ID_MSIX, 0);
	uint64_t addr;
	uint32_t data;

	if (!cap || arch_msi_alloc(&v->irq, &addr, &data) != 0)
		return -ENOTSUP;
	uint32_t table = pci_read32(v->pci, cap + MSIX_CAP_TABLE);
	volatile uint8_t *entry = pci_map_bar(v->pci, table & 7, table & ~7u, MSIX_ENTRY_SIZE);
	if (!entry)
		return -EFAULT;
	w32(entry, MSIX_ENTRY_ADDR_LO, (uint32_t)addr);
	w32(entry, MSIX_ENTRY_ADDR_HI, (uint32_t)(addr >> 32));
	w32(entry, MSIX_ENTRY_DATA, data);
	w32(entry, MSIX_ENTRY_CONTROL, 0); /* unmasked */
	uint16_t ctl = pci_read16(v->pci, cap + MSIX_CAP_CONTROL);
	pci_write16(v->pci, cap + MSIX_CAP_CONTROL,
		    (uint16_t)((ctl | MSIX_CTL_ENABLE) & ~MSIX_CTL_FUNCTION_MASK));
	w16(v->common, MSIX_CONFIG, NO_VECTOR);
	v->msix = true;
	return 0;
}

static int setup_irq(struct virtio_device *d)
{
	struct vpci *v = vp(d);

	if (setup_msix(v) != 0) {
		int err = arch_pci_intx(v->pci->bus, v->pci->dev, v->pci->fn, v->pci->irq_pin,
					v->pci->irq_line, &v->irq);
		if (err)
			return err;
	}
	return irq_register(v->irq, virtio_interrupt, d);
}

static const struct virtio_transport pci_transport = {
	.name = "virtio-pci",
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

/* Maps the structure a vendor capability points at. */
static volatile uint8_t *map_cap(struct pci_dev *p, unsigned cap)
{
	uint8_t bar = pci_read8(p, cap + 4);
	uint32_t off = pci_read32(p, cap + 8), len = pci_read32(p, cap + 12);
	return pci_map_bar(p, bar, off, len ? len : 1);
}

int virtio_pci_probe(struct pci_dev *p)
{
	struct vpci *v = kzalloc(sizeof *v);

	if (!v)
		return -ENOMEM;
	v->pci = p;
	pci_enable(p);
	for (unsigned cap = pci_find_cap(p, PCI_CAP_ID_VENDOR, 0); cap;
	     cap = pci_find_cap(p, PCI_CAP_ID_VENDOR, cap)) {
		switch (pci_read8(p, cap + 3)) {
		case CAP_COMMON: if (!v->common) v->common = map_cap(p, cap); break;
		case CAP_ISR: if (!v->isr) v->isr = map_cap(p, cap); break;
		case CAP_DEVICE: if (!v->device) v->device = map_cap(p, cap); break;
		case CAP_NOTIFY:
			if (!v->notify) {
				v->notify = map_cap(p, cap);
				v->notify_mult = pci_read32(p, cap + 16);
			}
			break;
		}
	}
	if (!v->common || !v->notify || !v->isr || !v->device) {
		kprintf("virtio-pci %02x:%02x.%u: missing modern capabilities (legacy device? "
			"use disable-legacy=on)\n", p->bus, p->dev, p->fn);
		kfree(v);
		return -ENOTSUP;
	}
	v->vdev.transport = &pci_transport;
	v->vdev.transport_data = v;
	v->vdev.device_id = p->device - 0x1040u;
	fmt_snprintf(v->vdev.name, sizeof v->vdev.name, "virtio-pci@%02x:%02x.%u", p->bus, p->dev, p->fn);
	virtio_device_found(&v->vdev);
	return 0;
}
