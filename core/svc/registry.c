/*
 * The service registry: start, fault, restart. See <kevlar/svc.h>.
 *
 * A restart puts a service back exactly as it was at boot: its tokens are
 * revoked and new ones minted, everything it allocated is freed, its .data
 * is copied back from the image taken before it first ran and its .bss is
 * zeroed (which also drops any lock it held, since its locks live there).
 * State that must outlive a service lives in Core, not in the service.
 */
#include <caps.h>
#include <services.h>
#include <kevlar/cap.h>
#include <kevlar/errno.h>
#include <kevlar/exception.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/random.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include "svc_internal.h"

#define INIT_ATTEMPTS 3

struct svc_state svc_states[SVC_COUNT];

static bool policy_holds(unsigned svc, unsigned cap)
{
	const struct svc_desc *d = &svc_table[svc];
	for (unsigned i = 0; i < d->ncaps; i++)
		if (d->caps[i] == cap)
			return true;
	return false;
}

static const char *policy_service_name(unsigned svc) { return svc_table[svc].name; }
static const char *policy_cap_name(unsigned cap) { return cap_names[cap]; }

static const struct cap_policy policy = {
	.nservices = SVC_COUNT,
	.ncaps = CAP_COUNT,
	.holds = policy_holds,
	.service_name = policy_service_name,
	.cap_name = policy_cap_name,
	.current = ring_current_service,
	.random = random_u64,
};

unsigned svc_count(void)
{
	return SVC_COUNT;
}

int svc_find(const char *name)
{
	for (unsigned i = 0; i < SVC_COUNT; i++)
		if (!strcmp(svc_table[i].name, name))
			return (int)i;
	return -ENOENT;
}

/* Puts the service's memory image back to how it was before it ran. */
static void reset_image(unsigned id)
{
	const struct svc_desc *d = &svc_table[id];
	struct svc_state *s = &svc_states[id];

	cap_revoke_service(id);
	svcmem_release_all(id);
	if (s->data_image)
		memcpy(d->data_start, s->data_image, (size_t)(d->data_end - d->data_start));
	memset(d->bss_start, 0, (size_t)(d->bss_end - d->bss_start));
}

static void describe_fault(const struct ring_fault *f, char *buf, size_t size)
{
	switch (f->kind) {
	case RING_FAULT_EXCEPTION:
		ksnprintf(buf, size, "%s (vector %u) at 0x%lx%s", exception_name(f->vector),
			  f->vector, f->rip, f->vector == 14 ? ", bad address" : "");
		break;
	case RING_FAULT_PANIC:
		ksnprintf(buf, size, "panic: %s", f->message);
		break;
	case RING_FAULT_WATCHDOG:
		ksnprintf(buf, size, "watchdog: still running at 0x%lx", f->rip);
		break;
	default:
		ksnprintf(buf, size, "unknown fault");
	}
}

/* Runs the service's init inside a recovery point. 0, or why not. */
static int run_init(unsigned id)
{
	const struct svc_desc *d = &svc_table[id];
	struct svc_state *s = &svc_states[id];
	struct ring_frame rf;
	int rc;

	svc_mint_tokens(id, s->caps);
	s->status = SVC_RUNNING;
	if (!ring_containment()) {
		rc = d->init(s->caps);   /* no recovery point: faults are fatal */
		goto out;
	}
	if (ring_enter(&rf, id)) {
		char why[160];
		describe_fault(&rf.fault, why, sizeof(why));
		printk("svc: %s faulted while starting: %s\n", d->name, why);
		s->faults++;
		return -EIO;
	}
	rc = d->init(s->caps);
	ring_leave(&rf);
out:
	if (rc < 0)
		printk("svc: %s failed to start (error %d)\n", d->name, rc);
	return rc;
}

/* Starts (or restarts) a service, trying a few times before giving up. */
static int start(unsigned id)
{
	struct svc_state *s = &svc_states[id];

	for (int attempt = 0; attempt < INIT_ATTEMPTS; attempt++) {
		if (run_init(id) == 0)
			return 0;
		reset_image(id);
	}
	s->status = SVC_DISABLED;
	printk("svc: %s disabled after %d failed starts\n", svc_table[id].name, INIT_ATTEMPTS);
	return -EIO;
}

void svc_boot(bool tests)
{
	if (cap_init(&policy))
		printk("svc: no memory for the capability table\n");
	for (unsigned id = 0; id < SVC_COUNT; id++) {
		const struct svc_desc *d = &svc_table[id];
		struct svc_state *s = &svc_states[id];
		size_t data = (size_t)(d->data_end - d->data_start);

		s->status = SVC_STOPPED;
		if (d->test_only && !tests)
			continue;
		s->caps = kzalloc(d->caps_size ? d->caps_size : 1);
		s->data_image = data ? kmalloc(data) : NULL;
		if (!s->caps || (data && !s->data_image)) {
			printk("svc: no memory to start %s\n", d->name);
			continue;
		}
		if (data)
			memcpy(s->data_image, d->data_start, data);
		s->epoch = 1;
		if (start(id) == 0)
			printk("svc: %s started, ring 2, %u capabilit%s\n", d->name, d->ncaps,
			       d->ncaps == 1 ? "y" : "ies");
	}
}

const void *svc_ops(unsigned svc, unsigned ifc)
{
	if (svc >= SVC_COUNT || svc_states[svc].status != SVC_RUNNING)
		return NULL;
	const struct svc_desc *d = &svc_table[svc];
	for (unsigned i = 0; i < d->nprovides; i++)
		if (d->provides[i].ifc == ifc)
			return d->provides[i].ops;
	return NULL;
}

int svc_fault_return(struct ring_frame *rf)
{
	unsigned id = rf->svc;
	char why[160];

	if (id >= SVC_COUNT)
		return -EIO;
	struct svc_state *s = &svc_states[id];
	describe_fault(&rf->fault, why, sizeof(why));
	s->faults++;
	s->status = SVC_FAILED;
	printk("svc: %s failed: %s; restarting\n", svc_table[id].name, why);
	reset_image(id);
	s->epoch++;
	s->restarts++;
	if (start(id) == 0)
		printk("svc: %s restarted (epoch %u)\n", svc_table[id].name, s->epoch);
	return -EIO;
}

int svc_get_info(unsigned id, struct svc_info *out)
{
	if (id >= SVC_COUNT)
		return -ENOENT;
	const struct svc_state *s = &svc_states[id];
	*out = (struct svc_info){
		.name = svc_table[id].name,
		.status = s->status,
		.epoch = s->epoch,
		.faults = s->faults,
		.restarts = s->restarts,
		.mem_bytes = s->mem_bytes,
		.mem_allocs = s->mem_allocs,
	};
	return 0;
}
