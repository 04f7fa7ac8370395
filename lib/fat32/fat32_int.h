/* Internal declarations shared by the FAT32 library's source files. */
#ifndef TSUBAME_FAT32_INT_H
#define TSUBAME_FAT32_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fat32.h"
#include "fat32_shim.h"
#include "tsubame/errno.h"

#define SECTOR_SIZE   512u
#define SECTOR_SHIFT  9
#define DIRENT_SIZE   32u
#define DIR_MAX_SLOTS 65536u      /* the format's limit on entries per directory */
#define LFN_MAX_ENTS  20u         /* 20 * 13 = 260 UTF-16 units >= 255 */
#define LFN_CHARS     13u
#define NAME_UNITS    255u        /* longest long name in UTF-16 units */
#define MAX_DEPTH     4096u       /* bound on ".." walks up a corrupt tree */

#define FAT_MASK      0x0FFFFFFFu /* the top 4 bits of an entry are reserved */
#define FAT_EOC       0x0FFFFFFFu
#define FAT_EOC_MIN   0x0FFFFFF8u
#define FREE_UNKNOWN  0xFFFFFFFFu

/* Short directory entry layout. */
#define DE_ATTR       11
#define DE_NTRES      12
#define DE_CRT_TENTHS 13
#define DE_CRT_TIME   14
#define DE_CRT_DATE   16
#define DE_ACC_DATE   18
#define DE_CLUS_HI    20
#define DE_WRT_TIME   22
#define DE_WRT_DATE   24
#define DE_CLUS_LO    26
#define DE_SIZE       28

#define DE_FREE       0xE5        /* first name byte of a deleted entry */
#define ATTR_LFN      0x0F
#define ATTR_LFN_MASK 0x3F
#define LFN_LAST      0x40        /* ordinal flag on the last (first stored) LFN entry */
#define NTRES_LOW_BASE 0x08       /* NT: base name is all lower case */
#define NTRES_LOW_EXT  0x10       /* NT: extension is all lower case */

#define NODE_HELD 0x01
#define NODE_DEAD 0x02

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* le32 of a 4-byte aligned field (FAT entries in a cached sector): one
 * load instead of four on targets without fast misaligned access. */
static inline uint32_t le32_aligned(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, __builtin_assume_aligned(p, 4), sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static inline uint32_t de_cluster(const uint8_t *e)
{
	return ((uint32_t)le16(e + DE_CLUS_HI) << 16 | le16(e + DE_CLUS_LO)) & FAT_MASK;
}

static inline void de_set_cluster(uint8_t *e, uint32_t c)
{
	put16(e + DE_CLUS_HI, (uint16_t)(c >> 16));
	put16(e + DE_CLUS_LO, (uint16_t)c);
}

/* ---- cache.c: device access and write-back sector caches ---- */

struct cache_slot {
	uint64_t lba;
	uint32_t stamp;   /* LRU clock value of the last use */
	bool valid;
	bool dirty;
};

struct fat32_cache {
	const struct fat32_blockdev *bd;
	uint8_t *data;            /* n contiguous sectors */
	struct cache_slot *slot;
	uint32_t n;
	uint32_t clock;
	uint32_t copies;          /* a dirty sector goes to lba + k * stride, k < copies */
	uint64_t stride;
	uint32_t last;            /* slot of the last hit: walks stay in one sector */
	struct fat32_cache *flush_first; /* dirty sectors of this one reach the disk before ours */
	uint32_t ra;              /* sectors read per miss (the FAT: chain walks go forward) */
	uint64_t ra_end;          /* read-ahead stops here (end of the FAT) */
	uint8_t *ra_buf;          /* ra sectors */
};

int dev_read(const struct fat32_blockdev *bd, uint64_t lba, uint32_t count, void *buf);
int dev_write(const struct fat32_blockdev *bd, uint64_t lba, uint32_t count, const void *buf);
int cache_init(struct fat32_cache *c, const struct fat32_blockdev *bd, uint32_t n);
void cache_destroy(struct fat32_cache *c);
/* A miss at lba then reads up to `sectors` sectors from lba (never past
 * end) in one request and caches them all; -ENOMEM. */
int cache_set_readahead(struct fat32_cache *c, uint32_t sectors, uint64_t end);
/* Pointer to the cached sector at lba, valid until the next call on c.
 * fill = false skips reading a sector the caller overwrites entirely. */
int cache_get(struct fat32_cache *c, uint64_t lba, bool fill, uint8_t **out);
void cache_dirty(struct fat32_cache *c, const uint8_t *p);
int cache_flush(struct fat32_cache *c);
/* Keeps the cache coherent with direct transfers that bypass it. */
void cache_overlay(const struct fat32_cache *c, uint64_t lba, uint32_t count, uint8_t *buf);
void cache_discard(struct fat32_cache *c, uint64_t lba, uint32_t count);
int cache_zero(struct fat32_cache *c, uint64_t lba, uint32_t count);

/* ---- the volume (volume.c) ---- */

struct fat32 {
	struct fat32_blockdev bd;
	uint64_t fat_lba;         /* the FAT copy we read (copy 0, or the active one) */
	uint64_t data_lba;        /* sector of cluster 2 */
	uint64_t fsinfo_lba;      /* 0 when the volume has no valid FSInfo */
	uint32_t cluster_count;   /* valid clusters are 2 .. cluster_count + 1 */
	uint32_t root_cluster;
	uint32_t cluster_shift;   /* log2 of the cluster size in bytes */
	uint32_t free_count;      /* FREE_UNKNOWN until known */
	bool free_exact;          /* counted by us, not just FSInfo's hint */
	uint32_t next_free;       /* where the next allocation search starts */
	bool fsinfo_dirty;
	bool alloc_pending;       /* since the last flush: clusters taken ... */
	bool free_pending;        /* ... and released (they order the writes) */
	uint32_t chain_gen;       /* bumped whenever a link changes: drops hints and runs */
	struct fat_known_run {    /* clusters start .. start+len-1 link one to the next */
		uint32_t start, len, gen, stamp;
	} runs[8];                /* so rereading a big file does not rescan its FAT */
	uint32_t run_clock;
	struct fat32_cache fatc;  /* FAT sectors, written to every FAT copy */
	struct fat32_cache datac; /* everything else */
	struct fat32_node *held;
};

static inline bool cl_valid(const struct fat32 *fs, uint32_t c)
{
	return c >= 2 && c - 2 < fs->cluster_count;
}

static inline uint64_t cl_lba(const struct fat32 *fs, uint32_t c)
{
	return fs->data_lba + ((uint64_t)(c - 2) << (fs->cluster_shift - SECTOR_SHIFT));
}

static inline uint32_t cl_size(const struct fat32 *fs)
{
	return 1u << fs->cluster_shift;
}

/* ---- fat.c: the allocation table ---- */

/* Sets the order in which the two caches reach the disk, from what is
 * pending (volume.c: the rule is explained at fat32_flush). */
void order_writes(struct fat32 *fs);

int fat_get(struct fat32 *fs, uint32_t c, uint32_t *val);
int fat_set(struct fat32 *fs, uint32_t c, uint32_t val);
/* Next cluster of a chain, 0 at its end; -EUCLEAN for a free, bad or
 * out-of-range link. */
int fat_next(struct fat32 *fs, uint32_t c, uint32_t *next);
/* The contiguous run that starts at c: *len (1..max) clusters c, c+1, ...
 * each linked to the following one. *next is the link out of the last of
 * them when known (0 at the end of the chain, or when not looked at). */
int fat_run(struct fat32 *fs, uint32_t c, uint32_t max, uint32_t *len, uint32_t *next);
/* Allocates one cluster (marked end of chain) and links it after prev
 * (0 = none), preferring prev + 1 so files stay contiguous. */
int fat_alloc(struct fat32 *fs, uint32_t prev, uint32_t *out);
int fat_free_chain(struct fat32 *fs, uint32_t first);
int fat_count_free(struct fat32 *fs, uint32_t *out);

/* ---- name.c: names ---- */

enum sfn_kind {
	SFN_EXACT,   /* the name is a valid 8.3 name (case via NTRes flags): no LFN */
	SFN_CASE,    /* 8.3 after upper-casing, but mixed case: LFN + plain alias */
	SFN_LOSSY,   /* too long or changed: LFN + alias with a ~N tail */
};

int name_check(const char *name, size_t len, size_t *clean_len);
int name_dots(const char *name, size_t len);  /* 1 for ".", 2 for "..", else 0 */
bool name_eq(const char *entry, const char *name, size_t len);
int name_to_utf16(const char *s, size_t len, uint16_t *out, size_t *n);
size_t utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap);
uint8_t sfn_checksum(const uint8_t *raw);
void sfn_display(const uint8_t *raw, uint8_t ntres, char out[13]);
enum sfn_kind sfn_basis(const uint16_t *u, size_t n, uint8_t raw[11], uint8_t *ntres);
bool sfn_tail_of(const uint8_t *raw, const uint8_t *basis, uint32_t *num);
void sfn_with_tail(uint8_t raw[11], const uint8_t *basis, uint32_t num);

/* ---- dir.c: directory entries ---- */

struct dir_cursor {
	uint32_t first;    /* first cluster of the directory */
	uint32_t idx;      /* chain position of `cluster` */
	uint32_t cluster;  /* 0 = not positioned yet */
};

struct dir_found {
	uint32_t slot;         /* short entry */
	uint32_t first_slot;   /* first of its LFN entries (= slot if none) */
	uint64_t lba;          /* where the short entry lives */
	uint16_t off;
	uint8_t raw[DIRENT_SIZE];
	char name[FAT32_NAME_MAX + 1];
	char short_name[13];
};

void dir_cursor_init(struct dir_cursor *c, uint32_t first);
int dir_slot(struct fat32 *fs, struct dir_cursor *c, uint32_t slot, uint8_t **ent, uint64_t *lba, uint16_t *off);
int dir_next(struct fat32 *fs, struct dir_cursor *c, uint32_t *slot, struct dir_found *f);
int dir_find(struct fat32 *fs, uint32_t dir, const char *name, size_t len, struct dir_found *f);
int dir_add(struct fat32 *fs, uint32_t dir, const char *name, size_t len, uint8_t *ent, struct dir_found *f);
int dir_remove(struct fat32 *fs, uint32_t dir, uint32_t first_slot, uint32_t slot, uint8_t *saved);
int dir_restore(struct fat32 *fs, uint32_t dir, uint32_t first_slot, uint32_t slot, const uint8_t *saved);
int dir_is_empty(struct fat32 *fs, uint32_t dir);
int dir_init(struct fat32 *fs, uint32_t cluster, uint32_t parent, const uint8_t *tmpl);
int dir_parent(struct fat32 *fs, uint32_t dir, uint32_t *parent, uint8_t **dotdot);

/* ---- node.c: nodes ---- */

uint32_t fat_now(void);  /* shim time, or 1980-01-01 if unknown */

void node_fill(struct fat32_node *n, uint32_t dir, const struct dir_found *f);
int node_refresh(struct fat32 *fs, struct fat32_node *n);
int node_store(struct fat32 *fs, struct fat32_node *n);
void nodes_moved(struct fat32 *fs, uint32_t dir, uint32_t slot, uint32_t new_dir, const struct dir_found *f);
void nodes_killed(struct fat32 *fs, uint32_t dir, uint32_t slot);

/* ---- file.c ---- */

int zero_sectors(struct fat32 *fs, uint64_t lba, uint32_t count);

#endif
