/* Mount table, path resolution and open files. Every call into a file
 * system holds that mount's mutex, so file systems need no locking of
 * their own (lib/fat32 is single-threaded by design). */
#include "kernel/vfs.h"

#include <string.h>

#include "kernel/heap.h"
#include "kernel/printk.h"
#include "path/path.h"
#include "tsubame/errno.h"

int vfs_normalize(const char *in, char *out, size_t size)
{
	return path_normalize(in, out, size);
}

struct mount {
	bool used;
	char path[64];
	size_t len;
	const struct fs_ops *ops;
	void *fs;
	unsigned generation;
	struct mutex lock;
};

static struct mount mounts[VFS_MAX_MOUNTS];
static struct mutex table_lock = { NULL, { LIST_INIT(table_lock.waiters.waiters) } };

static struct mount *find_exact(const char *path)
{
	for (int i = 0; i < VFS_MAX_MOUNTS; i++)
		if (mounts[i].used && strcmp(mounts[i].path, path) == 0)
			return &mounts[i];
	return NULL;
}

int vfs_mount(const char *path, const struct fs_ops *ops, void *fs)
{
	char norm[64];
	int err = vfs_normalize(path, norm, sizeof norm);

	if (err)
		return err;
	mutex_lock(&table_lock);
	struct mount *m = find_exact(norm), *slot = NULL;
	for (int i = 0; i < VFS_MAX_MOUNTS && !slot; i++)
		if (!mounts[i].used)
			slot = &mounts[i];
	if (m || !slot) {
		mutex_unlock(&table_lock);
		return m ? -EBUSY : -ENOSPC;
	}
	strlcpy(slot->path, norm, sizeof slot->path);
	slot->len = strcmp(norm, "/") == 0 ? 0 : strlen(norm);
	slot->ops = ops;
	slot->fs = fs;
	slot->generation = 1;
	mutex_init(&slot->lock);
	slot->used = true;
	mutex_unlock(&table_lock);
	kprintf("vfs: mounted %s (%s)\n", norm, ops->name);
	return 0;
}

int vfs_remount(const char *path, const struct fs_ops *ops, void *fs, void **old_fs)
{
	char norm[64];
	int err = vfs_normalize(path, norm, sizeof norm);

	if (err)
		return err;
	mutex_lock(&table_lock);
	struct mount *m = find_exact(norm);
	if (!m) {
		mutex_unlock(&table_lock);
		return -ENOENT;
	}
	/* Waiting for the mount's lock means no call is inside the old file
	 * system when we swap; callers after us see only the new one. */
	mutex_lock(&m->lock);
	if (old_fs)
		*old_fs = m->fs;
	m->ops = ops;
	m->fs = fs;
	m->generation++;
	mutex_unlock(&m->lock);
	mutex_unlock(&table_lock);
	kprintf("vfs: %s now served by %s\n", norm, ops->name);
	return 0;
}

int vfs_unmount(const char *path)
{
	char norm[64];
	int err = vfs_normalize(path, norm, sizeof norm);

	if (err)
		return err;
	mutex_lock(&table_lock);
	struct mount *m = find_exact(norm);
	if (m) {
		mutex_lock(&m->lock);
		if (m->ops->flush)
			m->ops->flush(m->fs);
		m->used = false;
		mutex_unlock(&m->lock);
	}
	mutex_unlock(&table_lock);
	return m ? 0 : -ENOENT;
}

/* Normalises `path` into `norm` and finds the mount with the longest
 * matching prefix; *rel points into norm at the path inside that mount. */
static int resolve(const char *path, char *norm, struct mount **mp, const char **rel)
{
	int err = vfs_normalize(path, norm, VFS_PATH_MAX);
	struct mount *best = NULL;

	if (err)
		return err;
	mutex_lock(&table_lock);
	for (int i = 0; i < VFS_MAX_MOUNTS; i++) {
		struct mount *m = &mounts[i];
		if (!m->used || (best && m->len <= best->len))
			continue;
		if (m->len == 0 || (strncmp(norm, m->path, m->len) == 0 &&
				    (norm[m->len] == '/' || norm[m->len] == '\0')))
			best = m;
	}
	mutex_unlock(&table_lock);
	if (!best)
		return -ENOENT;
	*mp = best;
	*rel = norm + best->len;
	while (**rel == '/')
		(*rel)++;
	return 0;
}

static bool is_mount_point(const char *norm)
{
	mutex_lock(&table_lock);
	bool found = find_exact(norm) != NULL;
	mutex_unlock(&table_lock);
	return found;
}

int vfs_open(const char *path, int flags, struct vfs_file **out)
{
	struct vfs_stat st;
	return vfs_open_stat(path, flags, out, &st, NULL);
}

int vfs_open_stat(const char *path, int flags, struct vfs_file **out, struct vfs_stat *stp,
		  struct vfs_head *head)
{
	char *norm = kmalloc(VFS_PATH_MAX);
	struct vfs_file *f = kzalloc(sizeof *f);
	struct mount *m;
	const char *rel;
	int err;

	if (!norm || !f) {
		err = -ENOMEM;
		goto out;
	}
	if (!(flags & (VFS_O_READ | VFS_O_WRITE)))
		flags |= VFS_O_READ;
	err = resolve(path, norm, &m, &rel);
	if (err)
		goto out;
	mutex_lock(&m->lock);
	void *node = NULL;
	struct vfs_stat st;
	if (head && head->max > VFS_HEAD_MAX)
		head->max = VFS_HEAD_MAX;
	err = m->ops->open(m->fs, rel, &node, &st, head);
	if (err == -ENOENT && (flags & VFS_O_CREATE)) {
		err = m->ops->create ? m->ops->create(m->fs, rel) : -EROFS;
		if (!err)
			err = m->ops->open(m->fs, rel, &node, &st, head);
	} else if (!err && (flags & VFS_O_CREATE) && (flags & VFS_O_EXCL)) {
		m->ops->close(m->fs, node);
		node = NULL;
		err = -EEXIST;
	}
	if (!err) {
		if ((flags & VFS_O_WRITE) && !m->ops->write)
			err = -EROFS; /* a read-only file system */
		else if (st.is_dir && (flags & VFS_O_WRITE))
			err = -EISDIR;
		else if (!st.is_dir && (flags & VFS_O_DIR))
			err = -ENOTDIR;
		else if (!st.is_dir && (flags & VFS_O_TRUNC) && (flags & VFS_O_WRITE))
			err = m->ops->truncate(m->fs, node, 0);
		st.size = (flags & VFS_O_TRUNC) && (flags & VFS_O_WRITE) && !st.is_dir ? 0 : st.size;
	}
	if (err && node)
		m->ops->close(m->fs, node);
	if (!err) {
		f->mount = m;
		f->generation = m->generation;
		f->node = node;
		f->flags = flags;
		f->is_dir = st.is_dir;
		f->path = kmalloc(strlen(rel) + 1);
		if (f->path)
			strlcpy(f->path, rel, strlen(rel) + 1);
		if (st.is_dir) {
			f->dir_path = norm; /* kept: readdir lists mount points inside */
			norm = NULL;
		}
		*out = f;
		*stp = st;
		f = NULL;
	}
	mutex_unlock(&m->lock);
out:
	kfree(norm);
	kfree(f);
	return err;
}

/* Locks the file's mount. If the file system behind the mount was replaced
 * since the open (the fat32d handoff, or the fallback when fat32d dies),
 * the file is opened again by path on the new one, so open files carry on
 * across the switch; -ESTALE only if it no longer exists there. */
static int lock_file(struct vfs_file *f)
{
	if (!f || !f->mount)
		return -EBADF;
	mutex_lock(&f->mount->lock);
	if (f->generation != f->mount->generation) {
		void *node;
		struct vfs_stat st;
		if (!f->path || f->mount->ops->open(f->mount->fs, f->path, &node, &st, NULL) != 0) {
			mutex_unlock(&f->mount->lock);
			return -ESTALE;
		}
		kfree(f->node); /* the old instance is gone: its node is plain memory */
		f->node = node;
		f->generation = f->mount->generation;
	}
	return 0;
}

int vfs_close(struct vfs_file *f)
{
	if (!f)
		return -EBADF;
	int err = 0;
	if (f->generation != f->mount->generation) {
		kfree(f->node); /* its file system is gone: nothing to close */
	} else if (lock_file(f) == 0) {
		/* A file written through this handle is on the disk once close
		 * returns. */
		if ((f->flags & VFS_O_WRITE) && f->mount->ops->flush)
			err = f->mount->ops->flush(f->mount->fs);
		f->mount->ops->close(f->mount->fs, f->node);
		mutex_unlock(&f->mount->lock);
	}
	kfree(f->dir_path);
	kfree(f->path);
	kfree(f);
	return err;
}

int64_t vfs_pread(struct vfs_file *f, uint64_t off, void *buf, size_t len)
{
	int err = lock_file(f);

	if (err)
		return err;
	int64_t n = f->is_dir ? -EISDIR
		  : !(f->flags & VFS_O_READ) ? -EBADF
		  : f->mount->ops->read(f->mount->fs, f->node, off, buf, len);
	mutex_unlock(&f->mount->lock);
	return n;
}

int64_t vfs_pwrite(struct vfs_file *f, uint64_t off, const void *buf, size_t len)
{
	int err = lock_file(f);

	if (err)
		return err;
	int64_t n = !(f->flags & VFS_O_WRITE) ? -EBADF
		  : !f->mount->ops->write ? -EROFS
		  : f->mount->ops->write(f->mount->fs, f->node, off, buf, len);
	mutex_unlock(&f->mount->lock);
	return n;
}

int64_t vfs_read(struct vfs_file *f, void *buf, size_t len)
{
	int64_t n = vfs_pread(f, f ? f->pos : 0, buf, len);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

int64_t vfs_write(struct vfs_file *f, const void *buf, size_t len)
{
	if (f && (f->flags & VFS_O_APPEND)) {
		struct vfs_stat st;
		int err = vfs_fstat(f, &st);
		if (err)
			return err;
		f->pos = st.size;
	}
	int64_t n = vfs_pwrite(f, f ? f->pos : 0, buf, len);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

int64_t vfs_seek(struct vfs_file *f, int64_t off, int whence)
{
	struct vfs_stat st;
	int64_t base;

	if (!f)
		return -EBADF;
	switch (whence) {
	case VFS_SEEK_SET: base = 0; break;
	case VFS_SEEK_CUR: base = (int64_t)f->pos; break;
	case VFS_SEEK_END: {
		int err = vfs_fstat(f, &st);
		if (err)
			return err;
		base = (int64_t)st.size;
		break;
	}
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

int vfs_fstat(struct vfs_file *f, struct vfs_stat *st)
{
	int err = lock_file(f);

	if (err)
		return err;
	err = f->mount->ops->stat(f->mount->fs, f->node, st);
	mutex_unlock(&f->mount->lock);
	return err;
}

int vfs_ftruncate(struct vfs_file *f, uint64_t size)
{
	int err = lock_file(f);

	if (err)
		return err;
	err = f->is_dir ? -EISDIR
	    : !(f->flags & VFS_O_WRITE) ? -EBADF
	    : f->mount->ops->truncate(f->mount->fs, f->node, size);
	mutex_unlock(&f->mount->lock);
	return err;
}

/* A mount point directly inside the directory `dir` (e.g. "host" in "/"),
 * starting at table slot *cursor. */
static int next_child_mount(const char *dir, int *cursor, struct vfs_dirent *out)
{
	size_t dlen = strcmp(dir, "/") == 0 ? 0 : strlen(dir);

	mutex_lock(&table_lock);
	for (; *cursor < VFS_MAX_MOUNTS; (*cursor)++) {
		struct mount *m = &mounts[*cursor];
		const char *name = m->path + dlen + 1;
		if (!m->used || m->len <= dlen || strncmp(m->path, dir, dlen) != 0 ||
		    m->path[dlen] != '/' || strchr(name, '/'))
			continue;
		strlcpy(out->name, name, sizeof out->name);
		out->is_dir = true;
		out->size = 0;
		(*cursor)++;
		mutex_unlock(&table_lock);
		return 1;
	}
	mutex_unlock(&table_lock);
	return 0;
}

int vfs_readdir(struct vfs_file *f, struct vfs_dirent *out)
{
	int err = lock_file(f);

	if (err)
		return err;
	if (!f->is_dir)
		err = -ENOTDIR;
	else if (f->mount_cursor == 0)
		err = f->mount->ops->readdir(f->mount->fs, f->node, &f->dir_cookie, out);
	mutex_unlock(&f->mount->lock);
	if (err == 0) { /* the file system's own entries are done */
		if (f->mount_cursor == 0)
			f->mount_cursor = 1; /* slot numbers are offset by one */
		int slot = f->mount_cursor - 1;
		err = next_child_mount(f->dir_path, &slot, out);
		f->mount_cursor = slot + 1;
	}
	return err;
}

int vfs_stat(const char *path, struct vfs_stat *st)
{
	struct vfs_file *f;
	int err = vfs_open(path, VFS_O_READ, &f);

	if (err)
		return err;
	err = vfs_fstat(f, st);
	vfs_close(f);
	return err;
}

enum path_op { OP_MKDIR, OP_RMDIR, OP_UNLINK };

/* mkdir, rmdir and unlink: resolve, refuse mount points and mount roots,
 * and call the owning file system under its lock. */
static int path_op(const char *path, enum path_op op)
{
	char *norm = kmalloc(VFS_PATH_MAX);
	struct mount *m;
	const char *rel;

	if (!norm)
		return -ENOMEM;
	int err = resolve(path, norm, &m, &rel);
	if (!err && (is_mount_point(norm) || *rel == '\0'))
		err = -EBUSY;
	if (!err) {
		mutex_lock(&m->lock);
		int (*fn)(void *, const char *) = op == OP_MKDIR ? m->ops->mkdir
						 : op == OP_RMDIR ? m->ops->rmdir
						 : m->ops->unlink;
		err = fn ? fn(m->fs, rel) : -EROFS;
		mutex_unlock(&m->lock);
	}
	kfree(norm);
	return err;
}

int vfs_mkdir(const char *path)
{
	return path_op(path, OP_MKDIR);
}

int vfs_rmdir(const char *path)
{
	return path_op(path, OP_RMDIR);
}

int vfs_unlink(const char *path)
{
	return path_op(path, OP_UNLINK);
}

int vfs_rename(const char *from, const char *to)
{
	char *a = kmalloc(VFS_PATH_MAX), *b = kmalloc(VFS_PATH_MAX);
	struct mount *ma, *mb;
	const char *ra, *rb;
	int err = (!a || !b) ? -ENOMEM : resolve(from, a, &ma, &ra);

	if (!err)
		err = resolve(to, b, &mb, &rb);
	if (!err && (is_mount_point(a) || is_mount_point(b) || !*ra || !*rb))
		err = -EBUSY;
	if (!err && ma != mb)
		err = -EXDEV;
	if (!err) {
		mutex_lock(&ma->lock);
		err = ma->ops->rename ? ma->ops->rename(ma->fs, ra, rb) : -EROFS;
		mutex_unlock(&ma->lock);
	}
	kfree(a);
	kfree(b);
	return err;
}

int vfs_statfs(const char *path, struct vfs_statfs *st)
{
	char *norm = kmalloc(VFS_PATH_MAX);
	struct mount *m;
	const char *rel;
	int err = norm ? resolve(path, norm, &m, &rel) : -ENOMEM;

	if (!err) {
		mutex_lock(&m->lock);
		err = m->ops->statfs ? m->ops->statfs(m->fs, st) : -ENOSYS;
		mutex_unlock(&m->lock);
	}
	kfree(norm);
	return err;
}

int vfs_sync(void)
{
	int first_err = 0;

	for (int i = 0; i < VFS_MAX_MOUNTS; i++) {
		struct mount *m = &mounts[i];
		if (!m->used || !m->ops->flush)
			continue;
		mutex_lock(&m->lock);
		int err = m->ops->flush(m->fs);
		mutex_unlock(&m->lock);
		if (err && !first_err)
			first_err = err;
	}
	return first_err;
}
