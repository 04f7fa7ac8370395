/* GDT and TSS. In 64-bit mode segments are flat; the TSS only matters for
 * its stack pointers: rsp0 (trap from user mode) and the IST stacks, which
 * let #DF, NMI and #MC run on a known-good stack even when the fault was
 * caused by a kernel stack overflow into its guard page. */
#include <stdint.h>

#include "gdt.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[8]; /* ist[0] is unused: IST slots are numbered from 1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

#define IST_STACK_SIZE 8192

extern uint64_t gdt[]; /* boot.S */
extern struct {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed)) gdt_ptr64;

static struct tss tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

void gdt_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	for (int i = 0; i < 3; i++)
		tss.ist[i + 1] = (uint64_t)(uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */

	/* 64-bit available TSS descriptor (type 9, present). */
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;

	__asm__ volatile("lgdt %0" : : "m"(gdt_ptr64));
	/* ltr marks the descriptor busy and faults on a busy one; writing the
	 * descriptor afresh above makes a second gdt_init safe. */
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS) : "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
