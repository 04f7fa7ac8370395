/* lib/libc/string.c under tsb_* names (see string_rename.h). */
#define memcpy tsb_memcpy
#define memmove tsb_memmove
#define memset tsb_memset
#define memcmp tsb_memcmp
#define memchr tsb_memchr
#define strlen tsb_strlen
#define strnlen tsb_strnlen
#define strcmp tsb_strcmp
#define strncmp tsb_strncmp
#define strchr tsb_strchr
#define strrchr tsb_strrchr
#define strstr tsb_strstr
#define strlcpy tsb_strlcpy
#include "../libc/string.c"
