/* Entering and leaving user mode on riscv64, and the syscall ABI: ecall
 * with the number in a7, arguments in a0..a5, the result in a0. */
#include "arch.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/vm.h"
#include "riscv.h"

extern char trap_return[];

#define FRAME_SIZE 288 /* entry.S */
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "entry.S and struct trap_frame agree");

void arch_user_frame_init(struct trap_frame *tf, uintptr_t pc, uintptr_t sp, uintptr_t arg0,
			  uintptr_t arg1)
{
	*tf = (struct trap_frame){ 0 };
	tf->sepc = pc;
	tf->regs[2] = sp;
	tf->regs[10] = arg0;
	tf->regs[11] = arg1;
	/* SPP = 0: sret goes to U-mode; SPIE = 1: interrupts on once there.
	 * FS = Initial: F/D usable, registers as arch_fpu_init left them; VS =
	 * Off: no vector state is kept (fpu.c). */
	tf->sstatus = (csr_read(sstatus) &
		       ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS | SSTATUS_VS)) |
		      SSTATUS_SPIE | SSTATUS_FS_INITIAL;
}

struct trap_frame *arch_user_frame(uintptr_t kstack_top)
{
	return (struct trap_frame *)(kstack_top - FRAME_SIZE);
}

_Noreturn void arch_enter_user(struct trap_frame *tf)
{
	arch_irq_disable();
	__asm__ volatile("mv sp, %0\n\tj trap_return" ::"r"(tf) : "memory");
	__builtin_unreachable();
}

/* Lowest sp a kernel trap may start from (entry.S checks it): the frame
 * and the handler's own calls need the room above the guard page. */
uintptr_t riscv_kstack_limit;

void arch_set_kernel_stack(uintptr_t top)
{
	/* trap_return puts the stack top into sscratch for user mode */
	riscv_kstack_limit = top - KSTACK_SIZE + 1024;
}

_Noreturn void riscv_stack_overflow(uintptr_t pc, uintptr_t addr, uintptr_t fp, uintptr_t sp);
_Noreturn void riscv_stack_overflow(uintptr_t pc, uintptr_t addr, uintptr_t fp, uintptr_t sp)
{
	kprintf(KERN_EMERG "\nkernel stack overflow: sp %p is below the limit %p\n", (void *)sp,
		(void *)riscv_kstack_limit);
	kernel_fault("kernel stack overflow", addr, pc, fp);
}

uint64_t arch_syscall_nr(const struct trap_frame *tf) { return tf->regs[17]; }

uint64_t arch_syscall_arg(const struct trap_frame *tf, int n)
{
	return n >= 0 && n < 6 ? tf->regs[10 + n] : 0;
}

void arch_syscall_set_return(struct trap_frame *tf, uint64_t value) { tf->regs[10] = value; }
