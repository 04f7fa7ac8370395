/* Split virtqueue: a descriptor table, the driver's avail ring and the
 * device's used ring, in physically contiguous zeroed frames. Free
 * descriptors form a list through their `next` fields. */
#include "virtqueue.h"

#include <string.h>

#include "arch.h"
#include "kernel/frame.h"
#include "kernel/heap.h"
#include "tsubame/errno.h"
#include "virtio.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

struct virtqueue {
	struct virtio_device *dev;
	unsigned index;
	uint16_t size;
	uint16_t free_head, num_free;
	uint16_t last_used;
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	void **cookies;
	uint64_t ring_pa;
	size_t ring_pages;
};

uint64_t virtq_pa(const void *p)
{
	uint64_t pa;
	unsigned fl;
	return arch_pt_translate(arch_pt_current(), (uintptr_t)p, &pa, &fl) == 0 ? pa : 0;
}

static size_t align_up(size_t x, size_t a) { return (x + a - 1) & ~(a - 1); }

/* Empty rings, every descriptor on the free list, and the queue enabled
 * at the device. */
static int enable(struct virtqueue *vq)
{
	size_t bytes = (size_t)((char *)vq->used - (char *)vq->desc) + 6 + 8u * vq->size;

	memset((void *)vq->desc, 0, bytes);
	for (uint16_t i = 0; i < vq->size; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = vq->size;
	vq->last_used = 0;
	uint64_t avail = vq->ring_pa + (uint64_t)((char *)vq->avail - (char *)vq->desc);
	uint64_t used = vq->ring_pa + (uint64_t)((char *)vq->used - (char *)vq->desc);
	return vq->dev->transport->queue_enable(vq->dev, vq->index, vq->size, vq->ring_pa, avail, used);
}

int virtq_create(struct virtio_device *d, unsigned index, uint16_t max_size, struct virtqueue **out)
{
	uint16_t size = d->transport->queue_max_size(d, index);

	if (size == 0)
		return -ENODEV;
	if (size > max_size)
		size = max_size;
	/* Queue sizes are powers of two for split rings. */
	while (size & (size - 1))
		size &= (uint16_t)(size - 1);
	struct virtqueue *vq = kzalloc(sizeof *vq);
	void **cookies = kzalloc(sizeof(void *) * size);
	if (!vq || !cookies)
		goto nomem;
	size_t avail_off = 16u * size;
	size_t used_off = align_up(avail_off + 6 + 2u * size, 4);
	size_t bytes = used_off + 6 + 8u * size;
	vq->ring_pages = align_up(bytes, PAGE_SIZE) / PAGE_SIZE;
	if (frame_alloc_contig(vq->ring_pages, &vq->ring_pa) != 0)
		goto nomem;
	char *base = phys_to_virt(vq->ring_pa);
	vq->dev = d;
	vq->index = index;
	vq->size = size;
	vq->cookies = cookies;
	vq->desc = (volatile struct virtq_desc *)base;
	vq->avail = (volatile struct virtq_avail *)(base + avail_off);
	vq->used = (volatile struct virtq_used *)(base + used_off);
	int err = enable(vq);
	if (err) {
		frame_free_contig(vq->ring_pa, vq->ring_pages);
		kfree(cookies);
		kfree(vq);
		return err;
	}
	*out = vq;
	return 0;
nomem:
	kfree(cookies);
	kfree(vq);
	return -ENOMEM;
}

uint16_t virtq_size(const struct virtqueue *vq)
{
	return vq->size;
}

unsigned virtq_free_descriptors(const struct virtqueue *vq)
{
	return vq->num_free;
}

int virtq_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	if (n == 0 || n > vq->size)
		return -EINVAL;
	if (n > vq->num_free)
		return -ENOSPC;
	uint16_t head = vq->free_head, i = head;
	for (unsigned k = 0; k < n; k++) {
		vq->desc[i].addr = bufs[k].pa;
		vq->desc[i].len = bufs[k].len;
		vq->desc[i].flags = (uint16_t)((bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					       (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		i = vq->desc[i].next;
	}
	vq->free_head = i;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookies[head] = cookie;
	vq->avail->ring[vq->avail->idx % vq->size] = head;
	arch_wmb(); /* descriptors and ring entry before the index */
	vq->avail->idx = (uint16_t)(vq->avail->idx + 1);
	return 0;
}

void virtq_kick(struct virtqueue *vq)
{
	arch_mb(); /* the new avail index before we read the device's flags */
	if (!(vq->used->flags & VIRTQ_USED_F_NO_NOTIFY))
		vq->dev->transport->queue_notify(vq->dev, vq->index);
}

void *virtq_get_used(struct virtqueue *vq, uint32_t *len)
{
	if (vq->last_used == vq->used->idx)
		return NULL;
	arch_rmb(); /* the index before the element it covers */
	struct virtq_used_elem e = { vq->used->ring[vq->last_used % vq->size].id,
				     vq->used->ring[vq->last_used % vq->size].len };
	vq->last_used++;
	if (e.id >= vq->size)
		return NULL; /* a device bug; never index out of bounds */
	void *cookie = vq->cookies[e.id];
	vq->cookies[e.id] = NULL;
	/* Return the chain to the free list. */
	uint16_t i = (uint16_t)e.id, n = 1;
	while ((vq->desc[i].flags & VIRTQ_DESC_F_NEXT) && n <= vq->size) {
		i = vq->desc[i].next;
		n++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = (uint16_t)e.id;
	vq->num_free = (uint16_t)(vq->num_free + n);
	if (len)
		*len = e.len;
	return cookie;
}

int virtq_reset(struct virtqueue *vq, void (*drop)(void *cookie, void *arg), void *arg)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		void *cookie = vq->cookies[i];
		vq->cookies[i] = NULL;
		if (cookie)
			drop(cookie, arg);
	}
	return enable(vq);
}
