/* What the FAT32 library needs from its host. The kernel, the daemon and the
 * host tests each provide these three functions. */
#ifndef TSUBAME_FAT32_SHIM_H
#define TSUBAME_FAT32_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* Memory for the volume state and caches, taken only at mount. NULL on
 * failure (mount then returns -ENOMEM). */
void *fat32_shim_alloc(size_t size);
void fat32_shim_free(void *p);

/* The current time as a FAT timestamp: date << 16 | time, where
 * date = (year - 1980) << 9 | month << 5 | day and
 * time = hour << 11 | minute << 5 | second / 2 (fat32_timestamp makes one
 * from seconds since 1970; Tsubame's hosts give UTC). Return 0 if the time
 * is not known; the library then uses 1980-01-01 00:00:00. */
uint32_t fat32_shim_now(void);

#endif
