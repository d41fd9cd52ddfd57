/* The exception table: where a faulting user access continues. */
#include <kevlar/types.h>
#include "extable.h"

struct extable_entry {
	u64 insn;
	u64 fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

u64 extable_fixup(u64 rip)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
