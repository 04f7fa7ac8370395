/* For the isolation tests: hlt raises #GP at CPL 3. */
	.text
	.globl privileged_instruction
privileged_instruction:
	hlt
	ret
	.section .note.GNU-stack, "", @progbits
