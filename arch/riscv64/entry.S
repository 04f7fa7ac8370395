/* Trap entry and exit. sscratch is 0 while the CPU runs kernel code and
 * holds the kernel stack top while it runs user code, so one swap tells us
 * where we came from and gives us a trusted stack either way. */

#define FRAME 288 /* sizeof(struct trap_frame): 32 regs + 4 CSRs, 16-aligned */
#define REG(n) ((n) * 8)
#define SEPC 256
#define SSTATUS 264
#define SCAUSE 272
#define STVAL 280
#define SSTATUS_FS 0x6000

	.text
	.globl trap_entry
	.balign 4
trap_entry:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user
	csrrw	sp, sscratch, sp        /* from the kernel: sscratch is 0 again */
	/* A kernel stack about to run into its guard page would fault again
	 * on every push and never report anything: check the limit first,
	 * borrowing sscratch (0 in the kernel) to free a register. */
	csrw	sscratch, t0
	la	t0, riscv_kstack_limit
	ld	t0, 0(t0)
	bltu	sp, t0, stack_overflow
	csrr	t0, sscratch
	csrw	sscratch, zero
	addi	sp, sp, -FRAME
	sd	t0, REG(5)(sp)
	addi	t0, sp, FRAME
	sd	t0, REG(2)(sp)
	j	save_rest
from_user:                              /* sp = kernel stack top, sscratch = user sp */
	addi	sp, sp, -FRAME
	sd	t0, REG(5)(sp)
	csrr	t0, sscratch
	sd	t0, REG(2)(sp)
	csrw	sscratch, zero
save_rest:
	sd	x1, REG(1)(sp)
	sd	x3, REG(3)(sp)
	sd	x4, REG(4)(sp)
	.irp n, 6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, REG(\n)(sp)
	.endr
	csrr	t0, sepc
	sd	t0, SEPC(sp)
	csrr	t0, sstatus
	sd	t0, SSTATUS(sp)
	li	t0, SSTATUS_FS          /* the kernel runs with the FP unit off: */
	csrc	sstatus, t0             /* the user's FS is in the frame (fpu.c) */
	csrr	t0, scause
	sd	t0, SCAUSE(sp)
	csrr	t0, stval
	sd	t0, STVAL(sp)
	mv	a0, sp
	call	riscv_trap

	.globl trap_return
trap_return:                            /* sp = trap frame */
	ld	t0, SEPC(sp)
	csrw	sepc, t0
	ld	t0, SSTATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, 0x100           /* SPP: returning to the kernel? */
	bnez	t0, 1f
	addi	t0, sp, FRAME           /* to user: next trap lands on this stack */
	csrw	sscratch, t0
1:	ld	x1, REG(1)(sp)
	ld	x3, REG(3)(sp)
	ld	x4, REG(4)(sp)
	.irp n, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, REG(\n)(sp)
	.endr
	ld	sp, REG(2)(sp)
	sret

stack_overflow:
	mv	a3, sp
	la	sp, overflow_stack_top
	csrw	sscratch, zero
	csrr	a0, sepc
	csrr	a1, stval
	mv	a2, s0
	call	riscv_stack_overflow    /* reports and powers off; no return */

	.bss
	.balign 16
overflow_stack:
	.space	4096
overflow_stack_top:
