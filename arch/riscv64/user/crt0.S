/* User program entry: the kernel starts us with a0 = argc, a1 = argv and
 * sp 16-byte aligned; envp follows argv's NULL terminator. */
	.text
	.globl _start
_start:
	mv	fp, zero               /* end of the frame chain for backtraces */
	slli	a2, a0, 3
	add	a2, a2, a1
	addi	a2, a2, 8             /* envp = argv + argc + 1 */
	call	__libc_start
1:	j	1b
