/* User program entry: the kernel starts us with rdi = argc, rsi = argv and
 * rsp 16-byte aligned; envp follows argv's NULL terminator. */
	.text
	.globl _start
_start:
	xorl	%ebp, %ebp             /* end of the frame chain for backtraces */
	leaq	8(%rsi,%rdi,8), %rdx   /* envp = argv + argc + 1 */
	call	__libc_start
1:	jmp	1b
	.section .note.GNU-stack, "", @progbits
