/* File mmap: shared writes reach the file, private ones do not. */
#include "usertest.h"
#include <sys/mman.h>

#define PAGE 4096UL

int main(void)
{
	const char *dir = scratch_dir();
	char path[256], buf[16];
	static char data[2 * PAGE + 904];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/f", dir);
	write_file(path, data, sizeof(data), 0644);
	int fd = open(path, O_RDWR);

	char *ro = mmap(NULL, sizeof(data), PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap_file.shared_read", ro != MAP_FAILED && !memcmp(ro, data, sizeof(data)));
	CHECK("mmap_file.tail_of_last_page_zero", ro != MAP_FAILED && ro[sizeof(data)] == 0 &&
	      ro[3 * PAGE - 1] == 0);

	char *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (sh != MAP_FAILED)
		memcpy(sh, "SHARED", 6);
	CHECK("mmap_file.shared_write_seen_by_read", pread(fd, buf, 6, 0) == 6 &&
	      !memcmp(buf, "SHARED", 6));
	CHECK("mmap_file.shared_write_seen_by_other_mapping", ro != MAP_FAILED &&
	      !memcmp(ro, "SHARED", 6));
	pwrite(fd, "pwrite", 6, 10);
	CHECK("mmap_file.file_write_seen_by_mapping", sh != MAP_FAILED && !memcmp(sh + 10, "pwrite", 6));
	CHECK("mmap_file.msync", sh != MAP_FAILED && msync(sh, PAGE, MS_SYNC) == 0);
	munmap(sh, PAGE);
	CHECK("mmap_file.shared_write_survives_munmap", pread(fd, buf, 6, 0) == 6 &&
	      !memcmp(buf, "SHARED", 6));

	char *pr = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
	CHECK("mmap_file.offset_mapping", pr != MAP_FAILED && !memcmp(pr, data + PAGE, PAGE));
	if (pr != MAP_FAILED)
		memcpy(pr, "PRIVATE", 7);
	CHECK("mmap_file.private_write_not_in_file", pread(fd, buf, 7, PAGE) == 7 &&
	      !memcmp(buf, data + PAGE, 7));
	CHECK("mmap_file.private_write_visible_to_self", pr != MAP_FAILED && !memcmp(pr, "PRIVATE", 7));
	munmap(pr, PAGE);

	check_err("mmap_file.unaligned_offset_einval",
		  syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	int rd = open(path, O_RDONLY);
	check_err("mmap_file.shared_write_on_rdonly_eacces",
		  syscall(SYS_mmap, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rd, 0), EACCES);
	char *cow = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rd, 0);
	CHECK("mmap_file.private_write_on_rdonly_allowed", cow != MAP_FAILED);
	close(rd);
	int wr = open(path, O_WRONLY);
	check_err("mmap_file.on_wronly_eacces",
		  syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED, wr, 0),
		  EACCES);
	close(wr);
	close(fd);
	CHECK("mmap_file.mapping_outlives_close", ro != MAP_FAILED && ro[PAGE] == data[PAGE]);
	remove_tree(dir);
	return finish();
}
