/* Test support for the Check tests: private image copies, mounting, and
 * helpers that run mtools and fsck.fat on images. */
#ifndef FAT32_TEST_HARNESS_H
#define FAT32_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fat32.h"

#include "hostdev.h"

/* ---- images ---- */
struct image {
	const char *name;   /* base image in the image directory */
	bool partitioned;   /* the volume starts at 1 MiB */
	uint32_t cluster;   /* cluster size in bytes */
};

extern const struct image images[3];  /* p512, f4k, f32k */
extern const struct image small_image, small4k_image, small32k_image;

const char *img_dir(void);
/* A private, writable copy of an image (freed with free()). */
char *img_copy(const char *name);
/* The mtools -i argument for an image copy. */
const char *mspec(const struct image *im, const char *path);
/* Mounts an image file; *dev must stay alive while mounted. */
int mount_file(const char *path, struct hostdev *dev, struct fat32 **fs, const struct fat32_config *cfg);

/* A writable copy of an image, mounted. The vol_* helpers assert. */
struct vol {
	const struct image *im;
	char *path;
	struct hostdev dev;
	struct fat32 *fs;   /* NULL while unmounted */
	struct fat32_config cfg;
};

void vol_open(struct vol *v, const struct image *im, const struct fat32_config *cfg);
void vol_unmount(struct vol *v);   /* so mtools / fsck can look at the file */
void vol_mount(struct vol *v);
void vol_close(struct vol *v);     /* unmounts if needed and deletes the copy */
bool vol_fsck(struct vol *v, uint32_t *used, uint32_t *total);  /* volume must be unmounted */

/* ---- raw image access, independent of the library ---- */
struct geo {
	uint64_t base;      /* byte offset of the volume */
	uint64_t fat;       /* byte offset of FAT copy 0 */
	uint64_t fat_bytes;
	uint32_t nfats;
	uint64_t data;      /* byte offset of cluster 2 */
	uint32_t cs;
};

void patch(const char *path, uint64_t off, const void *bytes, size_t n);
void peek(const char *path, uint64_t off, void *bytes, size_t n);
void patch32(const char *path, uint64_t off, uint32_t v);
void geo_read(const char *path, uint64_t base, struct geo *g);
void put_fat(const char *path, const struct geo *g, uint32_t cl, uint32_t val);  /* every copy */

/* ---- shell ---- */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* stdout+stderr, malloc'd */

/* fsck.fat -n: returns true if clean; the report goes to *report (malloc'd,
 * may be NULL). Also parses "N files, U/T clusters". */
bool fsck_clean(const struct image *im, const char *path, char **report, uint32_t *used, uint32_t *total);
/* FSInfo free count as minfo reports it, or -1. */
long minfo_free(const struct image *im, const char *path);
/* Copies a file out with mcopy; returns its bytes (malloc'd) or NULL. */
uint8_t *mread(const struct image *im, const char *path, const char *file, size_t *size);

/* ---- misc ---- */
uint8_t *read_host(const char *path, size_t *size);
void fill_pattern(uint8_t *buf, size_t n, uint32_t seed);
/* Reads a whole file through the library. */
uint8_t *fat_slurp(struct fat32 *fs, const char *path, size_t *size);
int fat_put(struct fat32 *fs, const char *path, const void *data, size_t size);

#endif
