/* User-mode frames: building the first one, leaving the kernel through one,
 * the syscall register convention, and the checks every return to user
 * mode passes. */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "gdt.h"
#include "x86.h"

/* The CPU pushes ss..rip at a 16-byte aligned rsp0 and vectors.S pushes the
 * rest: the frame fills the top of the stack exactly, and trap_common
 * calls C with the 16-byte alignment the ABI wants. */
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout (vectors.S)");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "trap_frame keeps the stack aligned");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "trap_frame layout (vectors.S)");

/* What user code may hold in RFLAGS: the status flags, TF, DF, AC (its own
 * alignment checks), ID (the CPUID probe) and RF (set by the CPU in fault
 * frames). Never IOPL (port I/O), NT (iretq would fault), VM, VIF/VIP. */
#define RFLAGS_USER                                                                  \
	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF |     \
	 RFLAGS_DF | RFLAGS_OF | RFLAGS_AC | RFLAGS_ID | RFLAGS_RF)

static int canonical(uint64_t va)
{
	return va < USER_TOP || va >= (uint64_t)0 - USER_TOP;
}

void arch_user_frame_init(struct trap_frame *tf, uintptr_t pc, uintptr_t sp, uintptr_t arg0,
			  uintptr_t arg1)
{
	*tf = (struct trap_frame){
		.rip = pc,
		.cs = GDT_UCODE | 3,
		.rflags = RFLAGS_IF | RFLAGS_FIXED,
		.rsp = sp,
		.ss = GDT_UDATA | 3,
		.rdi = arg0,
		.rsi = arg1,
	};
}

struct trap_frame *arch_user_frame(uintptr_t kstack_top)
{
	return (struct trap_frame *)((kstack_top & ~(uintptr_t)15) - sizeof(struct trap_frame));
}

_Noreturn void arch_enter_user(struct trap_frame *tf)
{
	arch_irq_disable();
	/* The frame sits at the top of the stack traps will use from now on. */
	arch_set_kernel_stack((uintptr_t)(tf + 1));
	user_return_check(tf);
	trap_resume(tf);
}

/* The x86_64 syscall convention (as Linux): number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9 (r10, not rcx, which syscall overwrites with
 * the return address), result in rax. */
uint64_t arch_syscall_nr(const struct trap_frame *tf)
{
	return tf->rax;
}

uint64_t arch_syscall_arg(const struct trap_frame *tf, int n)
{
	switch (n) {
	case 0: return tf->rdi;
	case 1: return tf->rsi;
	case 2: return tf->rdx;
	case 3: return tf->r10;
	case 4: return tf->r8;
	case 5: return tf->r9;
	default: return 0;
	}
}

void arch_syscall_set_return(struct trap_frame *tf, uint64_t value)
{
	tf->rax = value;
}

/* Generic code may have rewritten the frame (exec), so it
 * is checked before each iretq to user mode: the selectors are forced to
 * the user ones (never a return to CPL 0), RFLAGS to user bits plus IF.
 * A non-canonical rip would make iretq itself fault in kernel mode; it can
 * come from a syscall in the last bytes below USER_TOP (the return address
 * is USER_TOP) or from generic code, and is delivered as the #GP the user
 * would get at that address, again until generic code kills the thread
 * or moves rip. (A non-canonical rsp needs no check: iretq loads it, and
 * the first user stack access faults in user mode.) */
void user_return_check(struct trap_frame *tf)
{
	while (!canonical(tf->rip))
		trap_user_fault(tf, "general protection fault", tf->rip);
	tf->cs = GDT_UCODE | 3;
	tf->ss = GDT_UDATA | 3;
	tf->rflags = (tf->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_FIXED;
}
