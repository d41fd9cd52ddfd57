/*
 * Pids, as Linux hands them out: the next free one after the last,
 * below pid_max, wrapping around to RESERVED_PIDS (the low pids belong
 * to init and the kernel threads of boot). A pid is in use from the
 * task's making until it is reaped, zombies included, and while it is
 * the id of a process group or a session that some task is still in.
 *
 * Two structures answer the two questions asked of pids: a hash (by pid)
 * finds a task in constant time, and a bitmap of the pids in use, with a
 * summary bit per bitmap word, gives the next task by pid in time
 * proportional to the pids skipped / 4096, so a walk over every task
 * costs time linear in the number of tasks.
 */
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include "proc_internal.h"

#define HASH_SIZE 1024          /* pids are dense: pid % HASH_SIZE spreads them */
#define WORD_BITS 64
/* The bitmap grows in steps of a whole summary word. */
#define BITMAP_STEP (WORD_BITS * WORD_BITS)

static struct list hash[HASH_SIZE];
/* The ids of process groups and sessions, with the tasks in each. */
struct group_id {
	struct list node;
	pid_t id;
	unsigned tasks;
};
static struct list group_hash[HASH_SIZE];
static u64 *used;               /* bit p: pid p is a task's */
static u64 *held;               /* bit p: pid p is a group's or a session's id */
static u64 *summary;            /* bit w: used[w] is not 0 */
static unsigned bitmap_bits;    /* pids the bitmap covers: pid_max at its highest */
static int pid_max = PID_MAX_DEFAULT;
static pid_t last_pid;
static unsigned pids_in_use;
static u64 pids_handed_out;

#ifdef KEVLAR_KTEST
static u64 steps;   /* hash entries and bitmap words looked at */
#define STEP() (steps++)

u64 pid_table_steps(void)
{
	return steps;
}
#else
#define STEP() ((void)0)
#endif

/* Makes the bitmap cover pids below 'bits' (a multiple of BITMAP_STEP),
 * keeping what it holds. */
static int bitmap_grow(unsigned bits)
{
	if (bits <= bitmap_bits)
		return 0;
	u64 *nused = kzalloc(bits / 8);
	u64 *nheld = kzalloc(bits / 8);
	u64 *nsummary = kzalloc(bits / WORD_BITS / 8);
	if (!nused || !nheld || !nsummary) {
		kfree(nused);
		kfree(nheld);
		kfree(nsummary);
		return -ENOMEM;
	}
	u64 flags = irq_save();
	u64 *oused = used, *oheld = held, *osummary = summary;
	if (oused) {
		memcpy(nused, oused, bitmap_bits / 8);
		memcpy(nheld, oheld, bitmap_bits / 8);
		memcpy(nsummary, osummary, bitmap_bits / WORD_BITS / 8);
	}
	used = nused;
	held = nheld;
	summary = nsummary;
	bitmap_bits = bits;
	irq_restore(flags);
	kfree(oused);
	kfree(oheld);
	kfree(osummary);
	return 0;
}

void pid_table_init(void)
{
	for (unsigned i = 0; i < HASH_SIZE; i++) {
		list_init(&hash[i]);
		list_init(&group_hash[i]);
	}
	if (bitmap_grow(PID_MAX_DEFAULT))
		kpanic("pid: no memory for the pid bitmap");
}

static bool pid_used(unsigned p)
{
	return used[p / WORD_BITS] & (1UL << (p % WORD_BITS));
}

static void mark(unsigned p, bool on)
{
	unsigned w = p / WORD_BITS;
	if (on)
		used[w] |= 1UL << (p % WORD_BITS);
	else
		used[w] &= ~(1UL << (p % WORD_BITS));
	if (used[w])
		summary[w / WORD_BITS] |= 1UL << (w % WORD_BITS);
	else
		summary[w / WORD_BITS] &= ~(1UL << (w % WORD_BITS));
}

/* The first free pid in [from, to), or -1. */
static int first_free(unsigned from, unsigned to)
{
	for (unsigned p = from; p < to;) {
		u64 free = ~(used[p / WORD_BITS] | held[p / WORD_BITS]) >> (p % WORD_BITS);
		if (free) {
			p += __builtin_ctzl(free);
			return p < to ? (int)p : -1;
		}
		p = (p / WORD_BITS + 1) * WORD_BITS;
	}
	return -1;
}

/* The first pid in use at or above 'from', or -1. */
static int first_used(unsigned from)
{
	if (from >= bitmap_bits)
		return -1;
	unsigned w = from / WORD_BITS;
	u64 rest = used[w] >> (from % WORD_BITS);
	STEP();
	if (rest)
		return (int)(from + __builtin_ctzl(rest));
	/* Then the next word that has a pid, found through the summary. */
	unsigned words = bitmap_bits / WORD_BITS;
	for (unsigned s = (w + 1) / WORD_BITS; s < words / WORD_BITS; s++) {
		u64 sum = summary[s];
		STEP();
		if (s == (w + 1) / WORD_BITS)
			sum &= ~0UL << ((w + 1) % WORD_BITS);
		if (sum) {
			unsigned nw = s * WORD_BITS + __builtin_ctzl(sum);
			return (int)(nw * WORD_BITS + __builtin_ctzl(used[nw]));
		}
	}
	return -1;
}

int pid_assign(struct task *t)
{
	u64 flags = irq_save();
	unsigned cursor = (unsigned)last_pid + 1;
	unsigned min = cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	unsigned max = (unsigned)pid_max;
	int p = -1;

	if (cursor < max)
		p = first_free(cursor < min ? min : cursor, max);
	if (p < 0)
		p = first_free(min, cursor < max ? cursor : max);
	if (p < 0) {
		irq_restore(flags);
		return -EAGAIN;
	}
	mark((unsigned)p, true);
	t->pid = t->tgid = p;
	list_add_tail(&hash[p % HASH_SIZE], &t->pid_node);
	last_pid = p;
	pids_in_use++;
	pids_handed_out++;
	irq_restore(flags);
	return 0;
}

void pid_release(struct task *t)
{
	u64 flags = irq_save();
	if (t->pid > 0 && (unsigned)t->pid < bitmap_bits && pid_used((unsigned)t->pid)) {
		mark((unsigned)t->pid, false);
		list_del(&t->pid_node);
		pids_in_use--;
	}
	irq_restore(flags);
}

static struct group_id *group_find(pid_t id)
{
	list_for_each(pos, &group_hash[id % HASH_SIZE]) {
		struct group_id *g = list_entry(pos, struct group_id, node);
		if (g->id == id)
			return g;
	}
	return NULL;
}

int pid_group_get(pid_t id)
{
	if (id <= 0)
		return 0;
	struct group_id *fresh = NULL;
	u64 flags = irq_save();
	struct group_id *g = group_find(id);
	if (!g) {
		irq_restore(flags);
		fresh = kzalloc(sizeof(*fresh));
		if (!fresh)
			return -ENOMEM;
		flags = irq_save();
		g = group_find(id);
	}
	if (!g) {
		g = fresh;
		fresh = NULL;
		g->id = id;
		list_add_tail(&group_hash[id % HASH_SIZE], &g->node);
		if ((unsigned)id < bitmap_bits)
			held[id / WORD_BITS] |= 1UL << (id % WORD_BITS);
	}
	g->tasks++;
	irq_restore(flags);
	kfree(fresh);
	return 0;
}

void pid_group_put(pid_t id)
{
	if (id <= 0)
		return;
	u64 flags = irq_save();
	struct group_id *g = group_find(id);
	if (g && --g->tasks == 0) {
		list_del(&g->node);
		if ((unsigned)id < bitmap_bits)
			held[id / WORD_BITS] &= ~(1UL << (id % WORD_BITS));
	} else {
		g = NULL;
	}
	irq_restore(flags);
	kfree(g);
}

struct task *task_find(pid_t pid)
{
	struct task *found = NULL;

	if (pid <= 0)
		return NULL;
	u64 flags = irq_save();
	list_for_each(pos, &hash[pid % HASH_SIZE]) {
		struct task *t = list_entry(pos, struct task, pid_node);
		STEP();
		if (t->pid == pid) {
			found = t;
			break;
		}
	}
	irq_restore(flags);
	return found;
}

struct task *task_next(pid_t after)
{
	u64 flags = irq_save();
	int p = first_used(after < 0 ? 0 : (unsigned)after + 1);
	irq_restore(flags);
	return p > 0 ? task_find(p) : NULL;
}

pid_t task_last_pid(void)
{
	return last_pid;
}

u64 task_forks(void)
{
	return pids_handed_out;
}

unsigned task_count(void)
{
	return pids_in_use;
}

int pid_max_get(void)
{
	return pid_max;
}

int pid_max_set(int value)
{
	if (value < PID_MAX_MIN || value > PID_MAX_LIMIT)
		return -EINVAL;
	unsigned bits = ((unsigned)value + BITMAP_STEP - 1) / BITMAP_STEP * BITMAP_STEP;
	int rc = bitmap_grow(bits);
	if (rc)
		return rc;
	pid_max = value;
	return 0;
}
