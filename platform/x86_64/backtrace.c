/*
 * Symbolized backtraces. The symbol table is generated from the linked
 * kernel by tools/mkksyms.py and linked into the .ksyms section: sorted
 * function addresses, and offsets into a table of names.
 */
#include <kevlar/backtrace.h>
#include <kevlar/layout.h>
#include <kevlar/paging.h>
#include <kevlar/printk.h>
#include "gdt.h"

extern const u64 ksyms_count;
extern const u64 ksyms_addrs[];
extern const u32 ksyms_name_offsets[];
extern const char ksyms_names[];
extern const char _text[], _etext[];

#define BACKTRACE_MAX_FRAMES 32

bool ksym_lookup(u64 addr, const char **name, u64 *offset, u64 *size)
{
	u64 lo = 0, hi = ksyms_count;

	if (addr < (u64)_text || addr >= (u64)_etext || !ksyms_count)
		return false;
	/* Find the last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_addrs[lo] > addr)
		return false;
	u64 end = lo + 1 < ksyms_count ? ksyms_addrs[lo + 1] : (u64)_etext;
	*name = ksyms_names + ksyms_name_offsets[lo];
	*offset = addr - ksyms_addrs[lo];
	*size = end - ksyms_addrs[lo];
	return true;
}

void ksym_print(u64 addr)
{
	const char *name;
	u64 off, size;

	if (ksym_lookup(addr, &name, &off, &size))
		printk("%s+0x%lx/0x%lx", name, off, size);
	else
		printk("0x%016lx", addr);
}

/* A frame pointer we may follow: 8-byte aligned, in kernel memory that
 * is always mapped (the image or the direct map or an IST stack). */
static bool frame_pointer_ok(u64 rbp)
{
	extern const char _kernel_end[];

	if (rbp & 7)
		return false;
	if (rbp >= KERNEL_VBASE && rbp + 16 <= (u64)_kernel_end)
		return true;
	if (ist_stack_contains(rbp))
		return true;
	if (rbp >= KSTACK_BASE && rbp < KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE)
		return kernel_pte_lookup(rbp, NULL) && kernel_pte_lookup(rbp + 15, NULL);
	return rbp >= DIRECT_MAP_BASE && rbp < DIRECT_MAP_BASE + DIRECT_MAP_SIZE &&
	       direct_map_contains(rbp - DIRECT_MAP_BASE, 16);
}

void backtrace_print(u64 rip, u64 rbp)
{
	printk("Call trace:\n");
	printk(" [<%016lx>] ", rip);
	ksym_print(rip);
	printk("\n");
	for (int i = 0; i < BACKTRACE_MAX_FRAMES && frame_pointer_ok(rbp); i++) {
		const u64 *frame = (const u64 *)rbp;
		u64 ret = frame[1];
		if (!ret)
			break;
		printk(" [<%016lx>] ", ret);
		ksym_print(ret);
		printk("\n");
		if (frame[0] <= rbp)   /* stacks grow down: callers are higher */
			break;
		rbp = frame[0];
	}
}

/* With frame pointers, our own frame record holds the caller's frame
 * pointer and our return address. */
void backtrace_here(void)
{
	const u64 *frame = __builtin_frame_address(0);
	backtrace_print(frame[1], frame[0]);
}
