/* init: the first user process. It starts the services in its table, in
 * order, and supervises them: every exit is logged with its status, and a
 * service marked restartable comes back after a delay that doubles with
 * each quick crash (up to a cap), so a service that cannot start does
 * not spin the CPU.
 *
 * Its own messages and everything the services print go to the kernel log
 * (`dmesg`; TSB_SPAWN_LOG), which shows them on the console only while the
 * system boots, or by level (crashes are warnings). The console's shell is
 * started last, once the boot is over, so its prompt comes after the boot
 * messages and nothing routine prints over what the user types. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsubame.h"

enum restart { NEVER, ALWAYS };

struct service {
	const char *name;
	const char *path;
	const char *args[3];  /* extra arguments, NULL-terminated */
	enum restart restart;
	uint32_t authority;   /* what the service may do beyond a normal process */
	int pid;
	uint64_t backoff_ms;
	uint64_t restart_at_ns;
	uint64_t started_ns;
	bool terminal;        /* on the serial console, not the log; started after boot */
};

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 10000
#define STABLE_NS (10ull * 1000000000ull) /* running this long resets the backoff */
#define READY_WAIT_NS (3ull * 1000000000ull) /* at boot, for services to say READY */

/* Services that do not exist yet are simply not listed. */
static struct service services[] = {
	/* The seed's order: the network services, then the shell. */
	{ "netd", "/bin/netd.elf", { NULL }, ALWAYS, TSB_AUTH_NET, 0, 0, 0, 0, false },
	{ "httpd", "/bin/httpd.elf", { NULL }, ALWAYS, 0, 0, 0, 0, 0, false },
	{ "telnetd", "/bin/telnetd.elf", { NULL }, ALWAYS, 0, 0, 0, 0, 0, false },
	/* A person at the console may stop services, power off and trace. */
	{ "shell", "/bin/shell.elf", { NULL }, NEVER, TSB_AUTH_KILL | TSB_AUTH_POWER | TSB_AUTH_TRACE, 0, 0, 0, 0, true },
	/* The desktop; it exits with status 0 when there is no display. */
	{ "gui", "/bin/gui.elf", { NULL }, ALWAYS, TSB_AUTH_GUI, 0, 0, 0, 0, false },
	/* Last, as in the seed; the boot option fat32d=first moves it first. */
	{ "fat32d", "/bin/fat32d.elf", { NULL }, ALWAYS, TSB_AUTH_BLOCK | TSB_AUTH_FS, 0, 0, 0, 0, false },
	/* Only with the boot option inittest (scripts/tests/init-supervision.sh):
	 * one service that always crashes, one that exits normally. */
	{ "crasher", "/bin/utest.elf", { "fault", "write-null", NULL }, ALWAYS, 0, 0, 0, 0, 0, false },
	{ "quitter", "/bin/utest.elf", { "exit", "0", NULL }, ALWAYS, 0, 0, 0, 0, 0, false },
};
#define NTEST_SERVICES 2
static unsigned NSERVICES = sizeof services / sizeof services[0] - NTEST_SERVICES;

/* A line into the kernel log; "<N>" in front gives its level. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		klog(TSB_KLOG_WRITE, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void start(struct service *s)
{
	char *argv[] = { (char *)s->path, (char *)s->args[0], (char *)s->args[1], NULL };
	char *envp[] = { "PATH=/bin", NULL };
	struct tsb_stat st;

	if (stat(s->path, &st) != 0) {
		s->pid = 0;
		s->restart = NEVER; /* not installed: nothing to supervise */
		return;
	}
	/* NOTIFY: we take messages (READY) from our services alone; anyone
	 * else's, an orphan's included, is refused at send time. LOG: a
	 * service's output goes to the kernel log (the console's shell keeps
	 * the console). */
	struct tsb_spawn_opts o = { .authority = s->authority,
				    .flags = TSB_SPAWN_NOTIFY | (s->terminal ? 0 : TSB_SPAWN_LOG),
				    .console_in = -1, .console_out = -1 };
	s->pid = spawn_opts(s->path, argv, envp, &o);
	s->started_ns = clock_ns();
	if (s->pid < 0) {
		say("<3>init: cannot start %s: %s\n", s->name, strerror(s->pid));
		s->pid = 0;
	} else {
		say("init: started %s (pid %d)\n", s->name, s->pid);
	}
}

static void describe(char *buf, size_t n, int status)
{
	switch (TSB_STATUS_WHY(status)) {
	case TSB_EXIT_NORMAL: snprintf(buf, n, "exited with status %d", TSB_STATUS_CODE(status)); break;
	case TSB_EXIT_KILLED: snprintf(buf, n, "was killed"); break;
	case TSB_EXIT_FAULT: snprintf(buf, n, "crashed (CPU exception)"); break;
	default: snprintf(buf, n, "ended (status %#x)", status); break;
	}
}

static void reaped(int pid, int status)
{
	char why[48];

	describe(why, sizeof why, status);
	for (unsigned i = 0; i < NSERVICES; i++) {
		struct service *s = &services[i];
		if (s->pid != pid)
			continue;
		s->pid = 0;
		bool crashed = TSB_STATUS_WHY(status) != TSB_EXIT_NORMAL || TSB_STATUS_CODE(status) != 0;
		if (s->restart == ALWAYS && crashed) {
			uint64_t now = clock_ns();
			if (now - s->started_ns > STABLE_NS)
				s->backoff_ms = 0;
			s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 : BACKOFF_FIRST_MS;
			if (s->backoff_ms > BACKOFF_MAX_MS)
				s->backoff_ms = BACKOFF_MAX_MS;
			s->restart_at_ns = now + s->backoff_ms * 1000000ull;
			/* A crash is a warning (shown on the console); a kill was
			 * someone's doing, an exit the service's: the log only. */
			say("%sinit: %s (pid %d) %s; restarting in %llu ms\n",
			    TSB_STATUS_WHY(status) == TSB_EXIT_FAULT ? "<4>" : "", s->name, pid, why,
			    (unsigned long long)s->backoff_ms);
		} else {
			say("init: %s (pid %d) %s; not restarted\n", s->name, pid, why);
		}
		return;
	}
	say("init: orphan pid %d %s\n", pid, why);
}

/* The kernel passes its command line to init as BOOTARGS. */
static bool boot_option(const char *opt)
{
	const char *args = getenv("BOOTARGS");
	size_t n = strlen(opt);

	for (const char *p = args; p && *p;) {
		if (strncmp(p, opt, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* Services that tell init when they are ready (service_ready() in libc)
 * after their start-up work: a mount, a DHCP lease, a listening socket. */
static const char *const announces_ready[] = { "fat32d", "netd", "httpd", "telnetd", "shell" };
static bool ready[sizeof services / sizeof services[0]];

static bool announces(const struct service *s)
{
	for (unsigned i = 0; i < sizeof announces_ready / sizeof announces_ready[0]; i++)
		if (strcmp(s->name, announces_ready[i]) == 0)
			return true;
	return false;
}

/* Whatever a service sends is taken whole (the buffer holds the largest
 * message), so that nothing stays queued. */
static char msg[TSB_IPC_MAX_MSG];

/* Takes READY messages until services [0, upto) that announce readiness
 * have all done so, or until the deadline; other messages are dropped. */
static void await_ready(unsigned upto, uint64_t until)
{
	for (;;) {
		bool all = true;
		for (unsigned i = 0; i < upto; i++)
			all &= ready[i] || !services[i].pid || !announces(&services[i]);
		uint64_t now = clock_ns();
		if (all || now >= until)
			return;
		struct tsb_ipc_info info;
		long n = ipc_recv(&info, msg, sizeof msg, (long)((until - now) / 1000000 + 1));
		for (unsigned i = 0; n > 0 && i < upto; i++)
			if (services[i].pid == info.sender && (size_t)n == strlen(TSB_SERVICE_READY) &&
			    memcmp(msg, TSB_SERVICE_READY, (size_t)n) == 0)
				ready[i] = true;
	}
}

int main(void)
{
	say("init: Tsubame user space starting\n");
	if (boot_option("inittest"))
		NSERVICES += NTEST_SERVICES;
	bool fat32d_first = boot_option("fat32d=first");
	if (fat32d_first) {
		/* fat32d is last in the table: move it to the front. */
		unsigned last = sizeof services / sizeof services[0] - NTEST_SERVICES - 1;
		struct service fs = services[last];
		for (unsigned i = last; i > 0; i--)
			services[i] = services[i - 1];
		services[0] = fs;
	}
	for (unsigned i = 0; i < NSERVICES; i++) {
		if (services[i].terminal)
			continue; /* after the boot, below */
		start(&services[i]);
		/* fat32d first: the others are meant to load through it. */
		if (i == 0 && fat32d_first)
			await_ready(1, clock_ns() + READY_WAIT_NS);
	}
	/* Up means ready, not just spawned. Measured by make bench: boot time
	 * with fat32d first vs last. */
	await_ready(NSERVICES, clock_ns() + READY_WAIT_NS);
	say("init: all services started at %llu ms\n", (unsigned long long)(clock_ns() / 1000000));
	klog(TSB_KLOG_BOOTED, NULL, 0);
	for (unsigned i = 0; i < NSERVICES; i++)
		if (services[i].terminal)
			start(&services[i]);
	for (;;) {
		/* With no restart pending, sleep in waitpid until a child exits;
		 * otherwise poll until the earliest restart is due. */
		uint64_t next = 0, now = clock_ns();
		for (unsigned i = 0; i < NSERVICES; i++) {
			struct service *s = &services[i];
			if (!s->pid && s->restart_at_ns && now >= s->restart_at_ns) {
				s->restart_at_ns = 0;
				start(s);
			} else if (!s->pid && s->restart_at_ns && (!next || s->restart_at_ns < next)) {
				next = s->restart_at_ns;
			}
		}
		while (ipc_recv(NULL, msg, sizeof msg, TSB_NO_WAIT) >= 0)
			; /* READY from a restarted service: nobody waits for it now */
		int status;
		int pid = waitpid(-1, &status, next ? TSB_WNOHANG : 0);
		if (pid > 0)
			reaped(pid, status);
		else if (next)
			sleep_ms(next > clock_ns() ? (next - clock_ns()) / 1000000 + 1 : 1);
		else if (pid == -ECHILD)
			sleep_ms(1000); /* nothing to supervise; orphans may still arrive */
	}
}
