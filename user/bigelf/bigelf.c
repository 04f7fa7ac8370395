/* A 2 MiB executable for the spawn benchmark: the table is initialised
 * data, so it is in the file and the loader must read all of it. */
#include <stdint.h>

#define WORDS (2 * 1024 * 1024 / 8)

static const uint64_t table[WORDS] = { [0] = 1, [WORDS - 1] = 2 };

int main(void)
{
	/* Touch both ends so the table is not optimised away. */
	return (int)(table[0] + table[WORDS - 1] != 3);
}
