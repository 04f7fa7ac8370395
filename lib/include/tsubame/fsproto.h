/* The fat32d protocol: one header shared by the kernel's VFS proxy
 * (kernel/vfs/fsproxy.c) and the daemon (user/fat32d). Requests go from
 * the kernel (sender pid 0) to fat32d over IPC; every request gets exactly
 * one reply carrying the same id. All fields are little-endian.
 *
 * Request:  struct fsp_request, then `len` payload bytes: paths,
 *   NUL-terminated (RENAME carries two). File data is never in a message:
 *   READ and WRITE name a slot of the data window (FSP_WINDOW_BASE below)
 *   where the kernel has mapped the caller's buffer.
 * Reply:    struct fsp_reply, then `len` bytes of data (LIST_DIR entry,
 *   STAT, STATFS, OPEN's stat and first bytes). status is 0 or a negative
 *   errno; `value` is the operation's number (bytes read or written into
 *   the window, a new handle). */
#ifndef TSUBAME_FSPROTO_H
#define TSUBAME_FSPROTO_H

#include <stdint.h>

#include "tsubame/layout.h"

#define FSP_MAGIC 0x31505346u /* "FSP1" */
/* Data bytes per READ/WRITE request: every request costs two address-space
 * switches each way, so big reads must be few requests. */
#define FSP_MAX_DATA (4u * 1024 * 1024)
/* File data never travels in messages: for READ and WRITE the kernel maps
 * the caller's buffer into fat32d's address space at a slot of this window
 * for the duration of the request, and `window` points at it. fat32d reads
 * from the disk straight into it (or writes from it), so each byte is
 * copied at most once between the disk and the user's buffer. */
#define FSP_WINDOW_BASE TSB_FS_WINDOW_BASE
#define FSP_WINDOW_SLOTS 8
#define FSP_WINDOW_SLOT (FSP_MAX_DATA + (uint64_t)TSB_PAGE_SIZE) /* + one page: buffers need not be aligned */
#define FSP_MAX_PATH 512u
/* Bytes OPEN can return from the start of a file (an ELF's headers): the
 * loader then needs no READ for them. */
#define FSP_OPEN_HEAD_MAX 448u

enum fsp_op {
	/* Whole-file and directory operations by handle or path... */
	FSP_LIST_DIR = 1,     /* handle, offset = cookie -> one struct fsp_dirent, value = next cookie */
	FSP_STAT = 2,         /* handle -> struct fsp_stat */
	FSP_READ = 3,         /* handle, offset, count -> into the window (READ_FILE_CHUNK at any offset) */
	FSP_CREATE_FILE = 4,  /* path */
	FSP_DELETE_FILE = 5,  /* path */
	FSP_CREATE_DIR = 6,   /* path */
	FSP_DELETE_DIR = 7,   /* path */
	/* ...and what full VFS semantics need. */
	FSP_OPEN = 8,         /* path, count -> value = handle, data = struct fsp_stat and the
	                       * file's first min(count, size, FSP_OPEN_HEAD_MAX) bytes */
	FSP_CLOSE = 9,        /* handle (the kernel sends it with id 0: no one waits) */
	FSP_WRITE = 10,       /* handle, offset, count, from the window -> value = bytes */
	FSP_TRUNCATE = 11,    /* handle, offset = new size */
	FSP_RENAME = 12,      /* two paths */
	FSP_FLUSH = 13,
	FSP_STATFS = 14,      /* -> struct fsp_statfs */
	FSP_OP_MAX
};

struct fsp_request {
	uint32_t magic;
	uint32_t op;
	uint32_t len;        /* payload bytes after this header */
	uint32_t dev;        /* 0 = disk.img (/), 1 = hostfs.img (/host) */
	uint64_t id;         /* echoed in the reply */
	uint64_t handle;
	uint64_t offset;
	uint64_t count;
	uint64_t window;     /* READ/WRITE: fat32d's address of the data */
};

struct fsp_reply {
	uint32_t magic;
	uint32_t op;
	int32_t status;      /* 0 or -errno */
	uint32_t len;        /* data bytes after this header */
	uint64_t id;
	uint64_t value;
};

struct fsp_stat {
	uint64_t size;
	int64_t mtime, ctime;
	uint32_t is_dir, attr;
};

struct fsp_dirent {
	uint64_t size;
	uint32_t is_dir;
	char name[256];
};

struct fsp_statfs {
	uint64_t block_size, total_blocks, free_blocks;
};

#endif
