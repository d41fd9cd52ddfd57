/* Compiler attributes used throughout the kernel. */
#ifndef KEVLAR_COMPILER_H
#define KEVLAR_COMPILER_H

#define __noreturn      __attribute__((noreturn))
#define __packed        __attribute__((packed))
#define __aligned(n)    __attribute__((aligned(n)))
#define __section(s)    __attribute__((section(s)))
#define __used          __attribute__((used))
#define __unused        __attribute__((unused))
/* Not inlined, cloned or analysed across calls: a call that stays a call. */
#define __noipa         __attribute__((noipa))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
/* glibc defines this too; host unit builds see both. */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)
#define barrier()       __asm__ __volatile__("" ::: "memory")

#ifdef __CHECKER__
#define __user  __attribute__((noderef, address_space(__user)))
#define __iomem __attribute__((noderef, address_space(__iomem)))
#define __force __attribute__((force))
#else
#define __user
#define __iomem
#define __force
#endif

#endif
