/* Private to the registry: per-service runtime state. */
#ifndef KEVLAR_CORE_SVC_INTERNAL_H
#define KEVLAR_CORE_SVC_INTERNAL_H

#include <kevlar/svc.h>

struct svc_alloc;

struct svc_state {
	enum svc_status status;
	u32 epoch;
	u32 faults;
	u32 restarts;
	void *caps;               /* struct <svc>_caps, minted afresh each start */
	char *data_image;         /* .data as it was before the first start */
	struct svc_alloc *allocs; /* everything it holds from its Heap */
	size_t mem_bytes;
	size_t mem_allocs;
};

extern struct svc_state svc_states[];

/* Frees everything service 'svc' allocated. */
void svcmem_release_all(unsigned svc);

#endif
