/* Sv39 page-table entries, for the generic walker (kernel/pagetable.c):
 * three levels of 512 entries; a leaf may sit at any level (4 KiB, 2 MiB,
 * 1 GiB) and is told from a table pointer by its R/W/X bits. The contract
 * of each definition is in kernel/include/arch.h ("Page-table format"). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

#define PT_LEVELS 3
#define PT_KERNEL_FIRST 256          /* root entries of the upper half */
#define PT_PHYS_LIMIT (1ull << 56)   /* 44-bit PPN */

#define SV39_V (1ul << 0)
#define SV39_R (1ul << 1)
#define SV39_W (1ul << 2)
#define SV39_X (1ul << 3)
#define SV39_U (1ul << 4)
#define SV39_G (1ul << 5)
#define SV39_A (1ul << 6) /* set up front: QEMU and most harts would */
#define SV39_D (1ul << 7) /* otherwise trap to have them set */

typedef uint64_t pte_t;

static inline bool pte_present(pte_t e) { return e & SV39_V; }
static inline bool pte_is_leaf(pte_t e, int level) { (void)level; return e & (SV39_R | SV39_W | SV39_X); }
static inline uint64_t pte_table_pa(pte_t e) { return (e >> 10) << 12; }
static inline uint64_t pte_leaf_pa(pte_t e, int level) { (void)level; return (e >> 10) << 12; }
static inline pte_t pte_table(uint64_t pa, bool user) { (void)user; return (pa >> 12) << 10 | SV39_V; }

static inline pte_t pte_pa_bits(uint64_t pa) { return (pa >> 12) << 10; }

static inline pte_t pte_leaf(uint64_t pa, unsigned flags, int level)
{
	pte_t e = pte_pa_bits(pa) | SV39_V | SV39_A | SV39_D;

	(void)level;
	if (flags & PTE_R) e |= SV39_R;
	if (flags & PTE_W) e |= SV39_W | SV39_R; /* W without R is reserved */
	if (flags & PTE_X) e |= SV39_X;
	if (flags & PTE_USER) e |= SV39_U;
	if (flags & PTE_GLOBAL) e |= SV39_G;
	return e; /* PTE_NOCACHE: QEMU virt's device memory is uncached by its PMA */
}

static inline unsigned pte_flags(pte_t e)
{
	unsigned f = 0;
	if (e & SV39_R) f |= PTE_R;
	if (e & SV39_W) f |= PTE_W;
	if (e & SV39_X) f |= PTE_X;
	if (e & SV39_U) f |= PTE_USER;
	if (e & SV39_G) f |= PTE_GLOBAL;
	return f;
}

static inline int pt_max_leaf_level(void) { return 2; }

#endif
