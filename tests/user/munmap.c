/* munmap: unmapped memory faults (the child dies of SIGSEGV); errors. */
#include "usertest.h"
#include <sys/mman.h>

#define PAGE 4096UL

int main(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!check("munmap.setup_mapping", p != MAP_FAILED, "a mapping"))
		return finish();
	memset(p, 'x', 3 * PAGE);
	check_exit("munmap.mapped_memory_readable_in_child", in_child(touch_read, p + PAGE), 0);
	CHECK("munmap.middle_page", munmap(p + PAGE, PAGE) == 0);
	check_killed("munmap.read_unmapped_sigsegv", in_child(touch_read, p + PAGE), 11);
	check_killed("munmap.write_unmapped_sigsegv", in_child(touch_write, p + PAGE + 100), 11);
	CHECK("munmap.neighbours_intact", p[0] == 'x' && p[PAGE - 1] == 'x' &&
	      p[2 * PAGE] == 'x' && p[3 * PAGE - 1] == 'x');
	CHECK("munmap.unmapped_range_is_ok", munmap(p + PAGE, PAGE) == 0);
	CHECK("munmap.rest", munmap(p, 3 * PAGE) == 0);
	check_killed("munmap.whole_mapping_gone", in_child(touch_read, p), 11);
	check_killed("munmap.null_pointer_sigsegv", in_child(touch_read, NULL), 11);
	check_err("munmap.unaligned_einval", munmap(p + 1, PAGE), EINVAL);
	check_err("munmap.length_zero_einval", munmap(p, 0), EINVAL);
	check_err("munmap.kernel_address_einval", munmap(BAD_KHALF, PAGE), EINVAL);
	return finish();
}
