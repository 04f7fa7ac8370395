/* Physical frame allocator: 4 KiB frames of the RAM the firmware reported,
 * minus the kernel image and firmware-reserved ranges. Frames are handed out
 * zeroed so that stale data never leaks between users. */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

struct frame_stats {
	size_t total; /* frames managed */
	size_t free;  /* frames currently free */
};

void frame_init(const struct boot_info *bi);
/* One zeroed frame; 0 or -ENOMEM. */
int frame_alloc(uint64_t *pa);
/* n physically contiguous zeroed frames aligned to n rounded up to a power
 * of two is NOT promised: only to one frame. 0 or -ENOMEM. */
int frame_alloc_contig(size_t n, uint64_t *pa);
/* The same without zeroing, for memory the kernel fills before anyone
 * reads it (large kmalloc blocks: kmalloc promises no contents). */
int frame_alloc_contig_uninit(size_t n, uint64_t *pa);
void frame_free(uint64_t pa);
void frame_free_contig(uint64_t pa, size_t n);
void frame_get_stats(struct frame_stats *st);

#endif
