/*
 * The service registry (Ring 1). Every Ring 2 service is described by the
 * IDL; the generated svc_table binds it to the interfaces it provides and
 * the capabilities it holds. The registry starts services, hands them
 * freshly minted tokens, and when one faults, takes it down and restarts
 * it: tokens revoked, memory freed, its data and bss restored to their
 * boot-time image, its epoch bumped.
 */
#ifndef KEVLAR_SVC_H
#define KEVLAR_SVC_H

#include <kevlar/ring.h>
#include <kevlar/types.h>

struct svc_provides {
	unsigned ifc;
	const void *ops;
};

/* One service, as generated into gen/<profile>/registry.c. */
struct svc_desc {
	const char *name;
	int (*init)(void *caps);             /* calls <svc>_init(caps) */
	size_t caps_size;                    /* sizeof(struct <svc>_caps) */
	const unsigned *caps;                /* capability ids it holds */
	unsigned ncaps;
	const struct svc_provides *provides;
	unsigned nprovides;
	bool test_only;
	char *data_start, *data_end;         /* its .data, restored on restart */
	char *bss_start, *bss_end;           /* its .bss, zeroed on restart */
};

enum svc_status {
	SVC_STOPPED,     /* not started (test-only service outside tests) */
	SVC_RUNNING,
	SVC_FAILED,      /* faulted; restart pending */
	SVC_DISABLED,    /* failed to restart too often; calls get -EIO */
};

struct svc_info {
	const char *name;
	enum svc_status status;
	u32 epoch;          /* starts at 1, +1 per restart */
	u32 faults;
	u32 restarts;
	size_t mem_bytes;   /* what it holds from its Heap now */
	size_t mem_allocs;
};

extern const struct svc_desc svc_table[];
/* Fills 'caps' with fresh tokens for every capability 'svc' holds. */
void svc_mint_tokens(unsigned svc, void *caps);

/* Starts every service (test-only ones only if 'tests'). */
void svc_boot(bool tests);
/* The ops table 'svc' registered for 'ifc', or NULL if it is not up. */
const void *svc_ops(unsigned svc, unsigned ifc);
/* After ring_enter() returned -EIO: log the fault, restart the service,
 * and return -EIO for the shim to pass on. */
int svc_fault_return(struct ring_frame *rf);
int svc_get_info(unsigned svc, struct svc_info *out);
unsigned svc_count(void);
/* Looks a service up by name; -ENOENT if there is none. */
int svc_find(const char *name);

#endif
