/*
 * The boot CPU's path from the 64-bit entry to Core: console, descriptor
 * tables, clock, boot information, memory, page tables, ACPI, interrupts.
 * Each step needs the ones before it; the order is the dependency order.
 */
#include <kevlar/acpi.h>
#include <kevlar/boot.h>
#include <kevlar/cmdline.h>
#include <kevlar/console.h>
#include <kevlar/irq.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/paging.h>
#include <kevlar/panic.h>
#include <kevlar/platform.h>
#include <kevlar/power.h>
#include <kevlar/printk.h>
#include <kevlar/time.h>
#include "ioapic.h"
#include "lapic.h"
#include "cpu_setup.h"
#include "trap.h"

#define EARLY_MAPPED (4UL << 30)

extern const char _kernel_phys_start[], _kernel_phys_end[];

struct boot_info boot_info;

static unsigned online_cpus = 1;

static void parse_boot_info(u32 magic, u64 info_pa)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		kpanic("boot: not started by a Multiboot2 loader (magic 0x%x)", magic);
	if (info_pa == 0 || info_pa >= EARLY_MAPPED)
		kpanic("boot: Multiboot2 information at unusable address 0x%lx", info_pa);
	if (mb2_parse(magic, phys_to_virt(info_pa), info_pa, EARLY_MAPPED - info_pa, &boot_info))
		kpanic("boot: Multiboot2 information is unreadable");
	if (boot_usable_bytes(&boot_info) == 0)
		kpanic("boot: the memory map has no usable RAM");
}

void kernel_entry(u32 magic, u64 info_pa)
{
	serial_init();
	gdt_init();
	idt_init();
	percpu_init();
	cpu_features_init();
	tsc_calibrate();

	parse_boot_info(magic, info_pa);
	printk("boot: loader '%s', %u memory ranges, %u module%s\n",
	       boot_info.loader_name[0] ? boot_info.loader_name : "unknown",
	       boot_info.nmem, boot_info.nmods, boot_info.nmods == 1 ? "" : "s");
	if (boot_info.has_cmdline && boot_info.cmdline[0]) {
		printk("Command line: %s\n", boot_info.cmdline);
		cmdline_parse(boot_info.cmdline);
	} else {
		printk("boot: no command line given; using defaults\n");
	}

	frame_boot_init(&boot_info, (paddr_t)_kernel_phys_start, (paddr_t)_kernel_phys_end);
	paging_init(&boot_info);
	frame_boot_add_high(&boot_info);

	acpi_init(&boot_info);
	if (acpi_cpu_count() > online_cpus)
		printk("smp: %u CPUs present, running on %u\n", acpi_cpu_count(), online_cpus);
	lapic_init();
	ioapic_init();
	timer_init();
	irq_enable();

	core_main();
	machine_power_off();
}

unsigned cpus_online(void)
{
	return online_cpus;
}

u64 memory_usable_bytes(void)
{
	return boot_usable_bytes(&boot_info);
}
