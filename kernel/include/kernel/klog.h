/* The kernel log: every kernel message and every line a service prints
 * goes into one ring buffer (read by `dmesg`), and to the console only if
 * its level is below the console level, as with Linux's printk:
 *   0 emergency, 1 alert, 2 critical, 3 error, 4 warning, 5 notice,
 *   6 info (the default), 7 debug.
 * A message chooses its level with a "<N>" prefix (KERN_ERR etc. for
 * kprintf; services print "<3>..." the same way). During boot the console
 * shows levels 0..6; once init says the boot is over it shows 0..4
 * (warnings and worse), unless the boot option loglevel=N set the level. */
#ifndef KERNEL_KLOG_H
#define KERNEL_KLOG_H

#include <stdbool.h>
#include <stddef.h>

#define KERN_EMERG "<0>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"

#define KLOG_DEFAULT_LEVEL 6
#define KLOG_BOOT_CONSOLE 7    /* during boot: all but debug */
#define KLOG_QUIET_CONSOLE 5   /* after boot: warnings and worse */
#define KLOG_BYTES (64 * 1024) /* the oldest lines go when it is full */

/* Appends text (any number of lines; "<N>" at a line's start sets its
 * level, else `level`). A line without its newline yet is continued by the
 * next call. */
void klog_write(int level, const char *text, size_t len);
/* Copies the log, oldest line first, each as "[seconds.micros] text\n";
 * the newest `size` bytes if it does not fit. Returns the byte count. */
size_t klog_read(char *out, size_t size);
/* Sets the console level (0..8; messages below it are shown) and returns
 * the previous one; -1 only asks. */
int klog_console_level(int level);
/* The boot option loglevel=N: the console level for good. */
void klog_cmdline(const char *cmdline);
/* init: the boot is over; routine messages now only go to the log. */
void klog_boot_done(void);

#endif
