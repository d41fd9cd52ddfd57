/*
 * Frame reference counts. A frame mapped into user space may be shared:
 * by a parent and child after fork (copy-on-write), by every mapping of
 * a file page and the page cache itself. Each holder owns one reference;
 * the last frame_put() frees the frame. Frames here are single pages
 * from frame_alloc(0), which hands them out with one reference.
 *
 * Where the count lives: struct frame has a refcount field, but Ring 0
 * does not export zone_frame()/kernel_zone to Core (idl/platform.idl), so
 * Core keeps its own table of the frames that have more than one holder:
 * pfn -> references beyond the first. A frame not in the table has
 * exactly one. Most user frames have one holder, so the table stays
 * small. Once Ring 0 exports zone_frame, this file shrinks to atomic
 * operations on struct frame's refcount.
 */
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>
#include "vm_internal.h"

struct ref_slot {
	pfn_t pfn;      /* 0: empty (frame 0 is never allocated) */
	u64 extra;      /* holders beyond the first */
};

#define REF_MIN_SLOTS 1024

static struct ref_slot *slots;
static u64 nslots;    /* a power of two, or 0 before the first use */
static u64 nused;
static spinlock_irq_t ref_lock = SPINLOCK_IRQ_INIT;

static u64 slot_hash(pfn_t pfn)
{
	return (pfn * 0x9e3779b97f4a7c15ULL) >> 20;
}

/* The slot holding pfn, or the empty slot where it would go. */
static struct ref_slot *slot_find(struct ref_slot *tab, u64 n, pfn_t pfn)
{
	for (u64 i = slot_hash(pfn) & (n - 1);; i = (i + 1) & (n - 1)) {
		if (tab[i].pfn == pfn || tab[i].pfn == 0)
			return &tab[i];
	}
}

/* Doubles the table while it is at least half full; a failed allocation
 * is tolerated until the table is nearly full. */
static void table_grow(void)
{
	u64 n = nslots ? nslots * 2 : REF_MIN_SLOTS;
	struct ref_slot *tab;

	if (nslots && (nused + 1) * 2 <= nslots)
		return;
	tab = kzalloc(n * sizeof(*tab));
	if (!tab) {
		if (!nslots || (nused + 1) * 8 > nslots * 7)
			kpanic("frame_get: no memory for the reference table");
		return;
	}
	for (u64 i = 0; i < nslots; i++)
		if (slots[i].pfn)
			*slot_find(tab, n, slots[i].pfn) = slots[i];
	kfree(slots);
	slots = tab;
	nslots = n;
}

/* Removes a slot, moving later entries of its probe run back (linear
 * probing without tombstones). */
static void slot_remove(struct ref_slot *s)
{
	u64 i = (u64)(s - slots);

	slots[i].pfn = 0;
	nused--;
	for (u64 j = (i + 1) & (nslots - 1); slots[j].pfn; j = (j + 1) & (nslots - 1)) {
		u64 home = slot_hash(slots[j].pfn) & (nslots - 1);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			slots[i] = slots[j];
			slots[j].pfn = 0;
			i = j;
		}
	}
}

void frame_get(paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&ref_lock);
	struct ref_slot *s;

	table_grow();
	s = slot_find(slots, nslots, pa >> PAGE_SHIFT);
	if (!s->pfn) {
		s->pfn = pa >> PAGE_SHIFT;
		s->extra = 0;
		nused++;
	}
	s->extra++;
	spin_unlock_irqrestore(&ref_lock, flags);
}

void frame_put(paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&ref_lock);
	struct ref_slot *s = nslots ? slot_find(slots, nslots, pa >> PAGE_SHIFT) : NULL;
	bool last = !s || !s->pfn;

	if (!last && --s->extra == 0)
		slot_remove(s);
	spin_unlock_irqrestore(&ref_lock, flags);
	if (last)
		frame_free(pa, 0);   /* a double free is frame_free's kpanic */
}

u32 frame_refcount(paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&ref_lock);
	struct ref_slot *s = nslots ? slot_find(slots, nslots, pa >> PAGE_SHIFT) : NULL;
	u32 n = 1 + (s && s->pfn ? (u32)s->extra : 0);

	spin_unlock_irqrestore(&ref_lock, flags);
	return n;
}

paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa = frame_alloc(0);

	if (pa != PADDR_NONE)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

paddr_t frame_alloc_copy(paddr_t src)
{
	paddr_t pa = frame_alloc(0);

	if (pa != PADDR_NONE)
		memcpy(phys_to_virt(pa), phys_to_virt(src), PAGE_SIZE);
	return pa;
}
