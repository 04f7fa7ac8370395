/* The riscv64 side of the page tables: loading a root (satp) and flushing
 * the TLB. The walker itself is generic (kernel/pagetable.c) over the Sv39
 * entry format in include/arch_pte.h. */
#include "arch.h"
#include "riscv.h"

#define SATP_SV39 (8ul << 60)

/* Without ASIDs, every switch of satp flushes the whole TLB. */
void arch_pt_activate(pt_root_t root)
{
	csr_write(satp, SATP_SV39 | (root >> 12));
	sfence_vma_all();
}

pt_root_t arch_pt_current(void)
{
	return (csr_read(satp) & ((1ul << 44) - 1)) << 12;
}

/* Past this many pages one full flush is cheaper than one per page. A
 * removal or a loss of rights changes leaf entries only (tables stay), so
 * fencing each page suffices. */
#define SFENCE_MAX_PAGES 16

void arch_tlb_flush_range(uintptr_t va, size_t size)
{
	if (size / PAGE_SIZE > SFENCE_MAX_PAGES) {
		sfence_vma_all();
		return;
	}
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		sfence_vma(va + off);
}

/* A hart may cache an invalid entry, so a new mapping is flushed too; and
 * a new mapping may have added tables, which only a full fence covers
 * (sfence.vma with an address orders only leaf entries). */
void arch_tlb_flush_new(uintptr_t va, size_t size)
{
	(void)va;
	(void)size;
	sfence_vma_all();
}
