/* The in-kernel FAT32: lib/fat32 on a kernel block device, behind the VFS
 * operations. This is the boot-time file system; fat32d later takes the
 * same volumes over through the proxy (two-phase mount). */
#include "kernel/fat32fs.h"

#include <string.h>

#include "fat32/fat32.h"
#include "fat32/fat32_shim.h"
#include "kernel/blockdev.h"
#include "kernel/heap.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/rtc.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

/* ---- What lib/fat32 needs from its host ---- */
void *fat32_shim_alloc(size_t size) { return kmalloc(size); }
void fat32_shim_free(void *p) { kfree(p); }
uint32_t fat32_shim_now(void)
{
	uint64_t ns;
	return rtc_now(&ns) == 0 ? fat32_timestamp((int64_t)(ns / 1000000000ull)) : 0;
}

static int bd_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	return blockdev_read(ctx, lba, count, buf);
}

static int bd_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	return blockdev_write(ctx, lba, count, buf);
}

static int bd_flush(void *ctx)
{
	return blockdev_flush(ctx);
}

/* ---- VFS operations ---- */

static int f_stat(void *fs, void *node, struct vfs_stat *st);

static int f_open(void *fs, const char *path, void **node, struct vfs_stat *st, struct vfs_head *head)
{
	struct fat32_node *n = kmalloc(sizeof *n);

	if (!n)
		return -ENOMEM;
	int err = fat32_lookup(fs, path, n);
	if (err) {
		kfree(n);
		return err;
	}
	err = f_stat(fs, n, st);
	if (!err && head) {
		int64_t got = st->is_dir ? 0 : fat32_read(fs, n, 0, head->buf, head->max);
		err = got < 0 ? (int)got : 0;
		head->len = got < 0 ? 0 : (size_t)got;
	}
	if (err) {
		kfree(n);
		return err;
	}
	fat32_hold(fs, n); /* follows renames, notices deletion */
	*node = n;
	return 0;
}

static void f_close(void *fs, void *node)
{
	fat32_release(fs, node);
	kfree(node);
}

static int f_stat(void *fs, void *node, struct vfs_stat *st)
{
	struct fat32_stat s;
	int err = fat32_stat(fs, node, &s);

	if (err)
		return err;
	*st = (struct vfs_stat){
		.size = s.size,
		.is_dir = s.is_dir,
		.mtime = fat32_unix_time(s.modify_date, s.modify_time),
		.ctime = fat32_unix_time(s.create_date, s.create_time),
		.attr = s.attr,
	};
	return 0;
}

static int64_t f_read(void *fs, void *node, uint64_t off, void *buf, size_t len)
{
	return fat32_read(fs, node, off, buf, len);
}

static int64_t f_write(void *fs, void *node, uint64_t off, const void *buf, size_t len)
{
	return fat32_write(fs, node, off, buf, len);
}

static int f_truncate(void *fs, void *node, uint64_t size)
{
	return fat32_truncate(fs, node, size);
}

static int f_readdir(void *fs, void *node, uint64_t *cookie, struct vfs_dirent *out)
{
	struct fat32_dirent *d = kmalloc(sizeof *d);
	uint32_t c = (uint32_t)*cookie;

	if (!d)
		return -ENOMEM;
	int r = fat32_readdir(fs, node, &c, d);
	if (r == 1) {
		strlcpy(out->name, d->name, sizeof out->name);
		out->is_dir = d->node.attr & FAT32_ATTR_DIR;
		out->size = d->node.size;
	}
	*cookie = c;
	kfree(d);
	return r;
}

static int f_create(void *fs, const char *path) { return fat32_create(fs, path, NULL); }
static int f_unlink(void *fs, const char *path) { return fat32_unlink(fs, path); }
static int f_mkdir(void *fs, const char *path) { return fat32_mkdir(fs, path, NULL); }
static int f_rmdir(void *fs, const char *path) { return fat32_rmdir(fs, path); }
static int f_rename(void *fs, const char *a, const char *b) { return fat32_rename(fs, a, b); }
static int f_flush(void *fs) { return fat32_flush(fs); }

static int f_statfs(void *fs, struct vfs_statfs *st)
{
	struct fat32_statfs s;
	int err = fat32_statfs(fs, &s);

	if (!err)
		*st = (struct vfs_statfs){ s.cluster_size, s.total_clusters, s.free_clusters };
	return err;
}

const struct fs_ops fat32fs_ops = {
	.name = "fat32 (in-kernel)",
	.open = f_open,
	.close = f_close,
	.stat = f_stat,
	.read = f_read,
	.write = f_write,
	.truncate = f_truncate,
	.readdir = f_readdir,
	.create = f_create,
	.unlink = f_unlink,
	.mkdir = f_mkdir,
	.rmdir = f_rmdir,
	.rename = f_rename,
	.flush = f_flush,
	.statfs = f_statfs,
};

/* The same instance type, reading only: make bench mounts one at /kbench
 * next to fat32d, to time both paths side by side. No write can reach it
 * (the VFS refuses opens for writing and every changing call). */
const struct fs_ops fat32fs_ro_ops = {
	.name = "fat32 (in-kernel, read-only)",
	.open = f_open,
	.close = f_close,
	.stat = f_stat,
	.read = f_read,
	.readdir = f_readdir,
	.statfs = f_statfs,
};

int fat32fs_open(unsigned dev, bool writable, void **out)
{
	struct blockdev *bd = blockdev_get(dev);
	struct fat32 *fs;

	if (!bd)
		return -ENODEV;
	struct fat32_blockdev fbd = {
		.ctx = bd,
		.sector_size = bd->sector_size,
		.sector_count = bd->sector_count,
		.read = bd_read,
		.write = bd_write,
		.flush = bd_flush,
	};
	/* The same cache sizes fat32d uses, so the two paths compare fairly. */
	struct fat32_config cfg = { .cache_sectors = 256, .fat_cache_sectors = 128 };
	int err = fat32_mount(&fs, &fbd, &cfg);
	if (err) {
		kprintf(KERN_ERR "fat32: dev %u is not a usable FAT32 volume (error %d)\n", dev, err);
		return err;
	}
	/* Whoever wrote last may have stopped before FSInfo (a killed fat32d,
	 * a machine switched off): count the free clusters rather than trust
	 * it, and put it right on the disk at once. */
	if (writable && (err = fat32_recount(fs)) == 0)
		err = fat32_flush(fs);
	if (err)
		kprintf(KERN_ERR "fat32: dev %u: cannot count its free clusters (error %d)\n", dev, err);
	*out = fs;
	return 0;
}

int fat32fs_close(void *fs)
{
	return fat32_unmount(fs);
}

int fat32fs_mount(unsigned dev, const char *path)
{
	void *fs;
	int err = fat32fs_open(dev, true, &fs);

	if (err)
		return err;
	err = vfs_mount(path, &fat32fs_ops, fs);
	if (err)
		fat32_unmount(fs);
	return err;
}
