/* Entry stubs for all 256 vectors. Each pushes a dummy error code when the
 * CPU does not push one (so every struct trap_frame has the same layout),
 * then its vector number, and joins trap_common, which saves the general
 * registers and calls trap_dispatch(struct trap_frame *). */

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
