/* dup, dup2, dup3 and fcntl: numbering, shared descriptions, flags. */
#include "usertest.h"

int main(void)
{
	const char *dir = scratch_dir();
	char path[256];

	snprintf(path, sizeof(path), "%s/f", dir);
	int a = open(path, O_RDWR | O_CREAT, 0644);
	int b = open(path, O_RDONLY);
	close(a);
	CHECK("dup_fcntl.dup_takes_lowest_free", dup(b) == a);
	close(a);

	a = open(path, O_RDWR);
	int d = dup(a);
	CHECK("dup_fcntl.dup_new_fd", d >= 0 && d != a);
	write(a, "hello", 5);
	CHECK("dup_fcntl.dup_shares_offset", lseek(d, 0, SEEK_CUR) == 5);
	CHECK("dup_fcntl.dup_clears_cloexec", fcntl(d, F_GETFD) == 0);

	CHECK("dup_fcntl.dup2_same_fd", dup2(a, a) == a);
	check_err("dup_fcntl.dup2_bad_old_ebadf", dup2(999, 40), EBADF);
	CHECK("dup_fcntl.dup2_onto_open_fd", dup2(a, b) == b);
	CHECK("dup_fcntl.dup2_target_now_shares", lseek(b, 0, SEEK_CUR) == 5);
	CHECK("dup_fcntl.dup2_to_high_number", dup2(a, 100) == 100 && fcntl(100, F_GETFD) == 0);
	close(100);

	check_err("dup_fcntl.dup3_same_fd_einval", syscall(SYS_dup3, a, a, 0), EINVAL);
	check_err("dup_fcntl.dup3_bad_flags_einval", syscall(SYS_dup3, a, 41, 0x1), EINVAL);
	CHECK("dup_fcntl.dup3_cloexec", syscall(SYS_dup3, a, 41, O_CLOEXEC) == 41 &&
	      fcntl(41, F_GETFD) == FD_CLOEXEC);
	close(41);

	CHECK("dup_fcntl.f_dupfd_min", fcntl(a, F_DUPFD, 20) == 20);
	CHECK("dup_fcntl.f_dupfd_next", fcntl(a, F_DUPFD, 20) == 21);
	int c = fcntl(a, F_DUPFD_CLOEXEC, 0);
	CHECK("dup_fcntl.f_dupfd_cloexec", c >= 0 && fcntl(c, F_GETFD) == FD_CLOEXEC);
	CHECK("dup_fcntl.f_setfd", fcntl(c, F_SETFD, 0) == 0 && fcntl(c, F_GETFD) == 0);
	CHECK("dup_fcntl.f_setfd_cloexec", fcntl(c, F_SETFD, FD_CLOEXEC) == 0 &&
	      fcntl(c, F_GETFD) == FD_CLOEXEC);
	CHECK("dup_fcntl.cloexec_is_per_fd", fcntl(a, F_GETFD) == 0);

	CHECK("dup_fcntl.getfl_rdwr", (fcntl(a, F_GETFL) & O_ACCMODE) == O_RDWR);
	int w = open(path, O_WRONLY);
	CHECK("dup_fcntl.getfl_wronly", (fcntl(w, F_GETFL) & O_ACCMODE) == O_WRONLY);
	CHECK("dup_fcntl.setfl_nonblock", fcntl(a, F_SETFL, O_NONBLOCK) == 0 &&
	      (fcntl(a, F_GETFL) & O_NONBLOCK));
	CHECK("dup_fcntl.status_flags_shared_by_dup", (fcntl(d, F_GETFL) & O_NONBLOCK) != 0);
	CHECK("dup_fcntl.status_flags_not_shared_by_open", (fcntl(w, F_GETFL) & O_NONBLOCK) == 0);
	fcntl(a, F_SETFL, O_RDONLY);
	CHECK("dup_fcntl.setfl_cannot_change_access_mode", (fcntl(a, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK("dup_fcntl.setfl_clears_nonblock", (fcntl(a, F_GETFL) & O_NONBLOCK) == 0);

	check_err("dup_fcntl.getfd_bad_fd_ebadf", fcntl(999, F_GETFD), EBADF);
	check_err("dup_fcntl.dup_bad_fd_ebadf", dup(999), EBADF);
	check_err("dup_fcntl.unknown_cmd_einval", fcntl(a, 12345), EINVAL);

	close(d);
	CHECK("dup_fcntl.close_dup_keeps_original", write(a, "!", 1) == 1);
	close(a);
	close(b);
	close(w);
	remove_tree(dir);
	return finish();
}
