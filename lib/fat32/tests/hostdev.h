/* Host side of the FAT32 library for tests and the fuzzer: the shim
 * (malloc, local time) and a block device over a file or memory that
 * counts requests and can inject errors. */
#ifndef FAT32_TEST_HOSTDEV_H
#define FAT32_TEST_HOSTDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fat32.h"

/* ---- shim ---- */
extern long shim_alloc_fail_after;  /* -1: never; n: the (n+1)-th alloc fails */

/* ---- block device ---- */
struct hostdev {
	struct fat32_blockdev bd;
	int fd;            /* file-backed, or -1 */
	uint8_t *mem;      /* memory-backed (not owned) */
	uint64_t reads, writes, flushes;
	uint64_t multi_reads, multi_writes;   /* requests for more than one sector */
	uint64_t max_read, max_write;         /* largest request, in sectors */
	uint64_t read_sectors, write_sectors;
	long fail_reads_after;                /* -1: never */
	long fail_writes_after;
};

int hostdev_file(struct hostdev *d, const char *path);
void hostdev_mem(struct hostdev *d, void *mem, size_t bytes);
void hostdev_close(struct hostdev *d);
void hostdev_reset(struct hostdev *d);

#endif
