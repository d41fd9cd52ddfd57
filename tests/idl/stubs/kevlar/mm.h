/* Test stub of <kevlar/mm.h>. */
#ifndef KEVLAR_MM_H
#define KEVLAR_MM_H
#include <kevlar/types.h>
#define PADDR_NONE ((paddr_t)0)
#endif
