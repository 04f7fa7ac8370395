/* User address spaces: a sorted list of regions (VMAs) over a page table
 * whose upper half is the kernel's. Memory is mapped eagerly and zeroed;
 * a region is never both writable and executable. */
#include <string.h>

#include "kernel/frame.h"
#include "kernel/heap.h"
#include "kernel/process.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"
#include "tsubame/fsproto.h"

/* The ABI's user layout (tsubame/layout.h) must fit this arch. */
_Static_assert(TSB_USER_LAYOUT_END <= USER_TOP, "the user layout does not fit below USER_TOP");
_Static_assert(TSB_PAGE_SIZE == PAGE_SIZE, "the ABI's page size is the arch's");
_Static_assert(FSP_WINDOW_BASE >= USER_MMAP_BASE &&
		       FSP_WINDOW_BASE + FSP_WINDOW_SLOTS * FSP_WINDOW_SLOT <=
			       USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE,
	       "the file-server window lies between the mmap area and the stack");

#define MAP_RUN_PAGES 2048 /* 8 MiB: frames asked for at once by as_map */

static unsigned pte_flags(unsigned prot)
{
	unsigned f = PTE_R | PTE_USER | PTE_SMALL;
	if (prot & TSB_PROT_WRITE) f |= PTE_W;
	if (prot & TSB_PROT_EXEC) f |= PTE_X;
	return f;
}

struct addrspace *as_create(void)
{
	struct addrspace *as = kzalloc(sizeof *as);

	if (!as)
		return NULL;
	list_init(&as->vmas);
	if (arch_pt_create(&as->root, kernel_root) != 0) {
		kfree(as);
		return NULL;
	}
	return as;
}

void as_destroy(struct addrspace *as)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		arch_pt_unmap(as->root, v->start, v->end - v->start, !v->borrowed);
		list_remove(&v->link);
		kfree(v);
	}
	arch_pt_destroy(as->root);
	kfree(as);
}

static bool overlaps_any(struct addrspace *as, uintptr_t start, uintptr_t end)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		if (v->start < end && start < v->end)
			return true;
	}
	return false;
}

static void insert_sorted(struct addrspace *as, struct vma *nv)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &as->vmas) {
		if (list_entry(n, struct vma, link)->start > nv->start) {
			list_insert_between(&nv->link, n->prev, n);
			return;
		}
	}
	list_push_back(&as->vmas, &nv->link);
}

/* A new region must be page-aligned user memory, W^X and free. */
static int check_new_region(struct addrspace *as, uintptr_t start, size_t len, unsigned prot)
{
	uintptr_t end = start + len;

	if ((start | len) & (PAGE_SIZE - 1) || len == 0 || end < start || end > USER_TOP ||
	    start < PAGE_SIZE)
		return -EINVAL;
	if ((prot & TSB_PROT_WRITE) && (prot & TSB_PROT_EXEC))
		return -EACCES; /* W^X */
	return overlaps_any(as, start, end) ? -EEXIST : 0;
}

int as_map(struct addrspace *as, uintptr_t start, size_t len, unsigned prot)
{
	uintptr_t end = start + len;
	int err = check_new_region(as, start, len, prot);

	if (err)
		return err;
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	/* Physically contiguous runs where the frame allocator has them: one
	 * page-table call each, and whole buffers that devices reach in one
	 * piece. */
	for (uintptr_t va = start; va < end;) {
		size_t pages = (end - va) / PAGE_SIZE < MAP_RUN_PAGES ? (end - va) / PAGE_SIZE : MAP_RUN_PAGES;
		uint64_t pa;
		while ((err = frame_alloc_contig(pages, &pa)) != 0 && pages > 1)
			pages /= 2;
		if (err || arch_pt_map(as->root, va, pa, pages * PAGE_SIZE, pte_flags(prot)) != 0) {
			if (!err)
				frame_free_contig(pa, pages);
			arch_pt_unmap(as->root, start, va - start, true);
			kfree(v);
			return -ENOMEM;
		}
		va += pages * PAGE_SIZE;
	}
	v->start = start;
	v->end = end;
	v->prot = prot;
	insert_sorted(as, v);
	as->mapped_bytes += len;
	return 0;
}

int as_map_phys(struct addrspace *as, uintptr_t start, uint64_t pa, size_t len, unsigned prot)
{
	uintptr_t end = start + len;
	int err = pa & (PAGE_SIZE - 1) ? -EINVAL : check_new_region(as, start, len, prot);

	if (err)
		return err;
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	if (arch_pt_map(as->root, start, pa, len, pte_flags(prot)) != 0) {
		arch_pt_unmap(as->root, start, len, false);
		kfree(v);
		return -ENOMEM;
	}
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .borrowed = true };
	insert_sorted(as, v);
	as->mapped_bytes += len;
	return 0;
}

int as_reserve(struct addrspace *as, uintptr_t start, size_t len, unsigned prot)
{
	uintptr_t end = start + len;

	if ((start | len) & (PAGE_SIZE - 1) || len == 0 || end < start || end > USER_TOP)
		return -EINVAL;
	if (overlaps_any(as, start, end))
		return -EEXIST;
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	/* Borrowed: what the kernel maps there is its own (the fat32d window
	 * holds kernel buffers); unmapping the region never frees it. */
	*v = (struct vma){ .start = start, .end = end, .prot = prot, .borrowed = true,
			     .reserved = true };
	insert_sorted(as, v);
	return 0;
}

/* Removes [start, end) from every region, splitting where needed. */
/* Splits v at addr (inside it): v keeps [start, addr), a new region gets
 * [addr, end) with the same properties. */
static int split_at(struct addrspace *as, struct vma *v, uintptr_t addr)
{
	struct vma *tail = kzalloc(sizeof *tail);

	if (!tail)
		return -ENOMEM;
	*tail = *v;
	tail->start = addr;
	v->end = addr;
	insert_sorted(as, tail);
	return 0;
}

int as_unmap(struct addrspace *as, uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	struct list_node *n, *tmp;

	if ((start | len) & (PAGE_SIZE - 1) || end < start || end > USER_TOP)
		return -EINVAL;
	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		uintptr_t s = v->start > start ? v->start : start;
		uintptr_t e = v->end < end ? v->end : end;
		if (s >= e)
			continue;
		if (s > v->start && e < v->end) { /* a hole in the middle: split */
			int err = split_at(as, v, e);
			if (err)
				return err;
			v->end = s;
		}
		bool owned = !v->borrowed, counted = !v->reserved;
		if (s == v->start && e == v->end) {
			list_remove(&v->link);
			kfree(v);
		} else if (s == v->start) {
			v->start = e;
		} else if (e == v->end) {
			v->end = s;
		}
		arch_pt_unmap(as->root, s, e - s, owned);
		if (counted)
			as->mapped_bytes -= e - s;
	}
	return 0;
}

int as_protect(struct addrspace *as, uintptr_t start, size_t len, unsigned prot)
{
	struct list_node *n, *tmp;
	uintptr_t end = start + len;

	if ((prot & TSB_PROT_WRITE) && (prot & TSB_PROT_EXEC))
		return -EACCES;
	if ((start | len) & (PAGE_SIZE - 1) || len == 0 || end < start)
		return -EINVAL;
	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		if (start < v->start || end > v->end)
			continue;
		/* Inside one region (the loader maps a whole image at once):
		 * cut out the part that changes. */
		int err = start > v->start ? split_at(as, v, start) : 0;
		if (!err && start > v->start)
			v = list_entry(v->link.next, struct vma, link); /* the tail, inserted right after */
		if (!err && end < v->end)
			err = split_at(as, v, end);
		if (err)
			return err;
		v->prot = prot;
		return arch_pt_protect(as->root, start, len, pte_flags(prot));
	}
	return -EINVAL; /* not inside one region */
}

bool as_check(struct addrspace *as, uintptr_t p, size_t len, unsigned prot)
{
	uintptr_t end = p + len;
	struct list_node *n, *tmp;

	if (end < p || end > USER_TOP)
		return false;
	if (len == 0)
		return true;
	/* Regions are sorted; walk them covering [p, end) without gaps. */
	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		if (v->end <= p)
			continue;
		if (v->start > p || (v->prot & prot) != prot)
			return false;
		p = v->end;
		if (p >= end)
			return true;
	}
	return false;
}

int as_write(struct addrspace *as, uintptr_t dst, const void *src, size_t len)
{
	const char *s = src;

	while (len) {
		uint64_t pa;
		unsigned fl;
		size_t chunk = PAGE_SIZE - (dst & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (arch_pt_translate(as->root, dst, &pa, &fl) != 0)
			return -EFAULT;
		memcpy(phys_to_virt(pa), s, chunk);
		dst += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

uintptr_t as_find_free(struct addrspace *as, uintptr_t from, size_t len)
{
	uintptr_t at = from;
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &as->vmas) {
		struct vma *v = list_entry(n, struct vma, link);
		if (v->end <= at)
			continue;
		/* Leave a guard page between regions. */
		if (v->start >= at + len + PAGE_SIZE)
			break;
		at = v->end + PAGE_SIZE;
	}
	return at + len <= USER_MMAP_END && at + len > at ? at : 0;
}

void *as_direct(struct addrspace *as, uintptr_t va, size_t *n)
{
	uint64_t pa;
	size_t run = *n ? arch_pt_contig(as->root, va, *n, &pa) : 0;

	if (!run)
		return NULL;
	*n = run;
	return phys_to_virt(pa);
}
