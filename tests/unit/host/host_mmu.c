/*
 * A host implementation of Ring 0's user page tables (<kevlar/mmu.h>) for
 * the VM unit tests: each address space is a hash map of page -> (frame,
 * rights). Like Ring 0, it never takes references on the frames it maps.
 * host_vm.h adds what tests need to look inside.
 */
#include <stdlib.h>
#include <string.h>

#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/mmu.h>

#include "host_vm.h"

#define HOST_SPACES  256
#define HOST_BUCKETS 1024

struct host_pte {
	struct host_pte *next;
	uptr_t va;
	paddr_t pa;
	u32 rights;
};

struct host_space {
	bool used;
	unsigned mapped;
	struct host_pte *bucket[HOST_BUCKETS];
};

static struct host_space spaces[HOST_SPACES];   /* id 0 is the kernel's */
static mmu_space_t current_space;

static struct host_space *space_of(mmu_space_t s)
{
	if (s == 0 || s >= HOST_SPACES || !spaces[s].used)
		abort();   /* a test bug or a VM bug: never a valid space */
	return &spaces[s];
}

static unsigned hash(uptr_t va)
{
	return (unsigned)((va >> PAGE_SHIFT) * 2654435761u) % HOST_BUCKETS;
}

static struct host_pte **find(struct host_space *sp, uptr_t va)
{
	struct host_pte **p = &sp->bucket[hash(va)];

	while (*p && (*p)->va != va)
		p = &(*p)->next;
	return p;
}

static bool user_page(uptr_t va)
{
	return !(va & (PAGE_SIZE - 1)) && va < USER_TOP;
}

mmu_space_t mmu_create(void)
{
	for (mmu_space_t s = 1; s < HOST_SPACES; s++) {
		if (!spaces[s].used) {
			memset(&spaces[s], 0, sizeof(spaces[s]));
			spaces[s].used = true;
			return s;
		}
	}
	return 0;
}

void mmu_destroy(mmu_space_t s)
{
	struct host_space *sp;

	if (!s)
		return;
	sp = space_of(s);
	for (unsigned i = 0; i < HOST_BUCKETS; i++) {
		while (sp->bucket[i]) {
			struct host_pte *e = sp->bucket[i];
			sp->bucket[i] = e->next;
			free(e);
		}
	}
	sp->used = false;
	if (current_space == s)
		abort();   /* freeing the tables the CPU walks */
}

int mmu_map(mmu_space_t s, uptr_t va, paddr_t pa, u32 rights)
{
	struct host_space *sp = space_of(s);
	struct host_pte **p;

	if (!user_page(va) || (pa & (PAGE_SIZE - 1)) || pa == PADDR_NONE)
		return -EINVAL;
	if (host_mmu_fail_maps > 0) {
		host_mmu_fail_maps--;
		return -ENOMEM;
	}
	p = find(sp, va);
	if (!*p) {
		*p = calloc(1, sizeof(**p));
		if (!*p)
			return -ENOMEM;
		(*p)->va = va;
		sp->mapped++;
	}
	(*p)->pa = pa;
	(*p)->rights = rights | MMU_READ;
	return 0;
}

paddr_t mmu_unmap(mmu_space_t s, uptr_t va)
{
	struct host_space *sp = space_of(s);
	struct host_pte **p, *e;
	paddr_t pa;

	if (!user_page(va))
		return PADDR_NONE;
	p = find(sp, va);
	if (!*p)
		return PADDR_NONE;
	e = *p;
	*p = e->next;
	pa = e->pa;
	free(e);
	sp->mapped--;
	return pa;
}

paddr_t mmu_lookup(mmu_space_t s, uptr_t va, u32 *rights)
{
	struct host_pte *e = *find(space_of(s), va & PAGE_MASK);

	if (!e)
		return PADDR_NONE;
	if (rights)
		*rights = e->rights;
	return e->pa;
}

int mmu_protect(mmu_space_t s, uptr_t va, u32 rights)
{
	struct host_pte *e = user_page(va) ? *find(space_of(s), va) : NULL;

	if (!e)
		return -ENOENT;
	e->rights = rights | MMU_READ;
	return 0;
}

void mmu_activate(mmu_space_t s)
{
	if (s)
		space_of(s);
	current_space = s;
}

mmu_space_t mmu_current(void)
{
	return current_space;
}

void mmu_flush(uptr_t va)
{
	(void)va;
}

int host_mmu_fail_maps;

unsigned host_mmu_mapped(mmu_space_t s)
{
	return space_of(s)->mapped;
}

unsigned host_mmu_spaces(void)
{
	unsigned n = 0;

	for (mmu_space_t s = 1; s < HOST_SPACES; s++)
		n += spaces[s].used;
	return n;
}
