/* A musl program that needs a shared library of its own (libgreet.so,
 * found through LD_LIBRARY_PATH) besides libc. */
#include <stdio.h>

const char *greet(const char *who);
extern int greet_calls;

int main(int argc, char **argv)
{
	puts(greet(argc > 1 ? argv[1] : "nobody"));
	puts(greet("again"));
	printf("calls %d\n", greet_calls);
	return 0;
}
