/* See hostdev.h. */
#define _GNU_SOURCE
#include "hostdev.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fat32.h"
#include "fat32_shim.h"

/* ---- shim ---- */

long shim_alloc_fail_after = -1;

void *fat32_shim_alloc(size_t size)
{
	if (shim_alloc_fail_after == 0)
		return NULL;
	if (shim_alloc_fail_after > 0)
		shim_alloc_fail_after--;
	return malloc(size);
}

void fat32_shim_free(void *p)
{
	free(p);
}

uint32_t fat32_shim_now(void)
{
	return fat32_timestamp((int64_t)time(NULL)); /* UTC, as the kernel and fat32d store */
}

/* ---- block device ---- */

static bool should_fail(long *after)
{
	if (*after < 0)
		return false;
	if (*after == 0)
		return true;
	(*after)--;
	return false;
}

static int dev_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct hostdev *d = ctx;

	d->reads++;
	d->read_sectors += count;
	if (count > 1)
		d->multi_reads++;
	if (count > d->max_read)
		d->max_read = count;
	if (should_fail(&d->fail_reads_after))
		return -5; /* EIO */
	if (d->fd < 0) {
		memcpy(buf, d->mem + lba * 512, (size_t)count * 512);
		return 0;
	}
	ssize_t n = pread(d->fd, buf, (size_t)count * 512, (off_t)(lba * 512));
	return n == (ssize_t)count * 512 ? 0 : -5;
}

static int dev_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct hostdev *d = ctx;

	d->writes++;
	d->write_sectors += count;
	if (count > 1)
		d->multi_writes++;
	if (count > d->max_write)
		d->max_write = count;
	if (should_fail(&d->fail_writes_after))
		return -5;
	if (d->fd < 0) {
		memcpy(d->mem + lba * 512, buf, (size_t)count * 512);
		return 0;
	}
	ssize_t n = pwrite(d->fd, buf, (size_t)count * 512, (off_t)(lba * 512));
	return n == (ssize_t)count * 512 ? 0 : -5;
}

static int dev_flush(void *ctx)
{
	struct hostdev *d = ctx;

	d->flushes++;
	return 0;
}

static void hostdev_init(struct hostdev *d, uint64_t bytes)
{
	d->bd.ctx = d;
	d->bd.sector_size = 512;
	d->bd.sector_count = bytes / 512;
	d->bd.read = dev_read;
	d->bd.write = dev_write;
	d->bd.flush = dev_flush;
	d->fail_reads_after = -1;
	d->fail_writes_after = -1;
	hostdev_reset(d);
}

int hostdev_file(struct hostdev *d, const char *path)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->fd = open(path, O_RDWR);
	if (d->fd < 0 || fstat(d->fd, &st))
		return -1;
	hostdev_init(d, (uint64_t)st.st_size);
	return 0;
}

void hostdev_mem(struct hostdev *d, void *mem, size_t bytes)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->mem = mem;
	hostdev_init(d, bytes);
}

void hostdev_close(struct hostdev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

void hostdev_reset(struct hostdev *d)
{
	d->reads = d->writes = d->flushes = 0;
	d->multi_reads = d->multi_writes = 0;
	d->max_read = d->max_write = 0;
	d->read_sectors = d->write_sectors = 0;
}
