/* Mounting: finding the FAT32 volume (partitionless, or through the MBR),
 * validating its BPB, reading FSInfo; and the volume-wide calls flush,
 * statfs and unmount. */
#include "fat32_int.h"

#define DEFAULT_CACHE     48u
#define DEFAULT_FAT_CACHE 16u
#define FAT_READAHEAD     64u  /* capped at half the FAT cache */
#define MIN_CACHE         4u
#define MAX_CACHE         65536u

/* BPB fields. */
#define BPB_BYTES_PER_SEC 11
#define BPB_SEC_PER_CLUS  13
#define BPB_RSVD_SECS     14
#define BPB_NUM_FATS      16
#define BPB_ROOT_ENTS     17
#define BPB_TOT_SEC16     19
#define BPB_FAT_SZ16      22
#define BPB_TOT_SEC32     32
#define BPB_FAT_SZ32      36
#define BPB_EXT_FLAGS     40
#define BPB_FS_VER        42
#define BPB_ROOT_CLUS     44
#define BPB_FSINFO        48
#define BS_FSTYPE32       82

#define EXT_NO_MIRROR     0x80  /* only the active FAT (low 4 bits) is used */

#define FSI_LEAD_SIG      0x41615252u
#define FSI_STRUC_SIG     0x61417272u
#define FSI_TRAIL_SIG     0xAA550000u
#define FSI_FREE          488
#define FSI_NEXT          492

#define MBR_TABLE         446
#define PART_FAT32_CHS    0x0B
#define PART_FAT32_LBA    0x0C

static bool has_signature(const uint8_t *s)
{
	return s[510] == 0x55 && s[511] == 0xAA;
}

/* A FAT boot sector of any FAT type: a jump instruction and either the
 * FAT32 type string or sane basic BPB fields. This tells a partitionless
 * volume from an MBR; parse_bpb then checks every field. */
static bool is_boot_sector(const uint8_t *s)
{
	uint16_t bps = le16(s + BPB_BYTES_PER_SEC);
	uint8_t spc = s[BPB_SEC_PER_CLUS];

	if (!((s[0] == 0xEB && s[2] == 0x90) || s[0] == 0xE9))
		return false;
	if (!memcmp(s + BS_FSTYPE32, "FAT32   ", 8))
		return true;
	return (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096) && spc && !(spc & (spc - 1)) &&
	       le16(s + BPB_RSVD_SECS) && s[BPB_NUM_FATS];
}

static uint32_t log2u(uint32_t v)
{
	uint32_t r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/* Validates a FAT32 BPB for a volume starting at sector `start` and fills
 * in the geometry. FAT32 is recognised by its BPB layout (no FAT12/16 FAT
 * size, no fixed root directory) rather than by cluster count, because
 * mkfs.fat -F 32 makes small volumes with fewer than 65525 clusters. */
static int parse_bpb(struct fat32 *fs, const uint8_t *s, uint64_t start)
{
	uint32_t spc = s[BPB_SEC_PER_CLUS], rsvd = le16(s + BPB_RSVD_SECS), nfats = s[BPB_NUM_FATS];
	uint32_t fatsz = le32(s + BPB_FAT_SZ32), total = le16(s + BPB_TOT_SEC16);
	uint16_t ext = le16(s + BPB_EXT_FLAGS), bps = le16(s + BPB_BYTES_PER_SEC);
	uint64_t data, clusters;

	if (!is_boot_sector(s))
		return -EUCLEAN;
	if (le16(s + BPB_FAT_SZ16) || le16(s + BPB_ROOT_ENTS))
		return -EMEDIUMTYPE;  /* FAT12 or FAT16 */
	if (!total)
		total = le32(s + BPB_TOT_SEC32);
	if (!has_signature(s) || !spc || (spc & (spc - 1)) || !rsvd || !nfats || !fatsz || !total ||
	    le16(s + BPB_FS_VER) || (bps != 512 && bps != 1024 && bps != 2048 && bps != 4096))
		return -EUCLEAN;
	if (bps != SECTOR_SIZE || spc > 64)
		return -EINVAL;       /* valid FAT32, but a sector or cluster size we do not support */
	data = rsvd + (uint64_t)nfats * fatsz;
	if (data >= total || start + total > fs->bd.sector_count)
		return -EUCLEAN;
	clusters = (total - data) / spc;
	/* The FAT must hold an entry for every cluster (plus the two reserved);
	 * 0x0FFFFFF5 is the largest cluster number the format allows. */
	if (!clusters || clusters > 0x0FFFFFF4u || (uint64_t)fatsz * (SECTOR_SIZE / 4) < clusters + 2)
		return -EUCLEAN;
	fs->cluster_count = (uint32_t)clusters;
	fs->cluster_shift = SECTOR_SHIFT + log2u(spc);
	fs->root_cluster = le32(s + BPB_ROOT_CLUS) & FAT_MASK;
	if (!cl_valid(fs, fs->root_cluster))
		return -EUCLEAN;
	fs->data_lba = start + data;
	fs->fat_lba = start + rsvd;
	if (ext & EXT_NO_MIRROR) {
		if ((ext & 0x0F) >= nfats)
			return -EUCLEAN;
		fs->fat_lba += (uint64_t)(ext & 0x0F) * fatsz;
		nfats = 1;
	}
	fs->fatc.copies = nfats;
	fs->fatc.stride = fatsz;
	/* A sequential read walks the FAT forward: a miss fetches the next
	 * FAT_READAHEAD sectors (16 KiB of FAT: 4096 clusters) at once. */
	int rc = cache_set_readahead(&fs->fatc, FAT_READAHEAD, fs->fat_lba + fatsz);
	if (rc)
		return rc;
	uint32_t fsi = le16(s + BPB_FSINFO);
	fs->fsinfo_lba = fsi && fsi < rsvd ? start + fsi : 0;
	return 0;
}

/* Sector 0 is either the volume's boot sector or an MBR whose first FAT32
 * partition holds the volume. Some MBRs (GRUB's) also start with a jump, so
 * a sector 0 that looks like a boot sector but fails validation still gets
 * its partition table tried; its own error is kept if that finds nothing. */
static int find_volume(struct fat32 *fs)
{
	uint8_t *s;
	uint64_t start = 0;
	int rc = cache_get(&fs->datac, 0, true, &s), bpb_rc = -EMEDIUMTYPE;

	if (rc)
		return rc;
	if (is_boot_sector(s)) {
		bpb_rc = parse_bpb(fs, s, 0);
		if (!bpb_rc)
			return 0;
	}
	if (!has_signature(s))
		return bpb_rc;
	for (int i = 0; i < 4 && !start; i++) {
		const uint8_t *pe = s + MBR_TABLE + 16 * i;
		if (pe[4] == PART_FAT32_CHS || pe[4] == PART_FAT32_LBA)
			start = le32(pe + 8);
	}
	if (!start)
		return bpb_rc;
	if (start >= fs->bd.sector_count)
		return -EUCLEAN;
	rc = cache_get(&fs->datac, start, true, &s);
	return rc ? rc : parse_bpb(fs, s, start);
}

static void read_fsinfo(struct fat32 *fs)
{
	uint8_t *s;

	fs->free_count = FREE_UNKNOWN;
	fs->next_free = 2;
	if (!fs->fsinfo_lba || cache_get(&fs->datac, fs->fsinfo_lba, true, &s) ||
	    le32(s) != FSI_LEAD_SIG || le32(s + 484) != FSI_STRUC_SIG || le32(s + 508) != FSI_TRAIL_SIG) {
		fs->fsinfo_lba = 0;  /* absent or damaged: never write it */
		return;
	}
	/* Both fields are hints. A claimed 0 is not trusted, since allocation
	 * would then refuse without looking. */
	uint32_t free = le32(s + FSI_FREE), next = le32(s + FSI_NEXT);
	if (free && free <= fs->cluster_count)
		fs->free_count = free;
	if (cl_valid(fs, next))
		fs->next_free = next;
}

static void release(struct fat32 *fs)
{
	cache_destroy(&fs->datac);
	cache_destroy(&fs->fatc);
	fat32_shim_free(fs);
}

static uint32_t cache_size(uint32_t want, uint32_t def)
{
	if (!want)
		return def;
	return want < MIN_CACHE ? MIN_CACHE : want > MAX_CACHE ? MAX_CACHE : want;
}

int fat32_mount(struct fat32 **fsp, const struct fat32_blockdev *bd, const struct fat32_config *cfg)
{
	struct fat32 *fs;
	int rc;

	*fsp = NULL;
	if (!bd || !bd->read || !bd->write || bd->sector_size != SECTOR_SIZE)
		return -EINVAL;
	fs = fat32_shim_alloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	memset(fs, 0, sizeof(*fs));
	fs->bd = *bd;
	rc = cache_init(&fs->datac, &fs->bd, cache_size(cfg ? cfg->cache_sectors : 0, DEFAULT_CACHE));
	if (!rc)
		rc = cache_init(&fs->fatc, &fs->bd, cache_size(cfg ? cfg->fat_cache_sectors : 0, DEFAULT_FAT_CACHE));
	if (!rc)
		rc = find_volume(fs);
	if (rc) {
		release(fs);
		return rc;
	}
	read_fsinfo(fs);
	*fsp = fs;
	return 0;
}

/* A writer may stop between any two device writes (fat32d killed, the
 * power lost), so the writes of a flush go in an order after which no
 * directory entry ever points at a cluster the FAT on the disk calls free
 * (whoever got that cluster next would share it):
 *  - clusters taken: the FAT first, then the entries that point at them
 *    (a stop in between leaks them);
 *  - clusters released: the entries first, then the FAT (same);
 *  - FSInfo's free count last: a stop before it leaves only the hint
 *    stale, which fat32_recount corrects.
 * A flush with both (the in-kernel FAT32 flushes many operations at once;
 * fat32d flushes each) keeps the FAT first. The same order holds when a
 * full cache evicts a dirty sector between flushes. */
void order_writes(struct fat32 *fs)
{
	fs->datac.flush_first = fs->alloc_pending ? &fs->fatc : NULL;
	fs->fatc.flush_first = fs->free_pending && !fs->alloc_pending ? &fs->datac : NULL;
}

int fat32_flush(struct fat32 *fs)
{
	/* Each cache first writes what must precede it (order_writes). */
	int rc = cache_flush(&fs->datac);

	if (!rc)
		rc = cache_flush(&fs->fatc);
	if (!rc && fs->fsinfo_lba && fs->fsinfo_dirty) {
		uint8_t *s;
		/* Never "unknown" on the disk (checkers call it uninitialised). */
		if (fs->free_count == FREE_UNKNOWN)
			rc = fat32_recount(fs);
		if (!rc)
			rc = cache_get(&fs->datac, fs->fsinfo_lba, true, &s);
		if (!rc) {
			put32(s + FSI_FREE, fs->free_count);
			put32(s + FSI_NEXT, fs->next_free);
			cache_dirty(&fs->datac, s);
			rc = cache_flush(&fs->datac);
		}
	}
	if (rc)
		return rc < 0 ? rc : -EIO;
	fs->fsinfo_dirty = false;
	fs->alloc_pending = fs->free_pending = false;
	order_writes(fs);
	if (fs->bd.flush)
		rc = fs->bd.flush(fs->bd.ctx);
	return rc < 0 ? rc : rc ? -EIO : 0;
}

int fat32_unmount(struct fat32 *fs)
{
	int rc = fat32_flush(fs);

	release(fs);
	return rc;
}

int fat32_recount(struct fat32 *fs)
{
	uint32_t n;
	int rc = fat_count_free(fs, &n);

	if (rc)
		return rc;
	if (n != fs->free_count)
		fs->fsinfo_dirty = true; /* FSInfo said otherwise: correct it */
	fs->free_count = n;
	fs->free_exact = true;
	return 0;
}

int fat32_statfs(struct fat32 *fs, struct fat32_statfs *out)
{
	if (fs->free_count == FREE_UNKNOWN) {
		int rc = fat32_recount(fs);
		if (rc)
			return rc;
	}
	out->sector_size = SECTOR_SIZE;
	out->cluster_size = cl_size(fs);
	out->total_clusters = fs->cluster_count;
	out->free_clusters = fs->free_count;
	return 0;
}
