/* access and faccessat: existence and permission checks (as root). */
#include "usertest.h"

int main(void)
{
	const char *dir = scratch_dir();
	char file[256], exe[256], path[256];

	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(exe, sizeof(exe), "%s/exe", dir);
	write_file(file, "x", 1, 0644);
	write_file(exe, "x", 1, 0755);
	chmod(file, 0644);
	chmod(exe, 0755);

	CHECK("access.f_ok", access(file, F_OK) == 0);
	CHECK("access.r_ok_w_ok", access(file, R_OK | W_OK) == 0);
	check_err("access.x_ok_without_any_x_bit_eacces", access(file, X_OK), EACCES);
	CHECK("access.x_ok_executable", access(exe, X_OK) == 0);
	CHECK("access.x_ok_directory", access(dir, X_OK) == 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	check_err("access.missing_enoent", access(path, F_OK), ENOENT);
	snprintf(path, sizeof(path), "%s/file/x", dir);
	check_err("access.through_file_enotdir", access(path, F_OK), ENOTDIR);
	snprintf(path, sizeof(path), "%s/dangling", dir);
	symlink("nowhere", path);
	check_err("access.dangling_symlink_enoent", access(path, F_OK), ENOENT);
	check_err("access.bad_mode_einval", access(file, 0x10), EINVAL);

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("faccessat.relative", faccessat(dfd, "file", R_OK, 0) == 0);
	CHECK("faccessat.at_fdcwd", faccessat(AT_FDCWD, file, F_OK, 0) == 0);
	check_err("faccessat.relative_missing_enoent", faccessat(dfd, "missing", F_OK, 0), ENOENT);
	check_err("faccessat.bad_dirfd_ebadf", syscall(SYS_faccessat, 999, "file", F_OK), EBADF);
	check_err("faccessat.x_ok_eacces", syscall(SYS_faccessat, dfd, "file", X_OK), EACCES);
	close(dfd);
	remove_tree(dir);
	return finish();
}
