/* Kernel heap: power-of-two size classes up to 2 KiB carved from frames,
 * and whole contiguous frames for larger requests. Every block carries a
 * 16-byte header so that kfree knows its size and can catch double frees
 * and stray pointers instead of corrupting the heap silently. */
#include "kernel/heap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "kernel/frame.h"
#include "kernel/klog.h"
#include "kernel/printk.h"

#define MAGIC_USED 0x4b4d414cu /* "KMAL" */
#define MAGIC_FREE 0x46524545u /* "FREE" */
#define MIN_SHIFT 4            /* 16 bytes */
#define NCLASSES 8             /* 16 .. 2048 */
#define LARGE_CLASS 0xffu

struct header {
	uint32_t magic;
	uint8_t cls;         /* size class, or LARGE_CLASS */
	uint8_t pad[3];
	uint64_t npages;     /* for large blocks */
};
_Static_assert(sizeof(struct header) == HEAP_ALIGN, "header keeps payloads aligned");

/* A free block keeps its magic at the header's place, so a second kfree
 * of the same pointer is caught. */
struct free_obj {
	uint32_t magic;
	uint32_t pad;
	struct free_obj *next;
};

static struct free_obj *freelist[NCLASSES];
static struct heap_stats stats;

static size_t class_size(int cls) { return (size_t)1 << (cls + MIN_SHIFT); }

static int class_for(size_t total)
{
	for (int c = 0; c < NCLASSES; c++)
		if (total <= class_size(c))
			return c;
	return -1;
}

/* Splits a fresh frame into objects of class `cls`. */
static int refill(int cls)
{
	uint64_t pa;

	if (stats.reserved + PAGE_SIZE > HEAP_MAX_BYTES || frame_alloc(&pa) != 0)
		return -1;
	stats.reserved += PAGE_SIZE;
	char *page = phys_to_virt(pa);
	for (size_t off = 0; off + class_size(cls) <= PAGE_SIZE; off += class_size(cls)) {
		struct free_obj *o = (struct free_obj *)(page + off);
		o->magic = MAGIC_FREE;
		o->next = freelist[cls];
		freelist[cls] = o;
	}
	return 0;
}

/* Running out of heap should never come without a word of warning: say so
 * at 80 %. */
#define HEAP_WARN_BYTES (HEAP_MAX_BYTES / 5 * 4)
static bool warned;

static void account_alloc(size_t bytes)
{
	stats.used += bytes;
	stats.allocs++;
	if (stats.used > stats.peak)
		stats.peak = stats.used;
	if (stats.used >= HEAP_WARN_BYTES && !warned) {
		warned = true;
		stats.warnings++;
		kprintf(KERN_WARNING "heap: WARNING: %zu KiB of %u KiB in use (over 80%%)\n", stats.used / 1024,
			HEAP_MAX_BYTES / 1024);
	} else if (stats.used < HEAP_WARN_BYTES / 2) {
		warned = false; /* warn again if it climbs back up */
	}
}

static void *alloc_large(size_t total)
{
	size_t npages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa;

	if (stats.reserved + npages * PAGE_SIZE > HEAP_MAX_BYTES ||
	    frame_alloc_contig_uninit(npages, &pa) != 0)
		return NULL;
	stats.reserved += npages * PAGE_SIZE;
	account_alloc(npages * PAGE_SIZE);
	struct header *h = phys_to_virt(pa);
	h->cls = LARGE_CLASS;
	h->npages = npages;
	h->magic = MAGIC_USED;
	return h + 1;
}

void *kmalloc(size_t size)
{
	if (size == 0 || size > HEAP_MAX_BYTES)
		goto fail;
	size_t total = size + sizeof(struct header);
	int cls = class_for(total);
	irq_flags_t f = arch_irq_save();
	void *p = NULL;
	if (cls < 0) {
		p = alloc_large(total);
	} else if (freelist[cls] || refill(cls) == 0) {
		struct header *h = (struct header *)freelist[cls];
		freelist[cls] = freelist[cls]->next;
		h->magic = MAGIC_USED;
		h->cls = (uint8_t)cls;
		h->npages = 0;
		account_alloc(class_size(cls));
		p = h + 1;
	}
	arch_irq_restore(f);
	if (p)
		return p;
fail:
	stats.failures++;
	return NULL;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct header *h = (struct header *)p - 1;
	if (((uintptr_t)p & (HEAP_ALIGN - 1)) || h->magic != MAGIC_USED) {
		panic("kfree: %p is %s", p,
		      h->magic == MAGIC_FREE ? "already freed" : "not a heap block");
	}
	irq_flags_t f = arch_irq_save();
	h->magic = MAGIC_FREE;
	stats.frees++;
	if (h->cls == LARGE_CLASS) {
		size_t npages = h->npages;
		stats.used -= npages * PAGE_SIZE;
		stats.reserved -= npages * PAGE_SIZE;
		frame_free_contig(virt_to_phys(h), npages);
	} else {
		stats.used -= class_size(h->cls);
		struct free_obj *o = (struct free_obj *)h;
		o->next = freelist[h->cls];
		freelist[h->cls] = o;
	}
	arch_irq_restore(f);
}

void heap_get_stats(struct heap_stats *st)
{
	irq_flags_t f = arch_irq_save();
	*st = stats;
	st->free = HEAP_MAX_BYTES - stats.used;
	arch_irq_restore(f);
}
