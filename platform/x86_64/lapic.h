/* Private to Ring 0: the local APIC. */
#ifndef KEVLAR_X86_LAPIC_H
#define KEVLAR_X86_LAPIC_H

#include <kevlar/types.h>

void lapic_init(void);
void lapic_eoi(void);
u32 lapic_id(void);

#endif
