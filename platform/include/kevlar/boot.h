/* What the boot loader told us, parsed and sanitized. */
#ifndef KEVLAR_BOOT_H
#define KEVLAR_BOOT_H

#include <kevlar/types.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

#define BOOT_MAX_MEMRANGES 128
#define BOOT_MAX_MODULES   16
#define BOOT_CMDLINE_MAX   1024
#define BOOT_MODNAME_MAX   128
#define BOOT_MAX_PHYS      (1UL << 46)   /* anything above is absurd */

/* Higher value wins where the loader's ranges overlap. */
enum mem_type {
	MEM_USABLE = 1,
	MEM_ACPI_RECLAIM = 2,
	MEM_ACPI_NVS = 3,
	MEM_RESERVED = 4,
	MEM_BAD = 5,
};

struct mem_range {
	paddr_t base;
	u64 len;
	u32 type;   /* enum mem_type */
};

struct boot_module {
	paddr_t start;
	paddr_t end;   /* exclusive */
	char name[BOOT_MODNAME_MAX];
};

struct boot_info {
	/* Sorted by base, non-overlapping, adjacent equal types merged;
	 * MEM_USABLE ranges are trimmed inward to whole pages. */
	struct mem_range mem[BOOT_MAX_MEMRANGES];
	u32 nmem;
	struct boot_module mods[BOOT_MAX_MODULES];
	u32 nmods;
	bool has_cmdline;
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[64];
	/* A copy of the ACPI RSDP (v1: 20 bytes, v2+: 36). */
	u8 rsdp[36];
	u32 rsdp_len;
	/* Physical extent of the multiboot information structure itself. */
	paddr_t info_start;
	paddr_t info_end;
	/* Problems found and worked around; each was also printk()ed. */
	u32 warnings;
};

/*
 * Parses the Multiboot2 information at 'info' (already mapped), whose
 * physical address is info_pa. Returns 0, or -EINVAL if the magic or the
 * structure's header is unusable (then nothing in 'out' can be trusted
 * beyond what was filled in). Individual bad tags and bad memory-map
 * entries are reported with printk, counted in out->warnings and skipped.
 * 'info_max' bounds how many bytes may be read.
 */
int mb2_parse(u32 magic, const void *info, paddr_t info_pa, size_t info_max,
	      struct boot_info *out);

/* Total bytes of MEM_USABLE in the sanitized map. */
u64 boot_usable_bytes(const struct boot_info *bi);

/* The C entry point: boot/multiboot2.S calls it with the loader's magic
 * and the physical address of its information. */
void kernel_entry(u32 magic, u64 info_pa);

extern struct boot_info boot_info;

#endif
