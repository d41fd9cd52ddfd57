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

/* One kind of id, user or group: the task's four, and whether a new real
 * id moves the task between users' process counts (uids only). The set*
 * calls of both kinds follow one set of rules. */
struct id_kind {
	u32 *real, *eff, *saved, *fs;
	bool counted;
};

static struct id_kind user_ids(struct cred *c)
{
	return (struct id_kind){ &c->uid, &c->euid, &c->suid, &c->fsuid, true };
}

static struct id_kind group_ids(struct cred *c)
{
	return (struct id_kind){ &c->gid, &c->egid, &c->sgid, &c->fsgid, false };
}

static int set_real(struct cred *c, const struct id_kind *k, u32 id)
{
	if (k->counted)
		return set_real_uid(c, id);
	*k->real = id;
	return 0;
}

/* setuid/setgid. */
static int set_id(struct cred *c, const struct id_kind *k, u32 id)
{
	if (id == NO_ID)
		return -EINVAL;
	if (cred_privileged()) {
		int rc = set_real(c, k, id);
		if (rc)
			return rc;
		*k->saved = id;
	} else if (id != *k->real && id != *k->saved) {
		return -EPERM;
	}
	*k->eff = *k->fs = id;
	return 0;
}

/* setreuid/setregid. */
static int set_re_id(struct cred *c, const struct id_kind *k, u32 r, u32 e)
{
	bool priv = cred_privileged();

	if (r != NO_ID && !priv && r != *k->real && r != *k->eff)
		return -EPERM;
	if (e != NO_ID && !priv && e != *k->real && e != *k->eff && e != *k->saved)
		return -EPERM;
	u32 old_real = *k->real;
	if (r != NO_ID) {
		int rc = set_real(c, k, r);
		if (rc)
			return rc;
	}
	if (e != NO_ID)
		*k->eff = e;
	/* The saved id follows a new effective one unless the call only set
	 * the effective id back to the real one. */
	if (r != NO_ID || (e != NO_ID && e != old_real))
		*k->saved = *k->eff;
	*k->fs = *k->eff;
	return 0;
}

/* An id an unprivileged setres*id may take: unchanged, or one it has. */
static bool among(const struct id_kind *k, u32 id)
{
	return id == NO_ID || id == *k->real || id == *k->eff || id == *k->saved;
}

/* setresuid/setresgid. */
static int set_res_id(struct cred *c, const struct id_kind *k, u32 r, u32 e, u32 s)
{
	/* Nothing to change: not even the filesystem id follows. */
	if ((r == NO_ID || r == *k->real) && (s == NO_ID || s == *k->saved) &&
	    (e == NO_ID || (e == *k->eff && e == *k->fs)))
		return 0;
	if (!cred_privileged() && (!among(k, r) || !among(k, e) || !among(k, s)))
		return -EPERM;
	if (r != NO_ID) {
		int rc = set_real(c, k, r);
		if (rc)
			return rc;
	}
	if (e != NO_ID)
		*k->eff = e;
	if (s != NO_ID)
		*k->saved = s;
	*k->fs = *k->eff;
	return 0;
}

/* setfsuid/setfsgid report no error: they return the old id whether or
 * not they changed it (-1 only asks). */
static int set_fs_id(const struct id_kind *k, u32 id)
{
	u32 old = *k->fs;

	if (id != NO_ID && (cred_privileged() || among(k, id) || id == *k->fs))
		*k->fs = id;
	return (int)old;
}

int sys_setuid(u32 uid)
{
	struct cred *c = my_cred();
	struct id_kind k = user_ids(c);
	return set_id(c, &k, uid);
}

int sys_setgid(u32 gid)
{
	struct cred *c = my_cred();
	struct id_kind k = group_ids(c);
	return set_id(c, &k, gid);
}

int sys_setreuid(u32 ruid, u32 euid)
{
	struct cred *c = my_cred();
	struct id_kind k = user_ids(c);
	return set_re_id(c, &k, ruid, euid);
}

int sys_setregid(u32 rgid, u32 egid)
{
	struct cred *c = my_cred();
	struct id_kind k = group_ids(c);
	return set_re_id(c, &k, rgid, egid);
}

int sys_setresuid(u32 ruid, u32 euid, u32 suid)
{
	struct cred *c = my_cred();
	struct id_kind k = user_ids(c);
	return set_res_id(c, &k, ruid, euid, suid);
}

int sys_setresgid(u32 rgid, u32 egid, u32 sgid)
{
	struct cred *c = my_cred();
	struct id_kind k = group_ids(c);
	return set_res_id(c, &k, rgid, egid, sgid);
}

int sys_setfsuid(u32 uid)
{
	struct id_kind k = user_ids(my_cred());
	return set_fs_id(&k, uid);
}

int sys_setfsgid(u32 gid)
{
	struct id_kind k = group_ids(my_cred());
	return set_fs_id(&k, gid);
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
