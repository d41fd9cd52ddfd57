/*
 * Must not build: a service turns a token it holds into one it does not
 * (klog's Heap into FsStore) through a pointer cast. In klog's view
 * cap_FsStore is an incomplete type, so the cast-and-dereference is a
 * compile error naming it cap_FsStore_not_held_by_klog. With -DCONTROL:
 * the held token itself.
 */
#include <caps.h>
#include <services.h>
#include <ifc/fsstore.h>
#include <ifc/svcmem.h>

static struct klog_caps caps;

int compile_fail_forged_cast_init(const struct klog_caps *c)
{
	caps = *c;
	return 0;
}

long compile_fail_forged_cast(void)
{
#ifdef CONTROL
	return svcmem_alloc(caps.Heap, 64) ? 0 : -1;
#else
	return fsstore_root(*(cap_FsStore *)&caps.Heap, 0);
#endif
}
