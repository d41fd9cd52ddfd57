/*
 * Service memory (the svcmem interface, guarded by Heap). Each block is
 * owned by the service that allocated it and linked into that service's
 * list, so a restart can free all of it and a service cannot free (or
 * double-free) what is not its own. Where the profile has no containment
 * no ring frames say which service is running; blocks are then owned by
 * no one in particular (RING_NO_SERVICE), since nothing is ever restarted.
 */
#include <services.h>
#include <ifc/svcmem.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/ring.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>
#include "svc_internal.h"

#define SVC_ALLOC_MAGIC 0x5356434du   /* "SVCM" */
#define SVC_ALLOC_MAX   (64UL << 20)

struct svc_alloc {
	struct svc_alloc *next, *prev;
	size_t size;
	u32 svc;
	u32 magic;
};

_Static_assert(sizeof(struct svc_alloc) % 16 == 0, "payload stays 16-byte aligned");

static spinlock_irq_t svcmem_lock = SPINLOCK_IRQ_INIT;

void *svcmem_alloc_impl(size_t size)
{
	unsigned svc = ring_current_service();

	if (size == 0 || size > SVC_ALLOC_MAX)
		return NULL;
	struct svc_alloc *a = kmalloc(sizeof(*a) + size);
	if (!a)
		return NULL;
	a->size = size;
	a->svc = svc;
	a->magic = SVC_ALLOC_MAGIC;
	a->prev = a->next = NULL;
	if (svc >= SVC_COUNT)
		return a + 1;
	struct svc_state *s = &svc_states[svc];
	u64 flags = spin_lock_irqsave(&svcmem_lock);
	a->next = s->allocs;
	if (a->next)
		a->next->prev = a;
	s->allocs = a;
	s->mem_bytes += size;
	s->mem_allocs++;
	spin_unlock_irqrestore(&svcmem_lock, flags);
	return a + 1;
}

void *svcmem_zalloc_impl(size_t size)
{
	u8 *p = svcmem_alloc_impl(size);
	for (size_t i = 0; p && i < size; i++)
		p[i] = 0;
	return p;
}

static void unlink_block(struct svc_state *s, struct svc_alloc *a)
{
	if (a->prev)
		a->prev->next = a->next;
	else
		s->allocs = a->next;
	if (a->next)
		a->next->prev = a->prev;
	s->mem_bytes -= a->size;
	s->mem_allocs--;
	a->magic = 0;
}

void svcmem_free_impl(void *p)
{
	unsigned svc = ring_current_service();

	if (!p)
		return;
	struct svc_alloc *a = (struct svc_alloc *)p - 1;
	if (a->magic != SVC_ALLOC_MAGIC || a->svc != svc) {
		printk("svcmem: service %u freed %p, which it does not own; ignored\n", svc, p);
		return;
	}
	if (svc >= SVC_COUNT) {
		a->magic = 0;
		kfree(a);
		return;
	}
	u64 flags = spin_lock_irqsave(&svcmem_lock);
	unlink_block(&svc_states[svc], a);
	spin_unlock_irqrestore(&svcmem_lock, flags);
	kfree(a);
}

void svcmem_release_all(unsigned svc)
{
	struct svc_state *s = &svc_states[svc];

	for (;;) {
		u64 flags = spin_lock_irqsave(&svcmem_lock);
		struct svc_alloc *a = s->allocs;
		if (a)
			unlink_block(s, a);
		spin_unlock_irqrestore(&svcmem_lock, flags);
		if (!a)
			break;
		kfree(a);
	}
}
