/* Shared between C and assembly: keep to #defines. */
#ifndef KEVLAR_ASM_H
#define KEVLAR_ASM_H

#define KERNEL_STACK_SIZE 16384

/* GDT selectors. The user ones follow SYSRET's layout. */
#define GDT_KCODE   0x08
#define GDT_KDATA   0x10
#define GDT_UCODE32 0x18
#define GDT_UDATA   0x20
#define GDT_UCODE   0x28
#define GDT_TSS     0x30

#endif
