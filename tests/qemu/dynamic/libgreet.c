/* The shared library musl-greet needs: code and data of its own. */
#include <stdio.h>

int greet_calls;
static char buf[64];

const char *greet(const char *who)
{
	greet_calls++;
	snprintf(buf, sizeof(buf), "hello, %s (%d)", who, greet_calls);
	return buf;
}
