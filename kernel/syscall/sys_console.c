/* Console system calls. */
#include "kernel/console.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

#define CHUNK 256

SYSCALL(console_write)
{
	char buf[CHUNK];
	UNUSED_ARGS(a2, a3, a4, a5);

	if (!as_check(process_current()->as, a0, a1, TSB_PROT_READ))
		return -EFAULT;
	for (sysarg_t done = 0; done < a1;) {
		size_t n = a1 - done < CHUNK ? a1 - done : CHUNK;
		if (copy_from_user(buf, a0 + done, n) != 0)
			return -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return (long)a1;
}

SYSCALL(console_read)
{
	char buf[CHUNK];
	UNUSED_ARGS(a3, a4, a5);

	if (!as_check(process_current()->as, a0, a1, TSB_PROT_WRITE))
		return -EFAULT;
	long n = console_read(buf, a1 < CHUNK ? a1 : CHUNK, (long)a2);
	if (n > 0 && copy_to_user(a0, buf, (size_t)n) != 0)
		return -EFAULT;
	return n;
}
