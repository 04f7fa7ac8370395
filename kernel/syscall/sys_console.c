/* Console system calls. A process whose parent redirected its console
 * (telnetd, the gui terminal) reads and writes pipes instead of the UART;
 * the program cannot tell, which is the point. */
#include "kernel/console.h"
#include "kernel/pipe.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "tsubame/errno.h"

#define CHUNK 256

SYSCALL(console_write)
{
	char buf[CHUNK];
	struct pipe_end *out = process_current()->console_out;
	UNUSED_ARGS(a2, a3, a4, a5);

	if (out)
		return pipe_write_user(out, a0, a1);
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
	struct pipe_end *in = process_current()->console_in;
	UNUSED_ARGS(a3, a4, a5);

	if (in) /* 0 at end of file: the other side hung up */
		return pipe_read_user(in, a0, a1, (long)a2);
	if (!as_check(process_current()->as, a0, a1, TSB_PROT_WRITE))
		return -EFAULT;
	long n = console_read(buf, a1 < CHUNK ? a1 : CHUNK, (long)a2);
	if (n > 0 && copy_to_user(a0, buf, (size_t)n) != 0)
		return -EFAULT;
	return n;
}
