/* The one system-call table, shared by the kernel (kernel/syscall/) and the
 * user C library (lib/libc/). Numbers are fixed once given (docs/HISTORY.md
 * says where the first ones came from).
 * Every call returns a value >= 0 on success or a negative errno.
 * Pointers are user addresses; strings are NUL-terminated. */
#ifndef TSUBAME_SYSCALL_H
#define TSUBAME_SYSCALL_H

#include <stdint.h>

/* Console */
#define SYS_CONSOLE_READ 0     /* (buf, len, timeout_ms) -> bytes, blocks for >= 1 */
#define SYS_CONSOLE_WRITE 1    /* (buf, len) -> bytes */
/* Processes */
#define SYS_WAITPID 7          /* (pid or -1, &status, flags) -> pid, 0 with WNOHANG */
#define SYS_STAT 11            /* (path, &struct tsb_stat) */
#define SYS_UNLINK 12          /* (path) */
#define SYS_MKDIR 15           /* (path) */
#define SYS_RMDIR 16           /* (path) */
#define SYS_STATFS 17          /* (path, &struct tsb_statfs) */
#define SYS_FS_REGISTER 18     /* () -> 0: take over / and /host (fs authority only) */
#define SYS_RENAME 19          /* (from, to) */
#define SYS_MEM_INFO 20        /* (&struct tsb_meminfo) */
#define SYS_PROC_LIST 21       /* (struct tsb_procinfo *, max) -> count */
#define SYS_PIPE 22            /* (int32_t fds[2]) -> 0: fds[0] reads, fds[1] writes */
#define SYS_POLL 23            /* (struct tsb_pollfd *, n, timeout_ms) -> number ready */
#define SYS_CLOCK_MONOTONIC 26 /* () -> ns */
#define SYS_CLOCK_REALTIME 27  /* (&uint64_t ns since 1970 UTC); -ENODEV without a clock */
#define SYS_MMAP 28            /* (hint, len, prot) -> addr */
#define SYS_MUNMAP 29          /* (addr, len) */
#define SYS_EXEC 30            /* (path, argv, envp): replaces the caller's image */
#define SYS_SPAWN 31           /* (path, argv, envp, &struct tsb_spawn_opts or 0) -> pid */
#define SYS_YIELD 32
#define SYS_SLEEP_MS 33        /* (ms) */
#define SYS_GETPID 35
#define SYS_KILL 36            /* (pid): parent or init only */
#define SYS_GETPPID 37
#define SYS_EXIT 60            /* (status 0..255), never returns */
#define SYS_BRK 61             /* (new end or 0) -> current end */
/* Files: per-process handles */
#define SYS_OPEN 70            /* (path, flags) -> fd */
#define SYS_READ 71            /* (fd, buf, len) -> bytes */
#define SYS_WRITE 72           /* (fd, buf, len) -> bytes */
#define SYS_CLOSE 73           /* (fd) */
#define SYS_READDIR 76         /* (fd, &struct tsb_dirent) -> 1, 0 at end */
#define SYS_FSTAT 77           /* (fd, &struct tsb_stat) */
#define SYS_SEEK 78            /* (fd, offset, whence) -> new offset */
#define SYS_FTRUNCATE 79       /* (fd, size) */
/* Raw Ethernet frames (network authority only: netd) */
#define SYS_NET_SEND_FRAME 45  /* (buf, len) */
#define SYS_NET_RECV_FRAME 46  /* (buf, len, timeout_ms) -> frame length; -EAGAIN as soon as an IPC message is queued */
#define SYS_NET_GET_MAC 47     /* (buf of 6 bytes) */
/* Raw block devices (block authority only) */
#define SYS_BLOCK_READ 80      /* (dev, lba, count, buf) */
#define SYS_BLOCK_WRITE 81     /* (dev, lba, count, buf) */
#define SYS_BLOCK_FLUSH 82     /* (dev) */
#define SYS_BLOCK_INFO 83      /* (dev, &struct tsb_blockinfo) */
/* IPC (docs/ARCHITECTURE.md, "IPC") */
#define SYS_IPC_CANCEL 88      /* (ticket): give up a call; its token dies */
#define SYS_IPC_ACCEPT 89      /* (pid or TSB_IPC_ANYONE, TSB_IPC_ACCEPT_* bits) */
#define SYS_IPC_SEND 90        /* (dest pid, buf, len, timeout_ms): a message */
#define SYS_IPC_RECV 91        /* (&struct tsb_ipc_info or 0, buf, len, timeout_ms) -> bytes */
#define SYS_IPC_REQUEST 92     /* (dest pid, buf, len, reply_max, timeout_ms) -> ticket: a call */
#define SYS_IPC_AWAIT 93       /* (ticket, buf, len, timeout_ms) -> bytes of the reply */
#define SYS_IPC_REPLY 94       /* (token, buf, len): answers a call, never blocks */
#define SYS_IPC_RECV_FROM 95   /* (sender pid, buf, len, timeout_ms) -> bytes: its messages only */
#define SYS_IPC_TRACE 96       /* (on) -> previous (trace authority) */
/* Display and input (gui authority only: the gui service) */
#define SYS_GPU_INFO 100       /* (&struct tsb_gpu_info) -> 0, -ENODEV without a display */
#define SYS_GPU_MAP 101        /* () -> address of the framebuffer mapped into the caller */
#define SYS_GPU_FLUSH 102      /* (x, y, w, h): show that rectangle (clipped to the screen) */
#define SYS_INPUT_READ 103     /* (struct tsb_input_event *, max, timeout_ms) -> count; -EAGAIN as soon as an IPC message is queued */
/* Machine */
#define SYS_SHUTDOWN 97        /* (status): flush file systems, power off (power authority) */
#define SYS_FS_INFO 98         /* (&struct tsb_fsinfo) */
#define SYS_KLOG 104           /* (TSB_KLOG_*, arg, len): the kernel log, as Linux's syslog(2) */
#define SYS_MAX 128

/* Timeouts in milliseconds, the same rule for every blocking call (IPC,
 * pipes, poll, console, input, sleep): TSB_NO_WAIT, any positive number of
 * ms (a deadline past the end of the clock is never reached), or
 * TSB_FOREVER; any other negative value is -EINVAL. */
#define TSB_NO_WAIT 0
#define TSB_FOREVER (-1)

/* waitpid flags and status word: low byte = exit code, next byte = why. */
#define TSB_WNOHANG 1
#define TSB_EXIT_NORMAL 0
#define TSB_EXIT_KILLED 1      /* by SYS_KILL */
#define TSB_EXIT_FAULT 2       /* a CPU exception in user mode */
#define TSB_STATUS(why, code) (((why) << 8) | ((code) & 0xff))
#define TSB_STATUS_WHY(s) (((s) >> 8) & 0xff)
#define TSB_STATUS_CODE(s) ((s) & 0xff)

/* open flags */
#define TSB_O_READ 0x01
#define TSB_O_WRITE 0x02
#define TSB_O_RDWR 0x03
#define TSB_O_CREATE 0x04
#define TSB_O_TRUNC 0x08
#define TSB_O_APPEND 0x10
#define TSB_O_EXCL 0x20
#define TSB_O_DIR 0x40

/* mmap protection */
#define TSB_PROT_READ 1
#define TSB_PROT_WRITE 2
#define TSB_PROT_EXEC 4

/* Limits */
#define TSB_PATH_MAX 512
#define TSB_ARGS_MAX 64        /* argv + envp entries */
#define TSB_ARG_BYTES 8192     /* all argv and envp strings together */
#define TSB_FD_MAX 32
#define TSB_IPC_MAX_MSG (64 * 1024 + 256) /* a 64 KiB payload plus a protocol header */
#define TSB_IPC_MAX_CALLS 4    /* calls a process may have outstanding at once */

/* IPC: what ipc_recv tells about a message, and who may send what. */
struct tsb_ipc_info {
	int32_t sender;        /* stamped by the kernel; 0 = the kernel itself */
	uint32_t kind;         /* TSB_IPC_MESSAGE or TSB_IPC_CALL */
	uint64_t token;        /* a call: answer it with SYS_IPC_REPLY(token, ...) */
};
#define TSB_IPC_MESSAGE 1
#define TSB_IPC_CALL 2
#define TSB_IPC_ANYONE (-1)          /* SYS_IPC_ACCEPT: from any process (a server) */
#define TSB_IPC_ACCEPT_MESSAGES 0x1  /* messages (charged to their sender when from anyone) */
#define TSB_IPC_ACCEPT_CALLS 0x2     /* calls (only from anyone) */

struct tsb_stat {
	uint64_t size;
	int64_t mtime, ctime;  /* seconds since 1970, UTC; 0 if the file system keeps none */
	uint32_t is_dir;
	uint32_t attr;
};

struct tsb_statfs {
	uint64_t block_size, total_blocks, free_blocks;
};

struct tsb_dirent {
	char name[256];
	uint64_t size;
	uint32_t is_dir;
	uint32_t pad;
};

struct tsb_meminfo {
	uint64_t heap_used, heap_peak, heap_limit, heap_allocs, heap_failures;
	uint64_t frames_total, frames_free, page_size;
	/* Frames the heap holds (its small-object pages stay with it once
	 * carved): free frames + these is what a leak check compares. */
	uint64_t heap_reserved;
};

#define TSB_PROC_NAME 24
struct tsb_procinfo {
	int32_t pid, ppid;
	char name[TSB_PROC_NAME];
	char state[12];       /* "running", "ready", "blocked", "zombie" */
	uint64_t mem_bytes;   /* user memory mapped */
	uint64_t cpu_ns;
};

struct tsb_fsinfo {
	int32_t server_pid;       /* the registered fat32d, 0 while the kernel serves / */
	uint32_t pad;
	uint64_t requests_served; /* by fat32d since boot */
};

struct tsb_blockinfo {
	uint64_t sector_count;
	uint32_t sector_size;
	uint32_t max_sectors;   /* per call; the driver splits it into overlapping device requests */
};

/* Authorities a parent can grant at spawn (only those it holds itself). */
#define TSB_AUTH_BLOCK 0x1     /* SYS_BLOCK_* */
#define TSB_AUTH_FS 0x2        /* SYS_FS_REGISTER */
#define TSB_AUTH_NET 0x4       /* raw frames */
#define TSB_AUTH_KILL 0x8      /* SYS_KILL on any process but init (the shell) */
#define TSB_AUTH_GUI 0x10      /* SYS_GPU_*, SYS_INPUT_READ (the gui service) */
#define TSB_AUTH_POWER 0x20    /* SYS_SHUTDOWN (the shell) */
#define TSB_AUTH_TRACE 0x40    /* SYS_IPC_TRACE: who talks to whom (the shell) */
#define TSB_AUTH_ALL 0x7f

/* The framebuffer: 32-bit pixels 0x00RRGGBB, `stride` bytes per row. */
struct tsb_gpu_info {
	uint32_t width, height, stride;
	uint32_t pad;
};

/* Input events as virtio-input (Linux evdev) reports them. Absolute
 * pointer coordinates are scaled to 0..TSB_INPUT_ABS_MAX on both axes. */
struct tsb_input_event {
	uint16_t type, code;
	int32_t value;
};
#define TSB_EV_SYN 0
#define TSB_EV_KEY 1           /* value 1 press, 0 release, 2 repeat */
#define TSB_EV_REL 2
#define TSB_EV_ABS 3
#define TSB_ABS_X 0
#define TSB_ABS_Y 1
#define TSB_BTN_LEFT 0x110
#define TSB_BTN_RIGHT 0x111
#define TSB_INPUT_ABS_MAX 32767

struct tsb_spawn_opts {
	uint32_t authority;   /* TSB_AUTH_* to grant */
	uint32_t flags;       /* TSB_SPAWN_* */
	int32_t console_in;   /* with TSB_SPAWN_CONSOLE: the parent's pipe fds that */
	int32_t console_out;  /* become the child's console (read end, write end) */
};
/* Without it a child shares its parent's console (the UART, or the pipes
 * the parent's own console was redirected to). */
#define TSB_SPAWN_CONSOLE 0x1
/* The child's console output goes to the kernel log (a "<N>" at the start
 * of a line sets its level), its console input is at end of file; its own
 * children inherit that. init starts its services so. */
#define TSB_SPAWN_LOG 0x2
/* The parent accepts IPC messages from the child (as ipc_accept(child)
 * would, but before the child runs): init and its services' READY. */
#define TSB_SPAWN_NOTIFY 0x4

/* SYS_KLOG operations. */
#define TSB_KLOG_READ 0        /* (buf, len) -> bytes: the log, oldest line first ("[s.us] text") */
#define TSB_KLOG_WRITE 1       /* (text, len): lines into the log ("<N>" prefix: level, default 6) */
#define TSB_KLOG_CONSOLE 2     /* (level, -): console shows levels below it (0..8); -1 asks; -> old */
#define TSB_KLOG_BOOTED 3      /* init: boot is over, routine messages only go to the log */

/* poll: fd is a handle, or TSB_POLL_IPC for "an IPC message is queued". */
struct tsb_pollfd {
	int32_t fd;
	uint16_t events, revents;
};
#define TSB_POLL_IPC (-2)
#define TSB_POLL_IN 0x1       /* data to read, or end of file */
#define TSB_POLL_OUT 0x2      /* room to write */
#define TSB_POLL_HUP 0x4      /* the other end of the pipe is closed (always reported) */
#define TSB_POLL_NVAL 0x8     /* not an open handle (always reported) */
#define TSB_POLL_MAX 32       /* entries per call */

#endif
