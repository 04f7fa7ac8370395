/* The command table and the commands about the system rather than files.
 * Built-ins run inside the shell, so their output can be redirected to a
 * file (programs cannot: there is no handle inheritance). The dispatcher
 * here sets up and tears down that redirection for every built-in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "time/civil.h"

bool shell_exit_requested;
int shell_exit_status;

typedef int (*builtin_fn)(int argc, char **argv);

struct builtin {
	const char *name;
	builtin_fn fn;
	const char *usage;
	const char *help;
};

static const struct builtin *find(const char *name);

/* A whole-string decimal number >= 0, or -1. */
static long parse_number(const char *s)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || strlen(s) > 9)
		return -1;
	long v = strtol(s, &end, 10);
	return *end ? -1 : v;
}

static int usage(const char *name)
{
	const struct builtin *b = find(name);
	printf("usage: %s\n", b ? b->usage : name);
	return 2;
}

static int cmd_help(int argc, char **argv);

static int cmd_echo(int argc, char **argv)
{
	int i = 1;
	bool newline = true;
	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = false;
		i = 2;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			out_write(" ", 1);
		out_write(argv[i], strlen(argv[i]));
	}
	if (newline)
		out_write("\n", 1);
	return 0;
}

static int cmd_pwd(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	outf("%s\n", cwd_get());
	return 0;
}

static int cmd_cd(int argc, char **argv)
{
	char abs[TSB_PATH_MAX];
	struct tsb_stat st;

	if (argc > 2)
		return usage(argv[0]);
	const char *to = argc == 2 ? argv[1] : "/";
	int r = path_resolve(to, abs, sizeof abs);
	if (r == 0)
		r = stat(abs, &st);
	if (r == 0 && !st.is_dir)
		r = -ENOTDIR;
	if (r < 0) {
		report(argv[0], to, r);
		return 1;
	}
	cwd_set(abs);
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	static struct tsb_procinfo procs[64];

	if (argc != 1)
		return usage(argv[0]);
	int n = proc_list(procs, 64);
	if (n < 0) {
		report(argv[0], NULL, n);
		return 1;
	}
	outf("  PID  PPID  STATE       MEM KiB   CPU ms  NAME\n");
	for (int i = 0; i < n; i++) {
		struct tsb_procinfo *p = &procs[i];
		p->name[sizeof p->name - 1] = p->state[sizeof p->state - 1] = '\0';
		outf("%5d %5d  %-9s %9llu %8llu  %s%s\n", p->pid, p->ppid, p->state,
		     (unsigned long long)(p->mem_bytes / 1024), (unsigned long long)(p->cpu_ns / 1000000),
		     p->name, p->pid == getpid() ? " (this shell)" : "");
	}
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2)
		return usage(argv[0]);
	for (int i = 1; i < argc; i++) {
		long pid = parse_number(argv[i]);
		if (pid <= 0) {
			printf("%s: %s: not a process id\n", argv[0], argv[i]);
			failed = 1;
			continue;
		}
		if (pid == getpid()) {
			printf("%s: %ld: that is this shell (use exit)\n", argv[0], pid);
			failed = 1;
			continue;
		}
		int r = kill((int)pid);
		if (r < 0) {
			report(argv[0], argv[i], r);
			failed = 1;
			continue;
		}
		jobs_after_kill((int)pid);
	}
	return failed;
}

static int cmd_mem(int argc, char **argv)
{
	struct tsb_meminfo m;

	if (argc != 1)
		return usage(argv[0]);
	int r = mem_info(&m);
	if (r < 0) {
		report(argv[0], NULL, r);
		return 1;
	}
	outf("kernel heap: %llu KiB used, %llu KiB peak, %llu KiB limit (%llu allocations, %llu failed)\n",
	     (unsigned long long)(m.heap_used / 1024), (unsigned long long)(m.heap_peak / 1024),
	     (unsigned long long)(m.heap_limit / 1024), (unsigned long long)m.heap_allocs,
	     (unsigned long long)m.heap_failures);
	unsigned long long page_kib = m.page_size / 1024;
	outf("frames: %llu free of %llu (%llu KiB pages): %llu KiB free of %llu KiB; the heap holds %llu KiB\n",
	     (unsigned long long)m.frames_free, (unsigned long long)m.frames_total, page_kib,
	     (unsigned long long)m.frames_free * page_kib, (unsigned long long)m.frames_total * page_kib,
	     (unsigned long long)(m.heap_reserved / 1024));
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	unsigned long long ms = clock_ns() / 1000000ull, s = ms / 1000;
	outf("up %llu:%02llu:%02llu.%03llu (%llu.%03llu s)\n", s / 3600, s / 60 % 60, s % 60, ms % 1000,
	     s, ms % 1000);
	return 0;
}

static int cmd_date(int argc, char **argv)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	struct civil_time t;
	uint64_t ns;

	if (argc != 1)
		return usage(argv[0]);
	int err = clock_realtime(&ns);
	if (err) {
		report(argv[0], "no real-time clock", err);
		return 1;
	}
	civil_from_unix((int64_t)(ns / 1000000000ull), &t);
	outf("%s %04lld-%02u-%02u %02u:%02u:%02u UTC\n", days[t.weekday], (long long)t.year, t.month,
	     t.day, t.hour, t.min, t.sec);
	return 0;
}

static int cmd_ipctrace(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0))
		return usage(argv[0]);
	int r = ipc_trace(strcmp(argv[1], "on") == 0);
	if (r < 0) {
		report(argv[0], NULL, r);
		return 1;
	}
	outf("ipc trace %s (was %s)\n", argv[1], r ? "on" : "off");
	return 0;
}

static int cmd_jobs(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	jobs_list();
	return 0;
}

static void print_history_line(int n, const char *line)
{
	outf("%4d  %s\n", n, line);
}

static int cmd_history(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	history_each(print_history_line);
	return 0;
}

static int cmd_shutdown(int argc, char **argv)
{
	if (argc != 1)
		return usage(argv[0]);
	printf("shutting down\n");
	int r = shutdown(0); /* flushes the file systems and powers off */
	report(argv[0], NULL, r);
	return 1;
}

/* The kernel log: boot messages, the services' lines, faults. -n LEVEL
 * sets what also reaches the console (levels below it: 5 shows warnings
 * and worse, 8 everything), as Linux's dmesg -n. */
static int cmd_dmesg(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		long level = parse_number(argv[2]);
		if (level < 0 || level > 8)
			return usage(argv[0]);
		long old = klog(TSB_KLOG_CONSOLE, (const void *)(uintptr_t)level, 0);
		if (old < 0) {
			report(argv[0], NULL, (int)old);
			return 1;
		}
		outf("console level %ld (was %ld)\n", level, old);
		return 0;
	}
	if (argc != 1)
		return usage(argv[0]);
	enum { LOG_MAX = 64 * 1024 };
	char *buf = malloc(LOG_MAX);
	long n = buf ? klog(TSB_KLOG_READ, buf, LOG_MAX) : -ENOMEM;
	if (n < 0) {
		free(buf);
		report(argv[0], NULL, (int)n);
		return 1;
	}
	out_write(buf, (size_t)n);
	free(buf);
	return 0;
}

static int cmd_exit(int argc, char **argv)
{
	long status = 0;
	if (argc > 2 || (argc == 2 && ((status = parse_number(argv[1])) < 0 || status > 255)))
		return usage(argv[0]);
	shell_exit_requested = true;
	shell_exit_status = (int)status;
	return 0;
}

static const struct builtin builtins[] = {
	{ "help", cmd_help, "help [COMMAND]", "list the commands, or explain one" },
	{ "ls", cmd_ls, "ls [-l] [PATH...]", "list directories (-l: sizes, modification times in UTC; directories end in /)" },
	{ "cat", cmd_cat, "cat FILE...", "print files" },
	{ "echo", cmd_echo, "echo [-n] [WORD...]", "print words (> FILE and >> FILE write a file)" },
	{ "cp", cmd_cp, "cp SOURCE... DEST", "copy files (into DEST if it is a directory)" },
	{ "mv", cmd_mv, "mv SOURCE... DEST", "move or rename (across file systems too)" },
	{ "rm", cmd_rm, "rm FILE...", "remove files" },
	{ "mkdir", cmd_mkdir, "mkdir DIR...", "create directories" },
	{ "rmdir", cmd_rmdir, "rmdir DIR...", "remove empty directories" },
	{ "pwd", cmd_pwd, "pwd", "print the current directory" },
	{ "cd", cmd_cd, "cd [DIR]", "change the current directory (default /)" },
	{ "df", cmd_df, "df [PATH...]", "free space of file systems" },
	{ "ps", cmd_ps, "ps", "list processes: pid, parent, state, memory, cpu time, name" },
	{ "kill", cmd_kill, "kill PID...", "stop processes" },
	{ "jobs", cmd_jobs, "jobs", "list background jobs" },
	{ "mem", cmd_mem, "mem", "kernel heap and page frame statistics" },
	{ "uptime", cmd_uptime, "uptime", "time since boot" },
	{ "date", cmd_date, "date", "the date and time (UTC)" },
	{ "ipctrace", cmd_ipctrace, "ipctrace on|off", "log every IPC message (to the kernel log: dmesg)" },
	{ "dmesg", cmd_dmesg, "dmesg [-n LEVEL]", "the kernel log (-n: show levels below LEVEL on the console)" },
	{ "history", cmd_history, "history", "list the remembered lines (Up/Down recall them)" },
	{ "shutdown", cmd_shutdown, "shutdown", "flush the file systems and power off" },
	{ "exit", cmd_exit, "exit [STATUS]", "leave the shell (the system keeps running)" },
};
#define NBUILTINS (sizeof builtins / sizeof builtins[0])

static const struct builtin *find(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 2) {
		const struct builtin *b = find(argv[1]);
		if (!b) {
			printf("%s: %s: no such built-in command\n", argv[0], argv[1]);
			return 1;
		}
		outf("usage: %s\n  %s\n", b->usage, b->help);
		return 0;
	}
	if (argc > 2)
		return usage(argv[0]);
	outf("Built-in commands:\n");
	for (size_t i = 0; i < NBUILTINS; i++)
		outf("  %-20s %s\n", builtins[i].usage, builtins[i].help);
	outf("Programs: NAME [ARGS...] runs /bin/NAME or /bin/NAME.elf (or give a path);\n"
	     "  a trailing & runs it in the background. Words may be \"double quoted\".\n"
	     "Keys: Left/Right, Home/End, Backspace, Up/Down (history), Ctrl-U (clear line),\n"
	     "  Ctrl-C (abandon the line, or stop the running program).\n");
	return 0;
}

bool builtin_run(struct command *cmd, int *status)
{
	const struct builtin *b = find(cmd->argv[0]);
	char abs[TSB_PATH_MAX];

	if (!b)
		return false;
	*status = 1;
	if (cmd->background) {
		printf("%s: built-in commands cannot run in the background\n", b->name);
		return true;
	}
	if (cmd->redir != REDIR_NONE) {
		int r = path_resolve(cmd->redir_path, abs, sizeof abs);
		if (r == 0 && b->fn == cmd_cat && cat_reads_output(cmd->argc, cmd->argv, abs))
			return true;
		if (r == 0)
			r = out_redirect(abs, cmd->redir == REDIR_APPEND);
		if (r < 0) {
			report(b->name, cmd->redir_path, r);
			return true;
		}
	}
	*status = b->fn(cmd->argc, cmd->argv);
	if (cmd->redir != REDIR_NONE) {
		int r = out_restore();
		if (r < 0) {
			report(b->name, cmd->redir_path, r);
			*status = 1;
		}
	}
	return true;
}
