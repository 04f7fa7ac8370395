/* Internal to lib/posix, the system layer under newlib: how POSIX calls
 * reach Tsubame's system calls. Compiled against newlib's headers, so
 * errno names here are newlib's; the kernel's codes are translated by
 * posix_errno(). */
#ifndef TSUBAME_POSIX_H
#define TSUBAME_POSIX_H

#include <stddef.h>

#include "tsubame/syscall.h"

long __syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#define SYS0(n) __syscall((n), 0, 0, 0, 0, 0, 0)
#define SYS1(n, a) __syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) __syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c) __syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The newlib errno for a kernel error code (its negation, -ENOENT -> 2). */
int posix_errno(long kernel_err);
/* A kernel result as POSIX wants it: r itself if >= 0, else errno set and -1. */
long posix_ret(long r);
/* errno = e, -1. */
int posix_fail(int e);

/* Descriptors 0, 1 and 2 are the console; a kernel file handle h is
 * descriptor h + POSIX_FD_BASE. (Until the kernel gives every process
 * descriptors 0..2 of its own: issue 16, stage 2.) */
#define POSIX_FD_BASE 3
#define POSIX_FD_IS_CONSOLE(fd) ((fd) >= 0 && (fd) < POSIX_FD_BASE)

/* path made absolute (the kernel takes only absolute paths) into buf of
 * TSB_PATH_MAX bytes: relative ones are taken from the current directory,
 * $PWD if it is absolute, else "/". NULL with errno set if too long. */
const char *posix_path(const char *path, char *buf);

#endif
