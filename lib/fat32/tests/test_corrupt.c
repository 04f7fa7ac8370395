/* Damaged and foreign volumes: each must give its own clear error, never a
 * crash or a hang. */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"
#include "tsubame/errno.h"

static int try_mount(const char *path, struct fat32 **fs, struct hostdev *d)
{
	int rc = mount_file(path, d, fs, NULL);

	if (rc)
		hostdev_close(d);
	return rc;
}

START_TEST(bad_bpb)
{
	static const struct {
		uint32_t off, size, value;
		int expect;
	} cases[] = {
		{11, 2, 1000, -EUCLEAN},      /* bytes per sector */
		{11, 2, 4096, -EINVAL},       /* valid, unsupported */
		{13, 1, 3, -EUCLEAN},         /* sectors per cluster */
		{13, 1, 0, -EUCLEAN},
		{13, 1, 128, -EINVAL},        /* 64 KiB clusters: unsupported */
		{14, 2, 0, -EUCLEAN},         /* reserved sectors */
		{16, 1, 0, -EUCLEAN},         /* FAT count */
		{36, 4, 0, -EUCLEAN},         /* FAT size */
		{36, 4, 1, -EUCLEAN},         /* FAT too small for the clusters */
		{44, 4, 0, -EUCLEAN},         /* root cluster */
		{44, 4, 0x0FFFFFF0, -EUCLEAN},
		{19, 2, 0xFFFF, -EUCLEAN},     /* bigger than the device */
		{42, 2, 1, -EUCLEAN},         /* FS version */
		{510, 2, 0, -EUCLEAN},        /* boot signature */
		{40, 2, 0x85, -EUCLEAN},      /* no mirroring, active FAT 5 of 2 */
		{22, 2, 100, -EMEDIUMTYPE},   /* a FAT16 FAT size */
		{17, 2, 512, -EMEDIUMTYPE},   /* a fixed root directory: FAT12/16 */
		{40, 2, 0x81, 0},             /* no mirroring, active FAT 1: fine */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = img_copy("small");
		struct fat32 *fs;
		struct hostdev d;
		uint8_t b[4] = {(uint8_t)cases[i].value, (uint8_t)(cases[i].value >> 8),
				(uint8_t)(cases[i].value >> 16), (uint8_t)(cases[i].value >> 24)};
		patch(path, cases[i].off, b, cases[i].size);
		int rc = try_mount(path, &fs, &d);
		ck_assert_msg(rc == cases[i].expect, "case %zu: got %d, want %d", i, rc, cases[i].expect);
		if (!rc) {
			ck_assert_int_eq(fat_put(fs, "after.txt", "ok", 2), 0);
			ck_assert_int_eq(fat32_unmount(fs), 0);
			hostdev_close(&d);
		}
		unlink(path);
		free(path);
	}
}
END_TEST

START_TEST(not_fat32)
{
	struct fat32 *fs;
	struct hostdev d;
	char path[1024];
	uint8_t zero[512] = {0}, type;

	snprintf(path, sizeof(path), "%s/fat16.img", img_dir());
	ck_assert_int_eq(try_mount(path, &fs, &d), -EMEDIUMTYPE);
	snprintf(path, sizeof(path), "%s/fat12.img", img_dir());
	ck_assert_int_eq(try_mount(path, &fs, &d), -EMEDIUMTYPE);

	char *p = img_copy("small");
	patch(p, 0, zero, 512);
	ck_assert_int_eq(try_mount(p, &fs, &d), -EMEDIUMTYPE);
	unlink(p);
	free(p);

	/* The MBR of the partitioned image, edited. */
	p = img_copy("p512");
	type = 0x83;
	patch(p, 446 + 4, &type, 1);
	ck_assert_int_eq(try_mount(p, &fs, &d), -EMEDIUMTYPE);
	type = 0x0B;
	patch(p, 446 + 4, &type, 1);
	ck_assert_int_eq(try_mount(p, &fs, &d), 0);
	fat32_unmount(fs);
	hostdev_close(&d);
	/* An MBR whose code starts with a jump and BPB-like bytes (as GRUB's
	 * does) is still read as an MBR. */
	uint8_t grub[17] = {0xEB, 0x63, 0x90, [11] = 0x00, [12] = 0x02, [13] = 8, [14] = 1, [16] = 2};
	patch(p, 0, grub, sizeof(grub));
	ck_assert_int_eq(try_mount(p, &fs, &d), 0);
	fat32_unmount(fs);
	hostdev_close(&d);
	patch32(p, 446 + 8, 1000);  /* the partition does not start with a boot sector */
	ck_assert_int_eq(try_mount(p, &fs, &d), -EUCLEAN);
	patch32(p, 446 + 8, 0x7FFFFFF0);  /* beyond the device */
	ck_assert_int_eq(try_mount(p, &fs, &d), -EUCLEAN);
	unlink(p);
	free(p);

	/* A FAT32 partition entry over a FAT16 volume. */
	p = img_copy("fat16");
	char *mbr_img;
	ck_assert_int_ne(asprintf(&mbr_img, "%s.mbr", p), -1);
	ck_assert_int_eq(sh("{ head -c 1048576 /dev/zero; cat '%s'; } > '%s'", p, mbr_img), 0);
	uint8_t entry[16] = {0x80, 0, 0, 0, 0x0C, 0, 0, 0, 0x00, 0x08, 0, 0, 0, 0x80, 0, 0};
	patch(mbr_img, 446, entry, 16);
	patch(mbr_img, 510, "\x55\xaa", 2);
	ck_assert_int_eq(try_mount(mbr_img, &fs, &d), -EMEDIUMTYPE);
	unlink(mbr_img);
	free(mbr_img);
	unlink(p);
	free(p);
}
END_TEST

/* Makes a file of `clusters` clusters on a small volume; returns its first
 * cluster and the byte offset of its directory entry. */
static uint32_t make_file(struct vol *v, const char *name, uint32_t clusters, uint8_t **data, uint64_t *ent)
{
	struct fat32_node n;
	size_t size = (size_t)clusters * v->im->cluster;

	*data = malloc(size);
	fill_pattern(*data, size, clusters);
	ck_assert_int_eq(fat_put(v->fs, name, *data, size), 0);
	ck_assert_int_eq(fat32_lookup(v->fs, name, &n), 0);
	*ent = n.ent_lba * 512 + n.ent_off;
	return n.first_cluster;
}

START_TEST(chain_loop)
{
	struct vol v;
	struct geo g;
	uint8_t *data, *buf;
	uint64_t ent;
	struct fat32_node n;

	vol_open(&v, &small_image, NULL);
	uint32_t first = make_file(&v, "loop.bin", 10, &data, &ent);
	vol_unmount(&v);
	geo_read(v.path, 0, &g);
	/* Cluster 10 links back to cluster 1, and the size claims 40: one
	 * read going round the loop four times must notice. */
	put_fat(v.path, &g, first + 9, first);
	patch32(v.path, ent + 28, 40 * g.cs);
	vol_mount(&v);
	buf = malloc(40 * g.cs);
	ck_assert_int_eq(fat32_lookup(v.fs, "loop.bin", &n), 0);
	ck_assert_int_eq(fat32_read(v.fs, &n, 0, buf, 10 * g.cs), 10 * g.cs);
	ck_assert_mem_eq(buf, data, 10 * g.cs);
	ck_assert_int_eq(fat32_read(v.fs, &n, 0, buf, 40 * g.cs), -EUCLEAN);
	ck_assert_int_eq(fat32_truncate(v.fs, &n, 0), -EUCLEAN);
	vol_close(&v);
	free(data);

	/* A two-cluster loop, read cluster by cluster with the hint. */
	vol_open(&v, &small_image, NULL);
	first = make_file(&v, "loop2.bin", 2, &data, &ent);
	vol_unmount(&v);
	put_fat(v.path, &g, first + 1, first);
	patch32(v.path, ent + 28, 4000 * g.cs);
	vol_mount(&v);
	ck_assert_int_eq(fat32_lookup(v.fs, "loop2.bin", &n), 0);
	ck_assert_int_eq(fat32_read(v.fs, &n, 0, buf, 8 * g.cs), -EUCLEAN);
	int64_t rc = 0;
	for (uint32_t off = 0; off < n.size && rc >= 0; off += g.cs)
		rc = fat32_read(v.fs, &n, off, buf, g.cs);
	ck_assert_int_eq(rc, -EUCLEAN);  /* the check carries across calls */
	ck_assert_int_eq(fat32_unlink(v.fs, "loop2.bin"), -EUCLEAN);
	ck_assert_int_eq(fat32_lookup(v.fs, "loop2.bin", &n), -ENOENT);
	vol_close(&v);
	free(buf);
	free(data);
}
END_TEST

START_TEST(bad_links)
{
	struct vol v;
	struct geo g;
	uint8_t *data, buf[1024];
	uint64_t ent;
	struct fat32_node n;
	uint32_t first;

	/* One image per corruption. */
	static const int kinds = 6;
	for (int k = 0; k < kinds; k++) {
		vol_open(&v, &small_image, NULL);
		first = make_file(&v, "f.bin", 5, &data, &ent);
		ck_assert_int_eq(fat32_mkdir(v.fs, "dir", &n), 0);
		uint64_t dent = n.ent_lba * 512 + n.ent_off;
		vol_unmount(&v);
		geo_read(v.path, 0, &g);
		switch (k) {
		case 0: put_fat(v.path, &g, first + 2, 0x0FFFFFF0); break;       /* link past the volume */
		case 1: put_fat(v.path, &g, first + 2, 0); break;                /* free cluster in a chain */
		case 2: put_fat(v.path, &g, first + 2, 0x0FFFFFF7); break;       /* bad-cluster mark */
		case 3: patch32(v.path, ent + 28, 50 * g.cs); break;             /* size beyond the chain */
		case 4: { uint8_t hi[2] = {0xFF, 0x0F}; patch(v.path, ent + 20, hi, 2); break; } /* first cluster */
		case 5: { uint8_t hi[2] = {0xFF, 0x0F}; patch(v.path, dent + 20, hi, 2); break; } /* a directory's */
		}
		vol_mount(&v);
		if (k == 5) {
			ck_assert_int_eq(fat32_lookup(v.fs, "dir/x", &n), -EUCLEAN);
			ck_assert_int_eq(fat32_lookup(v.fs, "dir", &n), 0);
			uint32_t cookie = 0;
			struct fat32_dirent de;
			ck_assert_int_eq(fat32_readdir(v.fs, &n, &cookie, &de), -EUCLEAN);
			ck_assert_int_eq(fat32_create(v.fs, "dir/x", NULL), -EUCLEAN);
		} else {
			size_t size;
			ck_assert_int_eq(fat32_lookup(v.fs, "f.bin", &n), 0);
			ck_assert_ptr_null(fat_slurp(v.fs, "f.bin", &size));
			/* The intact first two clusters still read. */
			int64_t r = fat32_read(v.fs, &n, 0, buf, sizeof(buf));
			ck_assert_int_eq(r, k == 4 ? -EUCLEAN : (int64_t)sizeof(buf));
			if (k != 4)
				ck_assert_mem_eq(buf, data, sizeof(buf));
			ck_assert_int_eq(fat32_write(v.fs, &n, n.size, "x", 1), -EUCLEAN);
		}
		free(data);
		vol_close(&v);
	}
}
END_TEST

/* A directory whose chain loops onto itself. */
START_TEST(dir_loop)
{
	struct vol v;
	struct geo g;
	struct fat32_node d;
	char name[64];

	vol_open(&v, &small_image, NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "d", &d), 0);
	for (int i = 0; i < 40; i++) {  /* 40 entries: 3 clusters of 512 bytes */
		snprintf(name, sizeof(name), "d/F%d", i);
		ck_assert_int_eq(fat32_create(v.fs, name, NULL), 0);
	}
	uint32_t c0 = d.first_cluster;
	vol_unmount(&v);
	geo_read(v.path, 0, &g);
	put_fat(v.path, &g, c0, c0);
	vol_mount(&v);
	uint32_t cookie = 0;
	struct fat32_dirent de;
	int rc, n = 0;
	ck_assert_int_eq(fat32_lookup(v.fs, "d", &d), 0);
	while ((rc = fat32_readdir(v.fs, &d, &cookie, &de)) == 1)
		n++;
	ck_assert_int_eq(rc, -EUCLEAN);
	ck_assert_int_eq(fat32_lookup(v.fs, "d/missing", &d), -EUCLEAN);
	ck_assert_int_eq(fat32_rmdir(v.fs, "d"), -ENOTEMPTY);
	vol_close(&v);
}
END_TEST

/* Deterministic garbage over the FAT and the root directory: whatever
 * happens must be an error code, not a crash (ASan/UBSan watch). */
START_TEST(garbage)
{
	struct vol v;
	struct geo g;
	uint8_t junk[8192], buf[4096];

	vol_open(&v, &small_image, NULL);
	ck_assert_int_eq(fat32_mkdir(v.fs, "sub", NULL), 0);
	ck_assert_int_eq(fat_put(v.fs, "sub/some file.txt", junk, sizeof(junk)), 0);
	vol_unmount(&v);
	geo_read(v.path, 0, &g);
	fill_pattern(junk, sizeof(junk), (uint32_t)_i);
	for (size_t i = 0; i < sizeof(junk); i += 8)
		if (junk[i] & 1)
			memset(junk + i, 0, 8);  /* mostly plausible entries */
	patch(v.path, g.fat + 8, junk, 2048);
	patch(v.path, g.data, junk + 2048, 512);
	struct hostdev d;
	struct fat32 *fs;
	int rc = try_mount(v.path, &fs, &d);
	if (!rc) {
		struct fat32_node root, n;
		struct fat32_dirent de;
		uint32_t cookie = 0;
		int entries = 0;
		fat32_root(fs, &root);
		while (entries < 1000 && fat32_readdir(fs, &root, &cookie, &de) == 1) {
			entries++;
			n = de.node;
			for (uint64_t off = 0; off < n.size && off < 65536; off += sizeof(buf))
				if (fat32_read(fs, &n, off, buf, sizeof(buf)) < 0)
					break;
		}
		(void)fat_put(fs, "new.txt", junk, 3000);
		(void)fat32_mkdir(fs, "newdir", NULL);
		(void)fat32_rename(fs, "new.txt", "newdir/x");
		(void)fat32_unlink(fs, "sub/some file.txt");
		struct fat32_statfs sf;
		(void)fat32_statfs(fs, &sf);
		fat32_unmount(fs);
		hostdev_close(&d);
	}
	vol_close(&v);
}
END_TEST

void add_corrupt_tests(Suite *s)
{
	TCase *tc = tcase_create("corrupt");
	tcase_add_test(tc, bad_bpb);
	tcase_add_test(tc, not_fat32);
	tcase_add_test(tc, chain_loop);
	tcase_add_test(tc, bad_links);
	tcase_add_test(tc, dir_loop);
	tcase_add_loop_test(tc, garbage, 0, 8);
	suite_add_tcase(s, tc);
}
