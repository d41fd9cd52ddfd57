/* Test stub of <kevlar/svc.h>: the registry, as registry.c expects it. */
#ifndef KEVLAR_SVC_H
#define KEVLAR_SVC_H
#include <kevlar/ring.h>
#include <kevlar/types.h>
struct svc_provides {
	unsigned ifc;
	const void *ops;
};
struct svc_desc {
	const char *name;
	int (*init)(void *caps);
	size_t caps_size;
	const unsigned *caps;
	unsigned ncaps;
	const struct svc_provides *provides;
	unsigned nprovides;
	bool test_only;
	char *data_start, *data_end;
	char *bss_start, *bss_end;
};
extern const struct svc_desc svc_table[];
void svc_mint_tokens(unsigned svc, void *caps);
const void *svc_ops(unsigned svc, unsigned ifc);
int svc_fault_return(struct ring_frame *rf);
#endif
