/* lib/libc's malloc and stdlib under tsb_* names, on top of a fake heap
 * break (tsb_sbrk, in test_libc.c), so they can run on the host next to
 * the C library's own. The host headers come first, with their own names;
 * the renames apply to everything after them. */
#include <stdlib.h>
#include <string.h>

#define malloc tsb_malloc
#define calloc tsb_calloc
#define realloc tsb_realloc
#define free tsb_free
#define strtol tsb_strtol
#define atoi tsb_atoi
#define getenv tsb_getenv
#define environ tsb_environ
#define sbrk tsb_sbrk
#define abort tsb_abort
#define exit tsb_exit
#define strerror tsb_strerror
#include "../libc/malloc.c"
#include "../libc/stdlib.c"
