/* riscv64 entry. OpenSBI (directly, or via U-Boot's booti) enters here in
 * S-mode with the MMU off, a0 = hartid, a1 = physical address of the FDT.
 * We turn on Sv39 with a static table that maps the kernel's RAM both 1:1
 * (for the instruction that enables paging) and in the upper half, jump up,
 * clear .bss and call arch_start(hartid, fdt). */

#define PTE_LEAF 0xcf /* V R W X A D */
#define GIGA(pa) (((pa) >> 2) | PTE_LEAF)

	.section .text.entry, "ax"
	.option push
	.option norvc
	.globl _start
_start:
	/* Linux RISC-V Image header (64 bytes), so U-Boot's booti accepts us. */
	j	real_start              /* code0 */
	.word	0                       /* code1 */
	.dword	0x200000                /* text_offset: RAM base + 2 MiB */
	.dword	__image_size            /* image size including .bss and stack */
	.dword	0                       /* flags: little endian */
	.word	2                       /* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"           /* magic (deprecated) */
	.ascii	"RSC\x05"               /* magic2, checked by U-Boot */
	.word	0
	.option pop

real_start:
	csrw	sie, zero
	csrw	sip, zero
	mv	s0, a0
	mv	s1, a1

	lla	t0, boot_page_table     /* PC-relative: its physical address */
	srli	t0, t0, 12
	li	t1, 8 << 60             /* MODE = Sv39 */
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma

	lla	t0, high_entry_addr
	ld	t0, 0(t0)
	jr	t0

high_entry:
	lla	sp, __boot_stack_top     /* now resolves to the upper-half address */
	mv	fp, zero
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	a0, s0
	mv	a1, s1
	call	arch_start
3:	wfi
	j	3b

	.section .rodata
	.balign 8
high_entry_addr:
	.dword	high_entry

	/* Root table: entry 2 maps PA 0x80000000 1:1; entries 256..263 map
	 * PA 0..8 GiB at DIRECT_MAP_BASE (RAM, the FDT and MMIO). vm_init
	 * replaces this with a fine-grained W^X table. */
	.section .data
	.balign 4096
boot_page_table:
	.dword	0, 0
	.dword	GIGA(0x80000000)
	.fill	253, 8, 0
	.dword	GIGA(0x000000000), GIGA(0x040000000), GIGA(0x080000000), GIGA(0x0c0000000)
	.dword	GIGA(0x100000000), GIGA(0x140000000), GIGA(0x180000000), GIGA(0x1c0000000)
	.fill	248, 8, 0
