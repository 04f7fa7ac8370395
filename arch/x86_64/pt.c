/* 4-level page tables. Table pages come from frame_alloc() and are reached
 * through the direct map. Level 0 holds 4 KiB leaves (PT), level 1 2 MiB
 * (PD), level 2 1 GiB (PDPT), level 3 is the PML4. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "cpu.h"
#include "kernel/frame.h"
#include "tsubame/errno.h"
#include "x86.h"

#define PG_P (1ULL << 0)
#define PG_RW (1ULL << 1)
#define PG_US (1ULL << 2)
#define PG_PWT (1ULL << 3)
#define PG_PCD (1ULL << 4)
#define PG_PS (1ULL << 7) /* in a PD or PDPT entry: a large-page leaf */
#define PG_G (1ULL << 8)
#define PG_NX (1ULL << 63)
#define PG_ADDR 0x000ffffffffff000ULL

#define UPPER_HALF 0xffff800000000000ULL

static uint64_t level_size(int level)
{
	return 1ULL << (12 + 9 * level);
}

static unsigned index_of(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *table_at(uint64_t entry)
{
	return phys_to_virt(entry & PG_ADDR);
}

/* Start of the frame a leaf at `level` maps (bit 12 of a large-page entry
 * is PAT, not address, hence the mask). */
static uint64_t leaf_pa(uint64_t entry, int level)
{
	return entry & PG_ADDR & ~(level_size(level) - 1);
}

static uint64_t to_hw(unsigned flags)
{
	uint64_t e = PG_P;

	if (flags & PTE_W)
		e |= PG_RW;
	if (flags & PTE_USER)
		e |= PG_US;
	if (flags & PTE_GLOBAL)
		e |= PG_G;
	if (flags & PTE_NOCACHE)
		e |= PG_PCD | PG_PWT;
	if (!(flags & PTE_X) && cpu_features.nx) /* without NXE bit 63 is reserved */
		e |= PG_NX;
	return e;
}

static unsigned from_hw(uint64_t e)
{
	unsigned f = PTE_R; /* x86 cannot map a page unreadable */

	if (e & PG_RW)
		f |= PTE_W;
	if (!(e & PG_NX))
		f |= PTE_X;
	if (e & PG_US)
		f |= PTE_USER;
	if (e & PG_G)
		f |= PTE_GLOBAL;
	if (e & PG_PCD)
		f |= PTE_NOCACHE;
	return f;
}

static bool canonical(uintptr_t va)
{
	return va < USER_TOP || va >= UPPER_HALF;
}

/* Page-aligned, nonempty and inside one half of the address space. */
static bool range_ok(uintptr_t va, size_t size)
{
	uintptr_t last = va + size - 1;

	if (size == 0 || ((va | size) & (PAGE_SIZE - 1)) || last < va)
		return false;
	return last < USER_TOP || va >= UPPER_HALF;
}

/* The present leaf that maps va, with *level set to its level; or NULL,
 * with *level the level of the empty entry (whose whole span is unmapped). */
static uint64_t *find_leaf(pt_root_t root, uintptr_t va, int *level)
{
	uint64_t *t = phys_to_virt(root);

	for (int l = 3;; l--) {
		uint64_t *e = &t[index_of(va, l)];
		*level = l;
		if (!(*e & PG_P))
			return NULL;
		if (l == 0 || (*e & PG_PS))
			return e;
		t = table_at(*e);
	}
}

/* The upper half is shared by every address space (and may be global), so
 * its changes are flushed whichever root is active. */
static void flush(pt_root_t root, uintptr_t va)
{
	if (va >= UPPER_HALF || root == arch_pt_current())
		invlpg(va);
}

int arch_pt_create(pt_root_t *out, pt_root_t kernel_root)
{
	uint64_t pa;
	int err = frame_alloc(&pa);

	if (err)
		return err;
	if (kernel_root)
		memcpy((uint64_t *)phys_to_virt(pa) + 256, (uint64_t *)phys_to_virt(kernel_root) + 256,
		       256 * sizeof(uint64_t));
	*out = pa;
	return 0;
}

/* Installs one leaf of level `l` (or smaller, if a table is already there).
 * Returns the level used, or -errno. */
static int map_one(pt_root_t root, uintptr_t va, uint64_t pa, int l, uint64_t bits)
{
	/* User pages need US at every level; kernel tables never have it. */
	uint64_t table_bits = PG_P | PG_RW | (va < USER_TOP ? PG_US : 0);
	uint64_t *t = phys_to_virt(root);

	for (int cur = 3;; cur--) {
		uint64_t *e = &t[index_of(va, cur)];
		if (cur <= l) {
			if (!(*e & PG_P)) {
				*e = pa | bits | (cur ? PG_PS : 0);
				return cur;
			}
			if (cur == 0 || (*e & PG_PS))
				return -EEXIST;
			l = cur - 1; /* a table is in the way of a large page: use it */
		} else if (!(*e & PG_P)) {
			uint64_t tpa;
			int err = frame_alloc(&tpa);
			if (err)
				return err;
			*e = tpa | table_bits;
		} else if (*e & PG_PS) {
			return -EEXIST; /* inside an existing large page */
		}
		t = table_at(*e);
	}
}

/* On failure the pages mapped so far stay mapped; the caller unmaps. */
int arch_pt_map(pt_root_t root, uintptr_t va, uint64_t pa, size_t size, unsigned flags)
{
	uint64_t bits = to_hw(flags);
	int max_level = (flags & PTE_SMALL) ? 0 : cpu_features.page1g ? 2 : 1;

	if (!range_ok(va, size) || (pa & (PAGE_SIZE - 1)) || pa + size < pa ||
	    !(flags & (PTE_R | PTE_W | PTE_X)))
		return -EINVAL;
	while (size) {
		int l = max_level;
		while (l > 0 && (((va | pa) & (level_size(l) - 1)) || size < level_size(l)))
			l--;
		l = map_one(root, va, pa, l, bits);
		if (l < 0)
			return l;
		if (l == 0) {
			/* The rest of this page table's run: no walk per page. */
			int lvl;
			uint64_t *e = find_leaf(root, va, &lvl);
			for (unsigned i = index_of(va, 0) + 1; i < 512 && size > PAGE_SIZE; i++) {
				va += PAGE_SIZE;
				pa += PAGE_SIZE;
				size -= PAGE_SIZE;
				if (*++e & PG_P)
					return -EEXIST;
				*e = pa | bits;
			}
		}
		va += level_size(l);
		pa += level_size(l);
		size -= level_size(l);
	}
	return 0;
}

/* Walks [va, va+size) leaf by leaf. Pass 0 only checks that no large page
 * is covered in part, so that a refused call changes nothing; pass 1 calls
 * fn on each leaf. Unmapped holes are skipped. */
static int walk_range(pt_root_t root, uintptr_t va, size_t size,
		      void (*fn)(pt_root_t, uintptr_t, uint64_t *, int, uintptr_t), uintptr_t arg)
{
	if (!range_ok(va, size))
		return -EINVAL;
	for (int pass = 0; pass < 2; pass++) {
		uintptr_t a = va;
		size_t left = size;
		while (left) {
			int l;
			uint64_t *e = find_leaf(root, a, &l);
			uint64_t span = level_size(l);
			uint64_t step = span - (a & (span - 1));
			if (e && ((a & (span - 1)) || left < span))
				return -EINVAL;
			if (e && pass == 1)
				fn(root, a, e, l, arg);
			if (e && l == 0) { /* the rest of this page table without walking again */
				uint64_t rest = 511 - index_of(a, 0), pages = (left - 1) / PAGE_SIZE;
				if (pages > rest)
					pages = rest;
				if (pass == 0) { /* 4 KiB leaves cannot be covered in part */
					a += pages * PAGE_SIZE;
					left -= pages * PAGE_SIZE;
				} else {
					for (; pages; pages--) {
						a += PAGE_SIZE;
						left -= PAGE_SIZE;
						if (*++e & PG_P)
							fn(root, a, e, 0, arg);
					}
				}
			}
			if (step >= left)
				break;
			a += step;
			left -= step;
		}
	}
	return 0;
}

static void unmap_leaf(pt_root_t root, uintptr_t va, uint64_t *e, int level, uintptr_t free_frames)
{
	uint64_t pa = leaf_pa(*e, level);

	*e = 0;
	flush(root, va);
	if (free_frames && level == 0) /* large pages are never single frames */
		frame_free(pa);
}

int arch_pt_unmap(pt_root_t root, uintptr_t va, size_t size, bool free_frames)
{
	return walk_range(root, va, size, unmap_leaf, free_frames);
}

static void protect_leaf(pt_root_t root, uintptr_t va, uint64_t *e, int level, uintptr_t flags)
{
	*e = leaf_pa(*e, level) | to_hw(flags) | (level ? PG_PS : 0);
	flush(root, va);
}

int arch_pt_protect(pt_root_t root, uintptr_t va, size_t size, unsigned flags)
{
	if (!(flags & (PTE_R | PTE_W | PTE_X)))
		return -EINVAL;
	return walk_range(root, va, size, protect_leaf, flags);
}

int arch_pt_translate(pt_root_t root, uintptr_t va, uint64_t *pa, unsigned *flags)
{
	int l;
	uint64_t *e;

	if (!canonical(va))
		return -EINVAL;
	e = find_leaf(root, va, &l);
	if (!e)
		return -ENOENT;
	if (pa)
		*pa = leaf_pa(*e, l) + (va & (level_size(l) - 1));
	if (flags)
		*flags = from_hw(*e);
	return 0;
}

size_t arch_pt_contig(pt_root_t root, uintptr_t va, size_t max, uint64_t *pa)
{
	size_t run = 0;
	uint64_t next = 0;

	while (run < max && canonical(va + run)) {
		int l;
		uint64_t *e = find_leaf(root, va + run, &l);
		if (!e)
			break;
		uint64_t sz = level_size(l), off = (va + run) & (sz - 1);
		uint64_t here = leaf_pa(*e, l) + off;
		if (run == 0)
			*pa = here;
		else if (here != next)
			break;
		/* Along this table without walking again. */
		unsigned i = index_of(va + run, l);
		for (;;) {
			run += sz - off;
			next = here + sz - off;
			off = 0;
			if (l != 0 || ++i >= 512 || run >= max)
				break;
			e++;
			if (!(*e & PG_P) || leaf_pa(*e, 0) != next)
				return run < max ? run : max;
			here = next;
		}
	}
	return run < max ? run : max;
}

/* Frees a table whose entries are of `level`, and the tables below it. */
static void free_table(uint64_t pa, int level)
{
	uint64_t *t = phys_to_virt(pa);

	for (int i = 0; level > 0 && i < 512; i++)
		if ((t[i] & PG_P) && !(t[i] & PG_PS))
			free_table(t[i] & PG_ADDR, level - 1);
	frame_free(pa);
}

void arch_pt_destroy(pt_root_t root)
{
	uint64_t *pml4 = phys_to_virt(root);

	for (int i = 0; i < 256; i++) /* the upper half is shared: leave it */
		if (pml4[i] & PG_P)
			free_table(pml4[i] & PG_ADDR, 2);
	frame_free(root);
}

void arch_pt_activate(pt_root_t root)
{
	write_cr3(root);
}

pt_root_t arch_pt_current(void)
{
	return read_cr3() & PG_ADDR;
}

void *map_phys(uint64_t pa, size_t size, unsigned flags)
{
	pt_root_t root = arch_pt_current();
	uint64_t end = (pa + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	for (uint64_t p = pa & ~(PAGE_SIZE - 1); p < end; p += PAGE_SIZE) {
		uintptr_t va = (uintptr_t)phys_to_virt(p);
		if (arch_pt_translate(root, va, NULL, NULL) == 0)
			continue; /* already reachable (e.g. RAM in the direct map) */
		if (arch_pt_map(root, va, p, PAGE_SIZE, flags | PTE_SMALL | PTE_GLOBAL))
			return NULL;
	}
	return phys_to_virt(pa);
}
