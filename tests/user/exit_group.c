/* exit and exit_group end the process with the given status. */
#include "usertest.h"

static int by_exit_group(void *arg)
{
	syscall(SYS_exit_group, 7);
	return 99;
}

static int by_exit(void *arg)
{
	syscall(SYS_exit, 9);
	return 99;
}

static int by_returning(void *arg)
{
	return 0;
}

static int minus_one(void *arg)
{
	_exit(-1);
}

static int big(void *arg)
{
	syscall(SYS_exit_group, 0x1234);
	return 99;
}

int main(void)
{
	check_exit("exit_group.status_7", in_child(by_exit_group, NULL), 7);
	check_exit("exit_group.exit_single_thread_status_9", in_child(by_exit, NULL), 9);
	check_exit("exit_group.status_0", in_child(by_returning, NULL), 0);
	check_exit("exit_group.minus_one_is_255", in_child(minus_one, NULL), 255);
	check_exit("exit_group.status_masked_to_8_bits", in_child(big, NULL), 0x34);
	return finish();
}
