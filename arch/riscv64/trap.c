/* Trap dispatch: interrupts go to the timer, the PLIC and generic IRQ
 * code; kernel exceptions are a breakpoint (counted and resumed), an
 * expected fault (extable fixup), or fatal. */
#include <stdbool.h>

#include "arch.h"
#include "kernel/extable.h"
#include "kernel/printk.h"
#include "riscv.h"

extern char trap_entry[];

static const char *const exception_names[] = {
	[EXC_INSN_MISALIGNED] = "instruction address misaligned",
	[EXC_INSN_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INSN] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "ecall from U-mode",
	[EXC_ECALL_S] = "ecall from S-mode",
	[EXC_INSN_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store page fault",
};

static const char *exception_name(uint64_t cause)
{
	if (cause < sizeof exception_names / sizeof exception_names[0] && exception_names[cause])
		return exception_names[cause];
	return "unknown exception";
}

void arch_init_traps(void)
{
	arch_set_kernel_stack((uintptr_t)__boot_stack_top);
	csr_write(sscratch, 0);
	csr_write(stvec, (uintptr_t)trap_entry); /* direct mode */
	csr_clear(sstatus, SSTATUS_FS | SSTATUS_VS); /* no FP or vector use in the kernel */
}

uintptr_t arch_trap_pc(const struct trap_frame *tf)
{
	return tf->sepc;
}

static void handle_interrupt(uint64_t code)
{
	switch (code) {
	case IRQ_S_TIMER:
		timer_interrupt();
		break;
	case IRQ_S_EXT:
		for (unsigned irq; (irq = plic_claim()) != 0;) {
			irq_dispatch(irq);
			plic_complete(irq);
		}
		break;
	default:
		kprintf("trap: unexpected interrupt %llu\n", (unsigned long long)code);
		break;
	}
}

/* Length of the instruction at pc: 2 for compressed, else 4. */
static unsigned insn_length(uintptr_t pc)
{
	return ((*(const uint16_t *)pc) & 3) == 3 ? 4 : 2;
}

void riscv_trap(struct trap_frame *tf)
{
	uint64_t cause = tf->scause;
	bool from_user = !(tf->sstatus & SSTATUS_SPP);

	if (cause & SCAUSE_INTERRUPT) {
		handle_interrupt(cause & ~SCAUSE_INTERRUPT);
		trap_exit(from_user);
		return;
	}
	if (from_user) {
		if (cause == EXC_ECALL_U) {
			tf->sepc += 4;
			trap_syscall(tf);
		} else {
			trap_user_fault(tf, exception_name(cause), tf->stval);
		}
		trap_exit(true);
		return;
	}
	if (cause == EXC_BREAKPOINT) {
		trap_breakpoint_hits++;
		tf->sepc += insn_length(tf->sepc);
		return;
	}
	uintptr_t fixup = extable_fixup(tf->sepc);
	if (fixup) {
		tf->sepc = fixup;
		return;
	}
	kernel_fault(exception_name(cause), tf->stval, tf->sepc, tf->regs[8]);
}
