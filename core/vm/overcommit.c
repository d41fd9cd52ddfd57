/*
 * Overcommit, as Linux's default heuristic (vm.overcommit_memory = 0):
 * memory is promised freely, since most of it is never touched, but a
 * single request for more than all of RAM (there is no swap) is refused
 * at once with -ENOMEM instead of failing later in the OOM killer. What
 * is asked for is what Linux would charge: private writable mappings,
 * shared anonymous ones, the heap; MAP_NORESERVE opts out.
 */
#include <kevlar/mm.h>
#include "vm_internal.h"

bool vm_enough_memory(u64 pages)
{
	return pages <= frame_total_pages();
}
