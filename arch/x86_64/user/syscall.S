/* long __syscall(long nr, long a0, ..., long a5): the `syscall` instruction
 * with the number in rax and arguments in rdi, rsi, rdx, r10, r8, r9; it
 * clobbers rcx and r11. The result comes back in rax. */
	.text
	.globl __syscall
__syscall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	ret
	.section .note.GNU-stack, "", @progbits
