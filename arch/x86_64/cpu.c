/* CPU feature setup, interrupt-flag control and barriers. */
#include "arch.h"
#include "cpu.h"

struct cpu_features cpu_features;

void cpu_init(void)
{
	uint32_t r[4];

	cpuid(0x80000001, 0, r);
	cpu_features.page1g = r[3] & (1u << 26);
	cpu_features.nx = rdmsr(MSR_EFER) & EFER_NXE; /* boot.S set it if supported */
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		cpu_features.smep = r[1] & (1u << 7);
		cpu_features.smap = r[1] & (1u << 20);
	}

	/* WP: read-only pages are read-only for the kernel too (W^X holds and
	 * copy-on-write can work). PGE: PTE_GLOBAL kernel mappings survive CR3
	 * switches. SMEP/SMAP: the kernel never runs or touches user pages by
	 * accident. FSGSBASE stays off so that user code cannot set its GS base
	 * (the kernel does not use swapgs, see syscall.c). x87 and SSE on for
	 * user code (EM and TS off, OSFXSR on): each thread's registers are
	 * switched eagerly (fpu.c). OSXSAVE off: AVX and later state is not
	 * kept, so using it must fault rather than share registers between
	 * processes. */
	write_cr0((read_cr0() | CR0_WP | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	uint64_t cr4 = (read_cr4() | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT) &
		       ~(CR4_FSGSBASE | CR4_OSXSAVE);
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

irq_flags_t arch_irq_save(void)
{
	irq_flags_t f;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

void arch_irq_restore(irq_flags_t f)
{
	if (f & RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

bool arch_irq_enabled(void)
{
	irq_flags_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f & RFLAGS_IF;
}

/* sti only takes effect after the next instruction, so no interrupt can
 * slip in between sti and hlt: a caller that checked its wake-up condition
 * with interrupts off cannot miss the wake-up. The interrupt flag is put
 * back as it was, as the interrupt handler has run by then. */
void arch_wait_for_interrupt(void)
{
	irq_flags_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	__asm__ volatile("sti; hlt" : : : "memory");
	if (!(f & RFLAGS_IF))
		__asm__ volatile("cli" : : : "memory");
}

/* x86 keeps ordinary loads and stores in order (TSO) already; the fences
 * also cover weakly-ordered (write-combining, non-temporal) accesses. */
void arch_mb(void)
{
	__asm__ volatile("mfence" : : : "memory");
}

void arch_wmb(void)
{
	__asm__ volatile("sfence" : : : "memory");
}

void arch_rmb(void)
{
	__asm__ volatile("lfence" : : : "memory");
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
