/* Raw frame system calls for netd, the user-space TCP/IP stack. Only a
 * process holding network authority (init grants it to netd) may use them:
 * anyone else could otherwise read or forge every packet. */
#include "kernel/netdev.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

static struct netdev *net_for_caller(long *err)
{
	struct netdev *nd = netdev_get();

	*err = !(process_current()->authority & TSB_AUTH_NET) ? -EPERM : !nd ? -ENODEV : 0;
	return *err ? NULL : nd;
}

SYSCALL(net_send_frame)
{
	char frame[NETDEV_MTU_FRAME];
	long err;
	struct netdev *nd = net_for_caller(&err);
	UNUSED_ARGS(a2, a3, a4, a5);

	if (!nd)
		return err;
	if (a1 < 14 || a1 > sizeof frame)
		return -EINVAL;
	if (copy_from_user(frame, a0, a1) != 0)
		return -EFAULT;
	return nd->send(nd, frame, a1);
}

SYSCALL(net_recv_frame)
{
	char frame[NETDEV_MTU_FRAME];
	long err;
	struct netdev *nd = net_for_caller(&err);
	UNUSED_ARGS(a3, a4, a5);

	if (!nd)
		return err;
	struct process *p = process_current();
	if (!as_check(p->as, a0, a1, TSB_PROT_WRITE))
		return -EFAULT;
	/* netd waits for frames and requests at once: a message in its
	 * mailbox ends the wait with -EAGAIN (no frame, but look at IPC). */
	p->wake_on_ipc = true;
	if (timeout_check((long)a2))
		return -EINVAL;
	irq_flags_t f = arch_irq_save();
	long timeout = ipc_pending(p) ? TSB_NO_WAIT : (long)a2;
	arch_irq_restore(f);
	long n = nd->recv(nd, frame, a1 < sizeof frame ? a1 : sizeof frame, timeout);
	p->wake_on_ipc = false;
	if (n > 0 && copy_to_user(a0, frame, (size_t)n) != 0)
		return -EFAULT;
	return n;
}

SYSCALL(net_get_mac)
{
	long err;
	struct netdev *nd = net_for_caller(&err);
	UNUSED_ARGS(a1, a2, a3, a4, a5);

	return nd ? copy_to_user(a0, nd->mac, 6) : err;
}
