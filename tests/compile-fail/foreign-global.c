/*
 * Must not build: a service reaches another service's tokens through a
 * global (tmpfs's caps, which hold FsStore). In klog's view another
 * service's struct <name>_caps is only declared, never defined, so
 * reading a token out of it is a compile error naming struct tmpfs_caps.
 * With -DCONTROL: klog's own global, filled the documented way.
 */
#include <caps.h>
#include <services.h>
#include <ifc/fsstore.h>
#include <ifc/svcmem.h>

#ifdef CONTROL
struct klog_caps compile_fail_klog_caps;

int compile_fail_foreign_global_init(const struct klog_caps *c)
{
	compile_fail_klog_caps = *c;
	return 0;
}

long compile_fail_foreign_global(void)
{
	return svcmem_alloc(compile_fail_klog_caps.Heap, 64) ? 0 : -1;
}
#else
extern struct tmpfs_caps compile_fail_tmpfs_caps;

long compile_fail_foreign_global(void)
{
	return fsstore_root(compile_fail_tmpfs_caps.FsStore, 0);
}
#endif
