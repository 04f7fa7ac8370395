/* Memory system calls: heap growth (brk), anonymous mappings, statistics. */
#include "kernel/frame.h"
#include "kernel/heap.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))

SYSCALL(brk)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	struct addrspace *as = process_current()->as;
	uintptr_t want = a0;

	if (want == 0 || want == as->brk)
		return (long)as->brk;
	if (want < as->brk_start || want > USER_MMAP_BASE)
		return -EINVAL;
	uintptr_t old_top = PAGE_UP(as->brk), new_top = PAGE_UP(want);
	int err = 0;
	if (new_top > old_top)
		err = as_map(as, old_top, new_top - old_top, TSB_PROT_READ | TSB_PROT_WRITE);
	else if (new_top < old_top)
		err = as_unmap(as, new_top, old_top - new_top);
	if (err)
		return err == -EEXIST ? -ENOMEM : err;
	as->brk = want;
	return (long)as->brk;
}

SYSCALL(mmap)
{
	UNUSED_ARGS(a3, a4, a5);
	struct addrspace *as = process_current()->as;
	size_t len = PAGE_UP(a1);

	if (len == 0 || len > (1ul << 32) || (a2 & ~(sysarg_t)7))
		return -EINVAL;
	/* A hint is only a place to start looking, inside the mmap region:
	 * what mmap hands out is always what munmap takes back. */
	uintptr_t at = a0 && !(a0 & (PAGE_SIZE - 1)) && a0 >= USER_MMAP_BASE && a0 < USER_MMAP_END
			       ? a0 : USER_MMAP_BASE;
	at = as_find_free(as, at, len);
	if (!at)
		return -ENOMEM;
	int err = as_map(as, at, len, (unsigned)a2 | TSB_PROT_READ);
	return err ? err : (long)at;
}

SYSCALL(munmap)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	size_t len = PAGE_UP(a1);
	/* Only the mmap region: never the program, its heap or its stack. */
	if (a0 < USER_MMAP_BASE || a0 >= USER_MMAP_END || len > USER_MMAP_END - a0 || len < a1)
		return -EINVAL;
	return as_unmap(process_current()->as, a0, len);
}

SYSCALL(mem_info)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	struct heap_stats h;
	struct frame_stats fs;
	heap_get_stats(&h);
	frame_get_stats(&fs);
	struct tsb_meminfo m = {
		.heap_used = h.used, .heap_peak = h.peak, .heap_limit = HEAP_MAX_BYTES,
		.heap_allocs = h.allocs, .heap_failures = h.failures,
		.frames_total = fs.total, .frames_free = fs.free, .page_size = PAGE_SIZE,
		.heap_reserved = h.reserved,
	};
	return copy_to_user(a0, &m, sizeof m);
}
