/* The page-table contract of arch.h, edge by edge, on a private root that
 * is never loaded unless a test says so. Mappings here point at physical
 * memory the tests do not own (the kernel image) only where nothing is
 * ever read or freed through them. */
#include "arch.h"
#include "kernel/frame.h"
#include "kernel/selftest.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"

#define P PAGE_SIZE
#define LARGE (P << 9) /* one level-1 leaf: 2 MiB on both arches */
#define VA 0x40000000ul /* 1 GiB: user half, LARGE-aligned */

/* A LARGE-aligned physical address to map (never accessed). */
static uint64_t large_pa(void)
{
	return (kernel_virt_to_phys(__kernel_start) + LARGE) & ~(uint64_t)(LARGE - 1);
}

static bool mapped(pt_root_t root, uintptr_t va)
{
	return arch_pt_translate(root, va, NULL, NULL) == 0;
}

static uint64_t pa_of(pt_root_t root, uintptr_t va)
{
	uint64_t pa = 0;
	return arch_pt_translate(root, va, &pa, NULL) == 0 ? pa : ~0ull;
}

SELFTEST(pt_map_refuses_bad_ranges_and_flags)
{
	pt_root_t root;
	const uint64_t pa = large_pa();
	const unsigned rw = PTE_R | PTE_W;

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(arch_pt_map(root, VA + 1, pa, P, rw) == -EINVAL);       /* va */
	CHECK(arch_pt_map(root, VA, pa + 8, P, rw) == -EINVAL);       /* pa */
	CHECK(arch_pt_map(root, VA, pa, P + 1, rw) == -EINVAL);       /* size */
	CHECK(arch_pt_map(root, VA, pa, 0, rw) == -EINVAL);           /* empty */
	CHECK(arch_pt_map(root, USER_TOP - P, pa, 2 * P, rw) == -EINVAL); /* past the user half */
	CHECK(arch_pt_map(root, USER_TOP, pa, P, rw) == -EINVAL);     /* between the halves */
	CHECK(arch_pt_map(root, KERNEL_HALF_BASE - P, pa, 2 * P, rw) == -EINVAL);
	CHECK(arch_pt_map(root, (uintptr_t)0 - P, pa, 2 * P, rw) == -EINVAL); /* wraps */
	CHECK(arch_pt_map(root, VA, ~(uint64_t)0 & ~(uint64_t)(P - 1), P, rw) == -EINVAL);
	CHECK(arch_pt_map(root, VA, 1ull << 60, P, rw) == -EINVAL); /* beyond any arch's reach */
	CHECK(arch_pt_map(root, VA, pa, P, 0) == -EINVAL);            /* no access at all */
	CHECK(arch_pt_map(root, VA, pa, P, PTE_USER | PTE_SMALL) == -EINVAL);
	CHECK(arch_pt_map(root, VA, pa, P, rw | 0x100) == -EINVAL);   /* unknown flag */
	CHECK(!mapped(root, VA) && !mapped(root, USER_TOP - P));
	/* The same checks guard unmap and protect. */
	CHECK(arch_pt_unmap(root, VA + 1, P, false) == -EINVAL);
	CHECK(arch_pt_unmap(root, VA, 0, false) == -EINVAL);
	CHECK(arch_pt_unmap(root, USER_TOP - P, 2 * P, false) == -EINVAL);
	CHECK(arch_pt_protect(root, VA, P + 1, PTE_R) == -EINVAL);
	CHECK(arch_pt_map(root, VA, pa, P, rw) == 0);
	CHECK(arch_pt_protect(root, VA, P, 0) == -EINVAL);
	CHECK(arch_pt_protect(root, VA, P, PTE_R | 0x100) == -EINVAL);
	CHECK(arch_pt_translate(root, VA, NULL, NULL) == 0);
	CHECK(arch_pt_unmap(root, VA, P, false) == 0);
	/* The last page below USER_TOP is a valid one. */
	CHECK(arch_pt_map(root, USER_TOP - P, pa, P, rw) == 0);
	CHECK(pa_of(root, USER_TOP - 1) == pa + P - 1);
	CHECK(arch_pt_unmap(root, USER_TOP - P, P, false) == 0);
	arch_pt_destroy(root);
}

SELFTEST(pt_map_is_all_or_nothing)
{
	pt_root_t root;
	const uint64_t pa = large_pa();

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(arch_pt_map(root, VA + 2 * P, pa + 64 * P, P, PTE_R) == 0);
	CHECK(arch_pt_map(root, VA, pa, 4 * P, PTE_R | PTE_W) == -EEXIST);
	CHECK(!mapped(root, VA) && !mapped(root, VA + P) && !mapped(root, VA + 3 * P));
	CHECK(pa_of(root, VA + 2 * P) == pa + 64 * P); /* the old page is untouched */
	/* Across a table boundary, the refused part in the second table. */
	CHECK(arch_pt_map(root, VA + LARGE + P, pa, P, PTE_R) == 0);
	CHECK(arch_pt_map(root, VA + LARGE - 4 * P, pa, 6 * P, PTE_R) == -EEXIST);
	CHECK(!mapped(root, VA + LARGE - 4 * P) && !mapped(root, VA + LARGE - P) &&
	      !mapped(root, VA + LARGE));
	CHECK(arch_pt_unmap(root, VA, 2 * LARGE, false) == 0);
	CHECK(!mapped(root, VA + 2 * P) && !mapped(root, VA + LARGE + P));
	arch_pt_destroy(root);
}

SELFTEST(pt_large_pages)
{
	pt_root_t root;
	const uint64_t pa = large_pa();
	unsigned fl = 0;

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	/* Aligned on both sides and long enough: one large leaf. */
	CHECK(arch_pt_map(root, VA, pa, LARGE, PTE_R | PTE_W) == 0);
	CHECK(pa_of(root, VA + LARGE - 8) == pa + LARGE - 8);
	CHECK(arch_pt_contig(root, VA + P, 4 * LARGE, NULL) == LARGE - P);
	/* Covering it in part is refused, and changes nothing. */
	CHECK(arch_pt_unmap(root, VA, P, false) == -EINVAL);
	CHECK(arch_pt_unmap(root, VA + LARGE - P, 2 * P, false) == -EINVAL);
	CHECK(arch_pt_protect(root, VA, P, PTE_R) == -EINVAL);
	CHECK(arch_pt_translate(root, VA, NULL, &fl) == 0 && (fl & PTE_W));
	CHECK(arch_pt_map(root, VA + P, pa, P, PTE_R) == -EEXIST);
	/* A small page before it: unmap covering both in part fails whole. */
	CHECK(arch_pt_map(root, VA - P, pa, P, PTE_R) == 0);
	CHECK(arch_pt_unmap(root, VA - P, 2 * P, false) == -EINVAL);
	CHECK(mapped(root, VA - P) && mapped(root, VA));
	/* Whole: protect and unmap work, holes around it are fine. */
	CHECK(arch_pt_protect(root, VA, LARGE, PTE_R) == 0);
	CHECK(arch_pt_translate(root, VA + 5 * P, NULL, &fl) == 0 && !(fl & PTE_W));
	CHECK(pa_of(root, VA + 5 * P) == pa + 5 * P);
	CHECK(arch_pt_unmap(root, VA - P, LARGE + 4 * P, false) == 0);
	CHECK(!mapped(root, VA - P) && !mapped(root, VA + LARGE - P));
	/* PTE_SMALL: the same range in base pages, so a part can go. */
	CHECK(arch_pt_map(root, VA, pa, LARGE, PTE_R | PTE_SMALL) == 0);
	CHECK(arch_pt_unmap(root, VA + P, P, false) == 0);
	CHECK(mapped(root, VA) && !mapped(root, VA + P) && mapped(root, VA + 2 * P));
	/* A large page where a table already is: mapped in base pages
	 * below it, unmapped in part as such. */
	CHECK(arch_pt_unmap(root, VA, LARGE, false) == 0);
	CHECK(arch_pt_map(root, VA, pa, LARGE, PTE_R) == 0);
	CHECK(arch_pt_unmap(root, VA + 3 * P, P, false) == 0);
	CHECK(mapped(root, VA + 2 * P) && !mapped(root, VA + 3 * P));
	CHECK(arch_pt_unmap(root, VA, LARGE, false) == 0);
	/* Misaligned pa: base pages, whatever the va. */
	CHECK(arch_pt_map(root, VA + LARGE, pa + P, LARGE, PTE_R) == 0);
	CHECK(arch_pt_unmap(root, VA + LARGE, P, false) == 0);
	CHECK(pa_of(root, VA + LARGE + P) == pa + 2 * P);
	CHECK(arch_pt_unmap(root, VA + LARGE, LARGE, false) == 0);
	arch_pt_destroy(root);
}

SELFTEST(pt_unmap_skips_holes_protect_refuses_them)
{
	pt_root_t root;
	const uint64_t pa = large_pa();
	unsigned fl = 0;

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(arch_pt_map(root, VA, pa, P, PTE_R | PTE_W) == 0);
	CHECK(arch_pt_map(root, VA + 2 * P, pa + 2 * P, P, PTE_R | PTE_W) == 0);
	CHECK(arch_pt_protect(root, VA, 3 * P, PTE_R) == -ENOENT);
	CHECK(arch_pt_translate(root, VA, NULL, &fl) == 0 && (fl & PTE_W)); /* unchanged */
	CHECK(arch_pt_translate(root, VA + 2 * P, NULL, &fl) == 0 && (fl & PTE_W));
	CHECK(arch_pt_protect(root, VA + 2 * P, P, PTE_R) == 0);
	CHECK(arch_pt_translate(root, VA + 2 * P, NULL, &fl) == 0 && !(fl & PTE_W));
	CHECK(arch_pt_protect(root, VA + 8 * P, P, PTE_R) == -ENOENT);
	CHECK(arch_pt_unmap(root, VA - 4 * P, 16 * P, false) == 0);
	CHECK(!mapped(root, VA) && !mapped(root, VA + 2 * P));
	CHECK(arch_pt_unmap(root, VA, 4 * LARGE, false) == 0); /* nothing there at all */
	arch_pt_destroy(root);
}

SELFTEST(pt_translate_outputs)
{
	pt_root_t root;
	const uint64_t pa = large_pa();
	uint64_t got = 0;
	unsigned fl = 0;

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(arch_pt_map(root, VA, pa, P, PTE_R | PTE_W | PTE_USER) == 0);
	CHECK(arch_pt_translate(root, VA + 5, NULL, NULL) == 0);
	CHECK(arch_pt_translate(root, VA + 5, &got, NULL) == 0 && got == pa + 5);
	CHECK(arch_pt_translate(root, VA + 5, NULL, &fl) == 0 && (fl & PTE_USER));
	CHECK(arch_pt_translate(root, VA + P, NULL, NULL) == -ENOENT);
	CHECK(arch_pt_translate(root, USER_TOP, NULL, NULL) == -EINVAL);
	CHECK(arch_pt_translate(root, KERNEL_HALF_BASE - 1, &got, &fl) == -EINVAL);
	/* The kernel half is shared with kernel_root. */
	CHECK(arch_pt_translate(root, (uintptr_t)__text_start, NULL, &fl) == 0 && (fl & PTE_X));
	CHECK(arch_pt_unmap(root, VA, P, false) == 0);
	arch_pt_destroy(root);
}

SELFTEST(pt_flags_reported)
{
	static const struct {
		unsigned in, must, never;
	} cases[] = {
		{ PTE_R, PTE_R, PTE_W | PTE_X | PTE_USER | PTE_GLOBAL | PTE_SMALL },
		{ PTE_R | PTE_W, PTE_R | PTE_W, PTE_X | PTE_SMALL },
		{ PTE_W, PTE_R | PTE_W, PTE_X },   /* W implies R */
		{ PTE_R | PTE_X, PTE_R | PTE_X, PTE_W },
		{ PTE_R | PTE_USER | PTE_SMALL, PTE_R | PTE_USER, PTE_W | PTE_X | PTE_SMALL },
	};
	pt_root_t root;
	const uint64_t pa = large_pa();

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned fl = 0;
		CHECK(arch_pt_map(root, VA, pa, P, cases[i].in) == 0);
		CHECK(arch_pt_translate(root, VA, NULL, &fl) == 0);
		CHECKF((fl & cases[i].must) == cases[i].must && !(fl & cases[i].never),
		       "flags %#x mapped, %#x reported", cases[i].in, fl);
		CHECK(arch_pt_protect(root, VA, P, cases[(i + 1) % 5].in) == 0);
		CHECK(arch_pt_translate(root, VA, NULL, &fl) == 0);
		CHECKF((fl & cases[(i + 1) % 5].must) == cases[(i + 1) % 5].must,
		       "protect to %#x reported %#x", cases[(i + 1) % 5].in, fl);
		CHECK(arch_pt_unmap(root, VA, P, false) == 0);
	}
	/* Kernel mappings: global where asked. */
	unsigned fl = 0;
	CHECK(arch_pt_translate(kernel_root, (uintptr_t)__rodata_start, NULL, &fl) == 0);
	CHECK((fl & PTE_GLOBAL) && !(fl & PTE_USER));
	arch_pt_destroy(root);
}

SELFTEST(pt_contig_runs)
{
	pt_root_t root;
	const uint64_t pa = large_pa();
	uint64_t got = 0;

	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(arch_pt_map(root, VA, pa, 3 * P, PTE_R) == 0);
	CHECK(arch_pt_map(root, VA + 3 * P, pa + 8 * P, P, PTE_R) == 0); /* not contiguous */
	CHECK(arch_pt_contig(root, VA, 16 * P, &got) == 3 * P && got == pa);
	CHECK(arch_pt_contig(root, VA + P + 7, 16 * P, &got) == 2 * P - 7 && got == pa + P + 7);
	CHECK(arch_pt_contig(root, VA, 100, NULL) == 100);
	CHECK(arch_pt_contig(root, VA + 4 * P, P, &got) == 0);
	CHECK(arch_pt_contig(root, USER_TOP, P, &got) == 0);
	/* Contiguous across a table boundary. */
	CHECK(arch_pt_map(root, VA + LARGE - P, pa, 2 * P, PTE_R) == 0);
	CHECK(arch_pt_contig(root, VA + LARGE - P, 8 * P, &got) == 2 * P && got == pa);
	/* A run ends with the user half. */
	CHECK(arch_pt_map(root, USER_TOP - P, pa, P, PTE_R) == 0);
	CHECK(arch_pt_contig(root, USER_TOP - P, 4 * P, &got) == P && got == pa);
	CHECK(arch_pt_unmap(root, VA, 2 * LARGE, false) == 0);
	CHECK(arch_pt_unmap(root, USER_TOP - P, P, false) == 0);
	arch_pt_destroy(root);
}

SELFTEST(pt_unmap_frees_frames)
{
	struct frame_stats s0, s1;
	pt_root_t root;
	uint64_t a, b, run;

	frame_get_stats(&s0);
	CHECK(arch_pt_create(&root, kernel_root) == 0);
	CHECK(frame_alloc(&a) == 0 && frame_alloc(&b) == 0);
	CHECK(arch_pt_map(root, VA, a, P, PTE_R) == 0 && arch_pt_map(root, VA + 2 * P, b, P, PTE_R) == 0);
	CHECK(arch_pt_unmap(root, VA, 3 * P, true) == 0);
	/* A large page gives back all of its frames: carve an aligned one
	 * out of a run twice its size (skipped if memory is too short). */
	if (frame_alloc_contig(2 * LARGE / P, &run) == 0) {
		uint64_t big = (run + LARGE - 1) & ~(uint64_t)(LARGE - 1);
		const uintptr_t at = VA + 2 * LARGE; /* no table left there by the pages above */
		CHECK(arch_pt_map(root, at, big, LARGE, PTE_R | PTE_W) == 0);
		CHECK(arch_pt_unmap(root, at, P, true) == -EINVAL); /* it is one large page */
		CHECK(arch_pt_unmap(root, at, LARGE, true) == 0);
		if (big > run)
			frame_free_contig(run, (big - run) / P);
		if (run + 2 * LARGE > big + LARGE)
			frame_free_contig(big + LARGE, (run + 2 * LARGE - big - LARGE) / P);
	}
	arch_pt_destroy(root);
	frame_get_stats(&s1);
	CHECKF(s1.free == s0.free, "frames: %zu free before, %zu after", s0.free, s1.free);
}

/* Changes to the live table are seen at once: a stale TLB entry would
 * show the old frame's contents (or fault) after the remap. */
SELFTEST(pt_live_changes_flushed)
{
	const uintptr_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - 4 * P; /* unused kernel VA */
	uint64_t f1, f2;

	CHECK(frame_alloc(&f1) == 0 && frame_alloc(&f2) == 0);
	*(uint64_t *)phys_to_virt(f1) = 0x1111;
	*(uint64_t *)phys_to_virt(f2) = 0x2222;
	CHECK(arch_pt_map(kernel_root, va, f1, P, PTE_R | PTE_W | PTE_GLOBAL) == 0);
	CHECK(*(volatile uint64_t *)va == 0x1111);
	CHECK(arch_pt_unmap(kernel_root, va, P, false) == 0);
	CHECK(arch_pt_map(kernel_root, va, f2, P, PTE_R | PTE_W | PTE_GLOBAL) == 0);
	CHECK(*(volatile uint64_t *)va == 0x2222);
	/* The same in the user half of the active table. */
	pt_root_t root;
	CHECK(arch_pt_create(&root, kernel_root) == 0);
	irq_flags_t fl = arch_irq_save();
	arch_pt_activate(root);
	uint64_t seen1 = 0, seen2 = 0;
	if (arch_pt_map(root, VA, f1, P, PTE_R | PTE_W) == 0) {
		seen1 = *(volatile uint64_t *)VA;
		arch_pt_unmap(root, VA, P, false);
		if (arch_pt_map(root, VA, f2, P, PTE_R | PTE_W) == 0)
			seen2 = *(volatile uint64_t *)VA;
		arch_pt_unmap(root, VA, P, false);
	}
	arch_pt_activate(kernel_root);
	arch_irq_restore(fl);
	arch_pt_destroy(root);
	CHECK(arch_pt_unmap(kernel_root, va, P, false) == 0);
	frame_free(f1);
	frame_free(f2);
	CHECKF(seen1 == 0x1111 && seen2 == 0x2222, "read %#llx then %#llx", (unsigned long long)seen1,
	       (unsigned long long)seen2);
}
