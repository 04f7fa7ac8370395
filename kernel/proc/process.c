/* Process lifecycle: spawn from an ELF on the VFS, exec, exit with a
 * status, waitpid, kill. A process is one thread plus its resources; it
 * stays a zombie until its parent collects the status. */
#include "kernel/process.h"

#include <string.h>

#include "kernel/fsproxy.h"
#include "kernel/heap.h"
#include "kernel/pipe.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/vfs.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"

static struct list_node all_procs = LIST_INIT(all_procs);
static int next_pid = 1;
static struct process *init_proc;
/* pid 0: the parent of processes the kernel itself starts and waits for
 * (the selftest); it has no address space and never runs user code. */
static struct process kernel_process;

void process_init(void)
{
	strlcpy(kernel_process.name, "kernel", sizeof kernel_process.name);
	list_init(&kernel_process.children);
	list_init(&kernel_process.sibling);
	list_init(&kernel_process.link);
	mailbox_init(&kernel_process.mbox);
	waitq_init(&kernel_process.child_exit);
	kernel_process.authority = TSB_AUTH_ALL;
}

struct process *process_kernel(void)
{
	return &kernel_process;
}

struct process *process_current(void)
{
	return thread_current()->owner;
}

struct process *process_find(int pid)
{
	struct list_node *n, *tmp;

	list_for_each_safe(n, tmp, &all_procs) {
		struct process *p = list_entry(n, struct process, link);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

void process_for_each(void (*fn)(struct process *p, void *arg), void *arg)
{
	struct list_node *n, *tmp;
	irq_flags_t f = arch_irq_save();

	list_for_each_safe(n, tmp, &all_procs)
		fn(list_entry(n, struct process, link), arg);
	arch_irq_restore(f);
}

static void set_name(struct process *p, const char *path)
{
	const char *base = strrchr(path, '/');
	strlcpy(p->name, base ? base + 1 : path, sizeof p->name);
}

/* Lays out argc/argv/envp at the top of the new stack. Returns the initial
 * stack pointer; *argv_out gets the user address of argv[]. The strings go
 * first (highest), then the two pointer arrays, 16-byte aligned. */
static int build_stack(struct addrspace *as, char *const argv[], char *const envp[],
		       uintptr_t *sp_out, uintptr_t *argv_out, int *argc_out)
{
	int argc = 0, envc = 0;
	size_t strbytes = 0;

	for (; argv && argv[argc]; argc++)
		strbytes += strlen(argv[argc]) + 1;
	for (; envp && envp[envc]; envc++)
		strbytes += strlen(envp[envc]) + 1;
	if (argc + envc > TSB_ARGS_MAX || strbytes > TSB_ARG_BYTES)
		return -E2BIG;
	size_t ptrbytes = (size_t)(argc + envc + 2) * sizeof(uintptr_t);
	size_t total = ((strbytes + 15) & ~15ul) + ((ptrbytes + 15) & ~15ul);
	char *block = kzalloc(total);
	if (!block)
		return -ENOMEM;
	uintptr_t base = USER_STACK_TOP - total;
	uintptr_t *ptrs = (uintptr_t *)block;
	char *strs = block + ((ptrbytes + 15) & ~15ul);
	uintptr_t ustr = base + (uintptr_t)(strs - block);
	int k = 0;
	for (int i = 0; i < argc; i++, k++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(strs, argv[i], n);
		ptrs[k] = ustr;
		strs += n;
		ustr += n;
	}
	ptrs[k++] = 0;
	for (int i = 0; i < envc; i++, k++) {
		size_t n = strlen(envp[i]) + 1;
		memcpy(strs, envp[i], n);
		ptrs[k] = ustr;
		strs += n;
		ustr += n;
	}
	ptrs[k] = 0;
	int err = as_write(as, base, block, total);
	kfree(block);
	*sp_out = base;
	*argv_out = base;
	*argc_out = argc;
	return err;
}

struct image {
	uintptr_t entry, sp, argv;
	int argc;
};

/* A complete new user image: ELF, heap start, stack and arguments. */
static int load_image(const char *path, char *const argv[], char *const envp[],
		      struct addrspace **out, struct image *img)
{
	struct addrspace *as = as_create();
	uintptr_t end;

	if (!as)
		return -ENOMEM;
	int err = elf_load(as, path, &img->entry, &end);
	if (!err)
		err = as_map(as, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
			     TSB_PROT_READ | TSB_PROT_WRITE);
	if (!err)
		err = build_stack(as, argv, envp, &img->sp, &img->argv, &img->argc);
	if (err) {
		as_destroy(as);
		return err;
	}
	as->brk_start = as->brk = end + PAGE_SIZE; /* a guard page after the image */
	*out = as;
	return 0;
}

static void user_thread_start(void *arg)
{
	(void)arg;
	arch_enter_user(arch_user_frame(thread_current()->kstack_top));
}

int process_fd_alloc(struct process *p)
{
	for (int fd = 0; fd < TSB_FD_MAX; fd++)
		if (!p->files[fd] && !p->pipes[fd])
			return fd;
	return -EMFILE;
}

int process_fd_close(struct process *p, int fd)
{
	if (fd < 0 || fd >= TSB_FD_MAX)
		return -EBADF;
	if (p->pipes[fd]) {
		pipe_end_put(p->pipes[fd]);
		p->pipes[fd] = NULL;
		return 0;
	}
	struct vfs_file *f = p->files[fd];
	if (!f)
		return -EBADF;
	p->files[fd] = NULL;
	return vfs_close(f);
}

static void release_console(struct process *p)
{
	if (p->console_in)
		pipe_end_put(p->console_in);
	if (p->console_out)
		pipe_end_put(p->console_out);
	p->console_in = p->console_out = NULL;
}

int process_spawn(struct process *parent, const char *path, char *const argv[],
		  char *const envp[], uint32_t authority)
{
	struct spawn_extra none = { NULL, NULL, false, false };
	return process_spawn_extra(parent, path, argv, envp, authority, &none);
}

int process_spawn_extra(struct process *parent, const char *path, char *const argv[],
			char *const envp[], uint32_t authority, const struct spawn_extra *x)
{
	struct pipe_end *console_in = x->console_in, *console_out = x->console_out;
	struct process *p;
	struct image img;

	if (x->notify_parent && (!parent || !ipc_accept_has_room(parent)))
		return -ENOSPC; /* the parent's list of senders it accepts is full */
	if (!(p = kzalloc(sizeof *p)))
		return -ENOMEM;
	int err = load_image(path, argv, envp, &p->as, &img);
	if (err) {
		kfree(p);
		return err;
	}
	set_name(p, path);
	list_init(&p->children);
	list_init(&p->sibling);
	mailbox_init(&p->mbox);
	waitq_init(&p->child_exit);
	/* A parent can only pass on authority it holds itself. */
	p->authority = authority & (parent ? parent->authority : TSB_AUTH_ALL);
	p->start_ns = arch_timer_ns();
	if (!console_in && parent)
		console_in = parent->console_in;
	if (!console_out && parent)
		console_out = parent->console_out;
	p->console_log = x->to_log || (parent && parent->console_log);
	p->console_in = console_in ? pipe_end_get(console_in) : NULL;
	p->console_out = console_out ? pipe_end_get(console_out) : NULL;
	struct thread *t = thread_create_suspended(p->name, user_thread_start, p);
	if (!t) {
		release_console(p);
		as_destroy(p->as);
		kfree(p);
		return -ENOMEM;
	}
	t->owner = p;
	t->root = p->as->root;
	p->thread = t;
	thread_fpu_start(t);
	arch_user_frame_init(arch_user_frame(t->kstack_top), img.entry, img.sp,
			     (uintptr_t)img.argc, img.argv);
	irq_flags_t f = arch_irq_save();
	p->pid = next_pid++;
	p->parent = parent;
	if (x->notify_parent)
		ipc_accept_pid(parent, p->pid); /* before the child runs: its first message is taken */
	if (parent)
		list_push_back(&parent->children, &p->sibling);
	if (!init_proc && parent == NULL)
		init_proc = p;
	list_push_back(&all_procs, &p->link);
	arch_irq_restore(f);
	thread_start(t);
	return p->pid;
}

int process_exec(const char *path, char *const argv[], char *const envp[])
{
	struct process *p = process_current();
	struct addrspace *fresh, *old = p->as;
	struct image img;
	int err = load_image(path, argv, envp, &fresh, &img);

	if (err)
		return err; /* the old image is untouched */
	irq_flags_t f = arch_irq_save();
	p->as = fresh;
	p->thread->root = fresh->root;
	arch_pt_activate(fresh->root);
	arch_irq_restore(f);
	as_destroy(old);
	set_name(p, path);
	strlcpy(p->thread->name, p->name, sizeof p->thread->name);
	arch_user_frame_init(arch_user_frame(p->thread->kstack_top), img.entry, img.sp,
			     (uintptr_t)img.argc, img.argv);
	thread_fpu_start(p->thread); /* nothing of the old program's FP state survives */
	p->thread->frame_replaced = true;
	return 0;
}

static void free_process(struct process *p)
{
	list_remove(&p->link);
	list_remove(&p->sibling);
	kfree(p);
}

_Noreturn void process_exit(int status)
{
	struct process *p = process_current();
	struct list_node *n, *tmp;

	fsproxy_process_exited(p->pid); /* if it was fat32d, the kernel takes / back */
	for (int fd = 0; fd < TSB_FD_MAX; fd++)
		process_fd_close(p, fd);
	release_console(p);
	ipc_process_exit(p);
	irq_flags_t f = arch_irq_save();
	/* Orphans go to init, which collects their status; adoption grants
	 * nothing (authority stays what the first parent gave). */
	list_for_each_safe(n, tmp, &p->children) {
		struct process *c = list_entry(n, struct process, sibling);
		list_remove(&c->sibling);
		c->parent = init_proc != p ? init_proc : NULL;
		if (c->parent)
			list_push_back(&c->parent->children, &c->sibling);
	}
	if (init_proc && init_proc != p)
		waitq_wake_all(&init_proc->child_exit);
	arch_irq_restore(f);

	/* Leave the address space before freeing it. */
	f = arch_irq_save();
	thread_current()->root = 0;
	arch_pt_activate(kernel_root);
	arch_irq_restore(f);
	as_destroy(p->as);
	p->as = NULL;

	f = arch_irq_save();
	p->exit_status = status;
	p->state = PROC_ZOMBIE;
	p->thread = NULL;
	thread_current()->owner = NULL;
	if (p->parent)
		waitq_wake_all(&p->parent->child_exit);
	else if (p != init_proc)
		free_process(p); /* nobody will wait for it */
	arch_irq_restore(f);
	if (p == init_proc) {
		/* Nothing supervises the system any more: stop it cleanly rather
		 * than leave a machine that can only hang. */
		bool clean = TSB_STATUS_WHY(status) == TSB_EXIT_NORMAL && TSB_STATUS_CODE(status) == 0;
		kprintf(KERN_EMERG "init exited with status %#x; powering off\n", status);
		vfs_sync();
		arch_poweroff(clean ? 0 : 1);
	}
	thread_exit();
}

int process_wait(struct process *self, int pid, int *status, int flags)
{
	irq_flags_t f = arch_irq_save();

	for (;;) {
		struct list_node *n, *tmp;
		bool have_child = false;
		list_for_each_safe(n, tmp, &self->children) {
			struct process *c = list_entry(n, struct process, sibling);
			if (pid > 0 && c->pid != pid)
				continue;
			have_child = true;
			if (c->state == PROC_ZOMBIE) {
				int cpid = c->pid;
				*status = c->exit_status;
				free_process(c);
				arch_irq_restore(f);
				return cpid;
			}
		}
		if (!have_child) {
			arch_irq_restore(f);
			return -ECHILD;
		}
		if (flags & TSB_WNOHANG) {
			arch_irq_restore(f);
			return 0;
		}
		if (!waitq_wait_interruptible(&self->child_exit, 0) && self->killed) {
			arch_irq_restore(f);
			return -EINTR;
		}
	}
}

int process_kill(struct process *killer, int pid)
{
	irq_flags_t f = arch_irq_save();
	struct process *t = process_find(pid);
	int err = 0;

	if (!t || t->state != PROC_ALIVE)
		err = -ESRCH;
	else if (killer && t->parent != killer && killer != init_proc &&
		 !((killer->authority & TSB_AUTH_KILL) && t != init_proc))
		err = -EPERM;
	else if (t->thread) {
		/* The file server is stopped between requests (see
		 * process_kill_due), so it never dies with a request half on
		 * the disk: at most FS_SERVER_KILL_GRACE_NS later. */
		if (!t->killed)
			t->kill_deadline_ns = arch_timer_ns() + (t->pid == fsproxy_server() ? FS_SERVER_KILL_GRACE_NS : 0);
		t->killed = true;
		thread_interrupt(t->thread); /* out of any interruptible wait */
	}
	arch_irq_restore(f);
	return err;
}

bool process_kill_due(const struct process *p, bool between_requests)
{
	return p->killed && (between_requests || arch_timer_ns() >= p->kill_deadline_ns);
}

void user_trap_exit(void)
{
	struct process *p = process_current();

	if (p && process_kill_due(p, false))
		process_exit(TSB_STATUS(TSB_EXIT_KILLED, 0));
}

void user_exception(struct trap_frame *tf, const char *cause, uintptr_t addr)
{
	struct process *p = process_current();

	if (!arch_irq_enabled())
		panic("user_exception with interrupts off");
	if (!p)
		kernel_fault(cause, addr, arch_trap_pc(tf), 0);
	kprintf(KERN_ERR "pid %d (%s): %s at pc %p, address %p: process stopped\n", p->pid, p->name, cause,
		(void *)arch_trap_pc(tf), (void *)addr);
	process_exit(TSB_STATUS(TSB_EXIT_FAULT, 0));
}

static const char *state_name(const struct process *p)
{
	if (p->state == PROC_ZOMBIE)
		return "zombie";
	switch (p->thread->state) {
	case THREAD_RUNNING: return "running";
	case THREAD_RUNNABLE: return "ready";
	case THREAD_BLOCKED: return "blocked";
	default: return "exiting";
	}
}

int process_list(struct tsb_procinfo *out, int max)
{
	struct list_node *n, *tmp;
	int count = 0;
	irq_flags_t f = arch_irq_save();

	list_for_each_safe(n, tmp, &all_procs) {
		struct process *p = list_entry(n, struct process, link);
		if (count == max)
			break;
		struct tsb_procinfo *i = &out[count++];
		memset(i, 0, sizeof *i);
		i->pid = p->pid;
		i->ppid = p->parent ? p->parent->pid : 0;
		strlcpy(i->name, p->name, sizeof i->name);
		strlcpy(i->state, state_name(p), sizeof i->state);
		i->mem_bytes = p->as ? p->as->mapped_bytes : 0;
		i->cpu_ns = p->thread ? p->thread->cpu_ns : 0;
	}
	arch_irq_restore(f);
	return count;
}
