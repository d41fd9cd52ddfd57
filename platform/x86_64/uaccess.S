/*
 * The user-memory copy loops. Each instruction that touches user memory
 * has an entry in __ex_table naming where to continue if it faults; the
 * exception handler looks the faulting address up there (extable.c).
 * STAC/CLAC open and close SMAP's window only around the access.
 */
	.text
	.code64

.macro EXTABLE insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
.endm

.macro SMAP_OPEN
	testb $1, smap_enabled(%rip)
	jz 90f
	stac
90:
.endm

.macro SMAP_CLOSE
	testb $1, smap_enabled(%rip)
	jz 91f
	clac
91:
.endm

/* size_t uaccess_copy(void *dst, const void *src, size_t n): bytes NOT copied */
	.globl uaccess_copy
	.type uaccess_copy, @function
uaccess_copy:
	SMAP_OPEN
	movq %rdx, %rcx
1:	rep movsb
2:	SMAP_CLOSE
	movq %rcx, %rax
	ret
	EXTABLE 1b, 2b
	.size uaccess_copy, . - uaccess_copy

/* size_t uaccess_clear(void *dst, size_t n): bytes NOT cleared */
	.globl uaccess_clear
	.type uaccess_clear, @function
uaccess_clear:
	SMAP_OPEN
	movq %rsi, %rcx
	xorl %eax, %eax
3:	rep stosb
4:	SMAP_CLOSE
	movq %rcx, %rax
	ret
	EXTABLE 3b, 4b
	.size uaccess_clear, . - uaccess_clear

/*
 * long uaccess_strncpy(char *dst, const char *src, size_t max):
 * the string's length if a NUL came within max bytes, max if not,
 * -1 on a fault.
 */
	.globl uaccess_strncpy
	.type uaccess_strncpy, @function
uaccess_strncpy:
	SMAP_OPEN
	xorl %eax, %eax
5:	cmpq %rdx, %rax
	jae 7f
6:	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	testb %cl, %cl
	jz 7f
	incq %rax
	jmp 5b
7:	SMAP_CLOSE
	ret
8:	SMAP_CLOSE
	movq $-1, %rax
	ret
	EXTABLE 6b, 8b
	.size uaccess_strncpy, . - uaccess_strncpy
