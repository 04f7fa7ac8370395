/* Lexical path normalisation, shared by the kernel's VFS and the shell.
 * Resolving ".." here, before any file system sees the path, is what keeps
 * a path from climbing out of a mount, and it makes "cd .." in the shell
 * agree with the kernel. */
#include "path/path.h"

#include <string.h>

#include "tsubame/errno.h"

int path_normalize(const char *in, char *out, size_t size)
{
	size_t len = 0;

	if (!in || in[0] != '/')
		return -EINVAL;
	if (size < 2)
		return -ENAMETOOLONG;
	while (*in) {
		while (*in == '/')
			in++;
		const char *c = in;
		while (*in && *in != '/')
			in++;
		size_t n = (size_t)(in - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n > PATH_NAME_MAX)
			return -ENAMETOOLONG;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (len > 0 && out[--len] != '/')
				; /* drop the last component and its '/' */
			continue;
		}
		if (len + 1 + n + 1 > size)
			return -ENAMETOOLONG;
		out[len++] = '/';
		memcpy(out + len, c, n);
		len += n;
		/* `len` indexes the end; the loop above scans back from it. */
		out[len] = '\0';
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}
