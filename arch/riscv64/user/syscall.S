/* long __syscall(long nr, long a0, ..., long a5): ecall with the number in
 * a7 and the arguments in a0..a5; the result comes back in a0. */
	.text
	.globl __syscall
__syscall:
	mv	a7, a0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	mv	a3, a4
	mv	a4, a5
	mv	a5, a6
	ecall
	ret
