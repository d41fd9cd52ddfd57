/* Private to Ring 0: containment hooks for the trap and panic paths. */
#ifndef KEVLAR_X86_RING_INTERNAL_H
#define KEVLAR_X86_RING_INTERNAL_H

#include <kevlar/ring.h>
#include "trap.h"

int ring_push(struct ring_frame *rf, unsigned svc);
/* Unwinds an exception inside a service to its frame; false if none. */
bool ring_contain_trap(struct trap_frame *f);
/* Unwinds a panic inside a service; returns only if there is none. */
void ring_contain_panic(const char *msg);
/* After an interrupt: stops a service that overran its deadline. */
void ring_watchdog_check(struct trap_frame *f);

#endif
