/*
 * Power-off and reset. Power-off is ACPI S5: write SLP_TYP | SLP_EN into
 * the PM1 control registers. Reset tries, in order, the ACPI reset
 * register, the keyboard controller, the PCI reset port 0xcf9 and a
 * triple fault; a PC that survives all four does not exist.
 */
#include <kevlar/acpi.h>
#include <kevlar/irq.h>
#include <kevlar/paging.h>
#include <kevlar/power.h>
#include <kevlar/printk.h>
#include <kevlar/time.h>
#include "cpu.h"

#define SLP_EN  (1u << 13)
#define SCI_EN  1u

static u16 gas_read16(const struct acpi_gas *g)
{
	if (g->space == ACPI_SPACE_IO)
		return inw((u16)g->address);
	const volatile u16 __iomem *p = ioremap(g->address, 2);
	return p ? *(const volatile u16 __force *)p : 0;
}

static void gas_write(const struct acpi_gas *g, u32 v)
{
	if (g->space == ACPI_SPACE_IO) {
		if (g->bit_width == 8)
			outb((u16)g->address, (u8)v);
		else
			outw((u16)g->address, (u16)v);
		return;
	}
	volatile u16 __iomem *p = ioremap(g->address, 2);
	if (p)
		*(volatile u16 __force *)p = (u16)v;
}

/* Some firmware wants ACPI mode switched on before PM1 writes count. */
static void acpi_enable_mode(const struct acpi_power *pw)
{
	if (gas_read16(&pw->pm1a_cnt) & SCI_EN)
		return;
	if (!pw->smi_cmd || !pw->acpi_enable)
		return;
	outb(pw->smi_cmd, pw->acpi_enable);
	for (int i = 0; i < 300 && !(gas_read16(&pw->pm1a_cnt) & SCI_EN); i++)
		udelay(1000);
}

void machine_power_off(void)
{
	const struct acpi_power *pw = &acpi_power;

	irq_disable();
	if (pw->valid && pw->s5_valid) {
		acpi_enable_mode(pw);
		u16 keep = gas_read16(&pw->pm1a_cnt) & ~(0x7u << 10);
		gas_write(&pw->pm1a_cnt, keep | ((u32)pw->slp_typa << 10) | SLP_EN);
		if (pw->pm1b_cnt.address)
			gas_write(&pw->pm1b_cnt, ((u32)pw->slp_typb << 10) | SLP_EN);
		udelay(100000);
		printk("power: ACPI S5 did not turn the machine off\n");
	} else {
		printk("power: no ACPI power-off on this machine\n");
	}
	printk("power: halted; it is now safe to turn off the machine\n");
	for (;;)
		cpu_halt();
}

void machine_reset(void)
{
	const struct acpi_power *pw = &acpi_power;

	irq_disable();
	if (pw->reset_valid) {
		if (pw->reset_reg.space == ACPI_SPACE_IO)
			outb((u16)pw->reset_reg.address, pw->reset_value);
		udelay(50000);
	}
	for (int i = 0; i < 1000 && (inb(0x64) & 2); i++)
		udelay(10);
	outb(0x64, 0xfe);          /* keyboard controller: pulse reset line */
	udelay(50000);
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);         /* PCI: full reset */
	udelay(50000);

	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) empty = { 0, 0 };
	__asm__ __volatile__("lidt %0; int3" : : "m"(empty));
	for (;;)
		cpu_halt();
}
