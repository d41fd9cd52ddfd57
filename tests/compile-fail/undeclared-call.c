/*
 * Must not build: a service calls an operation it holds no token for
 * without naming a token at all, through a prototype written by hand
 * (fsstore.root's out-of-line shim, or in performance and ludicrous the
 * implementation the shim macro calls). gcc builds it; the build's
 * backstop, tools/tokencheck.py on what the object leaves undefined
 * (nm -u), refuses it. With -DCONTROL: an operation klog may call.
 */
#include <caps.h>
#include <services.h>
#include <ifc/svcmem.h>

#ifdef CONTROL
static struct klog_caps caps;

int compile_fail_undeclared_call_init(const struct klog_caps *c)
{
	caps = *c;
	return 0;
}

long compile_fail_undeclared_call(void)
{
	return svcmem_alloc(caps.Heap, 64) ? 0 : -1;
}
#else
#if defined(KEVLAR_PROFILE_FORTRESS) || defined(KEVLAR_PROFILE_BALANCED)
typedef struct { } any_token;
long fsstore_root(any_token tok, u32 sb);
#define ROOT(sb) fsstore_root((any_token){}, sb)
#else
long fsstore_root_impl(u32 sb);
#define ROOT(sb) fsstore_root_impl(sb)
#endif

long compile_fail_undeclared_call(void)
{
	return ROOT(0);
}
#endif
