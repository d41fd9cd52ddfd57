/* umask: what it returns, and what it does to new files and directories. */
#include "usertest.h"

static mode_t perm_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (st.st_mode & 07777) : 07777;
}

static int child_umask(void *arg)
{
	return umask(0) == 027 ? 0 : 1;
}

int main(void)
{
	const char *dir = scratch_dir();
	char path[256];

	umask(022);
	CHECK("umask.returns_previous", umask(077) == 022);
	CHECK("umask.returns_previous_again", umask(022) == 077);

	snprintf(path, sizeof(path), "%s/f022", dir);
	close(open(path, O_CREAT | O_WRONLY, 0666));
	CHECK("umask.022_file_0644", perm_of(path) == 0644);
	snprintf(path, sizeof(path), "%s/d022", dir);
	mkdir(path, 0777);
	CHECK("umask.022_dir_0755", perm_of(path) == 0755);

	umask(027);
	snprintf(path, sizeof(path), "%s/f027", dir);
	close(open(path, O_CREAT | O_WRONLY, 0666));
	CHECK("umask.027_file_0640", perm_of(path) == 0640);
	snprintf(path, sizeof(path), "%s/d027", dir);
	mkdir(path, 0777);
	CHECK("umask.027_dir_0750", perm_of(path) == 0750);
	check_exit("umask.inherited_by_child", in_child(child_umask, NULL), 0);

	umask(0);
	snprintf(path, sizeof(path), "%s/f000", dir);
	close(open(path, O_CREAT | O_WRONLY, 0666));
	CHECK("umask.000_file_0666", perm_of(path) == 0666);
	CHECK("umask.not_applied_by_chmod", umask(077) == 0 && chmod(path, 0777) == 0 &&
	      perm_of(path) == 0777);
	CHECK("chmod.sets_mode", chmod(path, 0600) == 0 && perm_of(path) == 0600);
	umask(01777);
	CHECK("umask.keeps_only_permission_bits", umask(022) == 0777);
	remove_tree(dir);
	return finish();
}
