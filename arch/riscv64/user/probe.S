/* Arch-specific instructions for utest (the user half of the selftest).
 *
 * For the isolation tests: reading satp is illegal in U-mode. */
	.text
	.globl privileged_instruction
privileged_instruction:
	csrr	a0, satp
	ret

/* For the FP selftest (user/utest/fp.c): the F/D registers, written and
 * read without any compiled code in between. Layout of the 40-word arrays
 * (the same on every arch): words 0..31 are f0..f31; riscv has nothing for
 * words 32..39, which are copied from in to out unchanged. The control
 * word is fcsr (rounding mode and exception flags). */
	.text

	/* uint64_t fpregs_hold(const uint64_t in[40], uint64_t out[40],
	 *                      uint64_t ctl, long rounds, long nr, uint64_t until):
	 * loads in[] and ctl, then spins a while (the timer may preempt) and
	 * makes system call nr, `rounds` times or until the call returns a
	 * value >= until (unsigned), then stores the registers to out[] and
	 * returns the control word. */
	.globl fpregs_hold
fpregs_hold:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	fscsr	a2
	.irp n, 32,33,34,35,36,37,38,39
	ld	t0, (\n * 8)(a0)
	sd	t0, (\n * 8)(a1)
	.endr
	mv	t5, a1                  /* the kernel keeps every register but a0 */
	mv	t3, a3
1:	beqz	t3, 3f
	li	t4, 20000
2:	addi	t4, t4, -1
	bnez	t4, 2b
	mv	a7, a4
	ecall
	bgeu	a0, a5, 3f
	addi	t3, t3, -1
	j	1b
3:	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(t5)
	.endr
	frcsr	a0
	ret

	/* uint64_t fpregs_peek(uint64_t out[40]): the registers as they are
	 * (words 32..39 zero), and the control word. */
	.globl fpregs_peek
fpregs_peek:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	.irp n, 32,33,34,35,36,37,38,39
	sd	zero, (\n * 8)(a0)
	.endr
	frcsr	a0
	ret

	/* uint64_t fpctl_initial(void): fpregs_peek's control word for the
	 * state a new program starts with: round to nearest, no flags. */
	.globl fpctl_initial
fpctl_initial:
	li	a0, 0
	ret

	/* uint64_t fpctl_mode(unsigned k): a control word for fpregs_hold with
	 * rounding mode k & 3 (nearest, down, up, toward zero) and exception
	 * flags (k >> 2) & 31. */
	.globl fpctl_mode
fpctl_mode:
	andi	t0, a0, 3
	la	t1, rm_table
	add	t1, t1, t0
	lbu	t1, 0(t1)
	slli	t1, t1, 5               /* frm */
	srli	t0, a0, 2
	andi	t0, t0, 31              /* fflags */
	or	a0, t1, t0
	ret

	.section .rodata
rm_table:
	.byte	0, 2, 3, 1              /* RNE, RDN, RUP, RTZ */
