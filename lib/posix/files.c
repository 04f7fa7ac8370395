/* Files and the console under newlib: the system calls its stdio and
 * POSIX functions end in (_open, _read, ...; newlib's internals call these
 * names on riscv64 and the plain ones, open, read, ..., on x86_64, so
 * both are defined: the plain ones as weak aliases that a definition in
 * newlib itself replaces). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix.h"

#define ALIAS(name) __attribute__((weak, alias(#name)))
/* read and write return _READ_WRITE_RETURN_TYPE: int on x86_64's newlib,
 * ssize_t on riscv64's. */

const char *posix_path(const char *path, char *buf)
{
	if (!path)
		return errno = EFAULT, NULL;
	if (path[0] == '/')
		return path;
	if (path[0] == '\0')
		return errno = ENOENT, NULL;
	const char *cwd = getenv("PWD");
	if (!cwd || cwd[0] != '/')
		cwd = "/";
	size_t n = strlen(cwd), m = strlen(path);
	if (n + 1 + m + 1 > TSB_PATH_MAX)
		return errno = ENAMETOOLONG, NULL;
	memcpy(buf, cwd, n);
	buf[n] = '/';
	memcpy(buf + n + 1, path, m + 1);
	return buf;
}

/* A descriptor's kernel handle; -1 with EBADF for the console or none. */
static long handle(int fd)
{
	if (fd < POSIX_FD_BASE || fd >= POSIX_FD_BASE + TSB_FD_MAX)
		return posix_fail(EBADF);
	return fd - POSIX_FD_BASE;
}

static unsigned open_flags(int flags)
{
	unsigned f = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY: f = TSB_O_READ; break;
	case O_WRONLY: f = TSB_O_WRITE; break;
	default: f = TSB_O_RDWR; break;
	}
	if (flags & O_CREAT)
		f |= TSB_O_CREATE;
	if (flags & O_TRUNC)
		f |= TSB_O_TRUNC;
	if (flags & O_APPEND)
		f |= TSB_O_APPEND;
	if (flags & O_EXCL)
		f |= TSB_O_EXCL;
	return f;
}

int _open(const char *path, int flags, ...)
{
	char buf[TSB_PATH_MAX];
	const char *p = posix_path(path, buf);

	if (!p)
		return -1;
	long h = posix_ret(SYS2(SYS_OPEN, p, open_flags(flags)));
	return h < 0 ? -1 : (int)(h + POSIX_FD_BASE);
}
int open(const char *path, int flags, ...) ALIAS(_open);

int _close(int fd)
{
	if (POSIX_FD_IS_CONSOLE(fd))
		return 0; /* the console stays; stdio closes it at exit */
	long h = handle(fd);
	return h < 0 ? -1 : (int)posix_ret(SYS1(SYS_CLOSE, h));
}
int close(int fd) ALIAS(_close);

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t len)
{
	if (fd == STDIN_FILENO)
		return posix_ret(SYS3(SYS_CONSOLE_READ, buf, len, TSB_FOREVER));
	long h = handle(fd);
	return h < 0 ? -1 : posix_ret(SYS3(SYS_READ, h, buf, len));
}
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len) ALIAS(_read);

_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t len)
{
	if (fd == STDOUT_FILENO || fd == STDERR_FILENO)
		return posix_ret(SYS2(SYS_CONSOLE_WRITE, buf, len));
	long h = handle(fd);
	return h < 0 ? -1 : posix_ret(SYS3(SYS_WRITE, h, buf, len));
}
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len) ALIAS(_write);

off_t _lseek(int fd, off_t off, int whence)
{
	if (POSIX_FD_IS_CONSOLE(fd))
		return posix_fail(ESPIPE);
	long h = handle(fd);
	return h < 0 ? -1 : posix_ret(SYS3(SYS_SEEK, h, off, whence));
}
off_t lseek(int fd, off_t off, int whence) ALIAS(_lseek);

static void to_stat(const struct tsb_stat *t, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = t->is_dir ? S_IFDIR | 0755 : S_IFREG | 0644;
	st->st_nlink = 1;
	st->st_size = (off_t)t->size;
	st->st_blksize = 512;
	st->st_blocks = (blkcnt_t)((t->size + 511) / 512);
	st->st_mtime = (time_t)t->mtime;
	st->st_ctime = (time_t)t->ctime;
	st->st_atime = (time_t)t->mtime;
}

int _fstat(int fd, struct stat *st)
{
	struct tsb_stat t;

	if (POSIX_FD_IS_CONSOLE(fd)) {
		memset(st, 0, sizeof *st);
		st->st_mode = S_IFCHR | 0620; /* a terminal: stdio line-buffers it */
		st->st_nlink = 1;
		return 0;
	}
	long h = handle(fd);
	if (h < 0 || posix_ret(SYS2(SYS_FSTAT, h, &t)) < 0)
		return -1;
	to_stat(&t, st);
	return 0;
}
int fstat(int fd, struct stat *st) ALIAS(_fstat);

int _stat(const char *path, struct stat *st)
{
	char buf[TSB_PATH_MAX];
	const char *p = posix_path(path, buf);
	struct tsb_stat t;

	if (!p || posix_ret(SYS2(SYS_STAT, p, &t)) < 0)
		return -1;
	to_stat(&t, st);
	return 0;
}
int stat(const char *path, struct stat *st) ALIAS(_stat);

int _isatty(int fd)
{
	if (POSIX_FD_IS_CONSOLE(fd))
		return 1;
	return handle(fd) < 0 ? 0 : (errno = ENOTTY, 0);
}
int isatty(int fd) ALIAS(_isatty);

int _unlink(const char *path)
{
	char buf[TSB_PATH_MAX];
	const char *p = posix_path(path, buf);
	return p ? (int)posix_ret(SYS1(SYS_UNLINK, p)) : -1;
}
int unlink(const char *path) ALIAS(_unlink);

/* newlib is built with HAVE_RENAME, so rename() ends here rather than in
 * link + unlink (FAT32 has no hard links). */
int _rename(const char *from, const char *to)
{
	char b1[TSB_PATH_MAX], b2[TSB_PATH_MAX];
	const char *p1 = posix_path(from, b1), *p2 = p1 ? posix_path(to, b2) : NULL;
	return p1 && p2 ? (int)posix_ret(SYS2(SYS_RENAME, p1, p2)) : -1;
}

int _link(const char *from, const char *to)
{
	(void)from;
	(void)to;
	return posix_fail(EPERM); /* FAT32 has no hard links (Linux says EPERM too) */
}
int link(const char *from, const char *to) ALIAS(_link);

int _mkdir(const char *path, mode_t mode)
{
	char buf[TSB_PATH_MAX];
	const char *p = posix_path(path, buf);
	(void)mode;
	return p ? (int)posix_ret(SYS1(SYS_MKDIR, p)) : -1;
}
int mkdir(const char *path, mode_t mode) ALIAS(_mkdir);

int _fcntl(int fd, int cmd, ...)
{
	(void)fd;
	(void)cmd;
	return posix_fail(ENOSYS);
}
int fcntl(int fd, int cmd, ...) ALIAS(_fcntl);
