#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdint.h>

/* Probes one virtio-mmio slot; -ENODEV for an empty slot. */
int virtio_mmio_probe(uint64_t base, uint64_t size, unsigned irq);

#endif
