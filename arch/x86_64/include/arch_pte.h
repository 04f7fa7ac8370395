/* x86_64 4-level page-table entries, for the generic walker
 * (kernel/pagetable.c): level 0 holds 4 KiB leaves (PT), level 1 2 MiB
 * (PD), level 2 1 GiB (PDPT, where the CPU has them), level 3 is the PML4.
 * The contract of each definition is in kernel/include/arch.h
 * ("Page-table format"). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"

#define PT_LEVELS 4
#define PT_KERNEL_FIRST 256              /* PML4 entries of the upper half */
#define PT_PHYS_LIMIT (1ull << 52)

#define PG_P (1ull << 0)
#define PG_RW (1ull << 1)
#define PG_US (1ull << 2)
#define PG_PWT (1ull << 3)
#define PG_PCD (1ull << 4)
#define PG_PS (1ull << 7) /* in a PD or PDPT entry: a large-page leaf */
#define PG_G (1ull << 8)
#define PG_NX (1ull << 63)
#define PG_ADDR 0x000ffffffffff000ull

typedef uint64_t pte_t;

static inline bool pte_present(pte_t e) { return e & PG_P; }
static inline bool pte_is_leaf(pte_t e, int level) { return level == 0 || (e & PG_PS); }
static inline uint64_t pte_table_pa(pte_t e) { return e & PG_ADDR; }

/* Bit 12 of a large-page entry is PAT, not address, hence the mask. */
static inline uint64_t pte_leaf_pa(pte_t e, int level)
{
	return e & PG_ADDR & ~((1ull << (12 + 9 * level)) - 1);
}

/* User pages need US at every level; kernel tables never have it. */
static inline pte_t pte_table(uint64_t pa, bool user)
{
	return pa | PG_P | PG_RW | (user ? PG_US : 0);
}

static inline pte_t pte_pa_bits(uint64_t pa) { return pa; }

static inline pte_t pte_leaf(uint64_t pa, unsigned flags, int level)
{
	pte_t e = pa | PG_P | (level ? PG_PS : 0);

	if (flags & PTE_W) e |= PG_RW;
	if (flags & PTE_USER) e |= PG_US;
	if (flags & PTE_GLOBAL) e |= PG_G;
	if (flags & PTE_NOCACHE) e |= PG_PCD | PG_PWT;
	if (!(flags & PTE_X) && cpu_features.nx) /* without NXE bit 63 is reserved */
		e |= PG_NX;
	return e;
}

static inline unsigned pte_flags(pte_t e)
{
	unsigned f = PTE_R; /* x86 cannot map a page unreadable */

	if (e & PG_RW) f |= PTE_W;
	if (!(e & PG_NX)) f |= PTE_X;
	if (e & PG_US) f |= PTE_USER;
	if (e & PG_G) f |= PTE_GLOBAL;
	if (e & PG_PCD) f |= PTE_NOCACHE;
	return f;
}

static inline int pt_max_leaf_level(void) { return cpu_features.page1g ? 2 : 1; }

#endif
