/* Range checks around the assembly copy loops in copyloops.S. */
#include "arch.h"
#include "tsubame/errno.h"

long riscv_user_copy(void *dst, const void *src, size_t n);
long riscv_user_strnlen(const char *s, size_t max);

static int user_range_ok(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;
	return a + n >= a && a + n <= USER_TOP;
}

int arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	return user_range_ok(usrc, n) ? (int)riscv_user_copy(dst, usrc, n) : -EFAULT;
}

int arch_copy_to_user(void *udst, const void *src, size_t n)
{
	return user_range_ok(udst, n) ? (int)riscv_user_copy(udst, src, n) : -EFAULT;
}

long arch_strnlen_user(const char *usrc, size_t max)
{
	if (!user_range_ok(usrc, 1))
		return -EFAULT;
	/* Scan no further than USER_TOP: a string that would go on past it is
	 * not a user string. */
	size_t limit = max < USER_TOP - (uintptr_t)usrc ? max : USER_TOP - (uintptr_t)usrc;
	long len = riscv_user_strnlen(usrc, limit);
	if (len >= 0 && (size_t)len == limit && limit < max)
		return -EFAULT;
	return len;
}
