/* fat32d: the user-space FAT32 server. init starts it with block and
 * file-system authority. It registers first, so that the kernel flushes
 * and detaches its own FAT32 before we read the volumes (one writer at a
 * time, never two), then mounts dev 0 and dev 1 and serves requests. */
#include <stdio.h>
#include <stdlib.h>

#include "fat32d.h"
#include "tsubame.h"

struct fat32 *volumes[FAT32D_DEVS];

/* File data never comes in messages (see FSP_WINDOW_BASE): a request is
 * a header and at most two paths, a reply a header and a small record. */
static char request[sizeof(struct fsp_request) + FSP_MAX_PATH * 2];
static char reply[sizeof(struct fsp_reply) + sizeof(struct fsp_stat) + FSP_OPEN_HEAD_MAX];

int main(void)
{
	int err = fs_register();
	if (err) {
		printf("fat32d: cannot register with the kernel: %s\n", strerror(err));
		return 2;
	}
	for (unsigned dev = 0; dev < FAT32D_DEVS; dev++) {
		err = volume_mount(dev, &volumes[dev]);
		if (err && dev == 0) {
			printf("fat32d: cannot mount dev 0 (disk.img): %s\n", strerror(err));
			return 3; /* the kernel takes / back when we exit */
		}
	}
	printf("fat32d: serving / (dev 0)%s\n", volumes[1] ? " and /host (dev 1)" : "");
	service_ready();
	for (;;) {
		int sender;
		long n = ipc_recv(&sender, request, sizeof request, TSB_FOREVER);
		if (n == -EMSGSIZE) {
			/* Bigger than any valid request: take it off the queue with a
			 * scratch buffer so it cannot block the queue, and refuse it. */
			static char junk[TSB_IPC_MAX_MSG];
			n = ipc_recv(&sender, junk, sizeof junk, TSB_NO_WAIT);
			struct fsp_reply r = { .magic = FSP_MAGIC, .status = -EMSGSIZE };
			if (n >= 0)
				ipc_send(sender, &r, sizeof r, 1000);
			continue;
		}
		if (n < 0)
			continue;
		size_t rlen = serve(sender, request, (size_t)n, reply);
		ipc_send(sender, reply, rlen, 1000);
	}
}
