/* Nodes: the caller-held view of one directory entry. Every node call first
 * refreshes the node from its entry; changes are stored back to the entry
 * and copied into held nodes for the same file, which is how several opens
 * of one file stay coherent. Also stat and FAT time conversion. */
#include "fat32_int.h"
#include "time/civil.h"

#define FAT_EPOCH_DATE 0x0021u  /* 1980-01-01 */

uint32_t fat_now(void)
{
	uint32_t t = fat32_shim_now();

	return t ? t : (uint32_t)FAT_EPOCH_DATE << 16;
}

static bool same_entry(const struct fat32_node *a, uint32_t dir, uint32_t slot)
{
	return a->dir_cluster == dir && a->entry == slot;
}

void node_fill(struct fat32_node *n, uint32_t dir, const struct dir_found *f)
{
	memset(n, 0, sizeof(*n));
	n->dir_cluster = dir;
	n->entry = f->slot;
	n->ent_lba = f->lba;
	n->ent_off = f->off;
	n->first_cluster = de_cluster(f->raw);
	n->attr = f->raw[DE_ATTR];
	n->size = n->attr & FAT32_ATTR_DIR ? 0 : le32(f->raw + DE_SIZE);
}

void fat32_root(struct fat32 *fs, struct fat32_node *out)
{
	memset(out, 0, sizeof(*out));
	out->first_cluster = fs->root_cluster;
	out->attr = FAT32_ATTR_DIR;
}

/* The node's entry in the cache, checked to still be a live entry of the
 * same kind (file or directory). */
static int node_entry(struct fat32 *fs, struct fat32_node *n, uint8_t **out)
{
	uint8_t *p;
	int rc;

	if (n->flags & NODE_DEAD)
		return -ENOENT;
	if (n->ent_off > SECTOR_SIZE - DIRENT_SIZE)
		return -EINVAL;
	rc = cache_get(&fs->datac, n->ent_lba, true, &p);
	if (rc)
		return rc;
	p += n->ent_off;
	if (p[0] == 0 || p[0] == DE_FREE || (p[DE_ATTR] & ATTR_LFN_MASK) == ATTR_LFN ||
	    (p[DE_ATTR] & (FAT32_ATTR_VOLUME | FAT32_ATTR_DIR)) != (n->attr & (FAT32_ATTR_VOLUME | FAT32_ATTR_DIR)))
		return -ENOENT;
	*out = p;
	return 0;
}

int node_refresh(struct fat32 *fs, struct fat32_node *n)
{
	uint8_t *p;
	int rc;

	if (!n->dir_cluster) {
		if (n->flags & NODE_DEAD)
			return -ENOENT;
		n->first_cluster = fs->root_cluster;
		n->attr = FAT32_ATTR_DIR;
		n->size = 0;
		return 0;
	}
	rc = node_entry(fs, n, &p);
	if (rc)
		return rc;
	n->first_cluster = de_cluster(p);
	n->attr = p[DE_ATTR];
	n->size = n->attr & FAT32_ATTR_DIR ? 0 : le32(p + DE_SIZE);
	if ((n->attr & FAT32_ATTR_DIR) && !cl_valid(fs, n->first_cluster))
		return -EUCLEAN;
	return 0;
}

/* Writes size and first cluster to the entry, stamps the modification time,
 * sets the archive bit, and updates held nodes of the same file. */
int node_store(struct fat32 *fs, struct fat32_node *n)
{
	uint32_t now = fat_now();
	uint8_t *p;
	int rc;

	if (!n->dir_cluster)
		return 0;
	rc = node_entry(fs, n, &p);
	if (rc)
		return rc;
	de_set_cluster(p, n->first_cluster);
	put32(p + DE_SIZE, n->size);
	p[DE_ATTR] |= FAT32_ATTR_ARCHIVE;
	put16(p + DE_WRT_TIME, (uint16_t)now);
	put16(p + DE_WRT_DATE, (uint16_t)(now >> 16));
	put16(p + DE_ACC_DATE, (uint16_t)(now >> 16));
	cache_dirty(&fs->datac, p);
	n->attr = p[DE_ATTR];
	for (struct fat32_node *h = fs->held; h; h = h->held_next) {
		if (h != n && same_entry(h, n->dir_cluster, n->entry)) {
			h->first_cluster = n->first_cluster;
			h->size = n->size;
			h->attr = n->attr;
		}
	}
	return 0;
}

void nodes_moved(struct fat32 *fs, uint32_t dir, uint32_t slot, uint32_t new_dir, const struct dir_found *f)
{
	for (struct fat32_node *h = fs->held; h; h = h->held_next) {
		if (same_entry(h, dir, slot) && !(h->flags & NODE_DEAD)) {
			h->dir_cluster = new_dir;
			h->entry = f->slot;
			h->ent_lba = f->lba;
			h->ent_off = f->off;
		}
	}
}

void nodes_killed(struct fat32 *fs, uint32_t dir, uint32_t slot)
{
	for (struct fat32_node *h = fs->held; h; h = h->held_next)
		if (same_entry(h, dir, slot))
			h->flags |= NODE_DEAD;
}

void fat32_hold(struct fat32 *fs, struct fat32_node *n)
{
	if (n->flags & NODE_HELD)
		return;
	n->flags |= NODE_HELD;
	n->held_next = fs->held;
	fs->held = n;
}

void fat32_release(struct fat32 *fs, struct fat32_node *n)
{
	if (!(n->flags & NODE_HELD))
		return;
	for (struct fat32_node **pp = &fs->held; *pp; pp = &(*pp)->held_next) {
		if (*pp == n) {
			*pp = n->held_next;
			break;
		}
	}
	n->flags &= (uint8_t)~NODE_HELD;
	n->held_next = NULL;
}

int fat32_stat(struct fat32 *fs, struct fat32_node *n, struct fat32_stat *st)
{
	uint8_t *p;
	int rc = node_refresh(fs, n);

	if (rc)
		return rc;
	memset(st, 0, sizeof(*st));
	st->size = n->size;
	st->first_cluster = n->first_cluster;
	st->attr = n->attr;
	st->is_dir = (n->attr & FAT32_ATTR_DIR) != 0;
	if (!n->dir_cluster)
		return 0;
	rc = node_entry(fs, n, &p);
	if (rc)
		return rc;
	st->create_tenths = p[DE_CRT_TENTHS];
	st->create_time = le16(p + DE_CRT_TIME);
	st->create_date = le16(p + DE_CRT_DATE);
	st->access_date = le16(p + DE_ACC_DATE);
	st->modify_time = le16(p + DE_WRT_TIME);
	st->modify_date = le16(p + DE_WRT_DATE);
	return 0;
}

int64_t fat32_unix_time(uint16_t date, uint16_t time)
{
	unsigned m = date >> 5 & 15, d = date & 31;

	if (date == 0)
		return 0; /* no date at all: the root directory has none */
	if (m < 1 || m > 12)
		m = 1;
	if (d < 1)
		d = 1;
	return days_from_civil(1980 + (date >> 9), m, d) * 86400 + (time >> 11) * 3600 +
	       (time >> 5 & 63) * 60 + (time & 31) * 2;
}

uint32_t fat32_timestamp(int64_t secs)
{
	struct civil_time t;

	civil_from_unix(secs, &t);
	if (t.year < 1980 || t.year > 2107)
		return 0; /* FAT cannot say it: the caller's "unknown" */
	uint32_t date = (uint32_t)(t.year - 1980) << 9 | t.month << 5 | t.day;
	return date << 16 | t.hour << 11 | t.min << 5 | t.sec / 2;
}
