/* Private to Ring 0: the exception table of user accesses. */
#ifndef KEVLAR_X86_EXTABLE_H
#define KEVLAR_X86_EXTABLE_H

#include <kevlar/types.h>

/* Where to resume after a fault at rip, or 0 if rip is not a user access. */
u64 extable_fixup(u64 rip);

#endif
