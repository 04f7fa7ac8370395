/* Absolute path normalisation (kernel VFS and user programs alike). */
#ifndef TSUBAME_PATH_H
#define TSUBAME_PATH_H

#include <stddef.h>

#define PATH_NAME_MAX 255 /* bytes in one component */

/* Collapses repeated '/', "." and ".." (which stops at the root) of an
 * absolute path into out. 0, -EINVAL (not absolute) or -ENAMETOOLONG. */
int path_normalize(const char *in, char *out, size_t size);

#endif
