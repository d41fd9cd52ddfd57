/* The 16550 UART on COM1: the kernel console. Polled, 115200 8N1. */
#include <kevlar/console.h>
#include <kevlar/errno.h>
#include <kevlar/interrupt.h>
#include "../x86_64/cpu.h"
#include "../x86_64/ioapic.h"

#define COM1 0x3f8

enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5, UART_DLL = 0, UART_DLM = 1,
};
#define LSR_THRE 0x20
#define LSR_DR   0x01
#define COM1_IRQ 4
#define VEC_COM1 (VEC_FIRST_DEVICE + COM1_IRQ)

static bool serial_present;

/* Programs COM1 and checks it exists with a loopback test. */
void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);        /* DLAB */
	outb(COM1 + UART_DLL, 1);           /* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, 0x03);        /* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);        /* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x1e);        /* loopback */
	outb(COM1 + UART_DATA, 0xae);
	serial_present = inb(COM1 + UART_DATA) == 0xae;
	outb(COM1 + UART_MCR, 0x0f);        /* normal, OUT1/OUT2 */
}

static void serial_putc(char c)
{
	unsigned spins = 0;
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && ++spins < 100000)
		;
	outb(COM1 + UART_DATA, (u8)c);
}

/* Writes n bytes, turning "\n" into "\r\n" as a terminal expects. */
void serial_write(const char *s, size_t n)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static serial_rx_fn rx_handler;

static void serial_irq(void *ctx)
{
	for (int i = 0; i < 64 && (inb(COM1 + UART_LSR) & LSR_DR); i++) {
		u8 c = inb(COM1 + UART_DATA);
		if (rx_handler)
			rx_handler(c);
	}
}

/* Delivers every received byte to 'fn', in interrupt context. */
int serial_set_rx(serial_rx_fn fn)
{
	if (!serial_present)
		return -ENODEV;
	rx_handler = fn;
	int rc = irq_register(VEC_COM1, serial_irq, NULL);
	if (rc && rc != -EBUSY)
		return rc;
	rc = ioapic_route_isa(COM1_IRQ, VEC_COM1);
	if (rc)
		return rc;
	outb(COM1 + UART_IER, 0x01);        /* interrupt on received data */
	serial_irq(NULL);                    /* anything already waiting */
	return 0;
}
