/* Entry stubs for all 256 vectors and for the syscall instruction. Each
 * builds the same struct trap_frame (arch_defs.h): a trap stub pushes a
 * dummy error code when the CPU does not push one, then its vector number;
 * the syscall entry pushes by hand what an interrupt from user mode would
 * have. All join trap_common, which saves the general registers and calls
 * trap_dispatch(struct trap_frame *); every exit is the iretq at the end.
 *
 * No swapgs anywhere: the kernel never uses GS (or FS), so the user's GS
 * base can stay loaded in kernel mode without meaning anything; see
 * syscall.c. */

#include "gdt.h"
#include "x86.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl trap_stubs
trap_stubs: /* stub v is at trap_stubs + v * TRAP_STUB_SIZE (idt.c) */
	.set v, 0
	.rept 256
	.balign 16
	.if !HAS_ERROR(v)
	pushq $0
	.endif
	pushq $v
	jmp trap_common
	.set v, v + 1
	.endr

/* The syscall instruction jumps here (MSR_LSTAR) at CPL 0 with rcx = user
 * rip, r11 = user rflags and SFMASK applied (IF, DF, TF, AC, NT clear), but
 * still on the user's stack, which must not be touched: the first memory
 * access goes through the kernel stack of arch_set_kernel_stack. The user
 * rsp is parked in a global for the two instructions that need it; with
 * interrupts off and one CPU nothing else can use it meanwhile (NMI and
 * #MC run on IST stacks and never look at it). */
	.globl syscall_entry
syscall_entry:
	movq %rsp, syscall_user_rsp(%rip)
	movq syscall_stack_top(%rip), %rsp
	pushq $(GDT_UDATA | 3)          /* ss */
	pushq syscall_user_rsp(%rip)    /* rsp */
	pushq %r11                      /* rflags */
	pushq $(GDT_UCODE | 3)          /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error */
	pushq $VEC_SYSCALL              /* vector: "came via syscall" */
	/* Fall through. The frame is left exactly where an interrupt from
	 * user mode would put it (arch_user_frame), so generic code sees one
	 * frame type in one place. Returning goes through iretq, not sysretq:
	 * sysretq to a non-canonical rcx faults in kernel mode on Intel CPUs
	 * (with the user's rsp already loaded), and iretq restores every
	 * register from the frame, so generic code may change any of them. */

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld                  /* the ABI requires DF = 0 on function entry */
	movq %rsp, %rdi
	call trap_dispatch   /* the stack is 16-byte aligned here (176 bytes pushed) */
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp       /* vector and error code */
	iretq

/* _Noreturn void trap_resume(struct trap_frame *tf): leaves through a
 * frame that was built in place rather than pushed by an entry (the first
 * entry to user mode). Interrupts must be off. */
	.globl trap_resume
trap_resume:
	movq %rdi, %rsp
	jmp trap_return

	.bss
	.balign 8
	.globl syscall_stack_top
syscall_stack_top: .skip 8 /* set by arch_set_kernel_stack (syscall.c) */
syscall_user_rsp:  .skip 8
