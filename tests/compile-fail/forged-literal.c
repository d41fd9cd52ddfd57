/*
 * Must not build: a service makes up a token it was never given. The
 * snippet is compiled as service klog (its view of caps.h), which holds
 * Heap and Console, not FsStore: cap_FsStore is an incomplete type named
 * cap_FsStore_not_held_by_klog, so the literal is a compile error. With
 * -DCONTROL: klog keeps the tokens it was given (caps = *c) and uses one.
 */
#include <caps.h>
#include <services.h>
#include <ifc/fsstore.h>
#include <ifc/svcmem.h>

static struct klog_caps caps;

int compile_fail_forged_literal_init(const struct klog_caps *c)
{
	caps = *c;
	return 0;
}

long compile_fail_forged_literal(void)
{
#ifdef CONTROL
	return svcmem_alloc(caps.Heap, 64) ? 0 : -1;
#else
	return fsstore_root((cap_FsStore){}, 0);
#endif
}
