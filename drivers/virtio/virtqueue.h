/* The split virtqueue (virtio 1.x section 2.7), shared by every transport
 * and driver. Not thread-safe: callers hold interrupts off around it. */
#ifndef DRIVERS_VIRTQUEUE_H
#define DRIVERS_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct virtio_device;

struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

struct virtqueue;

/* The physical address of a kernel buffer (heap or direct map) for a
 * descriptor; 0 if it is not mapped. */
uint64_t virtq_pa(const void *p);

/* Allocates rings of up to max_size entries and enables queue `index`. */
int virtq_create(struct virtio_device *d, unsigned index, uint16_t max_size, struct virtqueue **out);
uint16_t virtq_size(const struct virtqueue *vq);
unsigned virtq_free_descriptors(const struct virtqueue *vq);
/* Chains n buffers into one request identified by `cookie`. -ENOSPC when
 * not enough descriptors are free (retry after completions). */
int virtq_add(struct virtqueue *vq, const struct virtq_buf *bufs, unsigned n, void *cookie);
/* Tells the device about new requests, unless it asked not to be told. */
void virtq_kick(struct virtqueue *vq);
/* Next completed request's cookie (and bytes written by the device), or
 * NULL if none is waiting. Its descriptors are free again. */
void *virtq_get_used(struct virtqueue *vq, uint32_t *len);
/* After virtio_reset: the device has let go of every request, so each
 * outstanding cookie is handed to drop(cookie, arg) (its buffers are the
 * caller's again), the rings are emptied and the queue is enabled anew. */
int virtq_reset(struct virtqueue *vq, void (*drop)(void *cookie, void *arg), void *arg);

#endif
