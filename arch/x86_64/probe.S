/* Small routines that must be exact instructions, so not C. */

	.text
/* void arch_breakpoint(void): the #BP handler counts the hit and resumes
 * after the int3. */
	.globl arch_breakpoint
arch_breakpoint:
	int3
	ret

/* int arch_probe_illegal_insn(void): ud2 raises #UD; its __extable entry
 * sends the handler to 2f, which returns 1. Reaching the xor would mean
 * the trap was not caught. */
	.globl arch_probe_illegal_insn
arch_probe_illegal_insn:
1:	ud2
	xorl %eax, %eax
	ret
2:	movl $1, %eax
	ret
	.pushsection __extable, "a"
	.balign 8
	.quad 1b, 2b
	.popsection

/* uintptr_t arch_frame_pointer(void): no frame of its own, so rbp is still
 * the caller's frame pointer, which stays valid after we return. */
	.globl arch_frame_pointer
arch_frame_pointer:
	movq %rbp, %rax
	ret
