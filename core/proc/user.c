/*
 * Processes per real uid, as Linux's user_struct counts them for
 * RLIMIT_NPROC: fork asks for one number, so it is kept, not counted by
 * walking the tasks. Root's count is a static entry (every kernel thread
 * and the first process are root's, and nothing may fail for them);
 * other users get an entry with their first process and lose it with
 * their last.
 */
#include <kevlar/cred.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/list.h>
#include <kevlar/mm.h>

#define USER_BUCKETS 32

struct user_count {
	struct list node;
	uid_t uid;
	unsigned processes;
};

static struct list buckets[USER_BUCKETS];
static bool buckets_ready;
static unsigned root_processes;

static struct list *bucket_of(uid_t uid)
{
	if (!buckets_ready) {
		for (unsigned i = 0; i < USER_BUCKETS; i++)
			list_init(&buckets[i]);
		buckets_ready = true;
	}
	return &buckets[uid % USER_BUCKETS];
}

/* Interrupts are off. */
static struct user_count *user_find(uid_t uid)
{
	struct list *b = bucket_of(uid);
	list_for_each(pos, b) {
		struct user_count *u = list_entry(pos, struct user_count, node);
		if (u->uid == uid)
			return u;
	}
	return NULL;
}

int user_processes_get(uid_t uid)
{
	if (uid == 0) {
		u64 flags = irq_save();
		root_processes++;
		irq_restore(flags);
		return 0;
	}
	u64 flags = irq_save();
	struct user_count *u = user_find(uid);
	if (u) {
		u->processes++;
		irq_restore(flags);
		return 0;
	}
	irq_restore(flags);
	/* Allocated with interrupts on; another task may have made the entry
	 * meanwhile, and then this one is not needed. */
	struct user_count *fresh = kmalloc(sizeof(*fresh));
	if (!fresh)
		return -EAGAIN;
	flags = irq_save();
	u = user_find(uid);
	if (!u) {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		u->processes = 0;
		list_add_tail(bucket_of(uid), &u->node);
	}
	u->processes++;
	irq_restore(flags);
	kfree(fresh);
	return 0;
}

void user_processes_put(uid_t uid)
{
	u64 flags = irq_save();
	if (uid == 0) {
		root_processes--;
		irq_restore(flags);
		return;
	}
	struct user_count *u = user_find(uid);
	if (u && --u->processes == 0)
		list_del(&u->node);
	else
		u = NULL;
	irq_restore(flags);
	kfree(u);
}

unsigned user_processes(uid_t uid)
{
	if (uid == 0)
		return root_processes;
	u64 flags = irq_save();
	struct user_count *u = user_find(uid);
	unsigned n = u ? u->processes : 0;
	irq_restore(flags);
	return n;
}
