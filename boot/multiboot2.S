/*
 * Multiboot2 header and the 32-bit entry: check for long mode, build boot
 * page tables (identity and direct map over the first 4 GiB, the higher
 * half over the first 1 GiB, all with 2 MiB pages), enable long mode and jump to the higher half.
 * This code runs at its physical address; nothing else does.
 */
#include <kevlar/asm.h>

#define MB2_MAGIC    0xe85250d6
#define MB2_ARCH_X86 0
#define BOOT_STACK   0x4000

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_X86
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_X86 + (mb2_header_end - mb2_header))
	/* end tag */
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl $(boot_stack_top), %esp
	movl %eax, %edi            /* multiboot magic -> first C argument */
	movl %ebx, %esi            /* info physical address -> second */

	/* Is there a CPUID leaf 0x80000001 reporting long mode? */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode

	/* Four PDs: 2048 x 2 MiB covering the first 4 GiB, writable. */
	movl $boot_pd, %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(0x83), %eax          /* present | writable | 2 MiB */
	movl %eax, (%ebx,%ecx,8)
	movl $0, 4(%ebx,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* Low PDPT slots 0-3 map 4 GiB; high slot 510 maps the first GiB. */
	movl $boot_pd, %eax
	orl $0x3, %eax
	movl %eax, boot_pdpt_low
	movl %eax, boot_pdpt_high + 510 * 8
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 8
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 16
	addl $4096, %eax
	movl %eax, boot_pdpt_low + 24

	/* PML4: 0 (identity), 273 (direct map), 511 (kernel image). */
	movl $boot_pdpt_low, %eax
	orl $0x3, %eax
	movl %eax, boot_pml4
	movl %eax, boot_pml4 + 273 * 8
	movl $boot_pdpt_high, %eax
	orl $0x3, %eax
	movl %eax, boot_pml4 + 511 * 8

	movl %cr4, %eax
	orl $(1 << 5), %eax        /* PAE */
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3

	movl $0xc0000080, %ecx     /* EFER */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax   /* LME | NXE */
	wrmsr

	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | 1), %eax  /* PG | WP | PE */
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $start64_low

no_long_mode:
	/* Say why on COM1, then stop: there is nothing else we can do. */
	movl $no_lm_msg, %esi
2:	lodsb
	testb %al, %al
	jz 3f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
start64_low:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $start64_high, %rax
	jmp *%rax

no_lm_msg:
	.asciz "Kevlar: this CPU does not support x86_64 long mode\r\n"

	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff     /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff     /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .boot.data, "aw"
	.balign 4096
boot_pml4:      .fill 512, 8, 0
boot_pdpt_low:  .fill 512, 8, 0
boot_pdpt_high: .fill 512, 8, 0
boot_pd:        .fill 2048, 8, 0
boot_stack:     .fill BOOT_STACK, 1, 0
boot_stack_top:

	.section .text.entry, "ax"
	.code64
	.globl start64_high
start64_high:
	movabsq $kernel_stack_top, %rsp
	xorl %ebp, %ebp
	/* %edi = magic, %esi = info physical address (zero-extended) */
	movl %edi, %edi
	movl %esi, %esi
	call kernel_entry
4:	cli
	hlt
	jmp 4b

	/* The boot CPU's kernel stack, with an unmapped guard page below. */
	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl kernel_stack_guard
kernel_stack_guard:
	.skip 4096
	.globl kernel_stack
kernel_stack:
	.skip KERNEL_STACK_SIZE
	.globl kernel_stack_top
kernel_stack_top:
