/* The Tsubame shell. init starts it as a service; it reads lines from the
 * serial console, edits them (lineedit.c), splits them (parse.c) and runs a
 * built-in (builtins.c, filecmds.c) or a program from the disk (jobs.c).
 * The prompt shows the shell's current directory. Nothing typed can end the
 * shell except `exit` or the end of its input (a redirected console whose
 * other side closed): every error is reported and the loop goes on. */
#include <stdio.h>
#include <string.h>

#include "shell.h"

int main(int argc, char **argv)
{
	static char line[SH_LINE_MAX + 1];
	static struct command cmd;
	char prompt[TSB_PATH_MAX + 16];

	(void)argc;
	(void)argv;
	printf("Tsubame shell. Type `help` for the commands.\n");
	service_ready();
	while (!shell_exit_requested) {
		jobs_reap();
		snprintf(prompt, sizeof prompt, "tsubame:%s$ ", cwd_get());
		int n = line_read(prompt, line, sizeof line);
		if (n == -EPIPE)
			break; /* the terminal went away (telnet client, gui window) */
		if (n <= 0)
			continue; /* abandoned with Ctrl-C, or empty */
		history_add(line);
		if (parse_line(line, &cmd) != 0 || cmd.argc == 0)
			continue;
		int status;
		in_clear_interrupt();
		if (!builtin_run(&cmd, &status))
			job_run(&cmd);
	}
	printf("shell: exiting\n");
	return shell_exit_status;
}
