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
