/* The page-table operations of arch.h, written once for every arch: a
 * radix tree of PT_LEVELS levels of 512 entries, whose entry format the
 * arch supplies (arch/<arch>/include/arch_pte.h: present/leaf tests, table
 * and leaf encoders, flag decoding) along with its TLB flushes. Tables
 * live in frames reached through the direct map.
 *
 * Every path that removes a mapping or reduces its rights ends in
 * pt_flush_removed(): that is where a multiprocessor kernel shoots the
 * translation down on the other CPUs too. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "arch_pte.h"
#include "kernel/frame.h"
#include "tsubame/errno.h"

#define PT_ENTRIES 512
#define PT_INDEX_BITS 9
#define FLAGS_KNOWN (PTE_R | PTE_W | PTE_X | PTE_USER | PTE_SMALL | PTE_GLOBAL | PTE_NOCACHE)

_Static_assert(PAGE_SIZE == 1ul << PAGE_SHIFT, "PAGE_SHIFT matches PAGE_SIZE");

static inline uint64_t level_size(int level)
{
	return (uint64_t)PAGE_SIZE << (PT_INDEX_BITS * level);
}

static inline unsigned index_of(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1);
}

static inline pte_t *table_at(uint64_t pa)
{
	return phys_to_virt(pa);
}

static bool in_a_half(uintptr_t va)
{
	return va < USER_TOP || va >= KERNEL_HALF_BASE;
}

/* Page-aligned, nonempty, no wrap-around, inside one half. */
static bool range_ok(uintptr_t va, size_t size)
{
	uintptr_t last = va + size - 1;

	if (size == 0 || ((va | size) & (PAGE_SIZE - 1)) || last < va)
		return false;
	return last < USER_TOP || va >= KERNEL_HALF_BASE;
}

static bool flags_ok(unsigned flags)
{
	return (flags & (PTE_R | PTE_W | PTE_X)) && !(flags & ~FLAGS_KNOWN);
}

/* A change is visible at once only in the active table and in the kernel
 * half every table shares; any other table is loaded later, and loading
 * it flushes (no ASIDs). */
static bool live(pt_root_t root, uintptr_t va)
{
	return va >= KERNEL_HALF_BASE || root == arch_pt_current();
}

/* The one place where translations that were removed or reduced leave the
 * TLB (SMP: and where other CPUs are told to drop them). */
static void pt_flush_removed(pt_root_t root, uintptr_t va, size_t size)
{
	if (size && live(root, va))
		arch_tlb_flush_range(va, size);
}

/* The present leaf that maps va, with *level its level; or NULL, with
 * *level the level of the empty entry (whose whole span is unmapped). */
static pte_t *find_leaf(pt_root_t root, uintptr_t va, int *level)
{
	pte_t *t = table_at(root);

	for (int l = PT_LEVELS - 1;; l--) {
		pte_t *e = &t[index_of(va, l)];
		*level = l;
		if (!pte_present(*e))
			return NULL;
		if (pte_is_leaf(*e, l))
			return e;
		t = table_at(pte_table_pa(*e));
	}
}

int arch_pt_create(pt_root_t *out, pt_root_t kernel_root)
{
	uint64_t pa;

	if (frame_alloc(&pa) != 0)
		return -ENOMEM;
	if (kernel_root)
		memcpy(table_at(pa) + PT_KERNEL_FIRST, table_at(kernel_root) + PT_KERNEL_FIRST,
		       (PT_ENTRIES - PT_KERNEL_FIRST) * sizeof(pte_t));
	*out = pa;
	return 0;
}

/* The entry at *level for va, creating tables above it. Where a table
 * already sits at *level (part of that span is mapped), goes down into it
 * and lowers *level. NULL with *err = -ENOMEM or -EEXIST (a larger leaf). */
static pte_t *walk_create(pt_root_t root, uintptr_t va, int *level, int *err)
{
	pte_t *t = table_at(root);

	for (int l = PT_LEVELS - 1;; l--) {
		pte_t *e = &t[index_of(va, l)];
		if (l <= *level) {
			if (l == 0 || !pte_present(*e) || pte_is_leaf(*e, l)) {
				*level = l;
				return e;
			}
		} else if (!pte_present(*e)) {
			uint64_t tpa;
			if (frame_alloc(&tpa) != 0) {
				*err = -ENOMEM;
				return NULL;
			}
			*e = pte_table(tpa, va < USER_TOP);
		} else if (pte_is_leaf(*e, l)) {
			*err = -EEXIST;
			return NULL;
		}
		t = table_at(pte_table_pa(*e));
	}
}

static void remove_range(pt_root_t root, uintptr_t va, size_t size, bool free_frames);

int arch_pt_map(pt_root_t root, uintptr_t va, uint64_t pa, size_t size, unsigned flags)
{
	int top = (flags & PTE_SMALL) ? 0 : pt_max_leaf_level();
	size_t done = 0;
	int err = 0;

	if (!range_ok(va, size) || (pa & (PAGE_SIZE - 1)) || pa + size < pa ||
	    pa + size > PT_PHYS_LIMIT || !flags_ok(flags))
		return -EINVAL;
	while (done < size && !err) {
		uintptr_t a = va + done;
		uint64_t p = pa + done;
		int l = top;
		while (l > 0 && (((a | p) & (level_size(l) - 1)) || size - done < level_size(l)))
			l--;
		pte_t *e = walk_create(root, a, &l, &err);
		if (!e)
			break;
		/* The rest of this table's run: one walk per table, not per
		 * page, and the flag bits encoded once. */
		uint64_t step = level_size(l);
		uint64_t n = PT_ENTRIES - index_of(a, l);
		if (n > (size - done) / step)
			n = (size - done) / step;
		const pte_t bits = pte_leaf(0, flags, l);
		for (; n; n--, e++, done += step) {
			if (pte_present(*e)) {
				/* A table where a large leaf would go is walked into
				 * by the next round; anything else is in the way. */
				if (l == 0 || pte_is_leaf(*e, l))
					err = -EEXIST;
				break;
			}
			*e = pte_pa_bits(pa + done) | bits;
		}
	}
	if (err) {
		/* Nothing of a refused call stays mapped. */
		if (done)
			remove_range(root, va, done, false);
		return err;
	}
	if (live(root, va))
		arch_tlb_flush_new(va, size);
	return 0;
}

/* Calls fn on every present leaf in [va, va+size), in order, one walk per
 * table; a leaf covered only in part makes it return -EINVAL at once.
 * Holes count as -ENOENT when !holes_ok. With fn NULL it only checks, so
 * that a call it refuses can change nothing. */
typedef void leaf_fn(pte_t *e, int level, uintptr_t arg);
/* Inlined into each caller, so that fn is a direct (inlined) call: an
 * indirect call per page costs ten times the loop under TCG. */
static inline __attribute__((always_inline)) int
for_each_leaf(pt_root_t root, uintptr_t va, size_t size, bool holes_ok, leaf_fn *fn, uintptr_t arg)
{
	uintptr_t a = va;
	size_t left = size;

	while (left) {
		int l;
		pte_t *e = find_leaf(root, a, &l);
		uint64_t span = level_size(l);
		uint64_t step = span - (a & (span - 1)); /* to the end of this entry's span */
		if (!e) {
			if (!holes_ok)
				return -ENOENT;
		} else if ((a & (span - 1)) || left < span) {
			return -EINVAL; /* would split a large page */
		} else {
			/* The rest of this table: at one level, a leaf is whole
			 * when it starts inside the range and ends inside it. */
			unsigned i = index_of(a, l);
			if (!fn && holes_ok && l == 0) {
				/* Checking only: 4 KiB leaves cannot be covered in
				 * part, so the rest of this table needs no look. */
				uint64_t to_end = (uint64_t)(PT_ENTRIES - i) * span;
				step = to_end < left ? to_end : left;
				i = PT_ENTRIES;
			}
			while (i < PT_ENTRIES) {
				if (fn)
					fn(e, l, arg);
				if (++i >= PT_ENTRIES || left - step < span)
					break;
				e++;
				if (!pte_present(*e) || !pte_is_leaf(*e, l)) {
					if (!pte_present(*e) && !holes_ok)
						return -ENOENT;
					if (pte_present(*e))
						break; /* a table: walk into it from the top */
				}
				step += span;
			}
		}
		if (step >= left)
			break;
		a += step;
		left -= step;
	}
	return 0;
}

static void clear_leaf(pte_t *e, int level, uintptr_t free_frames)
{
	pte_t old = *e;

	if (!pte_present(old))
		return; /* a hole inside a run */
	*e = 0;
	if (free_frames) {
		if (level == 0)
			frame_free(pte_leaf_pa(old, 0));
		else
			frame_free_contig(pte_leaf_pa(old, level), level_size(level) / PAGE_SIZE);
	}
}

static void remove_range(pt_root_t root, uintptr_t va, size_t size, bool free_frames)
{
	for_each_leaf(root, va, size, true, clear_leaf, free_frames);
	pt_flush_removed(root, va, size);
}

int arch_pt_unmap(pt_root_t root, uintptr_t va, size_t size, bool free_frames)
{
	if (!range_ok(va, size))
		return -EINVAL;
	int err = for_each_leaf(root, va, size, true, NULL, 0);
	if (err)
		return err;
	remove_range(root, va, size, free_frames);
	return 0;
}

static void set_flags(pte_t *e, int level, uintptr_t flags)
{
	*e = pte_leaf(pte_leaf_pa(*e, level), flags, level);
}

int arch_pt_protect(pt_root_t root, uintptr_t va, size_t size, unsigned flags)
{
	if (!range_ok(va, size) || !flags_ok(flags))
		return -EINVAL;
	int err = for_each_leaf(root, va, size, false, NULL, 0);
	if (err)
		return err;
	for_each_leaf(root, va, size, false, set_flags, flags);
	pt_flush_removed(root, va, size); /* rights may have been taken away */
	return 0;
}

int arch_pt_translate(pt_root_t root, uintptr_t va, uint64_t *pa, unsigned *flags)
{
	int l;
	pte_t *e;

	if (!in_a_half(va))
		return -EINVAL;
	e = find_leaf(root, va, &l);
	if (!e)
		return -ENOENT;
	if (pa)
		*pa = pte_leaf_pa(*e, l) + (va & (level_size(l) - 1));
	if (flags)
		*flags = pte_flags(*e);
	return 0;
}

size_t arch_pt_contig(pt_root_t root, uintptr_t va, size_t max, uint64_t *pa)
{
	size_t run = 0;
	uint64_t next = 0;

	/* A run never leaves the half it starts in. */
	if (!in_a_half(va))
		return 0;
	if (va < USER_TOP && max > USER_TOP - va)
		max = USER_TOP - va;
	while (run < max) {
		int l;
		pte_t *e = find_leaf(root, va + run, &l);
		if (!e)
			break;
		uint64_t sz = level_size(l), off = (va + run) & (sz - 1);
		uint64_t here = pte_leaf_pa(*e, l) + off;
		if (run == 0 && pa)
			*pa = here;
		else if (run != 0 && here != next)
			break;
		/* Along this table without walking again. */
		unsigned i = index_of(va + run, l);
		for (;;) {
			run += sz - off;
			next = here + sz - off;
			off = 0;
			if (++i >= PT_ENTRIES || run >= max)
				break;
			e++;
			if (!pte_present(*e) || !pte_is_leaf(*e, l) || pte_leaf_pa(*e, l) != next)
				return run < max ? run : max;
			here = next;
		}
		if (va + run == 0)
			break; /* ran off the top of the kernel half */
	}
	return run < max ? run : max;
}

/* Frees a table whose entries are of `level`, and the tables below it. */
static void free_table(uint64_t pa, int level)
{
	pte_t *t = table_at(pa);

	for (int i = 0; level > 0 && i < PT_ENTRIES; i++)
		if (pte_present(t[i]) && !pte_is_leaf(t[i], level))
			free_table(pte_table_pa(t[i]), level - 1);
	frame_free(pa);
}

void arch_pt_destroy(pt_root_t root)
{
	pte_t *t = table_at(root);

	for (int i = 0; i < PT_KERNEL_FIRST; i++) /* the upper half is shared: leave it */
		if (pte_present(t[i]) && !pte_is_leaf(t[i], PT_LEVELS - 1))
			free_table(pte_table_pa(t[i]), PT_LEVELS - 2);
	frame_free(root);
}
