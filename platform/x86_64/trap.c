/*
 * Where every interrupt and exception arrives. Device interrupts go to
 * their registered handler; an exception in the kernel gets a full report
 * (vector, error code, registers, faulting address, symbolized backtrace)
 * and then a panic, which resets the machine.
 */
#include <kevlar/backtrace.h>
#include <kevlar/errno.h>
#include <kevlar/exception.h>
#include <kevlar/interrupt.h>
#include <kevlar/panic.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include "cpu.h"
#include "fault.h"
#include "lapic.h"
#include "oops.h"
#include "ring_internal.h"
#include "trap.h"

static const char *const exception_names[32] = {
	[0] = "#DE divide error",        [1] = "#DB debug",
	[2] = "NMI",                     [3] = "#BP breakpoint",
	[4] = "#OF overflow",            [5] = "#BR bound range",
	[6] = "#UD invalid opcode",      [7] = "#NM device not available",
	[8] = "#DF double fault",        [9] = "coprocessor overrun",
	[10] = "#TS invalid TSS",        [11] = "#NP segment not present",
	[12] = "#SS stack fault",        [13] = "#GP general protection",
	[14] = "#PF page fault",         [16] = "#MF x87 error",
	[17] = "#AC alignment check",    [18] = "#MC machine check",
	[19] = "#XM SIMD error",         [20] = "#VE virtualization",
	[21] = "#CP control protection",
};

static struct {
	irq_handler_t fn;
	void *ctx;
} irq_table[256];

int irq_register(u8 vector, irq_handler_t fn, void *ctx)
{
	if (vector < 32 || irq_table[vector].fn)
		return -EBUSY;
	irq_table[vector].ctx = ctx;
	irq_table[vector].fn = fn;
	return 0;
}

static unsigned irq_nesting;

bool in_interrupt(void)
{
	return irq_nesting != 0;
}

const char *exception_name(u64 vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return "reserved exception";
}

static void print_pf_error(u64 err)
{
	printk("page fault: %s %s in %s mode%s%s\n",
	       err & 2 ? "write to" : (err & 16 ? "instruction fetch from" : "read from"),
	       err & 1 ? "a protected page" : "a non-present page",
	       err & 4 ? "user" : "kernel",
	       err & 8 ? ", reserved bit set" : "",
	       err & 32 ? ", protection key" : "");
}

/* Prints everything known about an exception in a Linux-like layout. */
void trap_report(const struct trap_frame *f)
{
	printk("kernel fault: %s (vector %lu), error code 0x%lx\n",
	       exception_name(f->vector), f->vector, f->error);
	if (f->vector == 14) {
		printk("faulting address: %p\n", (void *)read_cr2());
		print_pf_error(f->error);
	}
	printk("RIP: %04lx:%016lx ", f->cs, f->rip);
	ksym_print(f->rip);
	printk("\n");
	printk("RSP: %04lx:%016lx RFLAGS: %08lx\n", f->ss, f->rsp, f->rflags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", f->rax, f->rbx, f->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", f->rdx, f->rsi, f->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", f->rbp, f->r8, f->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", f->r10, f->r11, f->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", f->r13, f->r14, f->r15);
	printk("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
	backtrace_print(f->rip, f->rbp);
}

static void exception(struct trap_frame *f)
{
	if (fault_fixup(f))
		return;
	panic_begin();
	trap_report(f);
	panic_end("fatal exception");
}

static void interrupt(struct trap_frame *f)
{
	u64 v = f->vector;

	if (v >= VEC_LEGACY_PIC && v < VEC_LEGACY_PIC + 16)
		return;   /* spurious from the masked 8259s */
	if (v == VEC_SPURIOUS)
		return;
	irq_nesting++;
	if (irq_table[v].fn)
		irq_table[v].fn(irq_table[v].ctx);
	else
		printk("irq: unexpected interrupt on vector %lu\n", v);
	lapic_eoi();
	ring_watchdog_check(f);
	irq_nesting--;
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector < 32)
		exception(f);
	else
		interrupt(f);
	if (trap_from_user(f))
		core_return_to_user(f);
}

/* From syscall.S, with interrupts on. */
void syscall_dispatch_entry(struct trap_frame *f)
{
	core_syscall(f);
	core_return_to_user(f);
}
