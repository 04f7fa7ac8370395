/* Multiboot 1 entry. QEMU's -kernel (and GRUB) start us in 32-bit protected
 * mode without paging, eax = magic, ebx = physical address of the info
 * structure. This file gets to 64-bit mode in the upper half and calls
 * arch_start(magic, info). The 32-bit code runs at its physical address, so
 * it lives in .boot.* sections linked low (see kernel.ld); every reference
 * to a high-linked symbol goes through PA(). */

#define PA(x) ((x) - 0xffffffff80000000)

#include "gdt.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x3 /* bit 0: page-align modules, bit 1: give memory info */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	/* Keep the Multiboot registers where nothing below clobbers them. */
	movl %eax, %ebp
	movl %ebx, %esi

	/* Zero .bss first: the page tables and the boot stack live there. */
	movl $PA(__bss_start), %edi
	movl $PA(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* Long mode is required; NX is used when present. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	movl %edx, %edi /* keep the feature bits for the NX test below */

	/* One page directory of 512 x 2 MiB pages covers the first 1 GiB. It is
	 * shared by the identity map (needed until we jump high), the kernel
	 * image map at -2 GiB and the early direct map: enough for arch_start
	 * and kmain until the generic code builds the final tables. */
	movl $PA(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax /* present, writable, 2 MiB */
	movl %eax, (%ebx, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $(PA(boot_pd) + 3), %eax
	movl %eax, PA(boot_pdpt_low)            /* PA 0   -> VA 0 */
	movl %eax, PA(boot_pdpt_direct)         /* PA 0   -> DIRECT_MAP_BASE */
	movl %eax, PA(boot_pdpt_high) + 510 * 8 /* PA 0   -> 0xffffffff80000000 */
	movl $(PA(boot_pdpt_low) + 3), %eax
	movl %eax, PA(boot_pml4)
	movl $(PA(boot_pdpt_direct) + 3), %eax
	movl %eax, PA(boot_pml4) + 256 * 8
	movl $(PA(boot_pdpt_high) + 3), %eax
	movl %eax, PA(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $(1 << 5), %eax /* PAE */
	movl %eax, %cr4
	movl $PA(boot_pml4), %eax
	movl %eax, %cr3

	movl $0xc0000080, %ecx /* EFER */
	rdmsr
	orl $(1 << 8), %eax /* LME */
	testl $(1 << 20), %edi
	jz 2f
	orl $(1 << 11), %eax /* NXE */
2:	wrmsr

	movl %cr0, %eax
	orl $0x80000001, %eax /* PG | PE */
	movl %eax, %cr0

	lgdt gdt_ptr32
	ljmp $GDT_KCODE, $long_mode_low

/* No 64-bit CPU: say so on COM1 (left set up by the firmware) and stop. */
no_long_mode:
	movl $no_lm_msg, %esi
3:	lodsb
	testb %al, %al
	jz 4f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 3b
4:	hlt
	jmp 4b

	.code64
long_mode_low:
	/* Still running at the physical address: jump to the high mapping. */
	movabsq $long_mode_high, %rax
	jmp *%rax

	.section .boot.rodata, "a"
no_lm_msg:
	.asciz "tsubame: CPU lacks long mode\r\n"
	.balign 8
gdt_ptr32: /* the GDT's physical address, for lgdt before paging */
	.word gdt_end - gdt - 1
	.long PA(gdt)

	.text
	/* Tell gdb this is the outermost frame (CFI in .debug_frame only,
	 * since the kernel has no .eh_frame). */
	.cfi_sections .debug_frame
long_mode_high:
	.cfi_startproc
	.cfi_undefined rip
	/* Re-point GDTR at the high alias so that the identity map can go. */
	lgdt gdt_ptr64(%rip)
	movw $GDT_KDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	leaq __boot_stack_top(%rip), %rsp
	movl %ebp, %edi /* magic; 32-bit moves clear the undefined upper halves */
	movl %esi, %esi /* info PA */
	xorl %ebp, %ebp /* ends the frame-pointer chain for backtraces */
	call arch_start
1:	cli
	hlt
	jmp 1b
	.cfi_endproc

/* The GDT, in the layout SYSCALL/SYSRET will need later (user data right
 * below user code). gdt.c fills in the TSS descriptor. */
	.data
	.balign 16
	.globl gdt
gdt:
	.quad 0                  /* null */
	.quad 0x00af9a000000ffff /* GDT_KCODE: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff /* GDT_KDATA */
	.quad 0x00cff2000000ffff /* GDT_UDATA: DPL 3 */
	.quad 0x00affa000000ffff /* GDT_UCODE: 64-bit code, DPL 3 */
	.quad 0, 0               /* GDT_TSS: 16-byte system descriptor */
gdt_end:
	.globl gdt_ptr64
gdt_ptr64:
	.word gdt_end - gdt - 1
	.quad gdt

	.section .bss
	.balign 4096
boot_pml4:        .skip 4096
boot_pdpt_low:    .skip 4096
	.globl boot_pdpt_direct
boot_pdpt_direct: .skip 4096
boot_pdpt_high:   .skip 4096
boot_pd:          .skip 4096
