/* The kernel address space. Built once at boot with the arch's page-table
 * operations: the kernel image with per-section permissions (W^X), a direct
 * map of all RAM (never executable), and a window of guarded kernel stacks.
 * Every later address space shares this upper half. */
#include "kernel/vm.h"

#include <stdbool.h>

#include "kernel/frame.h"
#include "kernel/printk.h"
#include "tsubame/errno.h"

pt_root_t kernel_root;

static void map_or_panic(uintptr_t va, uint64_t pa, size_t size, unsigned flags, const char *what)
{
	if (size == 0)
		return;
	int err = arch_pt_map(kernel_root, va, pa, size, flags | PTE_GLOBAL);
	if (err)
		panic("vm: cannot map %s (%p, %zu bytes): error %d", what, (void *)va, size, err);
}

static void map_kernel_section(const char *start, const char *end, unsigned flags, const char *what)
{
	map_or_panic((uintptr_t)start, kernel_virt_to_phys(start), (size_t)(end - start), flags, what);
}

/* Direct map of one RAM range. Where the direct map is not the same as the
 * kernel image mapping, the image's alias is read-only so that no writable
 * view of kernel code exists anywhere. */
static void map_ram(uint64_t base, uint64_t end)
{
	uint64_t kstart = kernel_virt_to_phys(__kernel_start);
	uint64_t kend = kernel_virt_to_phys(__kernel_end);
	bool image_is_direct = (uintptr_t)phys_to_virt(kstart) == (uintptr_t)__kernel_start;

	if (end <= kstart || base >= kend) {
		map_or_panic((uintptr_t)phys_to_virt(base), base, end - base, PTE_R | PTE_W, "RAM");
		return;
	}
	if (base < kstart)
		map_or_panic((uintptr_t)phys_to_virt(base), base, kstart - base, PTE_R | PTE_W, "RAM");
	if (!image_is_direct)
		map_or_panic((uintptr_t)phys_to_virt(kstart), kstart, kend - kstart, PTE_R,
			     "kernel alias");
	if (end > kend)
		map_or_panic((uintptr_t)phys_to_virt(kend), kend, end - kend, PTE_R | PTE_W, "RAM");
}

void vm_init(const struct boot_info *bi)
{
	if (arch_pt_create(&kernel_root, 0) != 0)
		panic("vm: no memory for the kernel page table");
	map_kernel_section(__text_start, __text_end, PTE_R | PTE_X, "text");
	map_kernel_section(__rodata_start, __rodata_end, PTE_R, "rodata");
	map_kernel_section(__data_start, __boot_stack_guard, PTE_R | PTE_W, "data");
	/* __boot_stack_guard .. __boot_stack_bottom stays unmapped: an overflow
	 * of the boot stack faults instead of overwriting .bss. */
	map_kernel_section(__boot_stack_bottom, __kernel_end, PTE_R | PTE_W, "boot stack");
	for (int i = 0; i < bi->nram; i++) {
		uint64_t b = bi->ram[i].base & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t e = (bi->ram[i].base + bi->ram[i].size) & ~(uint64_t)(PAGE_SIZE - 1);
		if (b < e)
			map_ram(b, e);
	}
	for (int i = 0; i < bi->nmmio; i++) {
		uint64_t b = bi->mmio[i].base & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t e = (bi->mmio[i].base + bi->mmio[i].size + PAGE_SIZE - 1) &
			     ~(uint64_t)(PAGE_SIZE - 1);
		map_or_panic((uintptr_t)phys_to_virt(b), b, e - b,
			     PTE_R | PTE_W | PTE_NOCACHE | PTE_SMALL, "early device");
	}
	arch_pt_activate(kernel_root);
	kprintf("vm: kernel page table active (text RX, rodata R, data RW, direct map RW)\n");
}

void *ioremap(uint64_t pa, size_t size)
{
	uint64_t first = pa & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t last = (pa + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	for (uint64_t p = first; p < last; p += PAGE_SIZE) {
		uint64_t mapped;
		unsigned fl;
		uintptr_t va = (uintptr_t)phys_to_virt(p);
		if (arch_pt_translate(kernel_root, va, &mapped, &fl) == 0)
			continue;
		if (arch_pt_map(kernel_root, va, p, PAGE_SIZE,
				PTE_R | PTE_W | PTE_NOCACHE | PTE_GLOBAL | PTE_SMALL) != 0)
			return NULL;
	}
	return phys_to_virt(pa);
}

/* ---- Kernel stacks: fixed slots of guard page + stack ---- */

#define KSTACK_SLOT (KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_SLOTS 512
static uint64_t slot_used[KSTACK_SLOTS / 64];

uintptr_t kstack_alloc(void)
{
	irq_flags_t f = arch_irq_save();
	int slot = -1;

	for (int i = 0; i < KSTACK_SLOTS && slot < 0; i++) {
		if (!(slot_used[i / 64] >> (i % 64) & 1)) {
			slot_used[i / 64] |= 1ull << (i % 64);
			slot = i;
		}
	}
	arch_irq_restore(f);
	if (slot < 0)
		return 0;
	uintptr_t bottom = KSTACK_AREA_BASE + (uintptr_t)slot * KSTACK_SLOT + PAGE_SIZE;
	for (size_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
		uint64_t pa;
		if (frame_alloc(&pa) != 0 ||
		    arch_pt_map(kernel_root, bottom + off, pa, PAGE_SIZE,
				PTE_R | PTE_W | PTE_GLOBAL | PTE_SMALL) != 0) {
			if (off)
				arch_pt_unmap(kernel_root, bottom, off, true);
			slot_used[slot / 64] &= ~(1ull << (slot % 64));
			return 0;
		}
	}
	return bottom + KSTACK_SIZE;
}

void kstack_free(uintptr_t top)
{
	uintptr_t bottom = top - KSTACK_SIZE;
	size_t slot = (bottom - PAGE_SIZE - KSTACK_AREA_BASE) / KSTACK_SLOT;

	if (top < KSTACK_AREA_BASE || slot >= KSTACK_SLOTS)
		panic("kstack_free: %p is not a kernel stack", (void *)top);
	arch_pt_unmap(kernel_root, bottom, KSTACK_SIZE, true);
	irq_flags_t f = arch_irq_save();
	slot_used[slot / 64] &= ~(1ull << (slot % 64));
	arch_irq_restore(f);
}
