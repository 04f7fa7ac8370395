/* Error codes shared by the kernel, the libraries and user programs.
 * Every failing call returns the negative of one of these; each cause has its
 * own code so that a user sees what actually went wrong. Numbers follow Linux
 * so that they read familiar in a debugger. */
#ifndef TSUBAME_ERRNO_H
#define TSUBAME_ERRNO_H

#define EPERM         1   /* operation not permitted (missing authority) */
#define ENOENT        2   /* no such file or directory */
#define ESRCH         3   /* no such process */
#define EINTR         4   /* interrupted */
#define EIO           5   /* I/O error (device reported failure) */
#define ENXIO         6   /* no such device or address */
#define E2BIG         7   /* argument list too long */
#define ENOEXEC       8   /* exec format error */
#define EBADF         9   /* bad file handle */
#define ECHILD       10   /* no child processes */
#define EAGAIN       11   /* try again / would block */
#define ENOMEM       12   /* out of memory */
#define EACCES       13   /* permission denied */
#define EFAULT       14   /* bad address */
#define EBUSY        16   /* device or resource busy */
#define EEXIST       17   /* file exists */
#define EXDEV        18   /* cross-device link */
#define ENODEV       19   /* no such device */
#define ENOTDIR      20   /* not a directory */
#define EISDIR       21   /* is a directory */
#define EINVAL       22   /* invalid argument */
#define ENFILE       23   /* too many open files in system */
#define EMFILE       24   /* too many open files */
#define EFBIG        27   /* file too large */
#define ENOSPC       28   /* no space left on device */
#define ESPIPE       29   /* illegal seek */
#define EROFS        30   /* read-only file system */
#define EPIPE        32   /* broken pipe */
#define ERANGE       34   /* result out of range */
#define EDEADLK      35   /* deadlock would occur */
#define ENAMETOOLONG 36   /* file name too long */
#define ENOSYS       38   /* function not implemented */
#define ENOTEMPTY    39   /* directory not empty */
#define ELOOP        40   /* too many levels of symbolic links / nesting */
#define ENODATA      61   /* no data available */
#define ETIME        62   /* timer expired */
#define EPROTO       71   /* protocol error (malformed message) */
#define EBADMSG      74   /* bad message */
#define EOVERFLOW    75   /* value too large for defined data type */
#define EMSGSIZE     90   /* message too long */
#define ENOTSUP      95   /* operation not supported */
#define EADDRINUSE   98   /* address already in use */
#define ENETDOWN    100   /* network is down */
#define ENETUNREACH 101   /* network is unreachable */
#define ECONNRESET  104   /* connection reset by peer */
#define ENOBUFS     105   /* no buffer space available */
#define ENOTCONN    107   /* socket is not connected (e.g. a listening socket) */
#define ETIMEDOUT   110   /* timed out */
#define ECONNREFUSED 111  /* connection refused */
#define EHOSTUNREACH 113  /* no route to host */
#define EALREADY    114   /* operation already in progress */
#define ESTALE      116   /* stale file handle (its file system was replaced) */
#define EUCLEAN     117   /* structure needs cleaning (corrupt file system) */
#define EMEDIUMTYPE 124   /* wrong medium type (not a FAT32 volume) */
#define ECANCELED   125   /* operation canceled */
#define EOWNERDEAD  130   /* the server that owned the object died */

#endif
