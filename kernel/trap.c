/* What happens around every trap, the same on every arch: the arch entry
 * saves the frame, decodes the cause and calls one of these with
 * interrupts off; they apply the policy (interrupts on while generic code
 * may sleep, a possible thread switch, a kill checked on the way back to
 * user mode) and return with interrupts off for the arch to restore the
 * frame. An arch that must save or restore more state around this (FP
 * registers, for one) does it in its entry code before and after these
 * calls. */
#include "arch.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"

void trap_syscall(struct trap_frame *tf)
{
	arch_irq_enable(); /* the call may sleep */
	syscall_dispatch(tf);
	arch_irq_disable();
}

void trap_user_fault(struct trap_frame *tf, const char *cause, uintptr_t addr)
{
	arch_irq_enable(); /* arch.h: user_exception may sleep, so it runs with interrupts on */
	user_exception(tf, cause, addr);
	arch_irq_disable();
}

void trap_exit(bool to_user)
{
	if (arch_irq_enabled())
		panic("trap_exit with interrupts on");
	/* May switch threads: this frame is resumed when the interrupted
	 * thread runs again (a system call may have woken someone). */
	sched_interrupt_exit();
	if (to_user)
		user_trap_exit(); /* e.g. a kill that arrived meanwhile: may not return */
}
