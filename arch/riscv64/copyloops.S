/* Copies between kernel and user memory. sstatus.SUM is set only for the
 * duration of a copy, so a stray kernel access to user memory anywhere
 * else still faults. Every instruction that touches user memory has an
 * exception-table entry whose fixup returns -EFAULT. */

#define SSTATUS_SUM (1 << 18)
#define EFAULT 14

	.text
	/* long user_copy(void *dst, const void *src, size_t n): 0 or -EFAULT */
	.globl riscv_user_copy
riscv_user_copy:
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	beqz	a2, 2f
1:	lb	t0, 0(a1)
3:	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
2:	csrc	sstatus, t1
	li	a0, 0
	ret

	/* long riscv_user_strnlen(const char *s, size_t max) */
	.globl riscv_user_strnlen
riscv_user_strnlen:
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	li	t2, 0
4:	beq	t2, a1, 5f
6:	lb	t0, 0(a0)
	beqz	t0, 5f
	addi	a0, a0, 1
	addi	t2, t2, 1
	j	4b
5:	csrc	sstatus, t1
	mv	a0, t2
	ret

user_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	li	a0, -EFAULT
	ret

	.section __extable, "a"
	.balign 8
	.dword	1b, user_fault
	.dword	3b, user_fault
	.dword	6b, user_fault
