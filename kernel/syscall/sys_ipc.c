/* IPC and block-device system calls. */
#include "kernel/blockdev.h"
#include "kernel/ipc.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

SYSCALL(ipc_send)
{
	UNUSED_ARGS(a4, a5);
	if (!pid_fits(a0))
		return -ESRCH;
	return ipc_send((int)a0, a1, a2, (long)a3);
}

SYSCALL(ipc_recv)
{
	struct tsb_ipc_info info;
	UNUSED_ARGS(a4, a5);

	if (a0 && !as_check(process_current()->as, a0, sizeof info, TSB_PROT_WRITE))
		return -EFAULT; /* checked first: a call's token must not be lost */
	long n = ipc_recv(IPC_ANY, &info, a1, a2, (long)a3);
	if (n >= 0 && a0 && copy_to_user(a0, &info, sizeof info) != 0)
		return -EFAULT;
	return n;
}

SYSCALL(ipc_recv_from)
{
	struct tsb_ipc_info info;
	UNUSED_ARGS(a4, a5);

	if ((long)a0 <= 0 || !pid_fits(a0))
		return -EINVAL;
	return ipc_recv((int)a0, &info, a1, a2, (long)a3);
}

SYSCALL(ipc_request)
{
	UNUSED_ARGS(a5);
	if (!pid_fits(a0))
		return -ESRCH;
	return ipc_request((int)a0, a1, a2, a3, (long)a4);
}

SYSCALL(ipc_await)
{
	UNUSED_ARGS(a4, a5);
	return ipc_await((long)a0, a1, a2, (long)a3);
}

SYSCALL(ipc_cancel)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	return ipc_cancel((long)a0);
}

SYSCALL(ipc_reply)
{
	UNUSED_ARGS(a3, a4, a5);
	return ipc_reply((uint64_t)a0, a1, a2);
}

SYSCALL(ipc_accept)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	if (!pid_fits(a0))
		return -ESRCH;
	return ipc_accept((int)a0, (uint32_t)a1);
}

SYSCALL(ipc_trace)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	if (!(process_current()->authority & TSB_AUTH_TRACE))
		return -EPERM; /* it shows who talks to whom */
	return ipc_trace_set(a0 != 0);
}

/* ---- Raw block access: only for processes granted block authority ---- */

/* The device reads into (or writes from) the caller's own pages: they are
 * checked against its mappings here. Physically contiguous stretches go to
 * the driver as direct-map addresses (one segment each, no page walks);
 * the rest page by page. No bounce buffer, no copy. */
static long block_io(sysarg_t dev, sysarg_t lba, sysarg_t count, sysarg_t ubuf, bool write)
{
	if (!(process_current()->authority & TSB_AUTH_BLOCK))
		return -EPERM;
	struct blockdev *bd = blockdev_get((unsigned)dev);
	if (!bd)
		return -ENODEV;
	if (count == 0 || count > (1u << 20) || lba >= bd->sector_count || count > bd->sector_count - lba)
		return -ERANGE;
	if (!as_check(process_current()->as, ubuf, count * bd->sector_size,
		      write ? TSB_PROT_READ : TSB_PROT_WRITE))
		return -EFAULT;
	struct addrspace *as = process_current()->as;
	int err = 0;
	while (!err && count) {
		size_t n = count * bd->sector_size;
		void *k = as_direct(as, ubuf, &n);
		uint32_t sectors = (uint32_t)(n / bd->sector_size);
		if (!k || sectors == 0) { /* less than a sector is contiguous: the slow way */
			k = (void *)ubuf;
			sectors = (uint32_t)count;
		}
		err = write ? blockdev_write(bd, lba, sectors, k) : blockdev_read(bd, lba, sectors, k);
		lba += sectors;
		count -= sectors;
		ubuf += (sysarg_t)sectors * bd->sector_size;
	}
	return err;
}

SYSCALL(block_read)
{
	UNUSED_ARGS(a4, a5);
	return block_io(a0, a1, a2, a3, false);
}

SYSCALL(block_write)
{
	UNUSED_ARGS(a4, a5);
	return block_io(a0, a1, a2, a3, true);
}

SYSCALL(block_flush)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
	if (!(process_current()->authority & TSB_AUTH_BLOCK))
		return -EPERM;
	struct blockdev *bd = blockdev_get((unsigned)a0);
	return bd ? blockdev_flush(bd) : -ENODEV;
}

SYSCALL(block_info)
{
	UNUSED_ARGS(a2, a3, a4, a5);
	if (!(process_current()->authority & TSB_AUTH_BLOCK))
		return -EPERM;
	struct blockdev *bd = blockdev_get((unsigned)a0);
	if (!bd)
		return -ENODEV;
	struct tsb_blockinfo bi = { bd->sector_count, bd->sector_size, bd->max_sectors_per_request };
	return copy_to_user(a1, &bi, sizeof bi);
}
