/* Copies between kernel and user memory. The range check here is the
 * hardware one (a user pointer must lie entirely below USER_TOP, so it can
 * never reach the kernel half or be non-canonical, whose #GP would not say
 * where); whether the pages are the process's is the caller's check. A
 * fault inside the copy becomes -EFAULT through the exception table
 * (usercopy.S). stac/clac open SMAP for exactly the copy. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "cpu.h"
#include "tsubame/errno.h"

size_t uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_strnlen(const char *s, size_t max);

static bool user_range(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;

	return a <= USER_TOP && n <= USER_TOP - a; /* and so no wrap-around */
}

int arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range(usrc, n))
		return -EFAULT;
	user_access_begin();
	size_t left = uaccess_copy(dst, usrc, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

int arch_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range(udst, n))
		return -EFAULT;
	user_access_begin();
	size_t left = uaccess_copy(udst, src, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

long arch_strnlen_user(const char *usrc, size_t max)
{
	uintptr_t a = (uintptr_t)usrc;

	if (a >= USER_TOP)
		return -EFAULT;
	/* Scan no further than USER_TOP: a string that would go on past it is
	 * not a user string. */
	size_t limit = max < USER_TOP - a ? max : USER_TOP - a;
	user_access_begin();
	long len = uaccess_strnlen(usrc, limit);
	user_access_end();
	if (len < 0 || ((size_t)len == limit && limit < max))
		return -EFAULT;
	return len;
}
