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
	/* The kernel's requests always reach us. Calls from anyone else are
	 * taken too, so that each gets its error (-EPERM) as the protocol
	 * promises; their answers never wait for the caller. */
	ipc_accept(TSB_IPC_ANYONE, TSB_IPC_ACCEPT_CALLS);
	service_ready();
	for (;;) {
		struct tsb_ipc_info info;
		long n = ipc_recv(&info, request, sizeof request, TSB_FOREVER);
		const char *req = request;
		if (n == -EMSGSIZE) {
			/* Bigger than any valid request: take it off the queue with a
			 * scratch buffer so it cannot block the queue, and refuse it. */
			static char junk[TSB_IPC_MAX_MSG];
			n = ipc_recv(&info, junk, sizeof junk, TSB_NO_WAIT);
			req = junk;
		}
		if (n < 0)
			continue;
		size_t rlen = serve(info.sender, req, (size_t)n, reply);
		if (info.sender == 0)
			ipc_send(0, reply, rlen, TSB_NO_WAIT); /* to the proxy: delivered at once */
		else if (info.kind == TSB_IPC_CALL)
			ipc_reply(info.token, reply, rlen); /* never blocks */
	}
}
