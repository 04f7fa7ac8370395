/* Fills a freshly made small FAT32 image with a little of everything (nested
 * directories, long and 8.3 names, empty, small and multi-cluster files, a
 * deleted entry) to seed the fuzzer. Usage: mkseed IMAGE */
#include <stdio.h>
#include <string.h>

#include "fat32.h"
#include "hostdev.h"

int main(int argc, char **argv)
{
	struct hostdev dev;
	struct fat32 *fs;
	struct fat32_node n;
	char data[6000];
	int rc = 0;

	if (argc != 2 || hostdev_file(&dev, argv[1]) || fat32_mount(&fs, &dev.bd, NULL)) {
		fprintf(stderr, "mkseed: cannot mount %s\n", argc > 1 ? argv[1] : "?");
		return 1;
	}
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	rc |= fat32_mkdir(fs, "Sub Directory", NULL);
	rc |= fat32_mkdir(fs, "Sub Directory/deeper", NULL);
	rc |= fat32_mkdir(fs, "DIR2", NULL);
	rc |= fat32_create(fs, "empty", NULL);
	rc |= fat32_create(fs, "README.TXT", &n);
	rc |= fat32_write(fs, &n, 0, data, 300) < 0;
	rc |= fat32_create(fs, "Sub Directory/A long file name.text", &n);
	rc |= fat32_write(fs, &n, 0, data, sizeof(data)) < 0;
	rc |= fat32_create(fs, "Sub Directory/deeper/lower.c", &n);
	rc |= fat32_write(fs, &n, 0, data, 1500) < 0;
	rc |= fat32_create(fs, "DIR2/gone.txt", NULL);
	rc |= fat32_unlink(fs, "DIR2/gone.txt");
	rc |= fat32_create(fs, "DIR2/Mixed.Case", &n);
	rc |= fat32_write(fs, &n, 0, data, 10) < 0;
	rc |= fat32_unmount(fs);
	hostdev_close(&dev);
	if (rc)
		fprintf(stderr, "mkseed: populating %s failed\n", argv[1]);
	return rc != 0;
}
