/*
 * The local APIC and its timer, the kernel's periodic tick. The 8259 PICs
 * are remapped out of the exception range and masked: every interrupt the
 * kernel takes comes through the APICs.
 */
#include <kevlar/interrupt.h>
#include <kevlar/paging.h>
#include <kevlar/platform.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/time.h>
#include "cpu.h"
#include "lapic.h"

enum {
	LAPIC_ID = 0x20, LAPIC_EOI = 0xb0, LAPIC_SVR = 0xf0,
	LAPIC_LVT_TIMER = 0x320, LAPIC_TIMER_INIT = 0x380,
	LAPIC_TIMER_CUR = 0x390, LAPIC_TIMER_DIV = 0x3e0,
};
#define LVT_MASKED    (1u << 16)
#define LVT_PERIODIC  (1u << 17)
#define APIC_BASE_ENABLE (1UL << 11)

static u32 __iomem *lapic;
static u64 ticks;

static u32 lapic_read(u32 reg)
{
	return *(volatile u32 __force *)((u8 __iomem *)lapic + reg);
}

static void lapic_write(u32 reg, u32 v)
{
	*(volatile u32 __force *)((u8 __iomem *)lapic + reg) = v;
}

static void pic_disable(void)
{
	outb(0x20, 0x11); outb(0xa0, 0x11);          /* ICW1: init */
	outb(0x21, VEC_LEGACY_PIC); outb(0xa1, VEC_LEGACY_PIC + 8);
	outb(0x21, 4); outb(0xa1, 2);                /* cascade */
	outb(0x21, 1); outb(0xa1, 1);                /* 8086 mode */
	outb(0x21, 0xff); outb(0xa1, 0xff);          /* mask all */
}

void lapic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	pic_disable();
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = ioremap(base & 0xfffff000UL, 4096);
	if (!lapic)
		kpanic("lapic: cannot map registers at 0x%lx", base & 0xfffff000UL);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

void lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

u32 lapic_id(void)
{
	return lapic ? lapic_read(LAPIC_ID) >> 24 : 0;
}

static void timer_tick(void *ctx)
{
	__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
	core_timer_tick();
}

u64 timer_ticks(void)
{
	return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

/* Counts how fast the APIC timer runs against the calibrated TSC, then
 * starts it periodic at HZ. */
void timer_init(void)
{
	const u64 window_us = 10000;

	lapic_write(LAPIC_TIMER_DIV, 0x3);             /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	udelay(window_us);
	u32 elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);

	u64 per_tick = (u64)elapsed * (1000000 / HZ) / window_us;
	if (!per_tick)
		per_tick = 1;
	if (irq_register(VEC_TIMER, timer_tick, NULL))
		kpanic("timer: vector %d taken", VEC_TIMER);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (u32)MIN(per_tick, 0xffffffffUL));
	printk("timer: local APIC %lu kHz, %d Hz tick\n",
	       (u64)elapsed * 1000 / window_us, HZ);
}
