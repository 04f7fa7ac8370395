/* Checked access to the current process's memory: a pointer is good only
 * if the process really mapped it with the needed permission (not merely
 * "below USER_TOP"); the arch copy then also survives a racing unmap. */
#include "kernel/heap.h"
#include "kernel/process.h"
#include "tsubame/errno.h"

int copy_from_user(void *dst, uintptr_t usrc, size_t len)
{
	struct process *p = process_current();

	if (!p || !as_check(p->as, usrc, len, TSB_PROT_READ))
		return -EFAULT;
	return arch_copy_from_user(dst, (const void *)usrc, len);
}

int copy_to_user(uintptr_t udst, const void *src, size_t len)
{
	struct process *p = process_current();

	if (!p || !as_check(p->as, udst, len, TSB_PROT_READ | TSB_PROT_WRITE))
		return -EFAULT;
	return arch_copy_to_user((void *)udst, src, len);
}

int strdup_from_user(uintptr_t usrc, size_t max, char **out)
{
	struct process *p = process_current();

	if (!p || !as_check(p->as, usrc, 1, TSB_PROT_READ))
		return -EFAULT;
	long n = arch_strnlen_user((const char *)usrc, max);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= max)
		return -ENAMETOOLONG;
	if (!as_check(p->as, usrc, (size_t)n + 1, TSB_PROT_READ))
		return -EFAULT;
	char *s = kmalloc((size_t)n + 1);
	if (!s)
		return -ENOMEM;
	int err = arch_copy_from_user(s, (const void *)usrc, (size_t)n + 1);
	if (err || s[n] != '\0') {
		kfree(s);
		return err ? err : -EFAULT; /* changed under us */
	}
	*out = s;
	return 0;
}
