/*
 * CPU protection features and the SYSCALL instruction: SMEP (the kernel
 * never executes user pages), SMAP (the kernel touches user pages only
 * inside the user-copy routines) where the CPU has them, and the MSRs
 * that send SYSCALL to syscall_entry with interrupts masked; and the
 * features user space is told of (AT_HWCAP).
 */
#include <kevlar/asm.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/trapframe.h>
#include "cpu.h"
#include "cpu_setup.h"

#define MSR_STAR  0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE  (1UL << 0)
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_AC (1UL << 18)

bool smap_enabled;
static u32 hwcap;

void syscall_entry(void);

void cpu_features_init(void)
{
	u32 a, b, c, d;
	bool smep, smap;

	cpuid(1, 0, &a, &b, &c, &d);
	hwcap = d;
	cpuid(7, 0, &a, &b, &c, &d);
	smep = b & (1u << 7);
	smap = b & (1u << 20);
	/* x87 and SSE for user space (the kernel itself never uses them):
	 * no emulation, FXSAVE/FXRSTOR and SSE exceptions on. AVX needs
	 * XSAVE, which is not set up, so CPUID tells programs it is off. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (smep)
		cr4 |= CR4_SMEP;
	if (smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	smap_enabled = smap;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* SYSRET would load CS from STAR[63:48] + 16, SS from + 8. */
	wrmsr(MSR_STAR, ((u64)(GDT_UCODE32 | 3) << 48) | ((u64)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
	__asm__ __volatile__("fninit");
	printk("cpu: SSE on, SMEP %s, SMAP %s, SYSCALL on\n", smep ? "on" : "absent",
	       smap ? "on" : "absent");
}

/* What Linux's ELF_HWCAP says on x86: CPUID leaf 1 EDX of the boot CPU. */
u64 cpu_hwcap(void)
{
	return hwcap;
}
