/* Running programs. A program is found by path (relative to the current
 * directory) or by bare name in $PATH (default /bin), trying NAME and then
 * NAME.elf. In the foreground the shell waits for it and shows a status
 * that is not plain success; with a trailing & it is remembered as a job
 * and reported when it ends, just before the next prompt.
 *
 * While a foreground program runs, the shell still reads the console, so
 * that Ctrl-C can stop the program (the kernel has no signals and no
 * terminal ownership; killing our own child is always permitted). Other
 * keys typed meanwhile are kept for the next line. The cost: a program
 * that reads the console itself competes with the shell for the bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

#define JOBS_MAX 16
#define POLL_MS 20 /* how often a foreground wait looks at the console */

struct job {
	int pid;          /* 0: free slot */
	char text[64];    /* the command, for the report */
};
static struct job jobs[JOBS_MAX];

void status_words(int status, char *buf, size_t size)
{
	switch (TSB_STATUS_WHY(status)) {
	case TSB_EXIT_NORMAL:
		if (TSB_STATUS_CODE(status) == 0)
			snprintf(buf, size, "done");
		else
			snprintf(buf, size, "exit status %d", TSB_STATUS_CODE(status));
		break;
	case TSB_EXIT_KILLED: snprintf(buf, size, "killed"); break;
	case TSB_EXIT_FAULT: snprintf(buf, size, "crashed"); break;
	default: snprintf(buf, size, "ended (status %#x)", (unsigned)status); break;
	}
}

/* A regular file at `path`, or `path`.elf. 0 with out filled, or an errno. */
static int try_file(const char *path, char *out, size_t size)
{
	struct tsb_stat st;
	int first = 0;
	const char *suffixes[] = { "", ".elf" };

	for (int i = 0; i < 2; i++) {
		if ((size_t)snprintf(out, size, "%s%s", path, suffixes[i]) >= size)
			return -ENAMETOOLONG;
		int r = stat(out, &st);
		if (r == 0 && !st.is_dir)
			return 0;
		if (r == 0)
			r = -EISDIR;
		if (!first)
			first = r;
	}
	return first;
}

/* Where the program `name` is: 0, or -ENOENT for "command not found" (bare
 * names) or another errno for a path that is not a runnable file. */
static int find_program(const char *name, char *out, size_t size)
{
	char abs[TSB_PATH_MAX];

	if (strchr(name, '/')) {
		int r = path_resolve(name, abs, sizeof abs);
		return r ? r : try_file(abs, out, size);
	}
	const char *dirs = getenv("PATH");
	if (!dirs || !*dirs)
		dirs = "/bin";
	while (*dirs) {
		const char *end = strchr(dirs, ':');
		size_t n = end ? (size_t)(end - dirs) : strlen(dirs);
		if (n > 0 && n + 1 + strlen(name) < sizeof abs) {
			memcpy(abs, dirs, n);
			snprintf(abs + n, sizeof abs - n, "/%s", name);
			if (try_file(abs, out, size) == 0)
				return 0;
		}
		dirs += n + (end ? 1 : 0);
	}
	return -ENOENT;
}

static void describe_command(const struct command *cmd, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < cmd->argc && n + 1 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", cmd->argv[i]);
}

static void foreground_wait(int pid)
{
	bool killed = false;
	int status = 0;

	for (;;) {
		int r = waitpid(pid, &status, TSB_WNOHANG);
		if (r == pid)
			break;
		if (r < 0) {
			report("wait", NULL, r);
			return;
		}
		char buf[64];
		long n = console_read(buf, sizeof buf, POLL_MS);
		for (long i = 0; i < n; i++) {
			if (buf[i] == 0x03 && !killed) { /* Ctrl-C: stop the program */
				printf("^C\n");
				int k = kill(pid);
				if (k < 0 && k != -ESRCH)
					report("kill", NULL, k);
				killed = true;
			} else if (buf[i] != 0x03) {
				in_stash(&buf[i], 1);
			}
		}
	}
	if (status != 0) {
		char words[48];
		status_words(status, words, sizeof words);
		printf("[%s]\n", words);
	}
}

void job_run(struct command *cmd)
{
	const char *name = cmd->argv[0];
	char path[TSB_PATH_MAX];
	struct job *slot = NULL;

	if (cmd->redir != REDIR_NONE) {
		printf("%s: output redirection works only for built-in commands\n", name);
		return;
	}
	int r = find_program(name, path, sizeof path);
	if (r == -ENOENT && !strchr(name, '/')) {
		printf("%s: command not found\n", name);
		return;
	}
	if (r < 0) {
		report(name, NULL, r);
		return;
	}
	if (cmd->background) {
		for (int i = 0; i < JOBS_MAX && !slot; i++)
			if (!jobs[i].pid)
				slot = &jobs[i];
		if (!slot) {
			printf("%s: too many background jobs (at most %d)\n", name, JOBS_MAX);
			return;
		}
	}
	cmd->argv[0] = path; /* programs see the path they were started from */
	int pid = spawn(path, cmd->argv, environ);
	cmd->argv[0] = (char *)name;
	if (pid < 0) {
		report(name, NULL, pid);
		return;
	}
	if (!slot) {
		foreground_wait(pid);
		return;
	}
	slot->pid = pid;
	describe_command(cmd, slot->text, sizeof slot->text);
	printf("[pid %d]\n", pid);
}

static struct job *find_job(int pid)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (jobs[i].pid == pid)
			return &jobs[i];
	return NULL;
}

static void finished(int pid, int status)
{
	char words[48];
	struct job *j = find_job(pid);

	status_words(status, words, sizeof words);
	printf("[pid %d] %s: %s\n", pid, j ? j->text : "?", words);
	if (j)
		j->pid = 0;
}

void jobs_reap(void)
{
	int status, pid;
	while ((pid = waitpid(-1, &status, TSB_WNOHANG)) > 0)
		finished(pid, status);
}

void jobs_after_kill(int pid)
{
	int status;
	if (!find_job(pid))
		return;
	/* A killed process ends at its next return to user mode: soon. */
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &status, TSB_WNOHANG) == pid) {
			finished(pid, status);
			return;
		}
		sleep_ms(10);
	}
}

void jobs_list(void)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (jobs[i].pid)
			outf("[pid %d] running  %s\n", jobs[i].pid, jobs[i].text);
}
