/* Turning the machine off and resetting it. */
#ifndef KEVLAR_POWER_H
#define KEVLAR_POWER_H

#include <kevlar/compiler.h>

/* ACPI S5. If that fails, says so and halts this CPU forever. */
__noreturn void machine_power_off(void);
/* ACPI reset register, then the keyboard controller, then port 0xcf9,
 * then a triple fault: one of them resets every PC. */
__noreturn void machine_reset(void);

#endif
