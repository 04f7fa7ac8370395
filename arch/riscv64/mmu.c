/* Sv39 page tables: three levels of 512 entries; leaves may sit at any
 * level (1 GiB, 2 MiB, 4 KiB pages). Tables live in frames reached through
 * the direct map. */
#include <stdbool.h>

#include "arch.h"
#include "kernel/frame.h"
#include "riscv.h"
#include "tsubame/errno.h"

#define PTE_V (1ul << 0)
#define PTE_HW_R (1ul << 1)
#define PTE_HW_W (1ul << 2)
#define PTE_HW_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define LEVELS 3
#define SATP_SV39 (8ul << 60)

typedef uint64_t pte_t;

static uint64_t level_size(int level) { return PAGE_SIZE << (9 * level); }
static unsigned index_of(uintptr_t va, int level) { return (va >> (12 + 9 * level)) & 511; }
static uint64_t pte_pa(pte_t e) { return (e >> 10) << 12; }
static bool is_leaf(pte_t e) { return e & (PTE_HW_R | PTE_HW_W | PTE_HW_X); }
static pte_t *table(uint64_t pa) { return phys_to_virt(pa); }

static pte_t hw_flags(unsigned f)
{
	pte_t e = PTE_V | PTE_A | PTE_D;
	if (f & PTE_R) e |= PTE_HW_R;
	if (f & PTE_W) e |= PTE_HW_W | PTE_HW_R; /* W without R is reserved */
	if (f & PTE_X) e |= PTE_HW_X;
	if (f & PTE_USER) e |= PTE_U;
	if (f & PTE_GLOBAL) e |= PTE_G;
	return e;
}

static unsigned generic_flags(pte_t e)
{
	unsigned f = 0;
	if (e & PTE_HW_R) f |= PTE_R;
	if (e & PTE_HW_W) f |= PTE_W;
	if (e & PTE_HW_X) f |= PTE_X;
	if (e & PTE_U) f |= PTE_USER;
	if (e & PTE_G) f |= PTE_GLOBAL;
	return f;
}

/* The entry for va at `level`, creating intermediate tables if `create`.
 * NULL if a table is missing (and !create), a larger leaf is in the way,
 * or no frame is left. */
static pte_t *walk(pt_root_t root, uintptr_t va, int level, bool create)
{
	pte_t *t = table(root);

	for (int l = LEVELS - 1; l > level; l--) {
		pte_t *e = &t[index_of(va, l)];
		if (!(*e & PTE_V)) {
			uint64_t pa;
			if (!create || frame_alloc(&pa) != 0)
				return NULL;
			*e = (pa >> 12) << 10 | PTE_V;
		} else if (is_leaf(*e)) {
			return NULL;
		}
		t = table(pte_pa(*e));
	}
	return &t[index_of(va, level)];
}

/* The leaf mapping va, and its level; NULL if unmapped. */
static pte_t *find_leaf(pt_root_t root, uintptr_t va, int *level)
{
	pte_t *t = table(root);

	for (int l = LEVELS - 1; l >= 0; l--) {
		pte_t *e = &t[index_of(va, l)];
		if (!(*e & PTE_V))
			return NULL;
		if (is_leaf(*e)) {
			*level = l;
			return e;
		}
		t = table(pte_pa(*e));
	}
	return NULL;
}

/* Every switch of satp flushes the TLB (arch_pt_activate), so only the
 * active table and the shared kernel half need a flush after a change. */
static void flush_if_live(pt_root_t root, uintptr_t va)
{
	if (root == arch_pt_current() || va >= DIRECT_MAP_BASE)
		sfence_vma_all();
}

static bool fits(uintptr_t va, uint64_t pa, size_t left, int level)
{
	uint64_t sz = level_size(level);
	return ((va | pa) & (sz - 1)) == 0 && left >= sz;
}

int arch_pt_create(pt_root_t *out, pt_root_t kernel_root)
{
	uint64_t pa;

	if (frame_alloc(&pa) != 0)
		return -ENOMEM;
	if (kernel_root)
		for (int i = 256; i < 512; i++)
			table(pa)[i] = table(kernel_root)[i];
	*out = pa;
	return 0;
}

int arch_pt_map(pt_root_t root, uintptr_t va, uint64_t pa, size_t size, unsigned flags)
{
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	for (size_t done = 0; done < size;) {
		int level = 0;
		if (!(flags & PTE_SMALL))
			for (int l = LEVELS - 1; l > 0 && level == 0; l--)
				if (fits(va + done, pa + done, size - done, l))
					level = l;
		pte_t *e = walk(root, va + done, level, true);
		if (!e)
			return -ENOMEM;
		/* The rest of this table's run: no walk per page. */
		unsigned i = index_of(va + done, level);
		do {
			if (*e & PTE_V)
				return -EEXIST;
			*e++ = ((pa + done) >> 12) << 10 | hw_flags(flags);
			done += level_size(level);
		} while (level == 0 && ++i < 512 && done < size);
	}
	flush_if_live(root, va);
	return 0;
}

int arch_pt_unmap(pt_root_t root, uintptr_t va, size_t size, bool free_frames)
{
	int err = 0;

	for (uintptr_t a = va; a < va + size;) {
		int level;
		pte_t *e = find_leaf(root, a, &level);
		if (!e) {
			a += PAGE_SIZE;
			continue;
		}
		uint64_t sz = level_size(level);
		if ((a & (sz - 1)) || va + size - a < sz) {
			err = -EINVAL; /* would split a large page */
			a += PAGE_SIZE;
			continue;
		}
		/* The rest of this table's run: no walk per page. */
		unsigned i = index_of(a, level);
		do {
			if (free_frames && level == 0 && (*e & PTE_V))
				frame_free(pte_pa(*e));
			*e++ = 0;
			a += sz;
		} while (level == 0 && ++i < 512 && a < va + size && (*e & PTE_V) && is_leaf(*e));
	}
	flush_if_live(root, va);
	return err;
}

int arch_pt_protect(pt_root_t root, uintptr_t va, size_t size, unsigned flags)
{
	for (uintptr_t a = va; a < va + size;) {
		int level;
		pte_t *e = find_leaf(root, a, &level);
		if (!e)
			return -ENOENT;
		uint64_t sz = level_size(level);
		if ((a & (sz - 1)) || va + size - a < sz)
			return -EINVAL;
		*e = (*e & ~0x3fful) | hw_flags(flags);
		a += sz;
	}
	flush_if_live(root, va);
	return 0;
}

int arch_pt_translate(pt_root_t root, uintptr_t va, uint64_t *pa, unsigned *flags)
{
	int level;
	pte_t *e = find_leaf(root, va, &level);

	if (!e)
		return -ENOENT;
	*pa = pte_pa(*e) + (va & (level_size(level) - 1));
	*flags = generic_flags(*e);
	return 0;
}

size_t arch_pt_contig(pt_root_t root, uintptr_t va, size_t max, uint64_t *pa)
{
	size_t run = 0;
	uint64_t next = 0;

	while (run < max) {
		int level;
		pte_t *e = find_leaf(root, va + run, &level);
		if (!e)
			break;
		uint64_t sz = level_size(level), off = (va + run) & (sz - 1);
		uint64_t here = pte_pa(*e) + off;
		if (run == 0)
			*pa = here;
		else if (here != next)
			break;
		/* Along this table without walking again. */
		unsigned i = index_of(va + run, level);
		for (;;) {
			run += sz - off;
			next = here + sz - off;
			off = 0;
			if (level != 0 || ++i >= 512 || run >= max)
				break;
			e++;
			if (!(*e & PTE_V) || !is_leaf(*e) || pte_pa(*e) != next)
				return run < max ? run : max;
			here = next;
		}
	}
	return run < max ? run : max;
}

static void free_tables(uint64_t pa, int level)
{
	pte_t *t = table(pa);

	for (int i = 0; i < 512 && level > 0; i++)
		if ((t[i] & PTE_V) && !is_leaf(t[i]))
			free_tables(pte_pa(t[i]), level - 1);
	frame_free(pa);
}

void arch_pt_destroy(pt_root_t root)
{
	pte_t *t = table(root);

	for (int i = 0; i < 256; i++)
		if ((t[i] & PTE_V) && !is_leaf(t[i]))
			free_tables(pte_pa(t[i]), LEVELS - 2);
	frame_free(root);
}

void arch_pt_activate(pt_root_t root)
{
	csr_write(satp, SATP_SV39 | (root >> 12));
	sfence_vma_all();
}

pt_root_t arch_pt_current(void)
{
	return (csr_read(satp) & ((1ul << 44) - 1)) << 12;
}
