/* fat32d and the two-phase mount. The selftest plays init's part: it
 * starts /bin/fat32d.elf with block and file-system authority, checks that
 * / and /host move to the proxy, runs the VFS checks again through it, and
 * crashes and restarts it. With "fat32d=first" on the command line, the
 * daemon is started before every other test instead (selftest.c). */
#include <string.h>

#include "arch.h"
#include "fat32/fat32.h"
#include "fmt/fmt.h"
#include "kernel/cmdline.h"
#include "kernel/fat32fs.h"
#include "kernel/fsproxy.h"
#include "kernel/heap.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/vfs.h"
#include "tsubame/errno.h"

#define FAT32D "/bin/fat32d.elf"
#define UTEST "/bin/utest.elf"

void selftest_vfs_read_hello(struct selftest_result *r);
void selftest_vfs_list_both_mounts(struct selftest_result *r);
void selftest_vfs_directories(struct selftest_result *r);
void selftest_vfs_dates_from_the_wall_clock(struct selftest_result *r);
void vfs_check_big_file(struct selftest_result *r, size_t size);

static int fat32d_pid;

/* Starts fat32d and waits (up to 5 s) until it has registered. */
int selftest_start_fat32d(void)
{
	char *argv[] = { FAT32D, NULL };
	int pid = process_spawn(process_kernel(), FAT32D, argv, NULL, TSB_AUTH_BLOCK | TSB_AUTH_FS);
	if (pid < 0)
		return pid;
	uint64_t t0 = arch_timer_ns();
	while (fsproxy_server() != pid && arch_timer_ns() - t0 < 5000000000ull)
		thread_sleep_ns(5000000);
	if (fsproxy_server() != pid)
		return -ETIMEDOUT;
	fat32d_pid = pid;
	return pid;
}

static int run_utest(const char *a1, const char *a2, int *status)
{
	char *argv[] = { UTEST, (char *)a1, (char *)a2, NULL };
	int pid = process_spawn(process_kernel(), UTEST, argv, NULL, 0);
	if (pid < 0)
		return pid;
	return process_wait(process_kernel(), pid, status, 0) == pid ? 0 : -ECHILD;
}

SELFTEST(fat32d_registers_and_takes_over)
{
	if (!fat32d_pid || fsproxy_server() != fat32d_pid)
		CHECKF(selftest_start_fat32d() > 0, "fat32d did not register");
	struct vfs_file *f;
	uint64_t before = fsproxy_served();
	CHECK(vfs_open("/HELLO.TXT", VFS_O_READ, &f) == 0);
	char buf[32] = { 0 };
	CHECK(vfs_read(f, buf, sizeof buf - 1) == 18 && strcmp(buf, "Hello from FAT32!\n") == 0);
	vfs_close(f);
	/* open + read went to fat32d and were answered (close is sent
	 * without waiting for its answer). */
	CHECKF(fsproxy_served() >= before + 2, "fat32d served %llu requests",
	       (unsigned long long)(fsproxy_served() - before));
	/* Those unanswered closes do reach fat32d: more opens than its 256
	 * handles all work. */
	int opened = 0;
	for (int i = 0; i < 300; i++)
		if (vfs_open("/HELLO.TXT", VFS_O_READ, &f) == 0) {
			opened++;
			vfs_close(f);
		}
	CHECKF(opened == 300, "only %d of 300 open/close pairs worked", opened);
}

SELFTEST(fat32d_vfs_suite)
{
	uint64_t before = fsproxy_served();
	CHECK(fsproxy_server() == fat32d_pid);
	selftest_vfs_read_hello(r);
	if (!r->failed)
		selftest_vfs_list_both_mounts(r);
	if (!r->failed)
		vfs_check_big_file(r, 4u * 1024 * 1024 + 77); /* 4 MiB: many 64 KiB requests */
	if (!r->failed)
		selftest_vfs_directories(r);
	if (!r->failed)
		selftest_vfs_dates_from_the_wall_clock(r);
	CHECK(fsproxy_served() > before + 100);
}

SELFTEST(fat32d_spawn_loads_through_it)
{
	uint64_t before = fsproxy_served();
	int st = -1;
	CHECK(run_utest("exit", "5", &st) == 0);
	CHECK(TSB_STATUS_CODE(st) == 5);
	CHECK(fsproxy_served() > before); /* the ELF came from fat32d */
}

SELFTEST(fat32d_authority_enforced)
{
	int st = -1;
	/* utest badptr checks SYS_BLOCK_READ and SYS_FS_REGISTER give -EPERM. */
	char kaddr[32];
	fmt_snprintf(kaddr, sizeof kaddr, "KADDR=%lx", (unsigned long)(uintptr_t)__text_start);
	char *argv[] = { UTEST, "badptr", NULL }, *envp[] = { kaddr, NULL };
	int pid = process_spawn(process_kernel(), UTEST, argv, envp, 0);
	CHECK(pid > 0 && process_wait(process_kernel(), pid, &st, 0) == pid);
	CHECKF(st == 0, "status %#x", st);
	CHECK(fsproxy_server() == fat32d_pid); /* nobody took / over */
	struct vfs_stat vs;
	CHECK(vfs_stat("/HELLO.TXT", &vs) == 0);
}

SELFTEST(fat32d_answers_malformed_requests)
{
	char arg[16];
	int st = -1;
	fmt_snprintf(arg, sizeof arg, "%d", fat32d_pid);
	CHECK(run_utest("fsprobe", arg, &st) == 0);
	CHECKF(st == 0, "status %#x", st);
	CHECK(fsproxy_server() == fat32d_pid); /* still alive and serving */
	struct vfs_stat vs;
	CHECK(vfs_stat("/HELLO.TXT", &vs) == 0);
}

SELFTEST(fat32d_recv_from_isolation)
{
	/* A flooder sends IPC to pid 0's clients... the proxy matches replies
	 * by id, so reads stay correct while utest floods fat32d with junk. */
	char arg[16];
	fmt_snprintf(arg, sizeof arg, "%d", fat32d_pid);
	char *argv[] = { UTEST, "flood", arg, NULL };
	int pid = process_spawn(process_kernel(), UTEST, argv, NULL, 0);
	CHECK(pid > 0);
	for (int i = 0; i < 20; i++) {
		struct vfs_file *f;
		char buf[32] = { 0 };
		CHECK(vfs_open("/HELLO.TXT", VFS_O_READ, &f) == 0);
		CHECK(vfs_read(f, buf, sizeof buf - 1) == 18);
		vfs_close(f);
		CHECK(strcmp(buf, "Hello from FAT32!\n") == 0);
	}
	int st;
	process_kill(process_kernel(), pid);
	process_wait(process_kernel(), pid, &st, 0);
}

/* Writes numbered 8 KiB records into /crash.bin until told to stop,
 * remembering how many were acknowledged. */
static volatile int acked;
static volatile bool stop_writer, writer_done;

static void writer(void *arg)
{
	(void)arg;
	char *rec = kmalloc(8192);
	struct vfs_file *f = NULL;
	while (!stop_writer && rec) {
		if (!f && vfs_open("/crash.bin", VFS_O_WRITE | VFS_O_CREATE, &f) != 0) {
			thread_sleep_ns(2000000);
			continue;
		}
		memset(rec, 'A' + acked % 26, 8192);
		int64_t n = vfs_pwrite(f, (uint64_t)acked * 8192, rec, 8192);
		if (n == 8192)
			acked++;
		else { /* the server died under us: reopen on whatever serves / now */
			vfs_close(f);
			f = NULL;
		}
	}
	if (f)
		vfs_close(f);
	kfree(rec);
	writer_done = true;
}

/* Waits until the writer has acknowledged `n` records; false after 20 s. */
static bool wait_acked(int n)
{
	uint64_t t0 = arch_timer_ns();
	while (acked < n && !writer_done && arch_timer_ns() - t0 < 20000000000ull)
		thread_sleep_ns(2000000);
	return acked >= n;
}

SELFTEST(fat32d_crash_fallback_and_restart)
{
	int st;
	acked = 0;
	stop_writer = writer_done = false;
	vfs_unlink("/crash.bin");
	CHECK(thread_create("writer", writer, NULL) != NULL);
	CHECKF(wait_acked(20), "writer stuck at %d records before the crash", acked);
	/* Crash fat32d in the middle of the writes. */
	CHECK(process_kill(process_kernel(), fat32d_pid) == 0);
	CHECK(process_wait(process_kernel(), fat32d_pid, &st, 0) == fat32d_pid);
	CHECK(fsproxy_server() == 0);
	int at_crash = acked;
	kprintf("crash test: %d records acknowledged when fat32d was killed\n", at_crash);
	/* The system goes on: / is the kernel's again, writes continue. */
	CHECKF(wait_acked(at_crash + 10), "writer stuck at %d records after the fallback (crash at %d)",
	       acked, at_crash);
	kprintf("crash test: %d records after the fallback\n", acked);
	/* Restart it, as init would: its ELF loads through the in-kernel FAT32. */
	CHECKF(selftest_start_fat32d() > 0, "fat32d did not come back");
	CHECKF(wait_acked(at_crash + 20), "writer stuck at %d records after the restart", acked);
	stop_writer = true;
	while (!writer_done)
		thread_sleep_ns(2000000);
	/* Every acknowledged record reads back intact, through the new fat32d. */
	struct vfs_file *f;
	char *rec = kmalloc(8192);
	CHECK(rec && vfs_open("/crash.bin", VFS_O_READ, &f) == 0);
	for (int i = 0; i < acked; i++) {
		CHECK(vfs_pread(f, (uint64_t)i * 8192, rec, 8192) == 8192);
		for (int k = 0; k < 8192; k++)
			CHECKF(rec[k] == 'A' + i % 26, "record %d of %d damaged", i, acked);
	}
	vfs_close(f);
	kfree(rec);
	CHECK(vfs_sync() == 0);
}

/* Creates, fills, truncates and deletes files on /host until told to stop
 * (allocations and frees in every request kind), ignoring the errors of
 * requests that meet a dying fat32d. */
static volatile bool stop_churn, churn_done;
static volatile int churned;

static void churn(void *arg)
{
	(void)arg;
	char *buf = kmalloc(20000);
	static const char *const names[] = { "/host/churn a.bin", "/host/churn b.bin", "/host/CHURN.C" };
	for (int i = 0; !stop_churn && buf; i++) {
		const char *name = names[i % 3];
		struct vfs_file *f;
		memset(buf, 'a' + i % 26, 20000);
		if (vfs_open(name, VFS_O_WRITE | VFS_O_CREATE, &f) == 0) {
			vfs_pwrite(f, (uint64_t)(i % 5) * 3000, buf, 5000u + (unsigned)(i % 7) * 2000);
			vfs_ftruncate(f, (uint64_t)(i % 4) * 1500);
			vfs_close(f);
		}
		if (i % 4 == 3)
			vfs_unlink(names[(i + 1) % 3]);
		if (i % 9 == 8)
			vfs_rename(name, names[(i + 2) % 3]);
		churned = i + 1;
	}
	kfree(buf);
	churn_done = true;
}

/* Killed at any moment while it writes, fat32d leaves the volumes as a
 * file system checker wants them: it dies only between requests, and the
 * kernel recounts the free clusters when it takes a volume back. Checked
 * here through FSInfo (its free count must be the FAT's), and on the images
 * by scripts/tests/check-images.sh (fsck.fat -n). */
SELFTEST(fat32d_killed_while_writing_leaves_consistent_volumes)
{
	stop_churn = churn_done = false;
	churned = 0;
	CHECK(fsproxy_server() == fat32d_pid);
	CHECK(thread_create("churn", churn, NULL) != NULL);
	for (int k = 0; k < 8; k++) {
		int st, before = churned;
		/* A different moment each time: 0..60 ms into the churn. */
		thread_sleep_ns((arch_timer_ns() % 61) * 1000000ull);
		uint64_t t0 = arch_timer_ns();
		CHECK(process_kill(process_kernel(), fat32d_pid) == 0);
		CHECK(process_wait(process_kernel(), fat32d_pid, &st, 0) == fat32d_pid);
		CHECKF(arch_timer_ns() - t0 < FS_SERVER_KILL_GRACE_NS + 2000000000ull, "fat32d took %llu ms to die",
		       (unsigned long long)((arch_timer_ns() - t0) / 1000000));
		CHECKF(selftest_start_fat32d() > 0, "fat32d did not come back after kill %d", k);
		while (churned < before + 3 && !churn_done)
			thread_sleep_ns(2000000);
	}
	stop_churn = true;
	while (!churn_done)
		thread_sleep_ns(2000000);
	kprintf("kill test: %d churn rounds, 8 kills of fat32d\n", churned);
	CHECK(vfs_sync() == 0);
	for (unsigned dev = 0; dev < 2; dev++) {
		void *fs;
		struct fat32_statfs hint, exact;
		CHECK(fat32fs_open(dev, false, &fs) == 0); /* reads what fat32d flushed */
		int err = fat32_statfs(fs, &hint);
		if (!err)
			err = fat32_recount(fs);
		if (!err)
			err = fat32_statfs(fs, &exact);
		fat32fs_close(fs);
		CHECKF(err == 0, "dev %u: error %d", dev, err);
		CHECKF(hint.free_clusters == exact.free_clusters, "dev %u: FSInfo says %u clusters free, the FAT %u",
		       dev, hint.free_clusters, exact.free_clusters);
	}
}
