/*
 * Run by tests/qemu/test_oom.py: takes anonymous memory a MiB at a time
 * and writes to every page.
 *
 *   memhog            until the kernel stops it
 *   memhog N          N MiB, then exits 0
 *   memhog N hold     N MiB, then says "memhog: holding" and waits
 *
 * Exits 2 if a mapping is refused (the OOM killer should have acted
 * before that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK (1UL << 20)

static void say(const char *s)
{
	write(1, s, strlen(s));
}

int main(int argc, char **argv)
{
	long limit = argc > 1 ? atol(argv[1]) : -1;

	say("memhog: started\n");
	for (long taken = 0; limit < 0 || taken < limit; taken++) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 2;
		for (unsigned long i = 0; i < CHUNK; i += 4096)
			p[i] = 1;
	}
	if (argc > 2 && !strcmp(argv[2], "hold")) {
		say("memhog: holding\n");
		for (;;)
			pause();
	}
	return 0;
}
