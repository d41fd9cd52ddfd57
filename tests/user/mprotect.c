/* mprotect: read-only, no-access and executable pages, and errors. */
#include "usertest.h"
#include <sys/mman.h>

#define PAGE 4096UL

static int call(void *code)
{
	int (*fn)(void) = (int (*)(void))code;
	return fn();
}

int main(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!check("mprotect.setup_mapping", p != MAP_FAILED, "a mapping"))
		return finish();
	p[0] = 'a';
	CHECK("mprotect.read_only", mprotect(p, PAGE, PROT_READ) == 0);
	CHECK("mprotect.read_only_still_readable", p[0] == 'a');
	check_killed("mprotect.write_read_only_sigsegv", in_child(touch_write, p), 11);
	check_exit("mprotect.other_page_still_writable", in_child(touch_write, p + PAGE), 0);
	CHECK("mprotect.back_to_read_write", mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0);
	p[0] = 'b';
	CHECK("mprotect.writable_again", p[0] == 'b');

	CHECK("mprotect.none", mprotect(p + PAGE, PAGE, PROT_NONE) == 0);
	check_killed("mprotect.read_none_sigsegv", in_child(touch_read, p + PAGE), 11);

	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	memcpy(p, code, sizeof(code));
	check_killed("mprotect.execute_without_prot_exec_sigsegv", in_child(call, p), 11);
	CHECK("mprotect.read_exec", mprotect(p, PAGE, PROT_READ | PROT_EXEC) == 0);
	check_exit("mprotect.execute_with_prot_exec", in_child(call, p), 42);
	check_killed("mprotect.write_exec_only_sigsegv", in_child(touch_write, p), 11);

	check_err("mprotect.unaligned_einval", syscall(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
	check_err("mprotect.bad_prot_einval", syscall(SYS_mprotect, p, PAGE, 0x40000), EINVAL);
	munmap(p, 2 * PAGE);
	check_err("mprotect.unmapped_enomem", syscall(SYS_mprotect, p, PAGE, PROT_READ), ENOMEM);
	return finish();
}
