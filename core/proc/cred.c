/*
 * Credentials and the calls that read and set them, with Linux's rules
 * (kernel/sys.c, kernel/groups.c): a privileged task (effective uid 0)
 * may set any id; any other may only move among its real, effective and
 * saved ids, and otherwise gets EPERM. An id of -1 leaves that id as it
 * is. A change of effective id moves the filesystem id with it. A
 * change of real uid moves the task from one user's process count to
 * another's, and notes whether the new user is over RLIMIT_NPROC for
 * exec to refuse (set*uid itself does not fail for it, as in Linux).
 */
#include <syscalls.h>
#include <abi/limits.h>
#include <abi/resource.h>
#include <kevlar/cred.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define NO_ID ((u32)-1)

static struct cred *my_cred(void)
{
	return &current_task()->cred;
}

bool cred_privileged(void)
{
	return my_cred()->euid == 0;
}

void cred_fork(struct task *child, const struct task *parent)
{
	/* task_alloc counted the child as root's; the parent's user has an
	 * entry while the parent lives, so the move allocates nothing. */
	user_processes_put(child->cred.uid);
	child->cred = parent->cred;
	user_processes_get(child->cred.uid);
	if (child->cred.groups)
		child->cred.groups->refs++;
}

static void groups_put(struct group_list *g)
{
	if (g && --g->refs == 0)
		kfree(g);
}

void cred_release(struct task *t)
{
	user_processes_put(t->cred.uid);
	groups_put(t->cred.groups);
	t->cred.groups = NULL;
}

static bool over_nproc(const struct task *t)
{
	return t->cred.uid != 0 && user_processes(t->cred.uid) > task_rlimit(t, RLIMIT_NPROC);
}

int cred_exec_check(void)
{
	struct task *t = current_task();
	if (t->cred.nproc_exceeded && over_nproc(t))
		return -EAGAIN;
	t->cred.nproc_exceeded = false;
	return 0;
}

void cred_exec_commit(void)
{
	struct cred *c = my_cred();
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
}

bool cred_exec_secure(void)
{
	const struct cred *c = my_cred();
	return c->euid != c->uid || c->egid != c->gid;
}

/* Makes 'ruid' the task's real uid, moving it between users' counts.
 * As Linux's flag_nproc_exceeded, the new user is over the limit when
 * its other processes are more than it allows. */
static int set_real_uid(struct cred *c, uid_t ruid)
{
	if (ruid == c->uid)
		return 0;
	c->nproc_exceeded = ruid != 0 &&
		user_processes(ruid) > task_rlimit(current_task(), RLIMIT_NPROC);
	int rc = user_processes_get(ruid);
	if (rc)
		return rc;
	user_processes_put(c->uid);
	c->uid = ruid;
	return 0;
}

int sys_getuid(void) { return (int)my_cred()->uid; }
int sys_geteuid(void) { return (int)my_cred()->euid; }
int sys_getgid(void) { return (int)my_cred()->gid; }
int sys_getegid(void) { return (int)my_cred()->egid; }

int sys_setuid(u32 uid)
{
	struct cred *c = my_cred();

	if (uid == NO_ID)
		return -EINVAL;
	if (cred_privileged()) {
		int rc = set_real_uid(c, uid);
		if (rc)
			return rc;
		c->suid = uid;
	} else if (uid != c->uid && uid != c->suid) {
		return -EPERM;
	}
	c->euid = c->fsuid = uid;
	return 0;
}

int sys_setgid(u32 gid)
{
	struct cred *c = my_cred();

	if (gid == NO_ID)
		return -EINVAL;
	if (cred_privileged())
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

int sys_setreuid(u32 ruid, u32 euid)
{
	struct cred *c = my_cred();
	bool priv = cred_privileged();

	if (ruid != NO_ID && !priv && ruid != c->uid && ruid != c->euid)
		return -EPERM;
	if (euid != NO_ID && !priv && euid != c->uid && euid != c->euid && euid != c->suid)
		return -EPERM;
	uid_t old_ruid = c->uid;
	if (ruid != NO_ID) {
		int rc = set_real_uid(c, ruid);
		if (rc)
			return rc;
	}
	if (euid != NO_ID)
		c->euid = euid;
	/* The saved id follows a new effective one unless the call only set
	 * the effective id back to the real one. */
	if (ruid != NO_ID || (euid != NO_ID && euid != old_ruid))
		c->suid = c->euid;
	c->fsuid = c->euid;
	return 0;
}

int sys_setregid(u32 rgid, u32 egid)
{
	struct cred *c = my_cred();
	bool priv = cred_privileged();

	if (rgid != NO_ID && !priv && rgid != c->gid && rgid != c->egid)
		return -EPERM;
	if (egid != NO_ID && !priv && egid != c->gid && egid != c->egid && egid != c->sgid)
		return -EPERM;
	gid_t old_rgid = c->gid;
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (rgid != NO_ID || (egid != NO_ID && egid != old_rgid))
		c->sgid = c->egid;
	c->fsgid = c->egid;
	return 0;
}

/* An id an unprivileged setres*id may take: unchanged, or one it has. */
static bool among(u32 id, u32 r, u32 e, u32 s)
{
	return id == NO_ID || id == r || id == e || id == s;
}

int sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
	struct cred *c = my_cred();

	/* Nothing to change: not even the filesystem id follows. */
	if ((ruid == NO_ID || ruid == c->uid) && (suid == NO_ID || suid == c->suid) &&
	    (euid == NO_ID || (euid == c->euid && euid == c->fsuid)))
		return 0;
	if (!cred_privileged() && (!among(ruid, c->uid, c->euid, c->suid) ||
				   !among(euid, c->uid, c->euid, c->suid) ||
				   !among(suid, c->uid, c->euid, c->suid)))
		return -EPERM;
	if (ruid != NO_ID) {
		int rc = set_real_uid(c, ruid);
		if (rc)
			return rc;
	}
	if (euid != NO_ID)
		c->euid = euid;
	if (suid != NO_ID)
		c->suid = suid;
	c->fsuid = c->euid;
	return 0;
}

int sys_setresgid(u32 rgid, u32 egid, u32 sgid)
{
	struct cred *c = my_cred();

	if ((rgid == NO_ID || rgid == c->gid) && (sgid == NO_ID || sgid == c->sgid) &&
	    (egid == NO_ID || (egid == c->egid && egid == c->fsgid)))
		return 0;
	if (!cred_privileged() && (!among(rgid, c->gid, c->egid, c->sgid) ||
				   !among(egid, c->gid, c->egid, c->sgid) ||
				   !among(sgid, c->gid, c->egid, c->sgid)))
		return -EPERM;
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (sgid != NO_ID)
		c->sgid = sgid;
	c->fsgid = c->egid;
	return 0;
}

/* Three ids to user space, in order; the first that faults ends it. */
static int put_ids(uptr_t a, uptr_t b, uptr_t c, u32 x, u32 y, u32 z)
{
	if (copy_to_user(a, &x, sizeof(x)) || copy_to_user(b, &y, sizeof(y)) ||
	    copy_to_user(c, &z, sizeof(z)))
		return -EFAULT;
	return 0;
}

int sys_getresuid(uptr_t ruid, uptr_t euid, uptr_t suid)
{
	const struct cred *c = my_cred();
	return put_ids(ruid, euid, suid, c->uid, c->euid, c->suid);
}

int sys_getresgid(uptr_t rgid, uptr_t egid, uptr_t sgid)
{
	const struct cred *c = my_cred();
	return put_ids(rgid, egid, sgid, c->gid, c->egid, c->sgid);
}

/* setfsuid/setfsgid report no error: they return the old id whether or
 * not they changed it (-1 only asks). */
int sys_setfsuid(u32 uid)
{
	struct cred *c = my_cred();
	uid_t old = c->fsuid;

	if (uid != NO_ID && (cred_privileged() || uid == c->uid || uid == c->euid ||
			     uid == c->suid || uid == c->fsuid))
		c->fsuid = uid;
	return (int)old;
}

int sys_setfsgid(u32 gid)
{
	struct cred *c = my_cred();
	gid_t old = c->fsgid;

	if (gid != NO_ID && (cred_privileged() || gid == c->gid || gid == c->egid ||
			     gid == c->sgid || gid == c->fsgid))
		c->fsgid = gid;
	return (int)old;
}

int sys_getgroups(int size, uptr_t list)
{
	const struct group_list *g = my_cred()->groups;
	unsigned count = g ? g->count : 0;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return (int)count;
	if ((unsigned)size < count)
		return -EINVAL;
	if (count && copy_to_user(list, g->gid, count * sizeof(gid_t)))
		return -EFAULT;
	return (int)count;
}

/* Heapsort: up to NGROUPS_MAX ids, in place, in bounded time. */
static void sift_down(gid_t *v, unsigned root, unsigned n)
{
	for (unsigned child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		gid_t x = v[root];
		v[root] = v[child];
		v[child] = x;
	}
}

static void sort_gids(gid_t *v, unsigned n)
{
	for (unsigned i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (unsigned end = n; end-- > 1;) {
		gid_t x = v[0];
		v[0] = v[end];
		v[end] = x;
		sift_down(v, 0, end);
	}
}

int sys_setgroups(int size, uptr_t list)
{
	struct cred *c = my_cred();
	struct group_list *g = NULL;

	if (!cred_privileged())
		return -EPERM;
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if (size) {
		g = kmalloc(sizeof(*g) + (unsigned)size * sizeof(gid_t));
		if (!g)
			return -ENOMEM;
		g->refs = 1;
		g->count = (unsigned)size;
		if (copy_from_user(g->gid, list, g->count * sizeof(gid_t))) {
			kfree(g);
			return -EFAULT;
		}
		for (unsigned i = 0; i < g->count; i++) {
			if (g->gid[i] == NO_ID) {
				kfree(g);
				return -EINVAL;
			}
		}
		/* Sorted, as Linux keeps them, for getgroups and /proc. */
		sort_gids(g->gid, g->count);
	}
	groups_put(c->groups);
	c->groups = g;
	return 0;
}
