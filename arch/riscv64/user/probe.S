/* For the isolation tests: reading satp is illegal in U-mode. */
	.text
	.globl privileged_instruction
privileged_instruction:
	csrr	a0, satp
	ret
