/* Frame allocator and kernel heap. */
#include <string.h>

#include "arch.h"
#include "kernel/frame.h"
#include "kernel/heap.h"
#include "kernel/selftest.h"

SELFTEST(frame_alloc_free_reuse)
{
	struct frame_stats before, after;
	uint64_t pa[64];

	frame_get_stats(&before);
	CHECK(before.free > 64 && before.free <= before.total);
	for (int i = 0; i < 64; i++) {
		CHECK(frame_alloc(&pa[i]) == 0);
		CHECK(pa[i] % PAGE_SIZE == 0);
		uint64_t *p = phys_to_virt(pa[i]);
		for (int k = 0; k < 512; k++)
			CHECKF(p[k] == 0, "frame %#llx not zeroed", (unsigned long long)pa[i]);
		p[0] = pa[i];
		for (int j = 0; j < i; j++)
			CHECK(pa[j] != pa[i]);
	}
	for (int i = 0; i < 64; i++)
		CHECK(*(uint64_t *)phys_to_virt(pa[i]) == pa[i]); /* no overlap */
	frame_get_stats(&after);
	CHECK(after.free == before.free - 64);
	for (int i = 0; i < 64; i++)
		frame_free(pa[i]);
	frame_get_stats(&after);
	CHECKF(after.free == before.free, "leak: %zu free before, %zu after", before.free, after.free);
	/* A freed frame is reused, and comes back zeroed. */
	uint64_t again;
	CHECK(frame_alloc(&again) == 0);
	int reused = 0;
	for (int i = 0; i < 64; i++)
		reused |= again == pa[i];
	CHECK(reused);
	CHECK(*(uint64_t *)phys_to_virt(again) == 0);
	frame_free(again);
}

SELFTEST(frame_contig)
{
	struct frame_stats before, after;
	uint64_t pa;

	frame_get_stats(&before);
	CHECK(frame_alloc_contig(32, &pa) == 0);
	char *p = phys_to_virt(pa);
	memset(p, 0x5a, 32 * PAGE_SIZE);
	CHECK(p[32 * PAGE_SIZE - 1] == 0x5a);
	frame_free_contig(pa, 32);
	CHECK(frame_alloc_contig(before.total + 1, &pa) != 0); /* impossible request fails cleanly */
	frame_get_stats(&after);
	CHECK(after.free == before.free);
}

SELFTEST(heap_mixed_sizes)
{
	static const size_t sizes[] = { 1, 7, 16, 24, 100, 255, 1000, 2032, 2048, 4096, 10000, 70000 };
	enum { N = sizeof sizes / sizeof sizes[0] };
	unsigned char *p[N];
	struct heap_stats before, after;

	/* With interrupts off no other thread (fat32d's requests, with
	 * fat32d=first) allocates or frees in between: the counts are ours. */
	int failed_at = -1, bad_block = -1;
	size_t bad_byte = 0;
	irq_flags_t f = arch_irq_save();
	heap_get_stats(&before);
	for (int i = 0; i < N && failed_at < 0; i++) {
		p[i] = kmalloc(sizes[i]);
		if (!p[i])
			failed_at = i;
		else
			memset(p[i], i + 1, sizes[i]);
	}
	for (int i = 0; i < N && failed_at < 0 && bad_block < 0; i++)
		for (size_t k = 0; k < sizes[i] && bad_block < 0; k++)
			if (p[i][k] != i + 1) {
				bad_block = i;
				bad_byte = k;
			}
	for (int i = 0; i < (failed_at < 0 ? N : failed_at); i++)
		kfree(p[i]);
	heap_get_stats(&after);
	arch_irq_restore(f);
	CHECKF(failed_at < 0, "kmalloc(%zu) failed", sizes[failed_at < 0 ? 0 : failed_at]);
	CHECKF(bad_block < 0, "block %d overwritten at %zu", bad_block, bad_byte);
	CHECKF(after.used == before.used, "used %zu -> %zu", before.used, after.used);
	CHECK(after.frees == before.frees + N);
}

SELFTEST(heap_alignment_and_stats)
{
	struct heap_stats s0, s1;

	heap_get_stats(&s0);
	void *a = kmalloc(3), *b = kzalloc(5000);
	CHECK(a && b);
	CHECK(((uintptr_t)a & (HEAP_ALIGN - 1)) == 0 && ((uintptr_t)b & (HEAP_ALIGN - 1)) == 0);
	for (int i = 0; i < 5000; i++)
		CHECK(((unsigned char *)b)[i] == 0);
	heap_get_stats(&s1);
	CHECK(s1.used >= s0.used + 5003);
	CHECK(s1.peak >= s1.used && s1.free == HEAP_MAX_BYTES - s1.used);
	kfree(a);
	kfree(b);
	CHECK(kmalloc(0) == NULL);
}

SELFTEST(heap_fragmentation)
{
	enum { N = 256 };
	void *p[N];
	struct heap_stats s0, s1;

	heap_get_stats(&s0);
	for (int i = 0; i < N; i++)
		CHECK((p[i] = kmalloc(i % 2 ? 48 : 300)) != NULL);
	for (int i = 0; i < N; i += 2) /* free every other block: holes */
		kfree(p[i]);
	for (int i = 0; i < N; i += 2) /* the holes are reused */
		CHECK((p[i] = kmalloc(200)) != NULL);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	heap_get_stats(&s1);
	CHECK(s1.used == s0.used);
	/* Reusing freed blocks means the heap did not grow past what the
	 * first round reserved plus one page per class. */
	void *big = kmalloc(1024 * 1024);
	CHECK(big != NULL);
	kfree(big);
}

SELFTEST(heap_limit)
{
	/* Fill the heap to past 80 % (the kernel logs a warning), then show
	 * that it refuses more than the cap and recovers completely. */
	enum { BLOCK = 1024 * 1024 };
	static void *blocks[40];
	int n = 0;
	struct heap_stats s;
	heap_get_stats(&s);
	size_t warnings = s.warnings;
	while (n < 40 && s.used + BLOCK < HEAP_MAX_BYTES / 10 * 9 && (blocks[n] = kmalloc(BLOCK)))
		heap_get_stats(&s), n++;
	while (n > 0)
		kfree(blocks[--n]);
	CHECKF(s.used >= HEAP_MAX_BYTES / 10 * 8, "only %zu bytes reached", s.used);
	heap_get_stats(&s);
	CHECK(s.warnings == warnings + 1);

	struct heap_stats s0, s1;

	heap_get_stats(&s0);
	CHECK(kmalloc(HEAP_MAX_BYTES + 1) == NULL); /* over the cap: NULL, no corruption */
	CHECK(kmalloc((size_t)-1) == NULL);
	heap_get_stats(&s1);
	CHECK(s1.failures == s0.failures + 2 && s1.used == s0.used);
}
