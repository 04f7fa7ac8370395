/* The current directory. The kernel only knows absolute paths, so the
 * shell keeps a current directory of its own and turns every path the user
 * types into an absolute one before any system call sees it. ".." is
 * resolved here, lexically, the same way the kernel normalises paths, so
 * that "cd .." from a mount point such as /host leads to "/". */
#include <string.h>

#include "path/path.h"
#include "shell.h"

static char cwd[TSB_PATH_MAX] = "/";

const char *cwd_get(void)
{
	return cwd;
}

void cwd_set(const char *abs)
{
	strlcpy(cwd, abs, sizeof cwd);
}

int path_resolve(const char *in, char *out, size_t size)
{
	static char joined[2 * TSB_PATH_MAX + 2];
	size_t n = strlen(in);

	if (n == 0)
		return -ENOENT;
	if (size < 2)
		return -ENAMETOOLONG;
	if (in[0] == '/') {
		if (n >= sizeof joined)
			return -ENAMETOOLONG;
		memcpy(joined, in, n + 1);
	} else {
		size_t c = strlen(cwd);
		if (c + 1 + n >= sizeof joined)
			return -ENAMETOOLONG;
		memcpy(joined, cwd, c);
		joined[c] = '/';
		memcpy(joined + c + 1, in, n + 1);
	}
	return path_normalize(joined, out, size);
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}
