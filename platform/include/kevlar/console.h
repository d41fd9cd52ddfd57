/* The kernel console (COM1). */
#ifndef KEVLAR_CONSOLE_H
#define KEVLAR_CONSOLE_H

#include <kevlar/types.h>

void serial_init(void);
void serial_write(const char *s, size_t n);
/* Input: 'fn' gets every byte received, in interrupt context. Returns 0,
 * or -ENODEV without a serial port or a way to route its interrupt. */
typedef void (*serial_rx_fn)(u8 c);
int serial_set_rx(serial_rx_fn fn);
/* Raw bytes to the console (no timestamps), serialized with printk. */
void console_output(const void *buf, size_t len);
/* The body of the IDL's conout.write: bytes to the console, under the
 * printk lock. */
ssize_t conout_write_impl(const u8 *buf, size_t len);
/* For the panic path: take the console even if its lock holder died. */
void printk_force_unlock(void);

#endif
