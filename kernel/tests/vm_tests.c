/* Page tables through the arch interface, and the kernel's own layout. */
#include "arch.h"
#include "kernel/frame.h"
#include "kernel/selftest.h"
#include "kernel/vm.h"

SELFTEST(vm_map_translate_unmap)
{
	struct frame_stats s0, s1;
	pt_root_t root;
	uint64_t pa, got;
	unsigned fl;
	const uintptr_t va = 0x400000; /* lower half: a future user address */

	frame_get_stats(&s0);
	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(frame_alloc(&pa) == 0);
	CHECK(arch_pt_map(root, va, pa, PAGE_SIZE, PTE_R | PTE_W) == 0);
	CHECK(arch_pt_translate(root, va + 0x123, &got, &fl) == 0);
	CHECKF(got == pa + 0x123, "translate gave %#llx", (unsigned long long)got);
	CHECK((fl & (PTE_R | PTE_W)) == (PTE_R | PTE_W) && !(fl & PTE_X) && !(fl & PTE_USER));
	CHECK(arch_pt_translate(root, va + PAGE_SIZE, &got, &fl) != 0);

	/* Write through the new mapping, read back through the direct map. */
	irq_flags_t f = arch_irq_save();
	arch_pt_activate(root);
	*(volatile uint64_t *)va = 0x1122334455667788ull;
	arch_pt_activate(kernel_root);
	arch_irq_restore(f);
	CHECK(*(uint64_t *)phys_to_virt(pa) == 0x1122334455667788ull);

	CHECK(arch_pt_protect(root, va, PAGE_SIZE, PTE_R) == 0);
	CHECK(arch_pt_translate(root, va, &got, &fl) == 0 && !(fl & PTE_W));
	CHECK(arch_pt_unmap(root, va, PAGE_SIZE, true) == 0);
	CHECK(arch_pt_translate(root, va, &got, &fl) != 0);
	arch_pt_destroy(root);
	frame_get_stats(&s1);
	CHECKF(s1.free == s0.free, "frames leaked: %zu before, %zu after", s0.free, s1.free);
}

SELFTEST(vm_kernel_wx)
{
	uint64_t pa;
	unsigned fl;

	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__text_start, &pa, &fl) == 0);
	CHECK((fl & PTE_X) && !(fl & PTE_W));
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__rodata_start, &pa, &fl) == 0);
	CHECK(!(fl & PTE_X) && !(fl & PTE_W));
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__data_start, &pa, &fl) == 0);
	CHECK((fl & PTE_W) && !(fl & PTE_X));
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__bss_start, &pa, &fl) == 0);
	CHECK((fl & PTE_W) && !(fl & PTE_X));
	/* The boot stack guard page is not mapped. */
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__boot_stack_guard, &pa, &fl) != 0);
	/* RAM in the direct map is never executable. */
	uint64_t f;
	CHECK(frame_alloc(&f) == 0);
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)phys_to_virt(f), &pa, &fl) == 0);
	CHECK(pa == f && (fl & PTE_W) && !(fl & PTE_X));
	frame_free(f);
	/* No writable alias of the kernel text anywhere. */
	uintptr_t alias = (uintptr_t)phys_to_virt(kernel_virt_to_phys(__text_start));
	CHECK(arch_pt_translate(kernel_root, alias, &pa, &fl) == 0 && !(fl & PTE_W));
}

SELFTEST(vm_kstack_guard)
{
	struct frame_stats s0, s1;
	uint64_t pa;
	unsigned fl;

	/* The first stack may create page tables for the stack window that
	 * stay; measure leaks over a cycle after that. */
	kstack_free(kstack_alloc());
	frame_get_stats(&s0);
	uintptr_t top = kstack_alloc();
	CHECK(top != 0);
	CHECK(arch_pt_translate(kernel_root, top - 8, &pa, &fl) == 0 && (fl & PTE_W));
	CHECK(arch_pt_translate(kernel_root, top - KSTACK_SIZE, &pa, &fl) == 0);
	CHECK(arch_pt_translate(kernel_root, top - KSTACK_SIZE - 8, &pa, &fl) != 0); /* guard */
	*(volatile uint64_t *)(top - KSTACK_SIZE) = 1; /* the whole stack is usable */
	uintptr_t top2 = kstack_alloc();
	CHECK(top2 != 0 && top2 != top);
	kstack_free(top2);
	kstack_free(top);
	CHECK(arch_pt_translate(kernel_root, top - 8, &pa, &fl) != 0);
	frame_get_stats(&s1);
	CHECK(s1.free == s0.free);
}
