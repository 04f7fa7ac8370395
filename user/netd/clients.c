/* The processes that hold netd handles. Each TCP or UDP handle records its
 * users (the creator, the acceptor, and pids it was shared with); the
 * stack closes a handle when its last user closes it or dies. A dead
 * client is noticed when a reply to it fails with -ESRCH, or by a sweep of
 * the kernel's process list while anyone holds handles. */
#include <string.h>

#include "netd.h"
#include "tsubame.h"

#define MAX_HANDLES (NET_TCP_CONNS + NET_UDP_SOCKETS)
#define MAX_USERS 16 /* a listener shared by a pool of workers */

struct owned {
	int handle; /* 0: free slot */
	enum handle_kind kind;
	int users[MAX_USERS]; /* pids, 0 = free */
};
static struct owned table[MAX_HANDLES];

static struct owned *find(int handle)
{
	for (int i = 0; i < MAX_HANDLES; i++)
		if (table[i].handle == handle && handle > 0)
			return &table[i];
	return NULL;
}

static int user_slot(const struct owned *o, int pid)
{
	for (int i = 0; i < MAX_USERS; i++)
		if (o->users[i] == pid)
			return i;
	return -1;
}

int owner_add(int handle, enum handle_kind kind, int pid)
{
	struct owned *o = NULL;
	for (int i = 0; i < MAX_HANDLES && !o; i++)
		if (!table[i].handle)
			o = &table[i];
	if (!o)
		return -EMFILE;
	*o = (struct owned){ .handle = handle, .kind = kind, .users = { pid } };
	return 0;
}

bool owner_uses(int handle, int pid)
{
	struct owned *o = find(handle);
	return o && user_slot(o, pid) >= 0;
}

int owner_kind(int handle)
{
	struct owned *o = find(handle);
	return o ? (int)o->kind : -EBADF;
}

int owner_share(int handle, int from, int to)
{
	struct owned *o = find(handle);
	if (!o || user_slot(o, from) < 0)
		return -EBADF;
	if (to <= 0)
		return -EINVAL;
	if (user_slot(o, to) >= 0)
		return 0;
	int free = user_slot(o, 0);
	if (free < 0)
		return -EMFILE;
	o->users[free] = to;
	return 0;
}

static void close_in_stack(struct owned *o)
{
	if (o->kind == KIND_TCP)
		net_tcp_close(&stack, o->handle);
	else
		net_udp_close(&stack, o->handle);
	o->handle = 0;
}

int owner_release(int handle, int pid)
{
	struct owned *o = find(handle);
	int slot = o ? user_slot(o, pid) : -1;
	if (slot < 0)
		return -EBADF;
	o->users[slot] = 0;
	for (int i = 0; i < MAX_USERS; i++)
		if (o->users[i])
			return 0;
	close_in_stack(o);
	return 0;
}

unsigned owner_clients(void)
{
	int seen[MAX_HANDLES * MAX_USERS];
	unsigned n = 0;
	for (int i = 0; i < MAX_HANDLES; i++)
		for (int u = 0; table[i].handle && u < MAX_USERS; u++) {
			int pid = table[i].users[u];
			unsigned k = 0;
			while (pid && k < n && seen[k] != pid)
				k++;
			if (pid && k == n)
				seen[n++] = pid;
		}
	return n;
}

void client_died(int pid)
{
	if (pid <= 0)
		return;
	drop_parked_of(pid);
	for (int i = 0; i < MAX_HANDLES; i++)
		if (table[i].handle && user_slot(&table[i], pid) >= 0)
			owner_release(table[i].handle, pid);
}

/* The process list of the current sweep. */
static struct tsb_procinfo procs[256];
static int nprocs;

bool client_alive(int pid)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return strcmp(procs[i].state, "zombie") != 0;
	return false;
}

void sweep_dead_clients(void)
{
	nprocs = proc_list(procs, 256);
	if (nprocs <= 0)
		return;
	for (int i = 0; i < MAX_HANDLES; i++)
		for (int u = 0; table[i].handle && u < MAX_USERS; u++)
			if (table[i].users[u] && !client_alive(table[i].users[u]))
				client_died(table[i].users[u]);
	sweep_parked();
}
