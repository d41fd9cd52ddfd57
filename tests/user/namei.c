/* mkdir, rmdir, unlink, rename, link, symlink, readlink: results and errors. */
#include "usertest.h"

static const char *dir;

static const char *at(const char *name)
{
	static char bufs[4][512];
	static int next;
	char *p = bufs[next++ % 4];

	snprintf(p, 512, "%s/%s", dir, name);
	return p;
}

static int exists(const char *name)
{
	struct stat st;
	return lstat(at(name), &st) == 0;
}

int main(void)
{
	char buf[64];
	char longname[300];

	dir = scratch_dir();
	write_file(at("file"), "data", 4, 0644);

	CHECK("mkdir.new", mkdir(at("d"), 0755) == 0);
	check_err("mkdir.existing_eexist", mkdir(at("d"), 0755), EEXIST);
	check_err("mkdir.over_file_eexist", mkdir(at("file"), 0755), EEXIST);
	check_err("mkdir.missing_parent_enoent", mkdir(at("no/d"), 0755), ENOENT);
	check_err("mkdir.parent_is_file_enotdir", mkdir(at("file/d"), 0755), ENOTDIR);
	check_err("mkdir.empty_path_enoent", mkdir("", 0755), ENOENT);
	CHECK("mkdir.trailing_slash", mkdir(at("slash/"), 0755) == 0 && exists("slash"));
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	check_err("mkdir.name_too_long_enametoolong", mkdir(at(longname), 0755), ENAMETOOLONG);

	write_file(at("d/inner"), "x", 1, 0644);
	check_err("rmdir.not_empty_enotempty", rmdir(at("d")), ENOTEMPTY);
	check_err("rmdir.file_enotdir", rmdir(at("file")), ENOTDIR);
	check_err("rmdir.missing_enoent", rmdir(at("missing")), ENOENT);
	check_err("rmdir.dot_einval", rmdir(at("d/.")), EINVAL);
	CHECK("rmdir.empty", rmdir(at("slash")) == 0 && !exists("slash"));

	check_err("unlink.directory_eisdir", unlink(at("d")), EISDIR);
	check_err("unlink.missing_enoent", unlink(at("missing")), ENOENT);
	check_err("unlink.through_file_enotdir", unlink(at("file/x")), ENOTDIR);

	/* An unlinked file lives on while it is open. */
	write_file(at("open"), "still here", 10, 0644);
	int fd = open(at("open"), O_RDONLY);
	CHECK("unlink.open_file", unlink(at("open")) == 0 && !exists("open"));
	CHECK("unlink.open_file_still_readable", read(fd, buf, sizeof(buf)) == 10 &&
	      !memcmp(buf, "still here", 10));
	close(fd);

	CHECK("rename.file", rename(at("file"), at("file2")) == 0 && !exists("file") &&
	      exists("file2"));
	write_file(at("other"), "other", 5, 0644);
	CHECK("rename.replaces_file", rename(at("other"), at("file2")) == 0 && !exists("other"));
	fd = open(at("file2"), O_RDONLY);
	CHECK("rename.replaced_contents", read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "other", 5));
	close(fd);
	CHECK("rename.to_itself", rename(at("file2"), at("file2")) == 0 && exists("file2"));
	check_err("rename.missing_enoent", rename(at("missing"), at("x")), ENOENT);
	mkdir(at("empty"), 0755);
	check_err("rename.dir_over_file_enotdir", rename(at("empty"), at("file2")), ENOTDIR);
	check_err("rename.file_over_dir_eisdir", rename(at("file2"), at("empty")), EISDIR);
	check_err("rename.over_nonempty_dir_enotempty", rename(at("empty"), at("d")), ENOTEMPTY);
	check_err("rename.into_own_subdir_einval", rename(at("d"), at("d/inner2")), EINVAL);
	mkdir(at("empty2"), 0755);
	CHECK("rename.dir_over_empty_dir", rename(at("empty2"), at("empty")) == 0 &&
	      !exists("empty2"));
	CHECK("rename.dir", rename(at("d"), at("d2")) == 0 && exists("d2/inner"));
	check_err("rename.across_filesystems_exdev", rename(at("file2"), "/dev/kevlar-ut-exdev"),
		  EXDEV);

	CHECK("link.new_name", link(at("file2"), at("hard")) == 0 && exists("hard"));
	check_err("link.existing_eexist", link(at("file2"), at("hard")), EEXIST);
	check_err("link.missing_enoent", link(at("missing"), at("h2")), ENOENT);
	check_err("link.directory_eperm", link(at("d2"), at("dlink")), EPERM);
	check_err("link.across_filesystems_exdev", link(at("file2"), "/dev/kevlar-ut-exdev"), EXDEV);

	CHECK("symlink.new", symlink("file2", at("sym")) == 0);
	check_err("symlink.existing_eexist", symlink("x", at("sym")), EEXIST);
	check_err("symlink.missing_parent_enoent", symlink("x", at("no/sym")), ENOENT);
	memset(buf, 0, sizeof(buf));
	CHECK("readlink.target", readlink(at("sym"), buf, sizeof(buf)) == 5 &&
	      !memcmp(buf, "file2", 5));
	memset(buf, 0, sizeof(buf));
	CHECK("readlink.truncates", readlink(at("sym"), buf, 3) == 3 && !memcmp(buf, "fil", 3) &&
	      buf[3] == 0);
	check_err("readlink.not_a_symlink_einval", readlink(at("file2"), buf, sizeof(buf)), EINVAL);
	check_err("readlink.missing_enoent", readlink(at("missing"), buf, sizeof(buf)), ENOENT);
	CHECK("symlink.followed_by_open", (fd = open(at("sym"), O_RDONLY)) >= 0 &&
	      read(fd, buf, 5) == 5 && !memcmp(buf, "other", 5));
	close(fd);
	CHECK("symlink.dangling", symlink("nowhere", at("dangling")) == 0);
	check_err("symlink.dangling_open_enoent", open(at("dangling"), O_RDONLY), ENOENT);
	symlink("loop2", at("loop1"));
	symlink("loop1", at("loop2"));
	check_err("symlink.loop_eloop", open(at("loop1"), O_RDONLY), ELOOP);
	CHECK("symlink.to_directory", symlink("d2", at("dsym")) == 0 && exists("dsym/inner"));
	CHECK("unlink.symlink_not_target", unlink(at("dsym")) == 0 && exists("d2"));

	check_err("open.excl_existing_eexist", open(at("file2"), O_CREAT | O_EXCL | O_RDWR, 0644),
		  EEXIST);
	check_err("open.create_in_missing_dir_enoent", open(at("no/f"), O_CREAT | O_RDWR, 0644),
		  ENOENT);
	check_err("open.trailing_slash_on_file_enotdir", open(at("file2/"), O_RDONLY), ENOTDIR);
	check_err("open.name_too_long_enametoolong", open(at(longname), O_RDONLY), ENAMETOOLONG);
	CHECK("open.dotdot", (fd = open(at("d2/../file2"), O_RDONLY)) >= 0);
	close(fd);
	remove_tree(dir);
	return finish();
}
