/* appender: the writers and readers of the kill campaign
 * (docs/RELIABILITY.md), run while fat32d and netd are killed.
 *
 *   appender write FILE ID STOPFILE   appends fixed-size numbered records
 *        "ID SEQ ...\n" one write each until STOPFILE exists. A write that
 *        fails (fat32d died under it) is checked against the file's size:
 *        whole or not at all, never in part; if it did not land, it is
 *        written again, so every record is on disk exactly once, in order.
 *   appender read FILE STOPFILE       reads FILE whole again and again and
 *        checks that every pass gives the same bytes (retrying a pass that
 *        met an error).
 *
 * Each prints one summary line when it stops: "appender ID: N records ...". */
#include <stdio.h>
#include <string.h>

#include "tsubame.h"

#define RECORD 48

static bool stopped(const char *stopfile, unsigned long n)
{
	struct tsb_stat st;
	return n % 64 == 0 && stat(stopfile, &st) == 0;
}

static int writer(const char *file, const char *id, const char *stopfile)
{
	char rec[RECORD + 1];
	unsigned long seq = 0, retries = 0, landed_on_error = 0;
	int fd = -1, bad = 0;

	while (!stopped(stopfile, seq)) {
		if (fd < 0 && (fd = open(file, TSB_O_WRITE | TSB_O_CREATE | TSB_O_APPEND)) < 0) {
			retries++;
			sleep_ms(20); /* fat32d is being restarted */
			continue;
		}
		snprintf(rec, sizeof rec, "%s %08lu %-*s", id, seq, RECORD - 11 - (int)strlen(id), "record");
		rec[RECORD - 1] = '\n';
		long w = write(fd, rec, RECORD);
		if (w == RECORD) {
			seq++;
			continue;
		}
		/* Not acknowledged: whole or nothing, never a part. */
		struct tsb_stat st;
		long r;
		while ((r = stat(file, &st)) != 0)
			sleep_ms(20);
		if (st.size == (uint64_t)seq * RECORD) {
			retries++;
		} else if (st.size == (uint64_t)(seq + 1) * RECORD) {
			landed_on_error++; /* it landed although the reply was lost */
			seq++;
		} else {
			printf("appender %s: FAIL after write error %ld the file has %llu bytes, expected %lu or %lu\n", id,
			       w, (unsigned long long)st.size, seq * RECORD, (seq + 1) * RECORD);
			bad = 1;
			break;
		}
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	printf("appender %s: %lu records acknowledged, %lu retried, %lu landed despite an error\n", id, seq, retries,
	       landed_on_error);
	return bad;
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static int reader(const char *file, const char *stopfile)
{
	static unsigned char buf[32768];
	uint32_t want = 0;
	unsigned long passes = 0, errors = 0;
	int bad = 0;

	while (!stopped(stopfile, 0)) {
		int fd = open(file, TSB_O_READ);
		if (fd < 0) {
			errors++;
			sleep_ms(20);
			continue;
		}
		uint32_t crc = 0;
		long n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			crc = crc32(crc, buf, (size_t)n);
		close(fd);
		if (n < 0) {
			errors++;
			continue;
		}
		if (passes++ == 0)
			want = crc;
		else if (crc != want) {
			printf("appender read: FAIL pass %lu of %s has CRC %08x, the first had %08x\n", passes, file, crc,
			       want);
			bad = 1;
			break;
		}
	}
	printf("appender read: %lu whole passes of %s, all CRC %08x, %lu retried after errors\n", passes, file, want,
	       errors);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "write") == 0)
		return writer(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "read") == 0)
		return reader(argv[2], argv[3]);
	printf("usage: appender write FILE ID STOPFILE | appender read FILE STOPFILE\n");
	return 2;
}
