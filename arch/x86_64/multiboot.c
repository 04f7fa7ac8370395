/* Multiboot 1 information -> struct boot_info. The loader put the info in
 * low physical memory, which boot.S's early direct map covers (1 GiB). */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "kernel/printk.h"
#include "x86.h"

#define MBI_MEM (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
#define MMAP_RAM 1

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB below 1 MiB / above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry: the next one is at +size+4 */
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

/* The loader's data, when it lies inside the early direct map. */
static const void *early_ptr(uint64_t pa, uint64_t size)
{
	if (pa + size < pa || pa + size > EARLY_MAP_LIMIT)
		return NULL;
	return phys_to_virt(pa);
}

static void add_range(struct phys_range *r, int *n, uint64_t base, uint64_t size, const char *what)
{
	if (size == 0)
		return;
	if (*n == BOOT_MAX_RANGES) {
		kprintf("multiboot: too many %s ranges, ignoring %#lx+%#lx\n", what, base, size);
		return;
	}
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
}

#define ADD_RAM(b, s) add_range(bi->ram, &bi->nram, (b), (s), "RAM")
#define ADD_RESERVED(b, s) add_range(bi->reserved, &bi->nreserved, (b), (s), "reserved")

static void parse_mmap(const struct mb_info *mi, struct boot_info *bi)
{
	const uint8_t *p = early_ptr(mi->mmap_addr, mi->mmap_length);

	if (!p) {
		kprintf("multiboot: memory map out of reach at %#x\n", mi->mmap_addr);
		return;
	}
	const uint8_t *end = p + mi->mmap_length;
	while (p + sizeof(struct mb_mmap_entry) <= end) {
		const struct mb_mmap_entry *e = (const void *)p;
		if (e->type == MMAP_RAM)
			ADD_RAM(e->base, e->length);
		p += e->size + 4;
	}
}

void multiboot_parse(uint32_t info_pa, struct boot_info *bi)
{
	const struct mb_info *mi = early_ptr(info_pa, sizeof(*mi));

	/* Real-mode IVT, BIOS data, EBDA, option ROMs: keep the first 1 MiB. */
	ADD_RESERVED(0, 0x100000);
	if (!mi)
		panic("multiboot: info structure out of reach at %#x", info_pa);
	ADD_RESERVED(info_pa, sizeof(*mi));

	if (mi->flags & MBI_MMAP) {
		parse_mmap(mi, bi);
		ADD_RESERVED(mi->mmap_addr, mi->mmap_length);
	} else if (mi->flags & MBI_MEM) { /* no map: the two classic ranges */
		ADD_RAM(0, (uint64_t)mi->mem_lower * 1024);
		ADD_RAM(0x100000, (uint64_t)mi->mem_upper * 1024);
	}

	if (mi->flags & MBI_CMDLINE) {
		const char *s = early_ptr(mi->cmdline, BOOT_CMDLINE_MAX);
		if (s) {
			size_t n = strnlen(s, BOOT_CMDLINE_MAX - 1);
			ADD_RESERVED(mi->cmdline, n + 1);
			/* QEMU and GRUB put the kernel's own path first: drop it. */
			const char *args = memchr(s, ' ', n);
			args = args ? args + 1 : s + n;
			n -= (size_t)(args - s);
			memcpy(bi->cmdline, args, n);
			bi->cmdline[n] = '\0';
		}
	}

	/* Modules are not passed on yet, but their memory must survive. */
	if (mi->flags & MBI_MODS) {
		const struct mb_module *m = early_ptr(mi->mods_addr, mi->mods_count * sizeof(*m));
		for (uint32_t i = 0; m && i < mi->mods_count; i++)
			if (m[i].end > m[i].start)
				ADD_RESERVED(m[i].start, m[i].end - m[i].start);
		if (m)
			ADD_RESERVED(mi->mods_addr, mi->mods_count * sizeof(*m));
	}
}
