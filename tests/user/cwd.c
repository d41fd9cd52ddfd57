/* chdir, fchdir and getcwd. */
#include "usertest.h"

static char expect[512];

static int child_cwd(void *arg)
{
	char buf[512];
	return getcwd(buf, sizeof(buf)) && !strcmp(buf, expect) ? 0 : 1;
}

static long sys_getcwd(char *buf, size_t size)
{
	return syscall(SYS_getcwd, buf, size);
}

int main(void)
{
	const char *dir = scratch_dir();
	char buf[512], path[512];

	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/file", dir);
	write_file(path, "x", 1, 0644);

	CHECK("chdir.scratch", chdir(dir) == 0);
	CHECK("getcwd.scratch", getcwd(buf, sizeof(buf)) && !strcmp(buf, dir));
	CHECK("getcwd.syscall_returns_length_with_nul",
	      sys_getcwd(buf, sizeof(buf)) == (long)strlen(dir) + 1);
	CHECK("chdir.relative", chdir("sub") == 0);
	snprintf(expect, sizeof(expect), "%s/sub", dir);
	CHECK("getcwd.after_relative_chdir", getcwd(buf, sizeof(buf)) && !strcmp(buf, expect));
	check_exit("getcwd.inherited_by_child", in_child(child_cwd, NULL), 0);
	CHECK("chdir.dotdot", chdir("..") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, dir));
	int fd = open("file", O_RDONLY);
	CHECK("open.relative_to_cwd", fd >= 0);
	close(fd);

	check_err("chdir.file_enotdir", chdir("file"), ENOTDIR);
	check_err("chdir.missing_enoent", chdir("missing"), ENOENT);
	check_err("getcwd.too_small_erange", sys_getcwd(buf, 2), ERANGE);

	symlink("sub", "link");
	CHECK("chdir.through_symlink", chdir("link") == 0);
	CHECK("getcwd.resolves_symlink", getcwd(buf, sizeof(buf)) && !strcmp(buf, expect));

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("fchdir.directory", fchdir(dfd) == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, dir));
	close(dfd);
	fd = open("file", O_RDONLY);
	check_err("fchdir.file_enotdir", fchdir(fd), ENOTDIR);
	close(fd);
	check_err("fchdir.bad_fd_ebadf", fchdir(999), EBADF);

	CHECK("chdir.root", chdir("/") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"));
	CHECK("chdir.root_dotdot_stays", chdir("..") == 0 && getcwd(buf, sizeof(buf)) &&
	      !strcmp(buf, "/"));
	remove_tree(dir);
	return finish();
}
