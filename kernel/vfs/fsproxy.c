/* VFS operations carried out by fat32d. Each call becomes one request (or,
 * for large reads and writes, one per FSP_MAX_DATA bytes) sent with sender
 * pid 0; the reply is matched by its id and copied straight from fat32d's
 * memory into the waiting caller's buffer. A request that gets no answer in
 * time fails with -ETIMEDOUT; if fat32d dies, every waiter gets -EIO. */
#include "kernel/fsproxy.h"

#include <string.h>

#include "kernel/fat32fs.h"
#include "kernel/heap.h"
#include "kernel/ipc.h"
#include "kernel/klog.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/vfs.h"
#include "kernel/vm.h"
#include "tsubame/errno.h"
#include "tsubame/fsproto.h"

#define MAX_PENDING FSP_WINDOW_SLOTS /* one data window slot per request */
#define REPLY_TIMEOUT_NS (10ull * 1000000000ull)
#define NDEVS 2

static const char *const mount_path[NDEVS] = { "/", "/host" };

struct pending {
	bool used, done;
	uint64_t id;
	int status;
	uint64_t value;
	void *data;          /* where the reply's data goes */
	size_t data_max, data_len;
	struct waitq wq;
};

struct proxy_dev {
	unsigned dev;
};

struct proxy_node {
	uint64_t handle;
};

/* The proxy's state: the serving process and its requests in flight. */
static struct {
	int server;          /* pid of fat32d, 0 if none */
	uint64_t next_id;
	uint64_t served;
	struct pending slots[MAX_PENDING];
	struct waitq slot_free;
	bool proxied[NDEVS];
} proxy = { .slot_free = { LIST_INIT(proxy.slot_free.waiters) } };

static struct proxy_dev devs[NDEVS] = { { 0 }, { 1 } };
static bool bench_mount;

uint64_t fsproxy_served(void) { return proxy.served; }

/* Bytes mapped in each window slot now: unmapping touches only those. */
static size_t window_mapped[MAX_PENDING];

static uintptr_t window_base(int slot)
{
	return (uintptr_t)(FSP_WINDOW_BASE + (uint64_t)slot * FSP_WINDOW_SLOT);
}

static pt_root_t server_root(int server)
{
	struct process *p = process_find(server);
	return p && p->as ? p->as->root : 0;
}

/* Maps the pages under [buf, buf+len) into fat32d's window slot; returns
 * fat32d's address of buf, or 0. Physically contiguous runs (a large
 * kmalloc buffer is one) are mapped with one call. */
static uintptr_t map_window(int server, int slot, const void *buf, size_t len, bool fat32d_writes)
{
	pt_root_t root = server_root(server);
	uintptr_t first = (uintptr_t)buf & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t last = ((uintptr_t)buf + len + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	unsigned flags = PTE_R | PTE_USER | PTE_SMALL | (fat32d_writes ? PTE_W : 0);

	if (!root || last - first > FSP_WINDOW_SLOT)
		return 0;
	window_mapped[slot] = last - first;
	for (uintptr_t va = first; va < last;) {
		/* Physically contiguous runs (all of a direct-map buffer) are
		 * one mapping each. */
		uint64_t pa = virt_to_phys((void *)va);
		size_t run = in_direct_map((void *)va) ? last - va : arch_pt_contig(kernel_root, va, last - va, &pa);
		if (!run || arch_pt_map(root, window_base(slot) + (va - first), pa, run, flags) != 0) {
			arch_pt_unmap(root, window_base(slot), last - first, false); /* any part mapped */
			window_mapped[slot] = 0;
			return 0;
		}
		va += run;
	}
	return window_base(slot) + ((uintptr_t)buf - first);
}

static void unmap_window(int server, int slot)
{
	pt_root_t root = server_root(server);
	if (root)
		arch_pt_unmap(root, window_base(slot), window_mapped[slot], false);
	window_mapped[slot] = 0;
}
int fsproxy_server(void) { return proxy.server; }

/* Sends one request and waits for its reply. `out` receives up to out_max
 * data bytes; *value gets the reply's value. */
static int call_window(unsigned dev, struct fsp_request *rq, const void *payload, size_t plen,
		       void *out, size_t out_max, uint64_t *value, void *wbuf, bool fat32d_writes)
{
	uint64_t deadline = arch_timer_ns() + REPLY_TIMEOUT_NS;
	struct pending *slot = NULL;
	struct process *self = process_current();

	if (self && self->pid == proxy.server)
		return -EDEADLK; /* fat32d asking itself through the VFS */
	irq_flags_t f = arch_irq_save();

	while (proxy.server && !slot) {
		for (int i = 0; i < MAX_PENDING && !slot; i++)
			if (!proxy.slots[i].used)
				slot = &proxy.slots[i];
		if (!slot && !waitq_wait(&proxy.slot_free, deadline))
			break;
	}
	if (!slot) {
		arch_irq_restore(f);
		return proxy.server ? -ETIMEDOUT : -EIO;
	}
	*slot = (struct pending){ .used = true, .id = ++proxy.next_id, .data = out, .data_max = out_max };
	waitq_init(&slot->wq);
	int server = proxy.server;
	int slot_index = (int)(slot - proxy.slots);
	arch_irq_restore(f);
	if (wbuf) {
		rq->window = map_window(server, slot_index, wbuf, rq->count, fat32d_writes);
		if (!rq->window) {
			slot->used = false;
			waitq_wake_one(&proxy.slot_free);
			return -ENOMEM;
		}
	}

	rq->magic = FSP_MAGIC;
	rq->dev = dev;
	rq->id = slot->id;
	rq->len = (uint32_t)plen;
	char *msg = kmalloc(sizeof *rq + plen);
	int err = msg ? 0 : -ENOMEM;
	if (!err) {
		memcpy(msg, rq, sizeof *rq);
		if (plen)
			memcpy(msg + sizeof *rq, payload, plen);
		/* fat32d's queue may be momentarily full: retry until the deadline. */
		while ((err = ipc_send_kernel(server, msg, sizeof *rq + plen)) == -EAGAIN &&
		       arch_timer_ns() < deadline)
			thread_sleep_ns(1000000);
		kfree(msg);
	}
	f = arch_irq_save();
	while (!err && !slot->done && proxy.server == server)
		if (!waitq_wait(&slot->wq, deadline))
			break;
	if (err) {
		slot->used = false;
	} else if (slot->done) {
		err = slot->status;
		if (value)
			*value = slot->value;
		slot->used = false;
	} else if (proxy.server != server) {
		err = -EIO; /* fat32d died; its exit unmapped the windows */
		slot->used = false;
	} else {
		/* No answer in time: fat32d is stuck. It may still be reading into
		 * our buffer, so stop it (init restarts it) and wait for its exit
		 * before the buffer can be reused. */
		err = -ETIMEDOUT;
		arch_irq_restore(f);
		kprintf(KERN_WARNING "fsproxy: fat32d (pid %d) did not answer in %llu s; stopping it\n", server,
			(unsigned long long)(REPLY_TIMEOUT_NS / 1000000000ull));
		process_kill(NULL, server);
		while (proxy.server == server)
			thread_sleep_ns(10000000);
		f = arch_irq_save();
		slot->used = false;
	}
	if (wbuf && proxy.server == server)
		unmap_window(server, slot_index);
	waitq_wake_one(&proxy.slot_free);
	arch_irq_restore(f);
	if (err == -ESRCH)
		err = -EIO; /* the server vanished under us */
	return err;
}

/* A request whose answer nobody waits for (id 0): no round trip. */
static void send_only(unsigned dev, struct fsp_request *rq)
{
	rq->magic = FSP_MAGIC;
	rq->dev = dev;
	rq->id = 0;
	rq->len = 0;
	uint64_t deadline = arch_timer_ns() + REPLY_TIMEOUT_NS;
	int server = proxy.server;
	/* fat32d's queue may be momentarily full, as in call_window. */
	while (server && ipc_send_kernel(server, rq, sizeof *rq) == -EAGAIN && arch_timer_ns() < deadline)
		thread_sleep_ns(1000000);
}

static int call(unsigned dev, struct fsp_request *rq, const void *payload, size_t plen,
		void *out, size_t out_max, uint64_t *value)
{
	return call_window(dev, rq, payload, plen, out, out_max, value, NULL, false);
}

int fsproxy_deliver(int sender, uintptr_t ubuf, size_t len)
{
	struct fsp_reply r;

	if (sender != proxy.server || !proxy.server)
		return -EPERM; /* only the registered fat32d talks to the kernel */
	if (len < sizeof r || copy_from_user(&r, ubuf, sizeof r) != 0 || r.magic != FSP_MAGIC ||
	    r.len != len - sizeof r)
		return -EPROTO;
	if (r.id == 0)
		return 0; /* the answer to a send_only request: nobody waits */
	irq_flags_t f = arch_irq_save();
	struct pending *slot = NULL;
	for (int i = 0; i < MAX_PENDING; i++)
		if (proxy.slots[i].used && !proxy.slots[i].done && proxy.slots[i].id == r.id)
			slot = &proxy.slots[i];
	if (!slot) {
		arch_irq_restore(f);
		return -ENOENT; /* nobody is waiting for this id (anymore) */
	}
	int status = r.status;
	if (r.len > slot->data_max)
		status = -EPROTO;
	else if (r.len && copy_from_user(slot->data, ubuf + sizeof r, r.len) != 0)
		status = -EFAULT;
	slot->status = status > 0 ? -EPROTO : status;
	slot->value = r.value;
	slot->data_len = r.len;
	slot->done = true;
	proxy.served++;
	waitq_wake_all(&slot->wq);
	arch_irq_restore(f);
	return 0;
}

/* ---- VFS operations ---- */

static unsigned dev_of(void *fs) { return ((struct proxy_dev *)fs)->dev; }

static int path_call(void *fs, uint32_t op, const char *path)
{
	struct fsp_request rq = { .op = op };
	return call(dev_of(fs), &rq, path, strlen(path) + 1, NULL, 0, NULL);
}

_Static_assert(VFS_HEAD_MAX <= FSP_OPEN_HEAD_MAX, "OPEN must carry what the VFS asks for");

static void stat_from(const struct fsp_stat *s, struct vfs_stat *st)
{
	*st = (struct vfs_stat){ s->size, s->is_dir != 0, s->mtime, s->ctime, s->attr };
}

static int p_open(void *fs, const char *path, void **node, struct vfs_stat *st, struct vfs_head *head)
{
	struct fsp_request rq = { .op = FSP_OPEN, .count = head ? head->max : 0 };
	struct {
		struct fsp_stat s;
		char head[FSP_OPEN_HEAD_MAX];
	} r = { 0 };
	uint64_t handle;
	struct proxy_node *n = kmalloc(sizeof *n);

	if (!n)
		return -ENOMEM;
	int err = call(dev_of(fs), &rq, path, strlen(path) + 1, &r, sizeof r, &handle);
	if (err) {
		kfree(n);
		return err;
	}
	stat_from(&r.s, st);
	if (head) { /* fat32d sent min(asked, size) bytes */
		head->len = st->is_dir ? 0 : st->size < head->max ? (size_t)st->size : head->max;
		memcpy(head->buf, r.head, head->len);
	}
	n->handle = handle;
	*node = n;
	return 0;
}

/* Nothing waits for a close: the VFS flushed written files before, and
 * fat32d serves requests in order, so a later one sees the handle gone. */
static void p_close(void *fs, void *node)
{
	struct fsp_request rq = { .op = FSP_CLOSE, .handle = ((struct proxy_node *)node)->handle };
	send_only(dev_of(fs), &rq);
	kfree(node);
}

static int p_stat(void *fs, void *node, struct vfs_stat *st)
{
	struct fsp_request rq = { .op = FSP_STAT, .handle = ((struct proxy_node *)node)->handle };
	struct fsp_stat s;
	int err = call(dev_of(fs), &rq, NULL, 0, &s, sizeof s, NULL);

	if (!err)
		stat_from(&s, st);
	return err;
}

static int64_t p_read(void *fs, void *node, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < FSP_MAX_DATA ? len - done : FSP_MAX_DATA;
		struct fsp_request rq = { .op = FSP_READ, .handle = ((struct proxy_node *)node)->handle,
					  .offset = off + done, .count = n };
		uint64_t got;
		int err = call_window(dev_of(fs), &rq, NULL, 0, NULL, 0, &got, (char *)buf + done, true);
		if (err)
			return done ? (int64_t)done : err;
		done += got;
		if (got < n)
			break; /* end of file */
	}
	return (int64_t)done;
}

static int64_t p_write(void *fs, void *node, uint64_t off, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < FSP_MAX_DATA ? len - done : FSP_MAX_DATA;
		struct fsp_request rq = { .op = FSP_WRITE, .handle = ((struct proxy_node *)node)->handle,
					  .offset = off + done, .count = n };
		uint64_t put;
		int err = call_window(dev_of(fs), &rq, NULL, 0, NULL, 0, &put, (char *)buf + done, false);
		if (err)
			return done ? (int64_t)done : err;
		done += put;
		if (put < n)
			break;
	}
	return (int64_t)done;
}

static int p_truncate(void *fs, void *node, uint64_t size)
{
	struct fsp_request rq = { .op = FSP_TRUNCATE, .handle = ((struct proxy_node *)node)->handle,
				  .offset = size };
	return call(dev_of(fs), &rq, NULL, 0, NULL, 0, NULL);
}

static int p_readdir(void *fs, void *node, uint64_t *cookie, struct vfs_dirent *out)
{
	struct fsp_request rq = { .op = FSP_LIST_DIR, .handle = ((struct proxy_node *)node)->handle,
				  .offset = *cookie };
	struct fsp_dirent *d = kmalloc(sizeof *d);
	uint64_t next;

	if (!d)
		return -ENOMEM;
	int err = call(dev_of(fs), &rq, NULL, 0, d, sizeof *d, &next);
	if (err == 0 && next != *cookie) {
		d->name[sizeof d->name - 1] = '\0';
		strlcpy(out->name, d->name, sizeof out->name);
		out->is_dir = d->is_dir != 0;
		out->size = d->size;
		*cookie = next;
		err = 1;
	}
	kfree(d);
	return err; /* 0: the cookie did not move, the end */
}

static int p_create(void *fs, const char *path) { return path_call(fs, FSP_CREATE_FILE, path); }
static int p_unlink(void *fs, const char *path) { return path_call(fs, FSP_DELETE_FILE, path); }
static int p_mkdir(void *fs, const char *path) { return path_call(fs, FSP_CREATE_DIR, path); }
static int p_rmdir(void *fs, const char *path) { return path_call(fs, FSP_DELETE_DIR, path); }

static int p_rename(void *fs, const char *from, const char *to)
{
	size_t a = strlen(from) + 1, b = strlen(to) + 1;
	char *both = kmalloc(a + b);
	struct fsp_request rq = { .op = FSP_RENAME };

	if (!both)
		return -ENOMEM;
	memcpy(both, from, a);
	memcpy(both + a, to, b);
	int err = call(dev_of(fs), &rq, both, a + b, NULL, 0, NULL);
	kfree(both);
	return err;
}

static int p_flush(void *fs)
{
	struct fsp_request rq = { .op = FSP_FLUSH };
	return call(dev_of(fs), &rq, NULL, 0, NULL, 0, NULL);
}

static int p_statfs(void *fs, struct vfs_statfs *st)
{
	struct fsp_request rq = { .op = FSP_STATFS };
	struct fsp_statfs s;
	int err = call(dev_of(fs), &rq, NULL, 0, &s, sizeof s, NULL);

	if (!err)
		*st = (struct vfs_statfs){ (uint32_t)s.block_size, s.total_blocks, s.free_blocks };
	return err;
}

const struct fs_ops fsproxy_ops = {
	.name = "fat32d (proxy)",
	.open = p_open,
	.close = p_close,
	.stat = p_stat,
	.read = p_read,
	.write = p_write,
	.truncate = p_truncate,
	.readdir = p_readdir,
	.create = p_create,
	.unlink = p_unlink,
	.mkdir = p_mkdir,
	.rmdir = p_rmdir,
	.rename = p_rename,
	.flush = p_flush,
	.statfs = p_statfs,
};

/* ---- The handoff in both directions ---- */

int fsproxy_register(int pid)
{
	struct process *cur = process_find(proxy.server);

	if (proxy.server && proxy.server != pid && cur && cur->state == PROC_ALIVE)
		return -EBUSY; /* one file server at a time */
	struct process *srv = process_find(pid);
	int err = as_reserve(srv->as, FSP_WINDOW_BASE, FSP_WINDOW_SLOTS * FSP_WINDOW_SLOT,
			     TSB_PROT_READ | TSB_PROT_WRITE);
	if (err && err != -EEXIST)
		return err;
	proxy.server = pid;
	int handed = 0;
	for (unsigned d = 0; d < NDEVS; d++) {
		void *old;
		if (proxy.proxied[d])
			continue;
		/* vfs_remount waits until no call is inside the old instance;
		 * closing it then flushes it, and it never writes again. */
		if (vfs_remount(mount_path[d], &fsproxy_ops, &devs[d], &old) == 0) {
			int err = fat32fs_close(old);
			if (err)
				kprintf(KERN_ERR "fsproxy: flushing the in-kernel FAT32 of dev %u failed: %d\n", d, err);
			proxy.proxied[d] = true;
			handed++;
		}
	}
	kprintf("fsproxy: fat32d (pid %d) now serves %d mount(s)\n", pid, handed);
	if (bench_mount) { /* make bench only: the in-kernel path, read-only, beside fat32d */
		void *fs;
		bench_mount = false;
		if (fat32fs_open(0, false, &fs) == 0 && vfs_mount("/kbench", &fat32fs_ro_ops, fs) == 0)
			kprintf("fsproxy: bench: dev 0 also at /kbench (in-kernel FAT32, read-only)\n");
	}
	return 0;
}

void fsproxy_bench_mount(void)
{
	bench_mount = true;
}

void fsproxy_process_exited(int pid)
{
	if (!pid || pid != proxy.server)
		return;
	/* Kernel buffers mapped into the dying process must not be freed with
	 * its address space. */
	for (int i = 0; i < FSP_WINDOW_SLOTS; i++)
		unmap_window(pid, i);
	irq_flags_t f = arch_irq_save();
	proxy.server = 0;
	for (int i = 0; i < MAX_PENDING; i++) /* in-flight requests fail with -EIO */
		if (proxy.slots[i].used)
			waitq_wake_all(&proxy.slots[i].wq);
	waitq_wake_all(&proxy.slot_free);
	arch_irq_restore(f);
	for (unsigned d = 0; d < NDEVS; d++) {
		void *fs;
		if (!proxy.proxied[d])
			continue;
		/* fat32d flushed after every operation it acknowledged, and a
		 * kill waits for the request it serves (process_kill_due), so
		 * the disk is consistent: a fresh in-kernel instance takes
		 * over (recounting the free clusters, in case fat32d crashed
		 * between the writes of a flush). */
		if (fat32fs_open(d, true, &fs) == 0 && vfs_remount(mount_path[d], &fat32fs_ops, fs, NULL) == 0)
			proxy.proxied[d] = false;
		else
			kprintf(KERN_ERR "fsproxy: cannot take %s back after fat32d died\n", mount_path[d]);
	}
	kprintf("fsproxy: fat32d (pid %d) died; / and /host are served by the kernel again\n", pid);
}
