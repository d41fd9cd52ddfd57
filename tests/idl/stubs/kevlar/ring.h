/* Test stub of <kevlar/ring.h>: the containment API the shims call. */
#ifndef KEVLAR_RING_H
#define KEVLAR_RING_H
#include <kevlar/types.h>
struct ring_frame {
	u64 regs[9];
	struct ring_frame *prev;
	unsigned svc;
};
__attribute__((returns_twice)) int ring_enter(struct ring_frame *rf, unsigned svc);
void ring_leave(struct ring_frame *rf);
#endif
