/* Processes, system calls, isolation and IPC, driven from the kernel:
 * each test starts /bin/utest.elf in some mode and checks how it ended. */
#include <string.h>

#include "arch.h"
#include "fmt/fmt.h"
#include "kernel/process.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "tsubame/errno.h"

#define UTEST "/bin/utest.elf"

/* Spawns utest with argv (after the program name) and authority, and
 * returns its status. */
static int run_with(uint32_t authority, const char *a1, const char *a2, const char *a3, int *status)
{
	char kaddr[32];
	fmt_snprintf(kaddr, sizeof kaddr, "KADDR=%lx", (unsigned long)(uintptr_t)__text_start);
	char *argv[] = { UTEST, (char *)a1, (char *)a2, (char *)a3, NULL };
	char *envp[] = { "X=1", "Y=2", kaddr, NULL };
	int pid = process_spawn(process_kernel(), UTEST, argv, envp, authority);
	if (pid < 0)
		return pid;
	return process_wait(process_kernel(), pid, status, 0) == pid ? 0 : -ECHILD;
}

static int run(const char *a1, const char *a2, const char *a3, int *status)
{
	return run_with(0, a1, a2, a3, status);
}

#define EXPECT_EXIT(code, ...)                                                           \
	do {                                                                             \
		int st_ = -1, e_ = run(__VA_ARGS__, &st_);                               \
		CHECKF(e_ == 0, "spawn failed: %d", e_);                                 \
		CHECKF(TSB_STATUS_WHY(st_) == TSB_EXIT_NORMAL && TSB_STATUS_CODE(st_) == (code), \
		       "status %#x, wanted exit %d", st_, (code));                       \
	} while (0)

SELFTEST(proc_exit_status)
{
	EXPECT_EXIT(0, "exit", "0", NULL);
	EXPECT_EXIT(42, "exit", "42", NULL);
	EXPECT_EXIT(255, "exit", "255", NULL);
}

SELFTEST(proc_exec_replaces_the_image)
{
	EXPECT_EXIT(9, "exec", NULL, NULL);
}

SELFTEST(proc_args_and_env)
{
	EXPECT_EXIT(0, "args", "one", "two words");
	/* The check in utest can fail: different arguments give exit 1. */
	EXPECT_EXIT(1, "args", "one", "three");
}

SELFTEST(proc_wait_and_wnohang)
{
	EXPECT_EXIT(0, "wait", NULL, NULL);
	int st;
	CHECK(process_wait(process_kernel(), 12345, &st, 0) == -ECHILD);
	CHECK(process_wait(process_kernel(), 12345, &st, TSB_WNOHANG) == -ECHILD);
}

SELFTEST(proc_kill_permissions)
{
	EXPECT_EXIT(0, "killperm", NULL, NULL);
	/* And the kernel, as parent, can stop a spinning child. */
	char *argv[] = { UTEST, "spin", NULL };
	int st, pid = process_spawn(process_kernel(), UTEST, argv, NULL, 0);
	CHECK(pid > 0);
	thread_sleep_ns(20000000);
	CHECK(process_kill(process_kernel(), pid) == 0);
	CHECK(process_wait(process_kernel(), pid, &st, 0) == pid);
	CHECKF(TSB_STATUS_WHY(st) == TSB_EXIT_KILLED, "status %#x", st);
	CHECK(process_kill(process_kernel(), pid) == -ESRCH);
}

SELFTEST(proc_bad_pointers_refused)
{
	EXPECT_EXIT(0, "badptr", NULL, NULL);
}

SELFTEST(proc_faults_stop_only_the_process)
{
	static const char *const how[] = { "read-kernel", "write-null", "write-code", "exec-data",
					   "privileged" };
	for (unsigned i = 0; i < sizeof how / sizeof how[0]; i++) {
		int st = -1;
		CHECK(run("fault", how[i], NULL, &st) == 0);
		CHECKF(TSB_STATUS_WHY(st) == TSB_EXIT_FAULT, "%s: status %#x", how[i], st);
	}
}

SELFTEST(proc_bad_executables)
{
	char *argv[] = { "x", NULL };
	CHECK(process_spawn(process_kernel(), "/nope.elf", argv, NULL, 0) == -ENOENT);
	CHECK(process_spawn(process_kernel(), "/HELLO.TXT", argv, NULL, 0) == -ENOEXEC);
	CHECK(process_spawn(process_kernel(), "/bin", argv, NULL, 0) == -EISDIR);
}

SELFTEST(proc_memory)
{
	EXPECT_EXIT(0, "mem", NULL, NULL);
}

SELFTEST(ipc_messages)
{
	EXPECT_EXIT(0, "ipc", NULL, NULL);
}

SELFTEST(proc_pipes_poll_and_redirected_console)
{
	EXPECT_EXIT(0, "pipes", NULL, NULL);
}

SELFTEST(timeouts_one_rule)
{
	EXPECT_EXIT(0, "timeouts", NULL, NULL);
}

SELFTEST(timer_deadline_saturates)
{
	uint64_t now = arch_timer_ns();
	CHECK(timer_deadline(TSB_FOREVER) == 0);
	uint64_t d = timer_deadline(1000);
	CHECKF(d >= now + 1000000000ull && d < now + 2000000000ull, "1 s: %llu from %llu",
	       (unsigned long long)d, (unsigned long long)now);
	/* 2^63-1 ms is past the end of the clock: never, not a wrapped past. */
	CHECK(timer_deadline(0x7fffffffffffffffl) == 0);
	CHECK(timer_deadline((long)(UINT64_MAX / 1000000ull)) == 0);
	CHECK(timeout_check(TSB_NO_WAIT) == 0 && timeout_check(TSB_FOREVER) == 0 && timeout_check(1) == 0);
	CHECK(timeout_check(-2) == -EINVAL && timeout_check(-0x7fffffffffffffffl) == -EINVAL);
}

SELFTEST(mmap_and_munmap_agree)
{
	EXPECT_EXIT(0, "mmap", NULL, NULL);
}

SELFTEST(power_and_trace_need_authority)
{
	EXPECT_EXIT(0, "authority", "none", NULL);
	int st = -1;
	CHECK(run_with(TSB_AUTH_TRACE, "authority", "trace", NULL, &st) == 0);
	CHECKF(st == 0, "status %#x", st);
}
