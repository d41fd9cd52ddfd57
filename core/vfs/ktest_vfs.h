/* Private to core/vfs's kernel tests (ktest_*.c): checks and helpers. */
#ifndef KEVLAR_CORE_VFS_KTEST_H
#define KEVLAR_CORE_VFS_KTEST_H

#include <kevlar/abi.h>
#include <kevlar/printk.h>
#include "vfs_internal.h"

extern unsigned vfs_test_failures, vfs_test_checks;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		vfs_test_checks++;                                              \
		if (!(cond)) {                                                  \
			vfs_test_failures++;                                    \
			printk("vfs-test: FAIL line %d: %s: ", __LINE__, #cond); \
			printk(__VA_ARGS__);                                    \
			printk("\n");                                           \
		}                                                               \
	} while (0)

#define CHECK_RC(expr, want)                                                    \
	do {                                                                    \
		long _got = (long)(expr);                                       \
		CHECK(_got == (long)(want), "%s = %ld, want %ld", #expr, _got, (long)(want)); \
	} while (0)

/* Gives the running kernel thread a descriptor table and fs context, and
 * takes them back. */
void enter_process(void);
void leave_process(void);
int stat_path(const char *path, int flags, struct stat *st);
/* Creates (or, with O_TRUNC in flags, truncates) and writes a file. */
int write_file(const char *path, const char *data, size_t len, int flags);
/* Reads the whole file into buf, NUL-terminated: its length or -errno. */
long read_file(const char *path, char *buf, size_t size);
bool exists(const char *path);

#endif
