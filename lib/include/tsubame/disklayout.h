/* Layout of Tsubame's disk images outside the FAT32 partition, shared by
 * the image script (which mirrors these numbers), the in-guest block tests
 * and the host-side checks. The gap between the MBR and the partition at
 * LBA 2048 is otherwise unused. */
#ifndef TSUBAME_DISKLAYOUT_H
#define TSUBAME_DISKLAYOUT_H

#include <stdint.h>

#define DISK_PARTITION_LBA 2048u
#define DISK_PATTERN_LBA 64u        /* known bytes written by the image script */
#define DISK_PATTERN_SECTORS 256u   /* 128 KiB */
#define DISK_SCRATCH_LBA 1024u      /* tests may write here */
#define DISK_SCRATCH_SECTORS 1024u
#define DISK_SEED_DEV0 0x11u        /* pattern seeds tell the two disks apart */
#define DISK_SEED_DEV1 0x22u
#define DISK_SEED_SCRATCH 0x5cu     /* what the selftest writes to dev 0's scratch */

/* Byte `off` (from the start of the region) of the pattern with `seed`. */
static inline uint8_t disk_pattern_byte(uint32_t off, uint32_t seed)
{
	return (uint8_t)(off * 7u + (off >> 9) * 13u + seed);
}

#endif
