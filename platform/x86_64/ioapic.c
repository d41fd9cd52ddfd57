/*
 * The I/O APIC: routes device interrupts (today the ISA serial line) to
 * local APIC vectors on the boot CPU, honouring the MADT's interrupt
 * source overrides.
 */
#include <kevlar/acpi.h>
#include <kevlar/errno.h>
#include <kevlar/paging.h>
#include <kevlar/printk.h>
#include "ioapic.h"
#include "lapic.h"

#define IOREGSEL 0x00
#define IOWIN    0x10
#define REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED      (1u << 16)
#define RTE_LEVEL       (1u << 15)
#define RTE_ACTIVE_LOW  (1u << 13)

static u32 __iomem *ioapic;

static void ioapic_write(u32 reg, u32 v)
{
	*(volatile u32 __force *)((u8 __iomem *)ioapic + IOREGSEL) = reg;
	*(volatile u32 __force *)((u8 __iomem *)ioapic + IOWIN) = v;
}

static u32 ioapic_read(u32 reg)
{
	*(volatile u32 __force *)((u8 __iomem *)ioapic + IOREGSEL) = reg;
	return *(volatile u32 __force *)((u8 __iomem *)ioapic + IOWIN);
}

void ioapic_init(void)
{
	if (!acpi_irq.ioapic_base) {
		printk("ioapic: none in the MADT; device interrupts are off\n");
		return;
	}
	ioapic = ioremap(acpi_irq.ioapic_base, 4096);
	if (!ioapic)
		return;
	unsigned count = ((ioapic_read(1) >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < count; i++)
		ioapic_write(REDTBL(i), RTE_MASKED);
	printk("ioapic: at 0x%lx, %u inputs\n", acpi_irq.ioapic_base, count);
}

int ioapic_route_isa(unsigned isa_irq, u8 vector)
{
	if (!ioapic || isa_irq >= 16)
		return -ENODEV;
	u32 gsi = acpi_irq.isa_gsi[isa_irq] - acpi_irq.ioapic_gsi_base;
	u16 flags = acpi_irq.isa_flags[isa_irq];
	u32 low = vector;

	if ((flags & 3) == 3)
		low |= RTE_ACTIVE_LOW;
	if (((flags >> 2) & 3) == 3)
		low |= RTE_LEVEL;
	ioapic_write(REDTBL(gsi) + 1, lapic_id() << 24);
	ioapic_write(REDTBL(gsi), low);
	return 0;
}
