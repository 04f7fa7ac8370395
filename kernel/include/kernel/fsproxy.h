/* The VFS proxy that forwards file operations to fat32d, and the two-phase
 * mount: at boot the in-kernel FAT32 serves / and /host; when fat32d
 * registers, the kernel flushes and detaches its own instances and routes
 * both mounts here; when fat32d dies, they go back to fresh in-kernel
 * instances until it registers again. */
#ifndef KERNEL_FSPROXY_H
#define KERNEL_FSPROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fs_ops;
extern const struct fs_ops fsproxy_ops;

/* SYS_FS_REGISTER from process `pid` (authority already checked). */
int fsproxy_register(int pid);
/* make bench: after the next handoff, also mount dev 0 read-only with the
 * in-kernel FAT32 at /kbench. */
void fsproxy_bench_mount(void);
/* Called when any process exits; acts only if it was the server. */
void fsproxy_process_exited(int pid);
/* A message from a process to pid 0 (the kernel): a fat32d reply. The
 * bytes are still in user memory at ubuf. */
int fsproxy_deliver(int sender, uintptr_t ubuf, size_t len);

/* Replies served by fat32d since boot, for tests and statistics. */
uint64_t fsproxy_served(void);
int fsproxy_server(void); /* pid of the registered fat32d, 0 if none */

#endif
