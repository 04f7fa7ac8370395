/* Finding a service by its program name (e.g. "netd.elf"), for libraries
 * that talk to it over IPC. */
#include <string.h>

#include "tsubame.h"

int proc_find(const char *name)
{
	static struct tsb_procinfo procs[64];
	int n = proc_list(procs, 64);

	for (int i = 0; i < n; i++)
		if (strcmp(procs[i].name, name) == 0 && strcmp(procs[i].state, "zombie") != 0)
			return procs[i].pid;
	return -ESRCH;
}
