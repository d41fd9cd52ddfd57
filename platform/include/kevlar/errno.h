/*
 * Linux's errno values. They are declared once, in idl/abi.idl; this name
 * stays so that every ring includes them the same way.
 */
#ifndef KEVLAR_ERRNO_H
#define KEVLAR_ERRNO_H

#include <abi/errno.h>

#endif
