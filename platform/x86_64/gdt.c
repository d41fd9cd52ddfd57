/*
 * The GDT and TSS. Segments matter little in long mode; the TSS gives the
 * CPU the stacks it switches to: RSP0 for entry from user mode, and IST
 * stacks so a double fault, NMI or machine check always lands on a good
 * stack even when the kernel stack has overflowed.
 */
#include <kevlar/asm.h>
#include <kevlar/compiler.h>
#include <kevlar/string.h>
#include "trap.h"
#include "gdt.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

#define IST_STACK_SIZE 8192

static struct tss tss;
static u64 gdt[8] __aligned(16);
static u8 ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static void load_gdt(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (u64)gdt };

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		: : "m"(p), "i"(GDT_KCODE), "i"(GDT_KDATA) : "rax", "memory");
	__asm__ __volatile__("ltr %w0" : : "r"(GDT_TSS));
}

void gdt_init(void)
{
	u64 base = (u64)&tss;
	u64 limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[GDT_KCODE / 8] = 0x00af9a000000ffffUL;   /* kernel code, L */
	gdt[GDT_KDATA / 8] = 0x00cf92000000ffffUL;   /* kernel data */
	gdt[GDT_UCODE32 / 8] = 0x00cffa000000ffffUL; /* user code, 32-bit */
	gdt[GDT_UDATA / 8] = 0x00cff2000000ffffUL;   /* user data */
	gdt[GDT_UCODE / 8] = 0x00affa000000ffffUL;   /* user code, L */
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;

	memset(&tss, 0, sizeof(tss));
	for (int i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (u64)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap: user port I/O faults */
	load_gdt();
}

/* Sets the stack the CPU loads on entry from user mode. */
void tss_set_kernel_stack(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}

/* True if 'addr' lies on one of the IST stacks (for backtraces). */
bool ist_stack_contains(u64 addr)
{
	return addr >= (u64)ist_stacks && addr < (u64)ist_stacks + sizeof(ist_stacks);
}
