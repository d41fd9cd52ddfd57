/*
 * Must not build: a service hands a guarded shim the wrong kind of token.
 * svcmem is guarded by Heap, and a Console token must not open it. In
 * fortress and balanced each capability is its own struct type, so the
 * call is a type error (in performance and ludicrous the shim macro's
 * _Generic refuses it). With -DCONTROL: the right token, which builds.
 */
#include <caps.h>
#include <ifc/svcmem.h>

void *compile_fail_wrong_token(cap_Heap heap, cap_Console console)
{
#ifdef CONTROL
	return svcmem_alloc(heap, 64);
#else
	return svcmem_alloc(console, 64);
#endif
}
