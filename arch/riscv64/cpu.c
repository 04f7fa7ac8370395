/* Interrupt enable, idle, contexts, backtraces and power for riscv64. */
#include "arch.h"
#include "kernel/printk.h"
#include "riscv.h"
#include "sbi.h"

void arch_irq_enable(void) { csr_set(sstatus, SSTATUS_SIE); }
void arch_irq_disable(void) { csr_clear(sstatus, SSTATUS_SIE); }

irq_flags_t arch_irq_save(void)
{
	uint64_t s;
	__asm__ volatile("csrrci %0, sstatus, %1" : "=r"(s) : "i"(SSTATUS_SIE) : "memory");
	return s & SSTATUS_SIE;
}

void arch_irq_restore(irq_flags_t f)
{
	if (f)
		csr_set(sstatus, SSTATUS_SIE);
}

bool arch_irq_enabled(void) { return csr_read(sstatus) & SSTATUS_SIE; }

/* wfi wakes on any pending interrupt enabled in sie, even with SIE off, so
 * enabling afterwards cannot lose a wakeup. */
void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
	arch_irq_enable();
}

/* The io bits order MMIO register accesses against the rings in RAM. */
void arch_mb(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }
void arch_wmb(void) { __asm__ volatile("fence ow, ow" ::: "memory"); }
void arch_rmb(void) { __asm__ volatile("fence ir, ir" ::: "memory"); }

_Noreturn void arch_halt(void)
{
	arch_irq_disable();
	for (;;)
		__asm__ volatile("wfi");
}

extern char context_trampoline[];

void arch_context_init(struct arch_context *ctx, uintptr_t stack_top,
		       void (*entry)(void *), void *arg)
{
	*ctx = (struct arch_context){ 0 };
	ctx->ra = (uintptr_t)context_trampoline;
	ctx->sp = stack_top & ~15ul;
	ctx->s[1] = (uintptr_t)entry;
	ctx->s[2] = (uintptr_t)arg;
}

_Noreturn void context_entry_returned(void);
_Noreturn void context_entry_returned(void)
{
	panic("a kernel context's entry function returned");
}

uintptr_t arch_frame_pointer(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

/* With -fno-omit-frame-pointer, fp points just above the saved pair
 * (ra at fp-8, caller's fp at fp-16). Every frame is checked to be mapped
 * before it is read, so a corrupt chain ends the walk instead of faulting. */
void arch_backtrace(uintptr_t fp, void (*fn)(uintptr_t pc), int max)
{
	for (int i = 0; i < max; i++) {
		uint64_t pa;
		unsigned fl;
		if (fp < DIRECT_MAP_BASE || (fp & 7) ||
		    arch_pt_translate(arch_pt_current(), fp - 16, &pa, &fl) != 0)
			return;
		uintptr_t ra = ((uintptr_t *)fp)[-1];
		uintptr_t prev = ((uintptr_t *)fp)[-2];
		if (ra == 0)
			return;
		fn(ra);
		if (prev <= fp)
			return;
		fp = prev;
	}
}

/* sifive,test finisher: 0x5555 = pass (QEMU exits 0), (code << 16) | 0x3333
 * = fail (QEMU exits with code). */
_Noreturn void arch_poweroff(int status)
{
	arch_irq_disable();
	if (riscv_plat.test_pa) {
		volatile uint32_t *test = phys_to_virt(riscv_plat.test_pa);
		*test = status == 0 ? 0x5555u : ((uint32_t)(status & 0xffff) << 16) | 0x3333u;
	}
	sbi_system_reset(0, status == 0 ? 0 : 1);
	arch_halt();
}
