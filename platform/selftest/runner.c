/* Runs the boot-time self checks linked into the .selftests section. */
#include <kevlar/cmdline.h>
#include <kevlar/selftest.h>

extern const struct selftest __selftests_start[], __selftests_end[];

static bool selftest_enabled = true;

static int set_selftest(const char *v)
{
	return kparam_bool(v, &selftest_enabled);
}
KPARAM("selftest", set_selftest, "on|off: run the boot-time self checks");

int selftest_run_all(void)
{
	int passed = 0, failed = 0;

	if (!selftest_enabled) {
		printk("selftest: skipped (selftest=off)\n");
		return -1;
	}
	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (t->run() == 0) {
			passed++;
		} else {
			printk("selftest: %s FAILED\n", t->name);
			failed++;
		}
	}
	printk("selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}
