#ifndef KERNEL_FAT32FS_H
#define KERNEL_FAT32FS_H

#include <stdbool.h>

struct fs_ops;
extern const struct fs_ops fat32fs_ops;
extern const struct fs_ops fat32fs_ro_ops;

/* Mounts the FAT32 volume on block device `dev` at `path` with the
 * in-kernel instance of lib/fat32. */
int fat32fs_mount(unsigned dev, const char *path);
/* An in-kernel instance for dev, not mounted anywhere (for remounts). A
 * writable one first makes FSInfo's free count exact (fat32_recount). */
int fat32fs_open(unsigned dev, bool writable, void **fs);
/* Flushes and frees an instance; it never touches the disk again. */
int fat32fs_close(void *fs);

#endif
