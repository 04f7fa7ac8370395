/* The virtual file system: a mount table with longest-prefix lookup, one
 * operations interface that every file system implements (the in-kernel
 * FAT32 now, the fat32d proxy later), and open-file objects that read and
 * write at an offset without buffering whole files. */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mutex.h"

#define VFS_PATH_MAX 512
#define VFS_NAME_MAX 255
#define VFS_MAX_MOUNTS 8

struct vfs_stat {
	uint64_t size;
	bool is_dir;
	int64_t mtime;   /* seconds since 1970, 0 if unknown */
	int64_t ctime;
	uint32_t attr;   /* file-system specific attribute bits */
};

struct vfs_dirent {
	char name[VFS_NAME_MAX + 1];
	bool is_dir;
	uint64_t size;
};

struct vfs_statfs {
	uint32_t block_size;
	uint64_t total_blocks, free_blocks;
};

/* The first bytes of a file, read along with its open (an ELF's headers). */
struct vfs_head {
	void *buf;
	size_t max;  /* at most VFS_HEAD_MAX */
	size_t len;  /* filled in: min(max, file size) */
};
#define VFS_HEAD_MAX 448

/* What a file system provides. Paths are relative to its root, normalised
 * (no ".", "..", or repeated '/'), "" for the root itself. A node is the
 * file system's handle for an open file or directory; it must be kmalloc'd
 * memory, because when the file system behind a mount is replaced the VFS
 * frees old nodes with kfree (their instance is gone) and reopens the
 * files by path. Calls on one mount are serialised by the VFS. */
struct fs_ops {
	const char *name;
	/* Also fills *st (an open is one round trip to fat32d, not two) and,
	 * if head is not NULL, up to head->max first bytes of a file. */
	int (*open)(void *fs, const char *path, void **node, struct vfs_stat *st, struct vfs_head *head);
	void (*close)(void *fs, void *node);
	int (*stat)(void *fs, void *node, struct vfs_stat *st);
	int64_t (*read)(void *fs, void *node, uint64_t off, void *buf, size_t len);
	int64_t (*write)(void *fs, void *node, uint64_t off, const void *buf, size_t len);
	int (*truncate)(void *fs, void *node, uint64_t size);
	/* 1 = entry returned, 0 = end, <0 = error; *cookie is opaque. */
	int (*readdir)(void *fs, void *node, uint64_t *cookie, struct vfs_dirent *out);
	int (*create)(void *fs, const char *path);
	int (*unlink)(void *fs, const char *path);
	int (*mkdir)(void *fs, const char *path);
	int (*rmdir)(void *fs, const char *path);
	int (*rename)(void *fs, const char *from, const char *to);
	int (*flush)(void *fs);
	int (*statfs)(void *fs, struct vfs_statfs *st);
};

/* Open flags. */
#define VFS_O_READ 0x01
#define VFS_O_WRITE 0x02
#define VFS_O_CREATE 0x04
#define VFS_O_TRUNC 0x08
#define VFS_O_APPEND 0x10
#define VFS_O_EXCL 0x20
#define VFS_O_DIR 0x40   /* must be a directory */

struct mount;

struct vfs_file {
	struct mount *mount;
	unsigned generation;  /* of the mount when opened: a remount makes the file stale */
	void *node;
	uint64_t pos;
	int flags;
	bool is_dir;
	uint64_t dir_cookie;
	char *path;           /* inside its mount: to reopen it after a remount */
	char *dir_path;       /* directories: normalised path, to list mount points in it */
	int mount_cursor;     /* directories: next mount table slot to consider */
};

/* Mounting. `path` is absolute; remount atomically swaps the file system
 * behind an existing mount point; files open on the old one are reopened
 * by path on the new one at their next use. */
int vfs_mount(const char *path, const struct fs_ops *ops, void *fs);
int vfs_remount(const char *path, const struct fs_ops *ops, void *fs, void **old_fs);
int vfs_unmount(const char *path);

/* Normalises an absolute path: collapses '/', resolves "." and ".."
 * (".." at the root stays at the root). -ENAMETOOLONG, -EINVAL. */
int vfs_normalize(const char *in, char *out, size_t size);

int vfs_open(const char *path, int flags, struct vfs_file **out);
/* The same, with the file's stat as of the open and, if head is not NULL,
 * its first bytes (no extra requests). */
int vfs_open_stat(const char *path, int flags, struct vfs_file **out, struct vfs_stat *st,
		  struct vfs_head *head);
int vfs_close(struct vfs_file *f);
int64_t vfs_read(struct vfs_file *f, void *buf, size_t len);
int64_t vfs_write(struct vfs_file *f, const void *buf, size_t len);
int64_t vfs_pread(struct vfs_file *f, uint64_t off, void *buf, size_t len);
int64_t vfs_pwrite(struct vfs_file *f, uint64_t off, const void *buf, size_t len);
#define VFS_SEEK_SET 0
#define VFS_SEEK_CUR 1
#define VFS_SEEK_END 2
int64_t vfs_seek(struct vfs_file *f, int64_t off, int whence);
int vfs_fstat(struct vfs_file *f, struct vfs_stat *st);
int vfs_ftruncate(struct vfs_file *f, uint64_t size);
int vfs_readdir(struct vfs_file *f, struct vfs_dirent *out); /* 1, 0 at end, <0 */

int vfs_stat(const char *path, struct vfs_stat *st);
int vfs_mkdir(const char *path);
int vfs_rmdir(const char *path);
int vfs_unlink(const char *path);
int vfs_rename(const char *from, const char *to);
int vfs_statfs(const char *path, struct vfs_statfs *st);
int vfs_sync(void); /* flushes every mount */

#endif
