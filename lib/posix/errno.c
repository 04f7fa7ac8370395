/* Kernel error codes (lib/include/tsubame/errno.h, Linux's numbers) to
 * newlib's errno values, which differ from the ENAMETOOLONG (36 vs 91)
 * onwards. The list of the kernel's codes is generated from its header at
 * build time (posix_errno_list.h: X(NAME, VALUE) per code), so a code added
 * there is translated here by its name, or fails to build if newlib has no
 * such name and no line below says what it becomes. */
#include <errno.h>

#include "posix.h"

/* Kernel codes newlib has no name for: the nearest POSIX meaning. */
#ifndef EUCLEAN
#define EUCLEAN EIO         /* a corrupt file system: an I/O error to a program */
#endif
#ifndef EMEDIUMTYPE
#define EMEDIUMTYPE EFTYPE  /* not a FAT32 volume: "inappropriate file type or format" */
#endif

int posix_errno(long kernel_err)
{
	switch (kernel_err < 0 ? -kernel_err : kernel_err) {
#define X(name, value) case value: return name;
#include "posix_errno_list.h"
#undef X
	default: return EIO; /* a code this library was not built with */
	}
}

long posix_ret(long r)
{
	if (r >= 0)
		return r;
	errno = posix_errno(r);
	return -1;
}

int posix_fail(int e)
{
	errno = e;
	return -1;
}
