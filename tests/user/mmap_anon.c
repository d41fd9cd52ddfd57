/* Anonymous mmap: private and shared, across fork; argument errors. */
#include "usertest.h"
#include <sys/mman.h>

#define PAGE 4096UL

static char *mapping(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static char *shared_page, *private_page;

static int child_writes(void *arg)
{
	if (shared_page[0] != 'p' || private_page[0] != 'p')
		return 2;
	shared_page[0] = 'c';
	private_page[0] = 'c';
	return private_page[0] == 'c' ? 0 : 3;
}

int main(void)
{
	char *p = mapping(3 * PAGE, MAP_PRIVATE);

	if (!check("mmap_anon.private_maps", p != NULL, "a mapping"))
		return finish();
	CHECK("mmap_anon.page_aligned", ((uintptr_t)p & (PAGE - 1)) == 0);
	CHECK("mmap_anon.zero_filled", all_bytes(p, 3 * PAGE, 0));
	memset(p, 'x', 3 * PAGE);
	CHECK("mmap_anon.writable", all_bytes(p, 3 * PAGE, 'x'));

	private_page = mapping(PAGE, MAP_PRIVATE);
	shared_page = mapping(PAGE, MAP_SHARED);
	CHECK("mmap_anon.shared_maps", shared_page != NULL && all_bytes(shared_page, PAGE, 0));
	private_page[0] = 'p';
	shared_page[0] = 'p';
	check_exit("mmap_anon.child_sees_parent_data", in_child(child_writes, NULL), 0);
	CHECK("mmap_anon.private_write_not_seen_by_parent", private_page[0] == 'p');
	CHECK("mmap_anon.shared_write_seen_by_parent", shared_page[0] == 'c');

	/* MAP_FIXED over part of a mapping replaces it with fresh zero pages. */
	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("mmap_anon.fixed_returns_address", q == p + PAGE);
	CHECK("mmap_anon.fixed_replaces_with_zeroes", all_bytes(p + PAGE, PAGE, 0));
	CHECK("mmap_anon.fixed_leaves_neighbours", all_bytes(p, PAGE, 'x') &&
	      all_bytes(p + 2 * PAGE, PAGE, 'x'));

	/* A large mapping is paged in on demand. */
	char *big = mapping(64UL << 20, MAP_PRIVATE);
	int ok = big != NULL;
	for (size_t off = 0; ok && off < (64UL << 20); off += 4UL << 20) {
		big[off] = (char)(off >> 20);
		ok = big[off] == (char)(off >> 20);
	}
	CHECK("mmap_anon.large_sparse_mapping", ok);
	CHECK("mmap_anon.munmap_large", big && munmap(big, 64UL << 20) == 0);

	check_err("mmap_anon.length_zero_einval",
		  syscall(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	check_err("mmap_anon.no_private_or_shared_einval",
		  syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	check_err("mmap_anon.fixed_unaligned_einval",
		  syscall(SYS_mmap, p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  EINVAL);
	check_err("mmap_anon.bad_fd_for_file_mapping_ebadf",
		  syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, 1000, 0), EBADF);

	/* Heuristic overcommit: one mapping bigger than all of RAM is refused
	 * where it would be charged; 64 TiB is more than any test machine has. */
	size_t huge = 64UL << 40;
	check_err("mmap_anon.more_than_ram_enomem",
		  syscall(SYS_mmap, NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  ENOMEM);
	check_err("mmap_anon.more_than_ram_shared_enomem",
		  syscall(SYS_mmap, NULL, huge, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
		  ENOMEM);
	long ro = syscall(SYS_mmap, NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap_anon.more_than_ram_read_only_is_not_charged", ro > 0);
	if (ro > 0)
		munmap((void *)ro, huge);
	long nr = syscall(SYS_mmap, NULL, huge, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK("mmap_anon.more_than_ram_noreserve", nr > 0);
	if (nr > 0)
		munmap((void *)nr, huge);
	char *brk0 = (char *)syscall(SYS_brk, 0);
	CHECK("mmap_anon.brk_more_than_ram_refused", (char *)syscall(SYS_brk, brk0 + huge) == brk0);
	return finish();
}
