/* Copies between kernel and user memory. sstatus.SUM is set only for the
 * duration of a copy, so a stray kernel access to user memory anywhere
 * else still faults. Every instruction that touches user memory has an
 * exception-table entry whose fixup returns -EFAULT. When source and
 * destination are equally aligned, the bulk moves 8 bytes at a time (the
 * file and IPC paths copy megabytes through here). */

#define SSTATUS_SUM (1 << 18)
#define EFAULT 14

	.text
	/* long riscv_user_copy(void *dst, const void *src, size_t n): 0 or -EFAULT */
	.globl riscv_user_copy
riscv_user_copy:
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	xor	t2, a0, a1
	andi	t2, t2, 7
	bnez	t2, 3f                  /* different alignment: bytes only */
1:	andi	t2, a0, 7               /* bytes until both are aligned */
	beqz	t2, 2f
	beqz	a2, 5f
10:	lb	t0, 0(a1)
11:	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	1b
2:	li	t2, 8                   /* aligned words */
	bltu	a2, t2, 3f
12:	ld	t0, 0(a1)
13:	sd	t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	2b
3:	beqz	a2, 5f                  /* the tail, or everything if misaligned */
14:	lb	t0, 0(a1)
15:	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	3b
5:	csrc	sstatus, t1
	li	a0, 0
	ret

	/* long riscv_user_strnlen(const char *s, size_t max) */
	.globl riscv_user_strnlen
riscv_user_strnlen:
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	li	t2, 0
6:	beq	t2, a1, 7f
16:	lb	t0, 0(a0)
	beqz	t0, 7f
	addi	a0, a0, 1
	addi	t2, t2, 1
	j	6b
7:	csrc	sstatus, t1
	mv	a0, t2
	ret

user_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	li	a0, -EFAULT
	ret

	.section __extable, "a"
	.balign 8
	.dword	10b, user_fault
	.dword	11b, user_fault
	.dword	12b, user_fault
	.dword	13b, user_fault
	.dword	14b, user_fault
	.dword	15b, user_fault
	.dword	16b, user_fault
