/* boot.S direct-maps only the first 1 GiB, but the frame allocator may hand
 * out (and zero through phys_to_virt) frames above that before the generic
 * code has built its own direct map. So map all RAM now, in the boot tables,
 * with page directories from a static pool since there is no allocator yet.
 * RAM that does not fit is dropped from bi->ram rather than left as a trap. */
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "kernel/printk.h"
#include "x86.h"

#define GIB 0x40000000ULL
#define EXTRA_PDS 15 /* with 2 MiB pages: RAM up to 16 GiB */
#define PTE_P_RW 0x3ULL
#define PTE_LARGE 0x80ULL

extern uint64_t boot_pdpt_direct[512]; /* boot.S */
static uint64_t pool[EXTRA_PDS][512] __attribute__((aligned(4096)));

/* Maps GiB number g of physical memory; false if out of tables. */
static bool map_gib(uint64_t g, int *used)
{
	if (g >= 512)
		return false;
	if (boot_pdpt_direct[g] & 1)
		return true;
	if (cpu_features.page1g) {
		boot_pdpt_direct[g] = (g * GIB) | PTE_LARGE | PTE_P_RW;
		return true;
	}
	if (*used == EXTRA_PDS)
		return false;
	uint64_t *pd = pool[(*used)++];
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (g * GIB + (i << 21)) | PTE_LARGE | PTE_P_RW;
	boot_pdpt_direct[g] = kernel_virt_to_phys(pd) | PTE_P_RW;
	return true;
}

void early_map_ram(struct boot_info *bi)
{
	int used = 0;
	uint64_t limit = UINT64_MAX; /* first physical address left unmapped */

	for (int i = 0; i < bi->nram; i++) {
		uint64_t end = bi->ram[i].base + bi->ram[i].size;
		for (uint64_t g = bi->ram[i].base / GIB; g * GIB < end; g++)
			if (!map_gib(g, &used) && g * GIB < limit)
				limit = g * GIB;
	}
	if (limit == UINT64_MAX)
		return;
	kprintf("earlymap: RAM above %#lx cannot be mapped, ignoring it\n", limit);
	int n = 0;
	for (int i = 0; i < bi->nram; i++) {
		struct phys_range r = bi->ram[i];
		if (r.base >= limit)
			continue;
		if (r.base + r.size > limit)
			r.size = limit - r.base;
		bi->ram[n++] = r;
	}
	bi->nram = n;
}
