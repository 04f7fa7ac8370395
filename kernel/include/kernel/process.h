/* User processes: an address space, one thread, file handles, a mailbox
 * for IPC, authorities granted by the parent, and an exit status the
 * parent collects with waitpid. */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "kernel/ipc.h"
#include "kernel/list.h"
#include "kernel/sched.h"
#include "tsubame/layout.h"
#include "tsubame/syscall.h"

struct vfs_file;
struct pipe_end;

/* A mapped region of user memory. */
struct vma {
	struct list_node link;
	uintptr_t start, end;  /* page-aligned, end exclusive */
	unsigned prot;         /* TSB_PROT_* */
	bool borrowed;         /* frames belong to a device (the framebuffer): never freed here */
	bool reserved;         /* as_reserve: the kernel maps its own pages there (not counted) */
};

struct addrspace {
	pt_root_t root;
	struct list_node vmas; /* sorted by start */
	uintptr_t brk_start, brk;
	uint64_t mapped_bytes;
};

enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct process {
	int pid;
	char name[TSB_PROC_NAME];
	struct process *parent;
	struct list_node link;          /* all processes */
	struct list_node children;
	struct list_node sibling;
	enum proc_state state;
	int exit_status;                /* TSB_STATUS(...) once a zombie */
	bool killed;                    /* exit at the next return to user mode */
	uint64_t kill_deadline_ns;      /* the file server: at its next request, or then */
	bool wake_on_ipc;               /* blocked for frames: an IPC message ends the wait */
	uint32_t authority;             /* TSB_AUTH_* */
	struct thread *thread;
	struct addrspace *as;
	/* A handle is a file or a pipe end: at most one of the two is set. */
	struct vfs_file *files[TSB_FD_MAX];
	struct pipe_end *pipes[TSB_FD_MAX];
	/* Where SYS_CONSOLE_READ/WRITE go: NULL is the UART. */
	struct pipe_end *console_in, *console_out;
	bool console_log;               /* no pipes: output to the kernel log (TSB_SPAWN_LOG) */
	struct mailbox mbox;
	struct waitq child_exit;        /* the parent waits here in waitpid */
	uint64_t start_ns;
};

/* A kill of the file server (fat32d) waits for the request it is serving:
 * fat32d writes a request's changes in several block calls, and dying
 * between two of them would leave the volume half updated (a directory
 * entry pointing at freed clusters, a stale FSInfo). It dies when it next
 * asks for a request, or after this long if it never does (stuck). */
#define FS_SERVER_KILL_GRACE_NS (5ull * 1000000000ull)
/* Whether a killed process should exit now; between_requests: it is about
 * to take its next IPC request (nothing of its own is in progress). */
bool process_kill_due(const struct process *p, bool between_requests);

/* The user layout is the ABI's (tsubame/layout.h), the same on every arch. */
#define USER_BASE TSB_USER_BASE
#define USER_STACK_TOP TSB_USER_STACK_TOP
#define USER_STACK_SIZE TSB_USER_STACK_SIZE
#define USER_MMAP_BASE TSB_USER_MMAP_BASE
#define USER_MMAP_END (USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE) /* mmap's region ends at the stack's guard */

void process_init(void);
struct process *process_current(void);     /* NULL in a kernel thread */
struct process *process_find(int pid);     /* alive or zombie; NULL if none */
void process_for_each(void (*fn)(struct process *p, void *arg), void *arg); /* interrupts off */

/* Starts the ELF at path as a child of `parent` (NULL: of nobody, for
 * init). argv/envp are kernel copies (NULL-terminated arrays). Returns the
 * new pid or -errno. */
int process_spawn(struct process *parent, const char *path, char *const argv[],
		  char *const envp[], uint32_t authority);
/* What SYS_SPAWN's options add: the child's console redirected to the
 * given pipe ends (NULL: the parent's, as for process_spawn) or to the
 * kernel log (TSB_SPAWN_LOG), and whether the parent accepts IPC messages
 * from the child (TSB_SPAWN_NOTIFY). */
struct spawn_extra {
	struct pipe_end *console_in, *console_out;
	bool to_log;
	bool notify_parent;
};
int process_spawn_extra(struct process *parent, const char *path, char *const argv[],
			char *const envp[], uint32_t authority, const struct spawn_extra *x);
/* The lowest free handle number of p, or -EMFILE. */
int process_fd_alloc(struct process *p);
/* Closes handle fd of the current process; -EBADF if none. */
int process_fd_close(struct process *p, int fd);
/* Replaces the current process's image; returns only on failure. */
int process_exec(const char *path, char *const argv[], char *const envp[]);
_Noreturn void process_exit(int status);
/* waitpid: pid > 0 a child, -1 any. Returns the pid and fills *status,
 * 0 with WNOHANG if none exited yet, -ECHILD if no such child. */
int process_wait(struct process *self, int pid, int *status, int flags);
/* The pid-0 pseudo-process the kernel uses as parent for what it starts. */
struct process *process_kernel(void);
int process_kill(struct process *killer, int pid);
int process_list(struct tsb_procinfo *out, int max);
/* For kernel/trap.c: before every return to user mode (may end the
 * process instead), and a user-mode exception (interrupts on; kills the
 * process). */
void user_trap_exit(void);
void user_exception(struct trap_frame *tf, const char *cause, uintptr_t addr);

/* Address spaces (kernel/proc/addrspace.c). */
struct addrspace *as_create(void);           /* NULL when out of memory */
void as_destroy(struct addrspace *as);          /* unmaps, frees frames and tables */
/* Maps zeroed memory at [start, start+len) with prot; -EEXIST on overlap. */
int as_map(struct addrspace *as, uintptr_t start, size_t len, unsigned prot);
int as_unmap(struct addrspace *as, uintptr_t start, size_t len);
/* A region with no pages yet: the kernel maps pages into it on its own
 * (the fat32d data window). Frames mapped there are never freed by
 * as_unmap/as_destroy's callers' owner; unmap them before. */
int as_reserve(struct addrspace *as, uintptr_t start, size_t len, unsigned prot);
/* Maps the physically contiguous [pa, pa+len) at start. The frames stay
 * the caller's: unmapping or destroying the address space leaves them. */
int as_map_phys(struct addrspace *as, uintptr_t start, uint64_t pa, size_t len, unsigned prot);
int as_protect(struct addrspace *as, uintptr_t start, size_t len, unsigned prot);
/* True if every byte of [p, p+len) is mapped with at least `prot`. */
bool as_check(struct addrspace *as, uintptr_t p, size_t len, unsigned prot);
/* Copies into another address space through the direct map (for loading). */
int as_write(struct addrspace *as, uintptr_t dst, const void *src, size_t len);
uintptr_t as_find_free(struct addrspace *as, uintptr_t from, size_t len);
/* The kernel's direct-map address of the mapped page at va, and in *n
 * (shrunk, never grown) how many bytes from there are physically
 * contiguous; NULL if va is not mapped. Lets the kernel and devices fill
 * user pages in place. */
void *as_direct(struct addrspace *as, uintptr_t va, size_t *n);

/* User memory access for the current process: checked against its
 * mappings first, then done with the arch's fault-safe copy. */
int copy_from_user(void *dst, uintptr_t usrc, size_t len);
int copy_to_user(uintptr_t udst, const void *src, size_t len);
/* A kernel copy of a user string (kfree it); -EFAULT, -ENAMETOOLONG. */
int strdup_from_user(uintptr_t usrc, size_t max, char **out);

/* ELF loading (kernel/proc/elf.c): maps the segments of the file into as
 * and returns the entry point and the end of the highest segment. */
int elf_load(struct addrspace *as, const char *path, uintptr_t *entry, uintptr_t *end);


#endif
