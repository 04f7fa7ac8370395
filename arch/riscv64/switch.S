/* Context switch and the small CPU probes the selftest uses. */

	.text
	/* void arch_context_switch(struct arch_context *from, struct arch_context *to) */
	.globl arch_context_switch
arch_context_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (16 + \n * 8)(a0)
	.endr
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (16 + \n * 8)(a1)
	.endr
	ret

	/* First run of a context made by arch_context_init: s1 = entry, s2 = arg. */
	.globl context_trampoline
context_trampoline:
	mv	fp, zero                /* end of the backtrace chain */
	mv	a0, s2
	jalr	s1
	call	context_entry_returned

	.globl arch_breakpoint
arch_breakpoint:
	.option push
	.option norvc
	ebreak
	.option pop
	ret

	/* int arch_probe_illegal_insn(void): 1 if the illegal instruction
	 * trapped and the extable fixup brought us back. */
	.globl arch_probe_illegal_insn
arch_probe_illegal_insn:
1:	.word	0                       /* all-zero: defined to be illegal */
	li	a0, 0
	ret
2:	li	a0, 1
	ret
	.section __extable, "a"
	.balign 8
	.dword	1b, 2b
