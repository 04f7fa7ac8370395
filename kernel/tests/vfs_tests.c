/* The VFS over the in-kernel FAT32 on / (disk.img) and /host (hostfs.img).
 * Files left behind on purpose are checked from the host with mtools. */
#include <string.h>

#include "arch.h"
#include "kernel/fat32fs.h"
#include "kernel/heap.h"
#include "kernel/rtc.h"
#include "kernel/selftest.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 13 + (i >> 11)); }

static int write_all(const char *path, const void *buf, size_t len)
{
	struct vfs_file *f;
	int err = vfs_open(path, VFS_O_WRITE | VFS_O_CREATE | VFS_O_TRUNC, &f);
	if (err)
		return err;
	int64_t n = vfs_write(f, buf, len);
	vfs_close(f);
	return n == (int64_t)len ? 0 : (n < 0 ? (int)n : -EIO);
}

static bool dir_has(const char *dir, const char *name, bool is_dir)
{
	struct vfs_file *f;
	struct vfs_dirent d;
	bool found = false;

	if (vfs_open(dir, VFS_O_READ | VFS_O_DIR, &f) != 0)
		return false;
	while (!found && vfs_readdir(f, &d) == 1)
		found = strcmp(d.name, name) == 0 && d.is_dir == is_dir;
	vfs_close(f);
	return found;
}

SELFTEST(vfs_path_normalize)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//a///b/", "/a/b" }, { "/a/./b/.", "/a/b" }, { "/a/../b", "/b" },
		{ "/..", "/" }, { "/../../x", "/x" }, { "/host/../HELLO.TXT", "/HELLO.TXT" },
		{ "/a/b/../../..", "/" },
	};
	char out[64];
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK(vfs_normalize(cases[i][0], out, sizeof out) == 0);
		CHECKF(strcmp(out, cases[i][1]) == 0, "%s -> %s", cases[i][0], out);
	}
	CHECK(vfs_normalize("relative", out, sizeof out) == -EINVAL);
	CHECK(vfs_normalize("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out,
			    sizeof out) == -ENAMETOOLONG);
}

SELFTEST(vfs_read_hello)
{
	struct vfs_file *f;
	char buf[64] = { 0 };

	CHECK(vfs_open("/HELLO.TXT", VFS_O_READ, &f) == 0);
	CHECK(vfs_read(f, buf, sizeof buf - 1) == 18);
	CHECK(strcmp(buf, "Hello from FAT32!\n") == 0);
	CHECK(vfs_read(f, buf, sizeof buf) == 0); /* end of file */
	CHECK(vfs_write(f, "x", 1) == -EBADF);  /* opened read-only */
	vfs_close(f);
	/* Lookups are case-insensitive, and ".." cannot climb out of "/". */
	CHECK(vfs_open("/hello.txt", VFS_O_READ, &f) == 0);
	vfs_close(f);
	CHECK(vfs_open("/host/../../hello.txt", VFS_O_READ, &f) == 0);
	vfs_close(f);
	CHECK(vfs_open("/nope.txt", VFS_O_READ, &f) == -ENOENT);
	CHECK(vfs_open("/HELLO.TXT/x", VFS_O_READ, &f) == -ENOTDIR);
}

SELFTEST(vfs_list_both_mounts)
{
	CHECK(dir_has("/", "HELLO.TXT", false));
	CHECK(dir_has("/", "extlinux", true));
	CHECK(dir_has("/", "host", true)); /* the mount point shows up in its parent */
	CHECK(dir_has("/host", "README.TXT", false));
	CHECK(!dir_has("/host", "HELLO.TXT", false));
	struct vfs_file *f;
	CHECK(vfs_open("/HELLO.TXT", VFS_O_READ | VFS_O_DIR, &f) == -ENOTDIR);
	CHECK(vfs_open("/host", VFS_O_WRITE, &f) == -EISDIR);
}

/* Writes, reads back, seeks, truncates, renames and deletes a file of
 * `size` bytes; shared with the fat32d tests. */
void vfs_check_big_file(struct selftest_result *r, size_t size)
{
	uint8_t *buf = kmalloc(size), *back = kmalloc(size);
	struct vfs_file *f;
	struct vfs_stat st;
	struct vfs_statfs before, during, after;

	CHECK(buf && back);
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern(i);
	CHECK(vfs_statfs("/", &before) == 0);
	int err = vfs_open("/bigfile.bin", VFS_O_WRITE | VFS_O_READ | VFS_O_CREATE | VFS_O_EXCL, &f);
	CHECKF(err == 0, "create: error %d", err);
	/* Odd-sized chunks so writes straddle sectors and clusters. */
	for (size_t off = 0; off < size;) {
		size_t n = size - off < 70001 ? size - off : 70001;
		CHECK(vfs_write(f, buf + off, n) == (int64_t)n);
		off += n;
	}
	CHECK(vfs_fstat(f, &st) == 0 && st.size == size && !st.is_dir);
	CHECK(vfs_seek(f, 0, VFS_SEEK_SET) == 0);
	memset(back, 0, size);
	CHECK(vfs_read(f, back, size) == (int64_t)size);
	CHECK(memcmp(buf, back, size) == 0);
	/* Reads at an offset, into the middle of the file. */
	CHECK(vfs_seek(f, -1000, VFS_SEEK_END) == (int64_t)size - 1000);
	CHECK(vfs_read(f, back, 5000) == 1000);
	CHECK(memcmp(back, buf + size - 1000, 1000) == 0);
	CHECK(vfs_pread(f, 777777, back, 4096) == 4096 && memcmp(back, buf + 777777, 4096) == 0);
	/* Overwrite in the middle, then check the neighbours are intact. */
	CHECK(vfs_pwrite(f, 5000, "MIDDLE", 6) == 6);
	CHECK(vfs_pread(f, 4990, back, 30) == 30);
	CHECK(memcmp(back, buf + 4990, 10) == 0 && memcmp(back + 10, "MIDDLE", 6) == 0 &&
	      memcmp(back + 16, buf + 5006, 14) == 0);
	CHECK(vfs_statfs("/", &during) == 0);
	CHECK(during.free_blocks * during.block_size + size <= before.free_blocks * before.block_size);
	/* Truncate shrinks; a later write past the end fills the gap with zeros. */
	CHECK(vfs_ftruncate(f, 1000) == 0);
	CHECK(vfs_fstat(f, &st) == 0 && st.size == 1000);
	CHECK(vfs_pwrite(f, 3000, "end", 3) == 3);
	CHECK(vfs_pread(f, 990, back, 2013) == 2013);
	CHECK(memcmp(back, buf + 990, 10) == 0 && back[10] == 0 && back[2009] == 0 &&
	      memcmp(back + 2010, "end", 3) == 0);
	vfs_close(f);
	CHECK(vfs_rename("/bigfile.bin", "/renamed.bin") == 0);
	CHECK(vfs_stat("/bigfile.bin", &st) == -ENOENT);
	CHECK(vfs_stat("/renamed.bin", &st) == 0 && st.size == 3003);
	CHECK(vfs_unlink("/renamed.bin") == 0);
	CHECK(vfs_stat("/renamed.bin", &st) == -ENOENT);
	CHECK(vfs_statfs("/", &after) == 0);
	CHECKF(after.free_blocks == before.free_blocks, "free %llu -> %llu",
	       (unsigned long long)before.free_blocks, (unsigned long long)after.free_blocks);
	kfree(buf);
	kfree(back);
}

SELFTEST(vfs_big_file_roundtrip)
{
	vfs_check_big_file(r, 1536 * 1024 + 123); /* more than 1 MiB, not cluster-aligned */
}

SELFTEST(vfs_directories)
{
	struct vfs_stat st;

	CHECK(vfs_mkdir("/dir one") == 0);
	CHECK(vfs_mkdir("/dir one") == -EEXIST);
	CHECK(write_all("/dir one/a file with a long name.txt", "abc", 3) == 0);
	CHECK(vfs_rmdir("/dir one") == -ENOTEMPTY);
	CHECK(vfs_rmdir("/dir one/a file with a long name.txt") == -ENOTDIR);
	CHECK(vfs_unlink("/dir one") == -EISDIR);
	CHECK(vfs_unlink("/dir one/a file with a long name.txt") == 0);
	CHECK(vfs_rmdir("/dir one") == 0);
	CHECK(vfs_stat("/dir one", &st) == -ENOENT);
	/* Mount points and mount roots cannot be removed or renamed. */
	CHECK(vfs_rmdir("/host") == -EBUSY);
	CHECK(vfs_rename("/host", "/elsewhere") == -EBUSY);
	CHECK(vfs_rename("/HELLO.TXT", "/host/HELLO.TXT") == -EXDEV);
}

/* New files and directories carry the wall clock's date and time (FAT
 * keeps 2 s steps; Tsubame stores UTC), not 1980-01-01. */
SELFTEST(vfs_dates_from_the_wall_clock)
{
	uint64_t ns;
	struct vfs_stat f, d;

	CHECKF(rtc_now(&ns) == 0, "no wall clock");
	int64_t now = (int64_t)(ns / 1000000000ull);
	CHECK(write_all("/host/dated.txt", "x", 1) == 0);
	CHECK(vfs_mkdir("/host/dated dir") == 0);
	CHECK(vfs_stat("/host/dated.txt", &f) == 0 && vfs_stat("/host/dated dir", &d) == 0);
	CHECK(vfs_unlink("/host/dated.txt") == 0 && vfs_rmdir("/host/dated dir") == 0);
	const int64_t t[] = { f.mtime, f.ctime, d.mtime, d.ctime };
	for (int i = 0; i < 4; i++)
		CHECKF(t[i] >= now - 4 && t[i] <= now + 10, "time %d is %lld s after the clock's %lld", i,
		       (long long)(t[i] - now), (long long)now);
}

/* Left on the images for scripts/tests/check-images.sh. */
SELFTEST(vfs_files_for_the_host)
{
	static const char msg[] = "written by the Tsubame selftest\n";
	CHECK(vfs_mkdir("/guest dir") == 0);
	CHECK(write_all("/guest dir/Guest Long Name.txt", msg, sizeof msg - 1) == 0);
	CHECK(write_all("/host/FROMGUEST.TXT", msg, sizeof msg - 1) == 0);
	uint8_t *big = kmalloc(300000);
	CHECK(big);
	for (size_t i = 0; i < 300000; i++)
		big[i] = pattern(i);
	CHECK(write_all("/guest dir/pattern.bin", big, 300000) == 0);
	kfree(big);
	CHECK(vfs_sync() == 0);
}

/* A read-only mount (make bench's /kbench): reads work, anything that
 * would write is -EROFS, and the disk is left alone. */
SELFTEST(vfs_read_only_mount)
{
	void *fs;
	struct vfs_file *f;
	char buf[32] = { 0 };

	CHECK(fat32fs_open(0, false, &fs) == 0);
	CHECK(vfs_mount("/ro", &fat32fs_ro_ops, fs) == 0);
	CHECK(vfs_open("/ro/HELLO.TXT", VFS_O_READ, &f) == 0);
	CHECK(vfs_read(f, buf, sizeof buf - 1) == 18 && strcmp(buf, "Hello from FAT32!\n") == 0);
	vfs_close(f);
	CHECK(vfs_open("/ro/HELLO.TXT", VFS_O_WRITE, &f) == -EROFS);
	CHECK(vfs_open("/ro/new.txt", VFS_O_WRITE | VFS_O_CREATE, &f) == -EROFS);
	CHECK(vfs_mkdir("/ro/newdir") == -EROFS);
	CHECK(vfs_unlink("/ro/HELLO.TXT") == -EROFS);
	CHECK(vfs_rename("/ro/HELLO.TXT", "/ro/X.TXT") == -EROFS);
	CHECK(vfs_unmount("/ro") == 0);
	CHECK(fat32fs_close(fs) == 0);
	CHECK(vfs_open("/HELLO.TXT", VFS_O_READ, &f) == 0); /* still there */
	vfs_close(f);
}
