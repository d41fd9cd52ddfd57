/*
 * The host implementation of the platform API pieces that Ring 0 units
 * depend on: interrupts, preemption, printk capture, kpanic and the direct
 * map (host pointers are their own "physical" addresses).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kevlar/types.h>
#include <kevlar/irq.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>

#include "host.h"

static char log_buf[1 << 16];
static size_t log_len;
static char panic_msg[512];
static bool irq_on = true;
static unsigned preempt;
jmp_buf *host_panic_jmp;

u64 irq_save(void)
{
	u64 f = irq_on ? (1UL << 9) : 0;
	irq_on = false;
	return f;
}

void irq_restore(u64 flags) { irq_on = flags & (1UL << 9); }
void irq_enable(void) { irq_on = true; }
void irq_disable(void) { irq_on = false; }
bool irq_enabled(void) { return irq_on; }
void preempt_disable(void) { preempt++; }
void preempt_enable(void) { preempt--; }
unsigned preempt_count(void) { return preempt; }

void *phys_to_virt(paddr_t pa) { return (void *)(uintptr_t)pa; }
paddr_t virt_to_phys(const void *va) { return (paddr_t)(uintptr_t)va; }

void vprintk(const char *fmt, va_list ap)
{
	if (log_len < sizeof(log_buf) - 1) {
		int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
		if (n > 0)
			log_len += (size_t)n;
		if (log_len > sizeof(log_buf) - 1)
			log_len = sizeof(log_buf) - 1;
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

const char *host_log(void) { return log_buf; }

void host_log_clear(void)
{
	log_len = 0;
	log_buf[0] = 0;
}

const char *host_panic_message(void) { return panic_msg; }

void kpanic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fprintf(stderr, "unexpected kpanic: %s\n", panic_msg);
	abort();
}

#define HOST_ZONE_PAGES 16384   /* 64 MiB */

void host_heap_init(void)
{
	static void *zone_mem;
	struct frame *meta;

	if (zone_mem)
		return;
	zone_mem = aligned_alloc(PAGE_SIZE << FRAME_MAX_ORDER, HOST_ZONE_PAGES * PAGE_SIZE);
	meta = calloc(HOST_ZONE_PAGES, sizeof(*meta));
	if (!zone_mem || !meta)
		abort();
	zone_init(&kernel_zone, (uintptr_t)zone_mem >> PAGE_SHIFT, HOST_ZONE_PAGES, meta);
	zone_add_free(&kernel_zone, 0, UINT64_MAX);
}
