/* Shared by the utest modes (one file per area). */
#ifndef UTEST_H
#define UTEST_H

#define SELF "/bin/utest.elf"

/* Prints what went wrong (with the errno's text) and returns 1. */
int fail(const char *what, long got);

int mode_pipes(void);
int mode_upper(const char *grandchild);
int mode_guiwin(int ms);
int mode_gui(const char *how);

#endif
