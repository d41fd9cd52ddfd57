/* Private to Ring 0: the I/O APIC. */
#ifndef KEVLAR_X86_IOAPIC_H
#define KEVLAR_X86_IOAPIC_H

#include <kevlar/types.h>

void ioapic_init(void);
/* Delivers ISA interrupt 'isa_irq' to 'vector' on this CPU. */
int ioapic_route_isa(unsigned isa_irq, u8 vector);

#endif
