/* FAT32 file system library, shared by the kernel, the file-system daemon
 * and the host tests. It needs only <string.h> and a three-function shim
 * (fat32_shim.h) from its host.
 *
 * Concurrency: none. One struct fat32 is used by one thread at a time; the
 * caller serialises every call that takes it (including calls on nodes).
 *
 * Errors: every call returns 0 (or a byte count) on success and a negative
 * errno from tsubame/errno.h on failure, one code per cause:
 *   -EINVAL       bad argument or invalid name ("." / ".." as a name, a
 *                 character FAT forbids, bad UTF-8)
 *   -ENOENT -ENOTDIR -EISDIR -EEXIST -ENOTEMPTY -ENAMETOOLONG (> 255 bytes)
 *   -ENOSPC       no free cluster, or a directory reached 65536 entries
 *   -EFBIG        a file would exceed 4 GiB - 1
 *   -EIO / any    whatever the block device returned
 *   -EMEDIUMTYPE  not a FAT32 volume (no FAT32 partition, FAT12/16, ...)
 *   -EUCLEAN      corrupt structures: bad BPB field, cluster number out of
 *                 range, chain loop or chain shorter than the file size
 *   -ENOMEM       the shim allocator failed
 *   -EBUSY        the operation would remove or move the root directory
 *
 * Names are UTF-8 (stored as UTF-16 long names); lookups are case-
 * insensitive for ASCII letters only. Trailing dots and spaces of a name are
 * ignored, as Windows does. Paths are '/'-separated, relative to the volume
 * root, may start with '/', and may contain empty and "." components; ".."
 * is rejected with -EINVAL (the VFS resolves it). */
#ifndef TSUBAME_FAT32_H
#define TSUBAME_FAT32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fat32_blockdev {
	void *ctx;
	uint32_t sector_size;    /* must be 512, else mount fails with -EINVAL */
	uint64_t sector_count;
	int (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);        /* 0 or -errno */
	int (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
	int (*flush)(void *ctx);                                                 /* may be NULL */
};

/* Cache sizes in 512-byte sectors; 0 picks the default. Both caches are
 * allocated once at mount through fat32_shim_alloc. */
struct fat32_config {
	uint32_t cache_sectors;      /* directory / partial-sector data cache, default 48 */
	uint32_t fat_cache_sectors;  /* FAT table cache, default 16 */
};

#define FAT32_NAME_MAX 255          /* bytes of UTF-8 in one name */
#define FAT32_FILE_MAX 0xFFFFFFFFu  /* largest file size */

#define FAT32_ATTR_READONLY 0x01
#define FAT32_ATTR_HIDDEN   0x02
#define FAT32_ATTR_SYSTEM   0x04
#define FAT32_ATTR_VOLUME   0x08
#define FAT32_ATTR_DIR      0x10
#define FAT32_ATTR_ARCHIVE  0x20

struct fat32;  /* a mounted volume; opaque */

/* A file or directory. Its identity is the location of its short directory
 * entry: (dir_cluster, entry). The other fields are copies of that entry.
 * Every call that takes a node first re-reads the entry (one cache lookup),
 * so a node never works on a stale size or first cluster even if the file
 * was changed through another node or a path call; after any call, `size`
 * and `first_cluster` are fresh. fat32_stat() refreshes without doing
 * anything else.
 * A plain node goes stale when its entry is deleted or moved by rename
 * (calls then fail with -ENOENT, or, if the slot was reused, see the new
 * entry). A node registered with fat32_hold() is kept right instead:
 * rename updates its location and unlink/rmdir marks it dead (-ENOENT).
 * The data of an unlinked file is freed at once, even if it is held. */
struct fat32_node {
	uint32_t dir_cluster;    /* first cluster of the containing directory; 0 = this is the root */
	uint32_t entry;          /* index of the short entry in that directory */
	uint32_t first_cluster;  /* 0 for an empty file */
	uint32_t size;           /* bytes; 0 for directories */
	uint8_t attr;            /* FAT32_ATTR_* */
	uint8_t flags;           /* private */
	uint16_t ent_off;        /* private: byte offset of the entry in its sector */
	uint64_t ent_lba;        /* private: sector holding the entry */
	uint32_t hint_index;     /* private: last (cluster index -> cluster) seen, */
	uint32_t hint_cluster;   /*   so sequential I/O does not re-walk the chain */
	uint32_t hint_gen;
	uint32_t loop_index;     /* private: cycle detection over the chain */
	uint32_t loop_saved;     /*   positions visited in order, across calls */
	uint32_t loop_power;
	uint32_t loop_steps;
	uint32_t loop_gen;
	struct fat32_node *held_next;  /* private */
};

struct fat32_dirent {
	char name[FAT32_NAME_MAX + 1];  /* long name, or the 8.3 name if there is none */
	char short_name[13];            /* 8.3 name as "NAME.EXT" (case flags applied) */
	struct fat32_node node;         /* ready to use without another lookup */
};

struct fat32_stat {
	uint32_t size;
	uint32_t first_cluster;
	uint8_t attr;
	bool is_dir;
	uint16_t create_date, create_time;   /* FAT encoding; 0 for the root */
	uint8_t create_tenths;               /* 10 ms units, 0..199 */
	uint16_t modify_date, modify_time;
	uint16_t access_date;
};

struct fat32_statfs {
	uint32_t sector_size;
	uint32_t cluster_size;     /* bytes */
	uint32_t total_clusters;
	uint32_t free_clusters;
};

/* Volume. fat32_mount finds the FAT32 volume (MBR partition of type 0x0b or
 * 0x0c, or a partitionless volume), validates it and allocates the caches;
 * cfg may be NULL. The block device struct is copied. fat32_unmount flushes
 * and frees everything even if the flush fails (its error is returned).
 * Writes are cached until fat32_flush, which writes the FAT (all copies),
 * directory and data sectors, the FSInfo free count and next-free hint,
 * then calls bd->flush. */
int fat32_mount(struct fat32 **fsp, const struct fat32_blockdev *bd, const struct fat32_config *cfg);
int fat32_unmount(struct fat32 *fs);
int fat32_flush(struct fat32 *fs);
/* Counts the free clusters instead of trusting FSInfo's hint, and corrects
 * FSInfo at the next flush if it was wrong. For a volume whose last writer
 * may have stopped between the writes of a flush (FSInfo is written
 * last); it reads the whole FAT. */
int fat32_recount(struct fat32 *fs);
int fat32_statfs(struct fat32 *fs, struct fat32_statfs *out);

/* Nodes. */
void fat32_root(struct fat32 *fs, struct fat32_node *out);
int fat32_lookup(struct fat32 *fs, const char *path, struct fat32_node *out);
int fat32_lookup_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out);
void fat32_hold(struct fat32 *fs, struct fat32_node *node);     /* idempotent */
void fat32_release(struct fat32 *fs, struct fat32_node *node);  /* must precede freeing a held node */
int fat32_stat(struct fat32 *fs, struct fat32_node *node, struct fat32_stat *out);

/* File data. read returns the bytes read (0 at or past the end); write
 * returns len or fails without having changed the size (it allocates all
 * clusters first), extending the file with zeros if off > size; truncate
 * shrinks (freeing clusters) or grows with zeros. Whole sectors move
 * directly between the device and buf, one request per physically
 * contiguous run of clusters. */
int64_t fat32_read(struct fat32 *fs, struct fat32_node *node, uint64_t off, void *buf, size_t len);
int64_t fat32_write(struct fat32 *fs, struct fat32_node *node, uint64_t off, const void *buf, size_t len);
int fat32_truncate(struct fat32 *fs, struct fat32_node *node, uint64_t size);

/* Directory listing. *cookie starts at 0 and is advanced past each entry;
 * it is an entry index, so it stays valid across calls and changes.
 * Returns 1 with *out filled, 0 at the end, or -errno. "." and ".." are
 * not returned, nor volume labels. */
int fat32_readdir(struct fat32 *fs, struct fat32_node *dir, uint32_t *cookie, struct fat32_dirent *out);

/* Namespace. out may be NULL. create fails with -EEXIST if the name exists.
 * rename replaces an existing target the way POSIX does (file over file,
 * directory over empty directory), fails with -EISDIR / -ENOTDIR on a kind
 * mismatch, -ENOTEMPTY on a non-empty target directory and -EINVAL when
 * moving a directory into itself; renaming a name to itself, or to a
 * different case of itself, is allowed. On failure nothing has changed. */
int fat32_create(struct fat32 *fs, const char *path, struct fat32_node *out);
int fat32_create_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out);
int fat32_mkdir(struct fat32 *fs, const char *path, struct fat32_node *out);
int fat32_mkdir_at(struct fat32 *fs, struct fat32_node *dir, const char *name, struct fat32_node *out);
int fat32_unlink(struct fat32 *fs, const char *path);
int fat32_unlink_at(struct fat32 *fs, struct fat32_node *dir, const char *name);
int fat32_rmdir(struct fat32 *fs, const char *path);
int fat32_rmdir_at(struct fat32 *fs, struct fat32_node *dir, const char *name);
int fat32_rename(struct fat32 *fs, const char *old_path, const char *new_path);
int fat32_rename_at(struct fat32 *fs, struct fat32_node *old_dir, const char *old_name,
		    struct fat32_node *new_dir, const char *new_name);

/* Seconds since 1970 for a FAT date and time, taken as UTC; 0 for date 0
 * (no date: the root directory). */
int64_t fat32_unix_time(uint16_t date, uint16_t time);
/* The FAT timestamp (fat32_shim_now's encoding) of a time in seconds since
 * 1970: Tsubame stores UTC, FAT having no time zone field. 0 outside the
 * years FAT can hold (1980..2107). */
uint32_t fat32_timestamp(int64_t secs);

#endif
