/* File system calls: per-process handles over the VFS. Data moves through
 * a bounded kernel buffer, in chunks, so a large read or write costs no
 * more kernel memory than a small one. */
#include <stdbool.h>
#include <string.h>

#include "kernel/fsproxy.h"
#include "tsubame/fsproto.h"
#include "kernel/heap.h"
#include "kernel/pipe.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

#define IO_CHUNK (1024u * 1024) /* the most a bounce buffer takes from the kernel heap */

/* A bounce buffer of up to IO_CHUNK bytes; smaller if the heap is tight
 * or fragmented. *size gets what was allocated. */
static char *io_buffer(size_t want, size_t *size)
{
	for (size_t n = want < IO_CHUNK ? (want ? want : 1) : IO_CHUNK;; n /= 4) {
		char *b = kmalloc(n);
		if (b || n <= PAGE_SIZE) {
			*size = n;
			return b;
		}
	}
}

static struct vfs_file *file_of(sysarg_t fd)
{
	struct process *p = process_current();
	return fd < TSB_FD_MAX ? p->files[fd] : NULL;
}

static struct pipe_end *pipe_of(sysarg_t fd)
{
	struct process *p = process_current();
	return fd < TSB_FD_MAX ? p->pipes[fd] : NULL;
}

/* The error for a file-only call on fd: a pipe cannot seek or truncate. */
static long not_a_file(sysarg_t fd)
{
	return pipe_of(fd) ? -ESPIPE : -EBADF;
}

/* Runs op on a kernel copy of a user path. */
static long with_path(sysarg_t upath, long (*op)(const char *path, sysarg_t arg), sysarg_t arg)
{
	char *path;
	int err = strdup_from_user(upath, TSB_PATH_MAX, &path);

	if (err)
		return err;
	long r = op(path, arg);
	kfree(path);
	return r;
}

static long do_open(const char *path, sysarg_t flags)
{
	struct process *p = process_current();
	struct vfs_file *f;
	int fd = process_fd_alloc(p);

	if (fd < 0)
		return fd;
	if (flags & ~(sysarg_t)0x7f)
		return -EINVAL;
	/* TSB_O_* and VFS_O_* share their values. */
	int err = vfs_open(path, (int)flags, &f);
	if (err)
		return err;
	p->files[fd] = f;
	return fd;
}

SYSCALL(open)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	return with_path(a0, do_open, a1);
}

SYSCALL(close)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	return a0 < TSB_FD_MAX ? process_fd_close(process_current(), (int)a0) : -EBADF;
}

/* The kernel's direct-map address of user memory at u, when the pages
 * under [u, u + *n) are physically contiguous for at least DIRECT_MIN
 * bytes (or all of *n): then the file system reads into or writes from
 * them in place, and a virtio request DMAs straight to the user's pages,
 * with no copy at all. *n shrinks to the contiguous run. NULL: use the
 * bounce buffer. The pages cannot go away meanwhile: the range was
 * checked, and the process's only thread is the one in this call. */
#define DIRECT_MIN (64u * 1024)
static void *user_direct(uintptr_t u, size_t *n)
{
	size_t want = *n;
	void *k = as_direct(process_current()->as, u, n);

	return k && (*n == want || *n >= DIRECT_MIN) ? k : NULL;
}

/* read and write: in place where the user's pages are contiguous (see
 * user_direct), else through a bounce buffer, a chunk at a time. Returns
 * the bytes moved, or the error if nothing moved. */
static long file_io(sysarg_t fd, sysarg_t ubuf, sysarg_t len, bool to_file)
{
	struct pipe_end *pe = pipe_of(fd);
	if (pe)
		return to_file ? pipe_write_user(pe, ubuf, len) : pipe_read_user(pe, ubuf, len, TSB_FOREVER);
	struct vfs_file *f = file_of(fd);
	if (!f)
		return -EBADF;
	if (!as_check(process_current()->as, ubuf, len, to_file ? TSB_PROT_READ : TSB_PROT_WRITE))
		return -EFAULT;
	size_t chunk = 0;
	char *bounce = NULL;
	long done = 0;
	while ((sysarg_t)done < len) {
		/* up to one fat32d request in place, or a bounce buffer's worth */
		size_t n = len - (sysarg_t)done < FSP_MAX_DATA ? len - (sysarg_t)done : FSP_MAX_DATA;
		sysarg_t u = ubuf + (sysarg_t)done;
		void *direct = user_direct(u, &n);
		int64_t moved;
		if (direct)
			moved = to_file ? vfs_write(f, direct, n) : vfs_read(f, direct, n);
		else if (!bounce && !(bounce = io_buffer(len - (sysarg_t)done, &chunk)))
			moved = -ENOMEM;
		else if ((n = n < chunk ? n : chunk), to_file)
			moved = copy_from_user(bounce, u, n) != 0 ? -EFAULT : vfs_write(f, bounce, n);
		else if ((moved = vfs_read(f, bounce, n)) > 0 && copy_to_user(u, bounce, (size_t)moved) != 0)
			moved = -EFAULT;
		if (moved < 0) {
			done = done ? done : moved;
			break;
		}
		done += moved;
		if ((size_t)moved < n)
			break; /* end of file, or the file system took less */
	}
	kfree(bounce);
	return done;
}

SYSCALL(read)
{
	UNUSED_ARGS(a3, a4, a5);
	return file_io(a0, a1, a2, false);
}

SYSCALL(write)
{
	UNUSED_ARGS(a3, a4, a5);
	return file_io(a0, a1, a2, true);
}

SYSCALL(readdir)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	struct vfs_file *f = file_of(a0);
	struct vfs_dirent *d = kmalloc(sizeof *d);
	struct tsb_dirent *out = kzalloc(sizeof *out);
	long r = !f ? -EBADF : (!d || !out) ? -ENOMEM : vfs_readdir(f, d);

	if (r == 1) {
		strlcpy(out->name, d->name, sizeof out->name);
		out->size = d->size;
		out->is_dir = d->is_dir;
		if (copy_to_user(a1, out, sizeof *out) != 0)
			r = -EFAULT;
	}
	kfree(d);
	kfree(out);
	return r;
}

static long put_stat(const struct vfs_stat *st, sysarg_t ubuf)
{
	struct tsb_stat s = { .size = st->size, .mtime = st->mtime, .ctime = st->ctime,
			      .is_dir = st->is_dir, .attr = st->attr };
	return copy_to_user(ubuf, &s, sizeof s);
}

SYSCALL(fstat)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	struct vfs_file *f = file_of(a0);
	struct pipe_end *pe = pipe_of(a0);
	struct vfs_stat st = { 0 };
	if (pe) {
		st.size = pipe_available(pe); /* what a read would get now */
		return put_stat(&st, a1);
	}
	if (!f)
		return -EBADF;
	int err = vfs_fstat(f, &st);
	return err ? err : put_stat(&st, a1);
}

static long do_stat(const char *path, sysarg_t ubuf)
{
	struct vfs_stat st;
	int err = vfs_stat(path, &st);
	return err ? err : put_stat(&st, ubuf);
}

SYSCALL(stat)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	return with_path(a0, do_stat, a1);
}

SYSCALL(seek)
{
	UNUSED_ARGS(a3, a4, a5);
	struct vfs_file *f = file_of(a0);
	return f ? vfs_seek(f, (int64_t)a1, (int)a2) : not_a_file(a0);
}

SYSCALL(ftruncate)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	struct vfs_file *f = file_of(a0);
	return f ? vfs_ftruncate(f, a1) : not_a_file(a0);
}

static long do_unlink(const char *path, sysarg_t unused) { (void)unused; return vfs_unlink(path); }
static long do_mkdir(const char *path, sysarg_t unused) { (void)unused; return vfs_mkdir(path); }
static long do_rmdir(const char *path, sysarg_t unused) { (void)unused; return vfs_rmdir(path); }

static long do_statfs(const char *path, sysarg_t ubuf)
{
	struct vfs_statfs st;
	int err = vfs_statfs(path, &st);
	if (err)
		return err;
	struct tsb_statfs s = { st.block_size, st.total_blocks, st.free_blocks };
	return copy_to_user(ubuf, &s, sizeof s);
}

SYSCALL(unlink) { UNUSED_ARGS(a1, a2, a3, a4, a5); return with_path(a0, do_unlink, 0); }
SYSCALL(mkdir) { UNUSED_ARGS(a1, a2, a3, a4, a5); return with_path(a0, do_mkdir, 0); }
SYSCALL(rmdir) { UNUSED_ARGS(a1, a2, a3, a4, a5); return with_path(a0, do_rmdir, 0); }
SYSCALL(statfs) { UNUSED_ARGS(a2, a3, a4, a5); return with_path(a0, do_statfs, a1); }

SYSCALL(rename)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	char *from, *to;
	int err = strdup_from_user(a0, TSB_PATH_MAX, &from);
	if (err)
		return err;
	err = strdup_from_user(a1, TSB_PATH_MAX, &to);
	if (!err) {
		err = vfs_rename(from, to);
		kfree(to);
	}
	kfree(from);
	return err;
}

SYSCALL(fs_register)
{
	UNUSED_ARGS(a0, a1, a2, a3, a4, a5);
	struct process *p = process_current();
	if (!(p->authority & TSB_AUTH_FS))
		return -EPERM;
	return fsproxy_register(p->pid);
}

SYSCALL(fs_info)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	struct tsb_fsinfo info = { .server_pid = fsproxy_server(), .requests_served = fsproxy_served() };
	return copy_to_user(a0, &info, sizeof info);
}
