/* rand/srand: a small xorshift generator for games and demos, not secrets. */
#include <stdint.h>
#include <stdlib.h>

static uint64_t rand_state = 0x9e3779b97f4a7c15ull;

void srand(unsigned seed)
{
	rand_state = seed ? (uint64_t)seed * 0x9e3779b97f4a7c15ull : 0x9e3779b97f4a7c15ull;
}

int rand(void)
{
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 7;
	rand_state ^= rand_state << 17;
	return (int)(rand_state >> 33) & RAND_MAX;
}
