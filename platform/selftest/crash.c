/*
 * crash=<kind>: crash the kernel on purpose, to see (and test) what a
 * fault in Ring 0 or Core produces: a full report and a reset.
 */
#include <kevlar/cmdline.h>
#include <kevlar/errno.h>
#include <kevlar/panic.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>

static const char *const crash_kinds[] = {
	"pf", "gp", "ud", "de", "stack", "panic", "bug",
};
static int crash_kind = -1;

static int set_crash(const char *v)
{
	for (unsigned i = 0; v && i < ARRAY_SIZE(crash_kinds); i++) {
		if (!strcmp(v, crash_kinds[i])) {
			crash_kind = (int)i;
			return 0;
		}
	}
	return -EINVAL;
}
KPARAM("crash", set_crash, "pf|gp|ud|de|stack|panic|bug: crash on purpose after boot");

/* An address the compiler cannot reason about. */
static volatile u64 *opaque_address(u64 a)
{
	__asm__("" : "+r"(a));
	return (volatile u64 *)a;
}

static __attribute__((noinline)) void crash_now(int kind)
{
	switch (kind) {
	case 0:
		*opaque_address(16) = 1;                   /* unmapped page */
		break;
	case 1:
		*opaque_address(0x8000000000000000UL) = 1; /* non-canonical */
		break;
	case 2:
		__asm__ __volatile__("ud2");
		break;
	case 3:
		__asm__ __volatile__("xorl %%ecx, %%ecx; divl %%ecx" : : : "eax", "ecx", "edx");
		break;
	case 4:
		/* Runs into the guard page; the #PF cannot be delivered on
		 * the dead stack, so the CPU raises #DF on its IST stack. */
		__asm__ __volatile__("1: pushq %%rax; jmp 1b" : : : "memory");
		break;
	case 5:
		kpanic("crash=panic requested on the command line");
	case 6:
		BUG_ON(kind == 6);
		break;
	}
}

__attribute__((noinline)) void crash_inject(void)
{
	if (crash_kind < 0)
		return;
	printk("crash: causing '%s' as the command line asks\n", crash_kinds[crash_kind]);
	crash_now(crash_kind);
	printk("crash: '%s' did not crash the kernel\n", crash_kinds[crash_kind]);
}
