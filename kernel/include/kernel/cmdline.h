/* Kernel command line: space-separated words, "key" or "key=value". */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

bool cmdline_has(const char *cmdline, const char *word);
/* Copies the value of key=value into out; false if the key is absent. */
bool cmdline_value(const char *cmdline, const char *key, char *out, size_t size);

#endif
