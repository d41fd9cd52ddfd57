/*
 * Ring 0's boot-time self checks: what can only be checked on the real
 * machine (page-table rights, the timer, the allocators over real RAM).
 */
#include <kevlar/acpi.h>
#include <kevlar/backtrace.h>
#include <kevlar/irq.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/paging.h>
#include <kevlar/selftest.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>
#include <kevlar/string.h>
#include <kevlar/time.h>

extern const char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern const char kernel_stack_guard[];

/* Every page of [start, end) is mapped with exactly the rights given. */
static bool section_rights(const char *start, const char *end, bool write, bool exec)
{
	for (vaddr_t va = (vaddr_t)start; va < (vaddr_t)end; va += PAGE_SIZE) {
		u64 pte = kernel_pte_lookup(va, NULL);
		if (!pte || !!(pte & PTE_WRITE) != write || !(pte & PTE_NX) != exec)
			return false;
	}
	return true;
}

SELFTEST(paging_wx)
{
	ST_ASSERT(section_rights(_text, _etext, false, true));
	ST_ASSERT(section_rights(_rodata, _erodata, false, false));
	ST_ASSERT(section_rights(_data, kernel_stack_guard, true, false));
	ST_ASSERT(section_rights(kernel_stack_guard + PAGE_SIZE, _edata, true, false));
	ST_ASSERT(kernel_pte_lookup((vaddr_t)kernel_stack_guard, NULL) == 0);
	ST_ASSERT(kernel_pte_lookup(0, NULL) == 0);   /* no identity map left */
	u64 pte = kernel_pte_lookup(DIRECT_MAP_BASE + (2UL << 20), NULL);
	ST_ASSERT(pte && (pte & PTE_NX) && (pte & PTE_WRITE));
	return 0;
}

SELFTEST(frames)
{
	u64 before = frame_free_pages();
	paddr_t a = frame_alloc(0), b = frame_alloc(3);
	ST_ASSERT(a != PADDR_NONE && b != PADDR_NONE && a != b);
	ST_ASSERT((b & ((PAGE_SIZE << 3) - 1)) == 0);
	memset(phys_to_virt(b), 0x5a, PAGE_SIZE << 3);   /* really RAM */
	ST_ASSERT(((u8 *)phys_to_virt(b))[(PAGE_SIZE << 3) - 1] == 0x5a);
	ST_ASSERT(frame_free_pages() == before - 9);
	frame_free(a, 0);
	frame_free(b, 3);
	ST_ASSERT(frame_free_pages() == before);
	return 0;
}

SELFTEST(heap)
{
	struct heap_stats st0, st1;
	void *p[64];

	heap_get_stats(&st0);
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = kmalloc(8 + i * 97);
		ST_ASSERT(p[i] && ((vaddr_t)p[i] & 15) == 0);
		memset(p[i], (int)i, 8 + i * 97);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		ST_ASSERT(((u8 *)p[i])[7 + i * 97] == (u8)i);
		kfree(p[i]);
	}
	heap_get_stats(&st1);
	ST_ASSERT(st1.bytes_in_use == st0.bytes_in_use);
	return 0;
}

SELFTEST(clock_and_tick)
{
	nsec_t t0 = clock_monotonic_ns();
	u64 ticks0 = timer_ticks();

	ST_ASSERT(irq_enabled());
	udelay(30000);
	nsec_t t1 = clock_monotonic_ns();
	ST_ASSERT(t1 - t0 >= 30000000UL);
	ST_ASSERT(t1 - t0 < 2000000000UL);
	ST_ASSERT(timer_ticks() > ticks0);   /* 3 ticks expected at 100 Hz */
	return 0;
}

SELFTEST(spinlock_irq)
{
	spinlock_irq_t l = SPINLOCK_IRQ_INIT;

	ST_ASSERT(irq_enabled());
	u64 flags = spin_lock_irqsave(&l);
	ST_ASSERT(!irq_enabled() && spin_is_locked(&l.raw));
	ST_ASSERT(!spin_trylock(&l.raw));
	spin_unlock_irqrestore(&l, flags);
	ST_ASSERT(irq_enabled() && !spin_is_locked(&l.raw));

	spinlock_preempt_t pl = SPINLOCK_PREEMPT_INIT;
	unsigned depth = preempt_count();
	spin_lock_preempt(&pl);
	ST_ASSERT(preempt_count() == depth + 1 && irq_enabled());
	spin_unlock_preempt(&pl);
	ST_ASSERT(preempt_count() == depth);
	return 0;
}

SELFTEST(symbols)
{
	const char *name;
	u64 off, size;

	ST_ASSERT(ksym_lookup((u64)selftest_fn_symbols + 1, &name, &off, &size));
	ST_ASSERT(!strcmp(name, "selftest_fn_symbols") && off == 1 && size > 1);
	ST_ASSERT(!ksym_lookup((u64)_erodata, &name, &off, &size));
	return 0;
}

SELFTEST(acpi_s5_parser)
{
	static const u8 aml[] = { 0x10, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
				  0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };
	static const u8 bad[] = { 0x10, 'X', '_', 'S', '5', '_', 0x12 };
	u8 a = 0xff, b = 0xff;

	ST_ASSERT(acpi_find_s5(aml, sizeof(aml), &a, &b) == 0 && a == 5 && b == 7);
	ST_ASSERT(acpi_find_s5(bad, sizeof(bad), &a, &b) < 0);
	ST_ASSERT(acpi_find_s5(aml, 6, &a, &b) < 0);   /* truncated */
	return 0;
}
