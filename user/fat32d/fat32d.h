/* fat32d internals: the volumes it serves, its open handles and the
 * request dispatcher. */
#ifndef FAT32D_H
#define FAT32D_H

#include <stdbool.h>
#include <stdint.h>

#include "fat32/fat32.h"
#include "tsubame/fsproto.h"

#define FAT32D_DEVS 2

extern struct fat32 *volumes[FAT32D_DEVS]; /* NULL where a disk is absent */

/* Mounts dev with lib/fat32 over the raw block syscalls. */
int volume_mount(unsigned dev, struct fat32 **out);

/* Open files and directories, by handle number. */
int handle_open(unsigned dev, const struct fat32_node *node, uint64_t *handle);
struct fat32_node *handle_get(unsigned dev, uint64_t handle); /* NULL if bad */
int handle_close(unsigned dev, uint64_t handle);

/* Serves one request of `len` bytes from `sender`; fills the reply
 * header and data (a stat or directory record: up to 512 bytes) and
 * returns the reply's total length. */
size_t serve(int sender, const void *req, size_t len, void *reply);

/* Statistics, printed on request and at exit. */
extern uint64_t served[FSP_OP_MAX];

#endif
