/* Interrupt vectors and their handlers. */
#ifndef KEVLAR_INTERRUPT_H
#define KEVLAR_INTERRUPT_H

#include <kevlar/types.h>

#define VEC_LEGACY_PIC   0x20   /* 0x20-0x2f: the masked 8259s */
#define VEC_TIMER        0x40
#define VEC_FIRST_DEVICE 0x50
#define VEC_SPURIOUS     0xff

typedef void (*irq_handler_t)(void *ctx);

/* Runs 'fn(ctx)' with interrupts off when 'vector' fires, then sends EOI.
 * Returns -EBUSY if the vector already has a handler. */
int irq_register(u8 vector, irq_handler_t fn, void *ctx);

#endif
