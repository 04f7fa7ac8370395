/* The current directory. The kernel only knows absolute paths, so the
 * shell keeps a current directory of its own and turns every path the user
 * types into an absolute one before any system call sees it. ".." is
 * resolved here, lexically, the same way the kernel normalises paths, so
 * that "cd .." from a mount point such as /host leads to "/". */
#include <string.h>

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

/* Collapses "//", "." and ".." of an absolute path into out. */
static int normalize(const char *in, char *out, size_t size)
{
	size_t len = 0;

	while (*in) {
		while (*in == '/')
			in++;
		const char *c = in;
		while (*in && *in != '/')
			in++;
		size_t n = (size_t)(in - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
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
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
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
	return normalize(joined, out, size);
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}
