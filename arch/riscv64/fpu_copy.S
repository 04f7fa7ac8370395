/* Moving a user thread's F/D registers between the CPU and its struct
 * arch_fpu (32 doubles, then fcsr). The kernel itself is built without F/D
 * and runs with sstatus.FS = Off, so that an FP instruction in kernel code
 * would trap; these two routines switch the unit on just for the copy.
 * Interrupts are off around them (the scheduler's switch). */

#define SSTATUS_FS_INITIAL 0x2000
#define SSTATUS_FS 0x6000

	.text
	.option push
	.option arch, +d

	/* void riscv_fpu_store(struct arch_fpu *f) */
	.globl riscv_fpu_store
riscv_fpu_store:
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t1
	sd	t1, 256(a0)
	li	t0, SSTATUS_FS
	csrc	sstatus, t0
	ret

	/* void riscv_fpu_restore(const struct arch_fpu *f) */
	.globl riscv_fpu_restore
riscv_fpu_restore:
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t1, 256(a0)
	fscsr	t1
	li	t0, SSTATUS_FS
	csrc	sstatus, t0
	ret

	.option pop
