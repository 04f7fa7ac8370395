/* Arch-specific instructions for utest (the user half of the selftest).
 *
 * For the isolation tests: hlt raises #GP at CPL 3. */
	.text
	.globl privileged_instruction
privileged_instruction:
	hlt
	ret

/* For the FP selftest (user/utest/fp.c): the x87 and SSE registers,
 * written and read without any compiled code in between. Layout of the
 * 40-word arrays (the same on every arch): words 0..31 are xmm0..xmm15 (two
 * words each), words 32..39 the eight x87 registers (as doubles in
 * fpregs_hold). The control word is MXCSR | FCW << 32 (fpregs_peek adds the
 * x87 tag word at bit 16 and the status word at bit 48). */
	.text

	/* uint64_t fpregs_hold(const uint64_t in[40] (rdi), uint64_t out[40] (rsi),
	 *                      uint64_t ctl (rdx), long rounds (rcx), long nr (r8),
	 *                      uint64_t until (r9)):
	 * loads in[] and ctl, then spins a while (the timer may preempt) and
	 * makes system call nr, `rounds` times or until the call returns a
	 * value >= until (unsigned), then stores the registers to out[] and
	 * returns the control word. */
	.globl fpregs_hold
fpregs_hold:
	subq	$8, %rsp
	movl	%edx, (%rsp)
	ldmxcsr	(%rsp)
	shrq	$32, %rdx
	movw	%dx, (%rsp)
	fninit                          /* an empty x87 stack to push onto */
	fldcw	(%rsp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	(\n * 16)(%rdi), %xmm\n
	.endr
	.irp n, 32,33,34,35,36,37,38,39
	fldl	(\n * 8)(%rdi)
	.endr
	movq	%rcx, %r10              /* syscall clobbers rcx and r11 only */
1:	testq	%r10, %r10
	jz	3f
	movl	$20000, %eax
2:	decl	%eax
	jnz	2b
	movq	%r8, %rax
	syscall
	cmpq	%r9, %rax
	jae	3f
	decq	%r10
	jmp	1b
3:	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqu	%xmm\n, (\n * 16)(%rsi)
	.endr
	.irp n, 39,38,37,36,35,34,33,32 /* the last pushed is st(0) */
	fstpl	(\n * 8)(%rsi)
	.endr
	stmxcsr	(%rsp)
	movl	(%rsp), %eax
	fnstcw	(%rsp)
	movzwq	(%rsp), %rdx
	shlq	$32, %rdx
	orq	%rdx, %rax
	addq	$8, %rsp
	ret

	/* uint64_t fpregs_peek(uint64_t out[40]): the registers as they are
	 * (an x87 register as its 64-bit significand OR its sign and exponent
	 * at bit 48, so that it is zero only if all 80 bits are), and the
	 * control word with the tag and status words. Uses FXSAVE, which
	 * changes nothing. */
	.globl fpregs_peek
fpregs_peek:
	pushq	%rbp
	movq	%rsp, %rbp
	subq	$512, %rsp
	andq	$-16, %rsp
	fxsave64 (%rsp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movq	(160 + \n * 16)(%rsp), %rax
	movq	%rax, (\n * 16)(%rdi)
	movq	(168 + \n * 16)(%rsp), %rax
	movq	%rax, (\n * 16 + 8)(%rdi)
	.endr
	.irp n, 0,1,2,3,4,5,6,7
	movzwq	(40 + \n * 16)(%rsp), %rax
	shlq	$48, %rax
	orq	(32 + \n * 16)(%rsp), %rax
	movq	%rax, (256 + \n * 8)(%rdi)
	.endr
	movzwq	24(%rsp), %rax          /* MXCSR */
	movzbq	4(%rsp), %rdx           /* abridged tag word */
	shlq	$16, %rdx
	orq	%rdx, %rax
	movzwq	0(%rsp), %rdx           /* FCW */
	shlq	$32, %rdx
	orq	%rdx, %rax
	movzwq	2(%rsp), %rdx           /* FSW */
	shlq	$48, %rdx
	orq	%rdx, %rax
	movq	%rbp, %rsp
	popq	%rbp
	ret

	/* uint64_t fpctl_initial(void): fpregs_peek's control word for the
	 * state a new program starts with (FNINIT's): exceptions masked, round
	 * to nearest, empty x87 stack. */
	.globl fpctl_initial
fpctl_initial:
	movabsq	$0x0000037f00001f80, %rax
	ret

	/* uint64_t fpctl_mode(unsigned k): a control word for fpregs_hold with
	 * rounding mode k & 3 (nearest, down, up, toward zero) in both MXCSR
	 * and FCW, and SSE exception flags (k >> 2) & 63. */
	.globl fpctl_mode
fpctl_mode:
	movl	%edi, %ecx
	andl	$3, %ecx                /* RC: 0 nearest, 1 down, 2 up, 3 zero */
	movl	%ecx, %eax
	shll	$13, %eax
	orl	$0x1f80, %eax           /* MXCSR: masks, RC */
	movl	%edi, %edx
	shrl	$2, %edx
	andl	$63, %edx
	orl	%edx, %eax              /* MXCSR flags */
	shll	$10, %ecx
	orl	$0x037f, %ecx           /* FCW: masks, 64-bit precision, RC */
	shlq	$32, %rcx
	orq	%rcx, %rax
	ret
	.section .note.GNU-stack, "", @progbits
