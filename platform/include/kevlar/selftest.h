/*
 * Boot-time self checks. Each SELFTEST returns 0 if it passed; a failing
 * ST_ASSERT prints where and why. The kernel runs them all at boot
 * (selftest=off skips them) and prints one summary line.
 */
#ifndef KEVLAR_SELFTEST_H
#define KEVLAR_SELFTEST_H

#include <kevlar/compiler.h>
#include <kevlar/printk.h>

struct selftest {
	const char *name;
	int (*run)(void);
};

#define SELFTEST(tname)                                                     \
	static int selftest_fn_##tname(void);                               \
	static const struct selftest selftest_##tname __section(".selftests") \
		__used __aligned(8) = { #tname, selftest_fn_##tname };      \
	static int selftest_fn_##tname(void)

#define ST_ASSERT(cond)                                                     \
	do {                                                                \
		if (!(cond)) {                                              \
			printk("selftest: %s:%d: check failed: %s\n",       \
			       __FILE__, __LINE__, #cond);                   \
			return -1;                                          \
		}                                                           \
	} while (0)

/* Runs every self check; prints "selftest: N passed, M failed". Returns
 * M, or -1 if self checks are switched off. */
int selftest_run_all(void);

#endif
