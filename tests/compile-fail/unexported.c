/*
 * Must not build: a service calls a platform function that no IDL
 * interface exports to Ring 2. Its header is public, so it compiles; the
 * services rule's partial link and ringcheck against gen/<p>/exports
 * refuse it. With -DCONTROL: a function Ring 0 does export to Ring 2.
 */
#include <kevlar/mm.h>
#include <kevlar/printk.h>

int compile_fail_unexported(void)
{
#ifdef CONTROL
	printk("compile-fail: exported\n");
	return 0;
#else
	return frame_alloc(0) == PADDR_NONE ? -1 : 0;
#endif
}
