/* Shared by the utest modes (one file per area). */
#ifndef UTEST_H
#define UTEST_H

#define SELF "/bin/utest.elf"

/* Prints what went wrong (with the errno's text) and returns 1. */
int fail(const char *what, long got);

/* fp.c */
void utest_fp_peek_at_start(void);
int mode_fpregs(unsigned seed, long rounds, const char *call);
int mode_fpinit(void);
int mode_fpdirty(const char *how);
int mode_fpcalc(unsigned seed, long n);

int mode_pipes(void);
int mode_upper(const char *grandchild);
int mode_guiwin(int ms);
int mode_gui(const char *how);
int mode_echo(void);
int mode_ipc(void);
int mode_deaf(void);
int mode_sink(void);
int mode_late(int ms);
int mode_vanish(void);
int mode_sendone(int pid);
int mode_callexit(int pid);
int mode_timeouts(void);
int mode_block(const char *call, const char *timeout);



#endif
