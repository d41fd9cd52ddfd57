/*
 * Must not build: a service includes a header private to Ring 0. gcc
 * finds it (the path is relative), so it is the services rule's ringcheck
 * of the .d file that refuses it. With -DCONTROL: only public headers.
 */
#ifdef CONTROL
#include <kevlar/types.h>

static inline u8 probe(void)
{
	return 0;
}
#else
#include "../../platform/x86_64/cpu.h"

static inline u8 probe(void)
{
	return inb(0x64);
}
#endif

int compile_fail_private_header(void)
{
	return probe();
}
