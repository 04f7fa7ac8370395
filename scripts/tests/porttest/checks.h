/* porttest: what a portable C program expects of its C library, checked on
 * Tsubame (see porttest.c). */
#ifndef CHECKS_H
#define CHECKS_H

/* Records one check; prints "ok NAME" or "FAIL NAME: why". */
void check(const char *name, int ok, const char *why);
int checks_failed(void);
int checks_run(void);

void check_stdio_numbers(void);
void check_math(void);
void check_memory(void);
void check_sorting(void);
void check_jumps(void);
void check_time(void);
void check_environment(void);
void check_files(const char *dir);
void check_errors(const char *dir);

#endif
