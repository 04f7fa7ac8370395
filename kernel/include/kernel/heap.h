/* Kernel heap. Bounded by HEAP_MAX_BYTES so that a leak or a runaway
 * request shows up as -ENOMEM (NULL) instead of eating every frame. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>

#define HEAP_MAX_BYTES (32u * 1024 * 1024)
#define HEAP_ALIGN 16u

struct heap_stats {
	size_t used;       /* bytes handed out (including headers) */
	size_t peak;       /* highest `used` seen */
	size_t reserved;   /* bytes taken from the frame allocator */
	size_t free;       /* HEAP_MAX_BYTES - used */
	size_t allocs, frees, failures;
	size_t warnings;   /* times use crossed 80 % of the cap */
};

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
void heap_get_stats(struct heap_stats *st);

#endif
