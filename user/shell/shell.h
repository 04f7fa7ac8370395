/* Declarations shared by the shell's modules. Each .c file has one concern:
 *   main.c      the read-run loop
 *   input.c     console bytes, with type-ahead kept while a program runs
 *   lineedit.c  the line editor and its history
 *   parse.c     splitting a line into words, redirection and '&'
 *   path.c      the shell's own current directory (the kernel has none)
 *   output.c    where a built-in's output goes (console or a file)
 *   builtins.c  the command table and the system commands
 *   filecmds.c  the file commands (ls, cat, cp, mv, rm, mkdir, rmdir)
 *   jobs.c      running programs in the foreground and the background */
#ifndef SHELL_H
#define SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "tsubame.h"

/* A line longer than this is refused key by key (with a bell), so it can
 * never overflow a buffer; it is well inside TSB_ARG_BYTES. */
#define SH_LINE_MAX 1024
/* Words per command; TSB_ARGS_MAX counts argv and envp together. */
#define SH_ARGS_MAX 48

/* ---- input.c ---- */
/* The next input byte, or a negative errno (-ETIMEDOUT after timeout_ms;
 * TSB_FOREVER waits; -EPIPE at the end of the input, when the console is
 * a pipe whose writer closed it). Bytes stashed by in_stash() come first. */
int in_getc(long timeout_ms);
/* Keeps bytes typed while a foreground program ran, for the next line. */
void in_stash(const char *buf, size_t n);
/* Puts one byte back in front of the input. */
void in_unget(int c);
/* For long-running built-ins: true if Ctrl-C was typed since the command
 * started (other keys are kept for the next line). Does not wait. */
bool in_interrupted(void);
void in_clear_interrupt(void); /* before each command */

/* ---- lineedit.c ---- */
/* Shows `prompt` and edits one line into buf (NUL-terminated). Returns its
 * length, -EINTR when the user abandoned it with Ctrl-C, or -EPIPE at the
 * end of the input. */
int line_read(const char *prompt, char *buf, size_t size);
/* Adds a line to the history (empty lines and repeats are skipped). */
void history_add(const char *line);
/* Calls fn for each history entry, oldest first, numbered from 1. */
void history_each(void (*fn)(int n, const char *line));

/* ---- parse.c ---- */
enum redir { REDIR_NONE, REDIR_TRUNC, REDIR_APPEND };
struct command {
	int argc;
	char *argv[SH_ARGS_MAX + 1]; /* NULL-terminated; point into `words` */
	enum redir redir;
	char *redir_path;            /* the word after > or >> */
	bool background;             /* a trailing & */
	char words[2 * SH_LINE_MAX + 2]; /* each word and its NUL */
};
/* Splits `line` into `cmd`. Returns 0, or -1 after printing why not. */
int parse_line(const char *line, struct command *cmd);

/* ---- path.c ---- */
const char *cwd_get(void);
/* Sets the current directory; `abs` is already resolved and checked. */
void cwd_set(const char *abs);
/* Turns a path as typed (relative to the current directory or absolute)
 * into a normalised absolute path without "." or "..". 0 or -ENAMETOOLONG,
 * -ENOENT for an empty path. */
int path_resolve(const char *in, char *out, size_t size);
/* The last component of a path ("/a/b.txt" -> "b.txt"). */
const char *path_base(const char *path);

/* ---- output.c ---- */
/* Output of built-ins goes to the console, or to the file opened by
 * out_redirect() until out_restore(). Errors always go to the console. */
int out_redirect(const char *abs_path, bool append);
/* Closes the redirection; returns the first write error seen (or 0). */
int out_restore(void);
bool out_is_console(void);
void out_write(const char *buf, size_t n);
void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "cmd: what: reason" on the console, the one format of every error. */
void report(const char *cmd, const char *what, int err);

/* ---- builtins.c ---- */
/* Runs the command if it is a built-in: true, with *status its result
 * (0 ok, non-zero failed). False if `name` is not a built-in. */
bool builtin_run(struct command *cmd, int *status);
/* Set by the `exit` built-in: main() leaves its loop. */
extern bool shell_exit_requested;
extern int shell_exit_status;

/* ---- filecmds.c (each returns 0 on success) ---- */
int cmd_ls(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_cp(int argc, char **argv);
int cmd_mv(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_mkdir(int argc, char **argv);
int cmd_rmdir(int argc, char **argv);
int cmd_df(int argc, char **argv);
/* Whether `cat ARGS > out_abs` would read its own output (printing why):
 * checked before the redirection truncates or appends to the file, since
 * either would lose or endlessly grow the data. */
bool cat_reads_output(int argc, char **argv, const char *out_abs);

/* ---- jobs.c ---- */
/* Finds and runs a program (foreground or, with cmd->background, in the
 * background). Prints "NAME: command not found" and the like itself. */
void job_run(struct command *cmd);
/* Reports and forgets background jobs that have ended; before each prompt. */
void jobs_reap(void);
/* Lists the background jobs (the `jobs` built-in). */
void jobs_list(void);
/* After `kill` of one of our background jobs: wait briefly for it and
 * report its end, so the next command no longer sees it. */
void jobs_after_kill(int pid);
/* Words for a waitpid status: "exit status 3", "killed", "crashed". */
void status_words(int status, char *buf, size_t size);

#endif
