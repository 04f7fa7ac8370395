/* lib/fat32 on the raw block syscalls. fat32d holds block authority, given
 * by init at spawn; nobody else can reach the sectors. */
#include <stdlib.h>

#include "fat32/fat32_shim.h"
#include "fat32d.h"
#include "tsubame.h"

void *fat32_shim_alloc(size_t size) { return malloc(size); }
void fat32_shim_free(void *p) { free(p); }
uint32_t fat32_shim_now(void)
{
	uint64_t ns;
	return clock_realtime(&ns) == 0 ? fat32_timestamp((int64_t)(ns / 1000000000ull)) : 0;
}

static int bd_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	return block_read((unsigned)(uintptr_t)ctx, lba, count, buf);
}

static int bd_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	return block_write((unsigned)(uintptr_t)ctx, lba, count, buf);
}

static int bd_flush(void *ctx)
{
	return block_flush((unsigned)(uintptr_t)ctx);
}

int volume_mount(unsigned dev, struct fat32 **out)
{
	struct tsb_blockinfo info;
	int err = block_info(dev, &info);

	if (err)
		return err;
	struct fat32_blockdev bd = {
		.ctx = (void *)(uintptr_t)dev,
		.sector_size = info.sector_size,
		.sector_count = info.sector_count,
		.read = bd_read,
		.write = bd_write,
		.flush = bd_flush,
	};
	/* A bigger cache than the kernel's: fat32d has its own heap. */
	struct fat32_config cfg = { .cache_sectors = 256, .fat_cache_sectors = 128 };
	return fat32_mount(out, &bd, &cfg);
}
