/* The ACPI tables the kernel reads: where they are and what they say. */
#ifndef KEVLAR_ACPI_H
#define KEVLAR_ACPI_H

#include <kevlar/types.h>

/* A Generic Address Structure (ACPI 5.2.3.2). */
struct acpi_gas {
	u8 space;      /* 0 = memory, 1 = I/O port */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __attribute__((packed));

#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO     1

struct acpi_power {
	bool valid;          /* FADT found and parsed */
	struct acpi_gas pm1a_cnt, pm1b_cnt;
	u16 smi_cmd;
	u8 acpi_enable;
	bool s5_valid;       /* \_S5 found in the DSDT */
	u8 slp_typa, slp_typb;
	bool reset_valid;
	struct acpi_gas reset_reg;
	u8 reset_value;
};

struct boot_info;
/* Finds the RSDP (from the boot loader, else by scanning the BIOS areas),
 * checks every table's checksum and reads the FADT, DSDT and MADT. Bad or
 * missing tables are reported; the kernel goes on without them. */
void acpi_init(const struct boot_info *bi);

extern struct acpi_power acpi_power;

/* Where interrupts come in: the first I/O APIC and the ISA overrides. */
struct acpi_irq_routing {
	paddr_t ioapic_base;      /* 0 if the MADT has none */
	u32 ioapic_gsi_base;
	u32 isa_gsi[16];          /* ISA irq -> global system interrupt */
	u16 isa_flags[16];        /* MPS polarity/trigger flags, 0 = bus default */
};
extern struct acpi_irq_routing acpi_irq;
/* CPUs the MADT lists as enabled (1 if there is no MADT). */
unsigned acpi_cpu_count(void);

/* Parses the \_S5 sleep types out of a DSDT's AML. Returns 0 or -ENOENT. */
int acpi_find_s5(const u8 *aml, size_t len, u8 *typa, u8 *typb);

#endif
