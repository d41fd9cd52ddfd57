/*
 * Credentials: the set*id rules (root may set anything; a user moves
 * only among its own real, effective and saved ids), supplementary
 * groups, /proc/self/status's Uid:/Gid:/Groups: lines, the owner of a
 * new file, who may signal
 * whom across users, and RLIMIT_NPROC for users other than root (at
 * fork, and at execve after a setuid). Run as root. The users are ids
 * no host process has (54321 and neighbours), so that the process
 * counts are this program's alone.
 */
#include "usertest.h"
#include <signal.h>

#define U1 54321
#define U2 54322
#define U3 54323
#define U4 54324
#define NONE ((unsigned)-1)

static long sys3(long nr, long a, long b, long c)
{
	return syscall(nr, a, b, c);
}

static int resuid_is(unsigned r, unsigned e, unsigned s)
{
	uid_t x, y, z;
	return sys3(SYS_getresuid, (long)&x, (long)&y, (long)&z) == 0 && x == r && y == e && z == s;
}

static int resgid_is(unsigned r, unsigned e, unsigned s)
{
	gid_t x, y, z;
	return sys3(SYS_getresgid, (long)&x, (long)&y, (long)&z) == 0 && x == r && y == e && z == s;
}

static unsigned fsuid(void) { return (unsigned)syscall(SYS_setfsuid, -1); }
static unsigned fsgid(void) { return (unsigned)syscall(SYS_setfsgid, -1); }

/* The line of /proc/self/status starting with 'key', without the key. */
static int status_line(const char *key, char *out, size_t size)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	size_t klen = strlen(key);
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, key, klen)) {
			char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) - klen : strlen(line) - klen;
			if (len >= size)
				len = size - 1;
			memcpy(out, line + klen, len);
			out[len] = 0;
			return 1;
		}
	}
	return 0;
}

static int status_is(const char *key, const char *want)
{
	char got[256];
	return status_line(key, got, sizeof(got)) && !strcmp(got, want);
}

/* In a child: groups, then gids, then uids, as a root process dropping
 * its privileges would, checking each rule on the way. */
static int drop_and_move(void *arg)
{
	gid_t set[] = { 30, 10, 20, 10 }, got[8];

	check_err("creds.setgroups_bad_gid", syscall(SYS_setgroups, 1, (gid_t[]){ NONE }), EINVAL);
	check_err("creds.setgroups_too_many", syscall(SYS_setgroups, 65537, set), EINVAL);
	check_err("creds.setgroups_efault", syscall(SYS_setgroups, 2, BAD_UNMAPPED), EFAULT);
	check_ok("creds.setgroups_root", syscall(SYS_setgroups, 4, set));
	CHECK("creds.getgroups_count", syscall(SYS_getgroups, 0, NULL) == 4);
	check_err("creds.getgroups_short", syscall(SYS_getgroups, 2, got), EINVAL);
	check_err("creds.getgroups_negative", syscall(SYS_getgroups, -1, got), EINVAL);
	check_err("creds.getgroups_efault", syscall(SYS_getgroups, 4, BAD_UNMAPPED), EFAULT);
	CHECK("creds.getgroups_sorted", syscall(SYS_getgroups, 8, got) == 4 && got[0] == 10 &&
	      got[1] == 10 && got[2] == 20 && got[3] == 30);
	CHECK("creds.status_groups", status_is("Groups:\t", "10 10 20 30 "));

	check_ok("creds.setresgid_root", sys3(SYS_setresgid, 100, 200, 300));
	CHECK("creds.getresgid", resgid_is(100, 200, 300));
	CHECK("creds.fsgid_follows_egid", fsgid() == 200);
	CHECK("creds.getgid_getegid", getgid() == 100 && getegid() == 200);
	check_err("creds.setuid_minus_one_einval", syscall(SYS_setuid, -1), EINVAL);
	check_ok("creds.setresuid_root", sys3(SYS_setresuid, U1, U2, U3));
	CHECK("creds.getresuid", resuid_is(U1, U2, U3));
	CHECK("creds.getuid_geteuid", getuid() == U1 && geteuid() == U2);
	CHECK("creds.fsuid_follows_euid", fsuid() == U2);
	CHECK("creds.status_uid", status_is("Uid:\t", "54321\t54322\t54323\t54322"));
	CHECK("creds.status_gid", status_is("Gid:\t", "100\t200\t300\t200"));
	CHECK("creds.status_groups_kept", status_is("Groups:\t", "10 10 20 30 "));

	/* No longer root: only the three ids it has. */
	check_err("creds.setuid_0_eperm", syscall(SYS_setuid, 0), EPERM);
	check_err("creds.setresuid_euid_0_eperm", sys3(SYS_setresuid, -1, 0, -1), EPERM);
	check_err("creds.setreuid_0_eperm", syscall(SYS_setreuid, 0, -1), EPERM);
	check_err("creds.setresuid_other_eperm", sys3(SYS_setresuid, U1, U4, U3), EPERM);
	check_err("creds.setgroups_eperm", syscall(SYS_setgroups, 0, NULL), EPERM);
	CHECK("creds.failed_calls_change_nothing", resuid_is(U1, U2, U3));
	check_ok("creds.setresuid_noop", sys3(SYS_setresuid, -1, -1, -1));
	check_ok("creds.setresuid_permute", sys3(SYS_setresuid, U3, U1, U2));
	CHECK("creds.permuted", resuid_is(U3, U1, U2) && fsuid() == U1);
	/* setreuid: an effective id other than the real one is saved. */
	check_ok("creds.setreuid_euid", syscall(SYS_setreuid, -1, U2));
	CHECK("creds.setreuid_saves_euid", resuid_is(U3, U2, U2));
	check_err("creds.setreuid_ruid_not_real_or_effective", syscall(SYS_setreuid, U1, -1), EPERM);
	check_ok("creds.setreuid_swap", syscall(SYS_setreuid, U2, U3));
	CHECK("creds.swapped", resuid_is(U2, U3, U3));
	/* setuid of an unprivileged process: effective (and fs) only. */
	check_ok("creds.setuid_to_real", syscall(SYS_setuid, U2));
	CHECK("creds.setuid_sets_effective", resuid_is(U2, U2, U3));
	check_err("creds.setuid_other_eperm", syscall(SYS_setuid, U4), EPERM);

	/* setfsuid answers with the old id, changed or not. */
	CHECK("creds.setfsuid_refused_returns_old", syscall(SYS_setfsuid, U4) == U2 && fsuid() == U2);
	CHECK("creds.setfsuid_saved_id", syscall(SYS_setfsuid, U3) == U2 && fsuid() == U3);
	CHECK("creds.status_fsuid", status_is("Uid:\t", "54322\t54322\t54323\t54323"));

	check_err("creds.setgid_other_eperm", syscall(SYS_setgid, 999), EPERM);
	check_ok("creds.setgid_saved", syscall(SYS_setgid, 300));
	CHECK("creds.setgid_sets_effective", resgid_is(100, 300, 300) && fsgid() == 300);
	check_err("creds.setregid_other_eperm", syscall(SYS_setregid, 999, -1), EPERM);
	check_ok("creds.setregid_swap", syscall(SYS_setregid, 300, 100));
	CHECK("creds.setregid_swapped", resgid_is(300, 100, 100));
	CHECK("creds.setfsgid_refused", syscall(SYS_setfsgid, 999) == 100 && fsgid() == 100);
	check_err("creds.setresgid_other_eperm", sys3(SYS_setresgid, -1, -1, 999), EPERM);

	/* A new file belongs to the filesystem ids: fsuid U3, fsgid 100. */
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/mine", (const char *)arg);
	CHECK("creds.create_as_user", write_file(path, "x", 1, 0644) == 0);
	CHECK("creds.new_file_owned_by_fsuid_fsgid",
	      stat(path, &st) == 0 && st.st_uid == U3 && st.st_gid == 100);
	return finish();
}

/* A root process that only lends out its effective uid gets it back; one
 * that gave up all three does not. */
static int seteuid_and_back(void *arg)
{
	struct rlimit low = { 64, 64 }, higher = { 64, 65 };
	check_ok("creds.lower_hard_limit", setrlimit(RLIMIT_NOFILE, &low));
	check_ok("creds.seteuid_user", syscall(SYS_setresuid, -1, U1, -1));
	check_err("creds.raise_hard_limit_as_user_eperm", setrlimit(RLIMIT_NOFILE, &higher), EPERM);
	check_err("creds.setgroups_as_euid_user_eperm", syscall(SYS_setgroups, 0, NULL), EPERM);
	check_ok("creds.seteuid_back_to_root", syscall(SYS_setresuid, -1, 0, -1));
	CHECK("creds.root_again", resuid_is(0, 0, 0));
	check_ok("creds.setuid_user_as_root", syscall(SYS_setuid, U1));
	CHECK("creds.setuid_as_root_sets_all", resuid_is(U1, U1, U1) && fsuid() == U1);
	check_err("creds.setuid_root_after_drop", syscall(SYS_setuid, 0), EPERM);
	check_err("creds.setresuid_root_after_drop", sys3(SYS_setresuid, 0, 0, 0), EPERM);
	return finish();
}

/* ---- signals across users ---- */

static volatile sig_atomic_t got_usr1, usr1_uid;

static void on_usr1(int sig, siginfo_t *info, void *ctx)
{
	got_usr1 = 1;
	usr1_uid = (sig_atomic_t)info->si_uid;
}

/*
 * A child with ids (r, e, s), in a session of its own if 'own_session'.
 * It reports on 'report' whether SIGUSR1 reached it, and with which
 * si_uid, when it is sent SIGTERM (blocked until then: SIGUSR1 first).
 */
static pid_t child_as(unsigned r, unsigned e, unsigned s, int own_session, int report)
{
	int ready[2];
	char c;

	if (pipe(ready))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
		sigset_t term;
		int sig;
		sigaction(SIGUSR1, &sa, NULL);
		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		sigprocmask(SIG_BLOCK, &term, NULL);
		if (own_session)
			setsid();
		if (sys3(SYS_setresuid, r, e, s))
			_exit(3);
		write(ready[1], "r", 1);
		sigwait(&term, &sig);
		int msg[2] = { got_usr1, usr1_uid };
		if (report >= 0)
			write(report, msg, sizeof(msg));
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	return pid;
}

static void end_child(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* Sender (U2, U2, U1): may signal a target with uid U2 or saved uid
 * U2, and (through the real id matching nothing, the effective id
 * matching) not one that is U3 throughout. */
static int sender(void *arg)
{
	const pid_t *t = arg;   /* U3 throughout; real U2; saved U2; U3 elsewhere */
	if (sys3(SYS_setresuid, U2, U2, U1))
		return 9;
	check_err("creds.kill_other_user_eperm", kill(t[0], SIGUSR1), EPERM);
	check_err("creds.kill_0_other_user_eperm", kill(t[0], 0), EPERM);
	check_err("creds.tkill_other_user_eperm", syscall(SYS_tkill, t[0], SIGUSR1), EPERM);
	check_ok("creds.kill_sigcont_same_session", kill(t[0], SIGCONT));
	check_err("creds.kill_sigcont_other_session_eperm", kill(t[3], SIGCONT), EPERM);
	check_err("creds.kill_group_other_user_eperm", kill(-t[3], SIGUSR1), EPERM);
	check_ok("creds.kill_target_real_uid", kill(t[1], SIGUSR1));
	check_ok("creds.kill_target_saved_uid", kill(t[2], SIGUSR1));
	/* The effective id does not count on the target's side. */
	check_ok("creds.drop_to_u1", sys3(SYS_setresuid, U1, U1, U1));
	check_err("creds.kill_target_effective_uid_eperm", kill(t[1], 0), EPERM);
	/* kill(-1): refusals are no error; only its own user's get it. */
	check_ok("creds.kill_all_as_user", kill(-1, SIGUSR1));
	return finish();
}

static void signals(void)
{
	int rep[2];
	int msg[2];

	if (pipe(rep))
		return fail("creds.signal_setup", "pipe: %s", errname(errno));
	pid_t t[5];
	t[0] = child_as(U3, U3, U3, 0, rep[1]);
	t[1] = child_as(U2, U3, U3, 0, rep[1]);
	t[2] = child_as(U3, U3, U2, 0, rep[1]);
	t[3] = child_as(U3, U3, U3, 1, rep[1]);
	t[4] = child_as(U1, U3, U3, 1, rep[1]);   /* the one kill(-1) may reach */
	if (t[0] < 0 || t[1] < 0 || t[2] < 0 || t[3] < 0 || t[4] < 0)
		return fail("creds.signal_setup", "fork: %s", errname(errno));
	check_exit("creds.sender_done", in_child(sender, t), 0);

	const char *names[] = { "creds.other_user_not_signalled", "creds.real_uid_target_signalled",
				"creds.saved_uid_target_signalled", "creds.other_session_not_signalled",
				"creds.kill_all_reached_own_user" };
	const int want[] = { 0, 1, 1, 0, 1 };
	for (int i = 0; i < 5; i++) {
		end_child(t[i]);
		int ok = read(rep[0], msg, sizeof(msg)) == sizeof(msg) && msg[0] == want[i] &&
			 (!want[i] || msg[1] == (i == 4 ? U1 : U2));
		if (ok)
			pass(names[i]);
		else
			fail(names[i], "SIGUSR1 %s, si_uid %d", msg[0] ? "arrived" : "did not arrive",
			     msg[1]);
	}
	close(rep[0]);
	close(rep[1]);
}

/* ---- RLIMIT_NPROC ---- */

#define MAX_KIDS 64

static pid_t sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void kill_all(pid_t *kids, int n)
{
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
}

/* As U4 with RLIMIT_NPROC 5: itself and four children. */
static int user_meets_nproc(void *arg)
{
	struct rlimit r = { 5, 5 };
	pid_t kids[MAX_KIDS];
	int n = 0, e = 0;

	setrlimit(RLIMIT_NPROC, &r);
	if (sys3(SYS_setresuid, U4, U4, U4))
		return 9;
	while (n < MAX_KIDS) {
		pid_t pid = sleeper();
		if (pid < 0) {
			e = errno;
			break;
		}
		kids[n++] = pid;
	}
	CHECK("creds.nproc_fork_eagain", e == EAGAIN);
	if (n == 4)
		pass("creds.nproc_counts_the_user");
	else
		fail("creds.nproc_counts_the_user", "%d children, not 4", n);
	errno = 0;
	CHECK("creds.nproc_vfork_eagain", syscall(SYS_vfork) == -1 && errno == EAGAIN);
	errno = 0;
	CHECK("creds.nproc_clone_eagain",
	      syscall(SYS_clone, SIGCHLD, 0L, 0L, 0L, 0L) == -1 && errno == EAGAIN);
	/* A zombie still counts until it is reaped. */
	if (n > 0) {
		int st;
		kill(kids[n - 1], SIGKILL);
		errno = 0;
		CHECK("creds.nproc_zombie_counts", fork() == -1 && errno == EAGAIN);
		waitpid(kids[--n], &st, 0);
		pid_t pid = sleeper();
		CHECK("creds.nproc_fork_after_reap", pid > 0);
		if (pid > 0)
			kids[n++] = pid;
	}
	kill_all(kids, n);
	return finish();
}

/* Root is not held to it, nor a user acting as root. */
static int root_ignores_nproc(void *arg)
{
	struct rlimit r = { 1, 1 };
	pid_t kids[3];
	int n = 0;

	setrlimit(RLIMIT_NPROC, &r);
	if (arg && sys3(SYS_setresuid, U4, 0, 0))
		return 9;
	while (n < 3 && (kids[n] = sleeper()) > 0)
		n++;
	CHECK(arg ? "creds.nproc_euid_root_exempt" : "creds.nproc_root_exempt", n == 3);
	kill_all(kids, n);
	return finish();
}

/* setuid to a user already over the limit succeeds; the next execve
 * fails with EAGAIN while the user still is. */
static int exec_after_setuid(void *arg)
{
	struct rlimit r = { 1, 1 };
	char *argv[] = { "creds-none", NULL };
	pid_t kids[2];
	int ready[2];
	char c;

	setrlimit(RLIMIT_NPROC, &r);
	for (int i = 0; i < 2; i++) {
		if (pipe(ready))
			return 9;
		kids[i] = fork();
		if (kids[i] == 0) {
			sys3(SYS_setresuid, U4, U4, U4);
			write(ready[1], "r", 1);
			for (;;)
				pause();
		}
		read(ready[0], &c, 1);
		close(ready[0]);
		close(ready[1]);
	}
	check_ok("creds.setuid_over_nproc_succeeds", sys3(SYS_setresuid, U4, U4, U4));
	check_err("creds.exec_over_nproc_eagain", execve("/nonexistent-creds", argv, NULL), EAGAIN);
	kill_all(kids, 2);
	check_err("creds.exec_under_nproc_again", execve("/nonexistent-creds", argv, NULL), ENOENT);
	return finish();
}

int main(void)
{
	if (getuid() != 0 || geteuid() != 0) {
		say("FAIL creds.setup: run me as root");
		return 1;
	}
	CHECK("creds.root_ids", resuid_is(0, 0, 0) && resgid_is(0, 0, 0) && fsuid() == 0);
	check_err("creds.getresuid_efault", sys3(SYS_getresuid, (long)BAD_UNMAPPED, 0, 0), EFAULT);
	CHECK("creds.status_root", status_is("Uid:\t", "0\t0\t0\t0") &&
	      status_is("Gid:\t", "0\t0\t0\t0"));
	const char *dir = scratch_dir();
	chmod(dir, 0777);
	check_exit("creds.drop_and_move", in_child(drop_and_move, (void *)dir), 0);
	remove_tree(dir);
	check_exit("creds.seteuid_and_back", in_child(seteuid_and_back, NULL), 0);
	CHECK("creds.parent_still_root", resuid_is(0, 0, 0));
	signals();
	check_exit("creds.user_meets_nproc", in_child(user_meets_nproc, NULL), 0);
	check_exit("creds.root_ignores_nproc", in_child(root_ignores_nproc, NULL), 0);
	check_exit("creds.euid_root_ignores_nproc", in_child(root_ignores_nproc, "euid"), 0);
	check_exit("creds.exec_after_setuid", in_child(exec_after_setuid, NULL), 0);
	return finish();
}
