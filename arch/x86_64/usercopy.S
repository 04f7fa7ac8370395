/* The only kernel instructions that touch user memory. Each such
 * instruction has an __extable entry, so a fault on a bad user address
 * resumes at its fixup instead of being fatal (trap.c). uaccess.c checks
 * the ranges and sets RFLAGS.AC around these calls (SMAP). */

	.text
/* size_t uaccess_copy(void *dst (rdi), const void *src (rsi), size_t n (rdx)):
 * copies n bytes; returns how many were NOT copied, 0 on success. One
 * instruction does it: a fault leaves rip at the rep movsb with rcx
 * counting the bytes still to go. DF is clear (the ABI, and every entry
 * clears it). */
	.globl uaccess_copy
uaccess_copy:
	movq %rdx, %rcx
1:	rep movsb
	movq %rcx, %rax /* 0 */
	ret
2:	movq %rcx, %rax
	ret
	.pushsection __extable, "a"
	.balign 8
	.quad 1b, 2b
	.popsection

/* long uaccess_strnlen(const char *s (rdi), size_t max (rsi)): the index of
 * the first NUL in s[0..max), max if there is none, -1 on a fault. */
	.globl uaccess_strnlen
uaccess_strnlen:
	xorl %eax, %eax
3:	cmpq %rsi, %rax
	je 5f
4:	cmpb $0, (%rdi, %rax)
	je 5f
	incq %rax
	jmp 3b
5:	ret
6:	movq $-1, %rax
	ret
	.pushsection __extable, "a"
	.balign 8
	.quad 4b, 6b
	.popsection
