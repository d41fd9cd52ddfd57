/*
 * New user pages: a frame zeroed (demand-zero memory) or copied from
 * another (copy-on-write, private file pages). Both come with the one
 * reference frame_alloc() gives; sharing them later is Ring 0's
 * frame_get()/frame_put().
 */
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include "vm_internal.h"

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
