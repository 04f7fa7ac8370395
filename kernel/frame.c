/* Physical frame allocator: one bit per 4 KiB frame (1 = in use) over the
 * span from the lowest to the highest RAM address. A bitmap costs 32 KiB per
 * GiB, needs no allocation of its own and makes contiguous runs (for DMA
 * rings) easy to find. A next-fit hint keeps single-frame allocation fast. */
#include "kernel/frame.h"

#include <stdbool.h>
#include <string.h>

#include "arch.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

static uint64_t *bitmap;
static uint64_t base_pfn;     /* first frame the bitmap covers */
static size_t nframes;        /* frames the bitmap covers */
static size_t free_frames, managed_frames;
static size_t hint;           /* where the next search starts */

static bool test_bit(size_t i) { return bitmap[i / 64] >> (i % 64) & 1; }
static void set_bit(size_t i) { bitmap[i / 64] |= 1ull << (i % 64); }
static void clear_bit(size_t i) { bitmap[i / 64] &= ~(1ull << (i % 64)); }

static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }
static uint64_t align_down(uint64_t x, uint64_t a) { return x & ~(a - 1); }

/* Marks [start, end) used (used=true) or free, clipped to the bitmap. */
static void mark_range(uint64_t start, uint64_t end, bool used)
{
	uint64_t first = start / PAGE_SIZE, last = end / PAGE_SIZE;

	if (first < base_pfn)
		first = base_pfn;
	if (last > base_pfn + nframes)
		last = base_pfn + nframes;
	for (uint64_t pfn = first; pfn < last; pfn++) {
		size_t i = pfn - base_pfn;
		if (used && !test_bit(i)) {
			set_bit(i);
			free_frames--;
		} else if (!used && test_bit(i)) {
			clear_bit(i);
			free_frames++;
		}
	}
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* The bitmap goes at the first page-aligned spot after the kernel that is
 * inside RAM and clear of every reserved range. */
static uint64_t place_bitmap(const struct boot_info *bi, uint64_t bytes)
{
	uint64_t at = align_up(kernel_virt_to_phys(__kernel_end), PAGE_SIZE);
	bool moved = true;

	while (moved) {
		moved = false;
		for (int i = 0; i < bi->nreserved; i++) {
			const struct phys_range *r = &bi->reserved[i];
			if (overlaps(at, at + bytes, r->base, r->base + r->size)) {
				at = align_up(r->base + r->size, PAGE_SIZE);
				moved = true;
			}
		}
	}
	for (int i = 0; i < bi->nram; i++)
		if (at >= bi->ram[i].base && at + bytes <= bi->ram[i].base + bi->ram[i].size)
			return at;
	panic("frame: no room for a %llu-byte bitmap after the kernel", (unsigned long long)bytes);
}

void frame_init(const struct boot_info *bi)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (int i = 0; i < bi->nram; i++) {
		uint64_t s = align_up(bi->ram[i].base, PAGE_SIZE);
		uint64_t e = align_down(bi->ram[i].base + bi->ram[i].size, PAGE_SIZE);
		if (s < e) {
			lo = s < lo ? s : lo;
			hi = e > hi ? e : hi;
		}
	}
	if (hi == 0)
		panic("frame: the firmware reported no usable RAM");
	base_pfn = lo / PAGE_SIZE;
	nframes = (hi - lo) / PAGE_SIZE;
	uint64_t bytes = align_up((nframes + 63) / 64 * 8, PAGE_SIZE);
	uint64_t bitmap_pa = place_bitmap(bi, bytes);
	bitmap = phys_to_virt(bitmap_pa);
	memset(bitmap, 0xff, bytes);

	free_frames = 0;
	for (int i = 0; i < bi->nram; i++)
		mark_range(align_up(bi->ram[i].base, PAGE_SIZE),
			   align_down(bi->ram[i].base + bi->ram[i].size, PAGE_SIZE), false);
	for (int i = 0; i < bi->nreserved; i++)
		mark_range(align_down(bi->reserved[i].base, PAGE_SIZE),
			   align_up(bi->reserved[i].base + bi->reserved[i].size, PAGE_SIZE), true);
	mark_range(align_down(kernel_virt_to_phys(__kernel_start), PAGE_SIZE),
		   align_up(kernel_virt_to_phys(__kernel_end), PAGE_SIZE), true);
	mark_range(bitmap_pa, bitmap_pa + bytes, true);
	managed_frames = free_frames; /* count only what can be handed out */
	kprintf("frame: %zu KiB free of RAM %#llx-%#llx (bitmap at %#llx)\n",
		free_frames * (PAGE_SIZE / 1024), (unsigned long long)lo,
		(unsigned long long)hi, (unsigned long long)bitmap_pa);
}

/* First run of n free frames at or after `from`; nframes if none. */
static size_t find_run(size_t from, size_t n)
{
	size_t run = 0;

	for (size_t i = from; i < nframes; i++) {
		if (i % 64 == 0 && run == 0 && bitmap[i / 64] == ~0ull) {
			i += 63; /* skip a full word */
			continue;
		}
		run = test_bit(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return nframes;
}

static int alloc_run(size_t n, uint64_t *pa);

int frame_alloc_contig(size_t n, uint64_t *pa)
{
	int err = alloc_run(n, pa);

	if (!err)
		memset(phys_to_virt(*pa), 0, n * PAGE_SIZE);
	return err;
}

int frame_alloc_contig_uninit(size_t n, uint64_t *pa)
{
	return alloc_run(n, pa);
}

static int alloc_run(size_t n, uint64_t *pa)
{
	if (n == 0 || n > free_frames)
		return -ENOMEM;
	irq_flags_t f = arch_irq_save();
	/* From where the last allocation ended: a process's pages then come
	 * out in order, and its large buffers are physically contiguous (I/O
	 * goes straight into them, see sys_fs.c). */
	size_t i = find_run(hint, n);
	if (i == nframes && hint)
		i = find_run(0, n);
	if (i == nframes) {
		arch_irq_restore(f);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++)
		set_bit(i + k);
	free_frames -= n;
	hint = i + n;
	arch_irq_restore(f);
	*pa = (base_pfn + i) * PAGE_SIZE;
	return 0;
}

int frame_alloc(uint64_t *pa)
{
	return frame_alloc_contig(1, pa);
}

void frame_free_contig(uint64_t pa, size_t n)
{
	uint64_t pfn = pa / PAGE_SIZE;

	if (pa % PAGE_SIZE || pfn < base_pfn || pfn + n > base_pfn + nframes)
		panic("frame_free: %#llx is not a managed frame", (unsigned long long)pa);
	irq_flags_t f = arch_irq_save();
	for (size_t k = 0; k < n; k++) {
		size_t i = pfn - base_pfn + k;
		if (!test_bit(i))
			panic("frame_free: double free of %#llx",
			      (unsigned long long)(pa + k * PAGE_SIZE));
		clear_bit(i);
	}
	free_frames += n;
	if (pfn - base_pfn < hint)
		hint = pfn - base_pfn;
	arch_irq_restore(f);
}

void frame_free(uint64_t pa)
{
	frame_free_contig(pa, 1);
}

void frame_get_stats(struct frame_stats *st)
{
	st->total = managed_frames;
	st->free = free_frames;
}
