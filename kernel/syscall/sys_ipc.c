/* IPC and block-device system calls. */
#include "kernel/blockdev.h"
#include "kernel/ipc.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

SYSCALL(ipc_send)
{
	UNUSED_ARGS(a4, a5);
	return ipc_send((int)a0, a1, a2, (long)a3);
}

static long recv_common(int from, sysarg_t usender, sysarg_t ubuf, sysarg_t len, sysarg_t timeout)
{
	int sender = 0;

	if (usender && !as_check(process_current()->as, usender, sizeof sender, TSB_PROT_WRITE))
		return -EFAULT;
	long n = ipc_recv(from, &sender, ubuf, len, (long)timeout);
	if (n >= 0 && usender && copy_to_user(usender, &sender, sizeof sender) != 0)
		return -EFAULT;
	return n;
}

SYSCALL(ipc_recv)
{
	UNUSED_ARGS(a4, a5);
	return recv_common(IPC_ANY, a0, a1, a2, a3);
}

SYSCALL(ipc_recv_from)
{
	UNUSED_ARGS(a4, a5);
	if ((long)a0 <= 0)
		return -EINVAL;
	return recv_common((int)a0, 0, a1, a2, a3);
}

SYSCALL(ipc_trace)
{
	UNUSED_ARGS(a1, a2, a3, a4, a5);
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
