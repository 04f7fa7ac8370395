/* Kernel thread switch. Only callee-saved registers need saving: the
 * caller of arch_context_switch has already saved the rest. The offsets
 * match struct arch_context in arch_defs.h. */

	.text
	.globl arch_context_switch
/* void arch_context_switch(struct arch_context *from (rdi), struct arch_context *to (rsi)) */
arch_context_switch:
	movq %rsp, 0(%rdi)
	movq %rbx, 8(%rdi)
	movq %rbp, 16(%rdi)
	movq %r12, 24(%rdi)
	movq %r13, 32(%rdi)
	movq %r14, 40(%rdi)
	movq %r15, 48(%rdi)
	movq 0(%rsi), %rsp
	movq 8(%rsi), %rbx
	movq 16(%rsi), %rbp
	movq 24(%rsi), %r12
	movq 32(%rsi), %r13
	movq 40(%rsi), %r14
	movq 48(%rsi), %r15
	ret /* to the caller that saved `to`, or to context_start for a new one */

/* First code of a new context (see arch_context_init): r12 = entry, r13 = arg.
 * rbp is 0 so that backtraces stop here. */
	.globl context_start
context_start:
	movq %r13, %rdi
	call *%r12
	call context_entry_returned /* does not return */
	ud2
