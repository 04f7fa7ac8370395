/* Error numbers to words, so every failure reaches the user as a sentence. */
#include "tsubame.h"

const char *strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0: return "success";
	case EPERM: return "operation not permitted";
	case ENOENT: return "no such file or directory";
	case ESRCH: return "no such process";
	case EINTR: return "interrupted";
	case EIO: return "input/output error";
	case E2BIG: return "argument list too long";
	case ENOEXEC: return "not an executable";
	case EBADF: return "bad file handle";
	case ECHILD: return "no child processes";
	case EAGAIN: return "try again";
	case ENOMEM: return "out of memory";
	case EACCES: return "permission denied";
	case EFAULT: return "bad address";
	case EBUSY: return "device or resource busy";
	case EEXIST: return "file exists";
	case EXDEV: return "cross-device link";
	case ENODEV: return "no such device";
	case ENOTDIR: return "not a directory";
	case EISDIR: return "is a directory";
	case EINVAL: return "invalid argument";
	case EMFILE: return "too many open files";
	case EFBIG: return "file too large";
	case ENOSPC: return "no space left on device";
	case EROFS: return "read-only file system";
	case ERANGE: return "out of range";
	case EDEADLK: return "would deadlock";
	case ENAMETOOLONG: return "file name too long";
	case ENOSYS: return "function not implemented";
	case ENOTEMPTY: return "directory not empty";
	case ENOTCONN: return "not connected";
	case ETIMEDOUT: return "timed out";
	case EPROTO: return "protocol error";
	case EMSGSIZE: return "message too long";
	case ENOTSUP: return "not supported";
	case ESTALE: return "stale file handle";
	case EUCLEAN: return "file system needs cleaning (corrupt)";
	case EMEDIUMTYPE: return "not a FAT32 volume";
	case EOWNERDEAD: return "the serving process died";
	case EPIPE: return "broken pipe (the connection is closed)";
	case EADDRINUSE: return "address already in use";
	case ENETDOWN: return "network is down (no address yet, or netd is not running)";
	case ENETUNREACH: return "network is unreachable";
	case ECONNRESET: return "connection reset by peer";
	case ENOBUFS: return "no buffer space available";
	case ECONNREFUSED: return "connection refused";
	case EHOSTUNREACH: return "no route to host";
	case EALREADY: return "operation already in progress";
	case ENODATA: return "no data (the name has no address)";
	case ECANCELED: return "operation canceled";
	default: return "unknown error";
	}
}
