/* The block-device table and the checks every caller gets for free. */
#include "kernel/blockdev.h"

#include "kernel/printk.h"
#include "tsubame/errno.h"

static struct blockdev *devs[BLOCKDEV_MAX];

int blockdev_register(struct blockdev *bd, int index)
{
	if (index < 0) {
		for (index = 2; index < BLOCKDEV_MAX && devs[index]; index++)
			;
	}
	if (index >= BLOCKDEV_MAX)
		return -ENOSPC;
	if (devs[index])
		return -EEXIST;
	devs[index] = bd;
	kprintf("blockdev: dev %d = %s, %llu sectors of %u bytes (%llu MiB)\n", index, bd->name,
		(unsigned long long)bd->sector_count, bd->sector_size,
		(unsigned long long)(bd->sector_count * bd->sector_size >> 20));
	return index;
}

struct blockdev *blockdev_get(unsigned index)
{
	return index < BLOCKDEV_MAX ? devs[index] : NULL;
}

static int check_range(struct blockdev *bd, uint64_t lba, uint32_t count)
{
	if (!bd)
		return -ENODEV;
	if (lba >= bd->sector_count || count > bd->sector_count - lba)
		return -ERANGE;
	return 0;
}

int blockdev_read(struct blockdev *bd, uint64_t lba, uint32_t count, void *buf)
{
	int err = check_range(bd, lba, count);

	while (!err && count) {
		uint32_t n = count < bd->max_sectors_per_request ? count : bd->max_sectors_per_request;
		err = bd->read(bd, lba, n, buf);
		lba += n;
		count -= n;
		buf = (char *)buf + (size_t)n * bd->sector_size;
	}
	return err;
}

int blockdev_write(struct blockdev *bd, uint64_t lba, uint32_t count, const void *buf)
{
	int err = check_range(bd, lba, count);

	while (!err && count) {
		uint32_t n = count < bd->max_sectors_per_request ? count : bd->max_sectors_per_request;
		err = bd->write(bd, lba, n, buf);
		lba += n;
		count -= n;
		buf = (const char *)buf + (size_t)n * bd->sector_size;
	}
	return err;
}

int blockdev_flush(struct blockdev *bd)
{
	if (!bd)
		return -ENODEV;
	return bd->flush ? bd->flush(bd) : 0;
}
