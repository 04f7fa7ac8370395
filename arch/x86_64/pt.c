/* The x86_64 side of the page tables: loading a root and flushing the
 * TLB. The walker itself is generic (kernel/pagetable.c) over the entry
 * format in include/arch_pte.h. */
#include <stdint.h>

#include "arch.h"
#include "arch_pte.h"
#include "cpu.h"
#include "x86.h"

/* Past this many pages one full flush is cheaper than invlpg per page. */
#define INVLPG_MAX_PAGES 32

void arch_pt_activate(pt_root_t root)
{
	write_cr3(root);
}

pt_root_t arch_pt_current(void)
{
	return read_cr3() & PG_ADDR;
}

void arch_tlb_flush_range(uintptr_t va, size_t size)
{
	if (size / PAGE_SIZE <= INVLPG_MAX_PAGES) {
		for (size_t off = 0; off < size; off += PAGE_SIZE)
			invlpg(va + off);
	} else if (va < USER_TOP) {
		write_cr3(read_cr3()); /* drops every non-global translation: all user ones */
	} else {
		/* Kernel mappings are global: only turning PGE off and on
		 * drops them all. */
		uint64_t cr4 = read_cr4();
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	}
}

/* x86 never caches a not-present entry: a new mapping needs no flush. */
void arch_tlb_flush_new(uintptr_t va, size_t size)
{
	(void)va;
	(void)size;
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
