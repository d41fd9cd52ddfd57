/* Boot-time checks of the scheduler: switching, wait queues, timed sleep. */
#include <kevlar/errno.h>
#include <kevlar/selftest.h>
#include <kevlar/task.h>
#include <kevlar/time.h>

#define ROUNDS 50

static struct wait_queue ping_wq = WAIT_QUEUE_INIT(ping_wq);
static struct wait_queue pong_wq = WAIT_QUEUE_INIT(pong_wq);
static struct wait_queue done_wq = WAIT_QUEUE_INIT(done_wq);
static int turn, finished;   /* shared with the players: __atomic */
static const int players[2] = { 0, 1 };

/* Takes turns with the other thread through two wait queues. */
static void player(void *arg)
{
	int me = *(const int *)arg;
	struct wait_queue *mine = me ? &pong_wq : &ping_wq;
	struct wait_queue *theirs = me ? &ping_wq : &pong_wq;

	for (int i = 0; i < ROUNDS; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) % 2 != me)
			sched_sleep(mine, 0);
		__atomic_add_fetch(&turn, 1, __ATOMIC_RELEASE);
		wait_queue_wake_all(theirs);
	}
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
	wait_queue_wake_all(&done_wq);
}

SELFTEST(sched_ping_pong)
{
	__atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&finished, 0, __ATOMIC_RELEASE);
	ST_ASSERT(kthread_start("ping", player, (void *)&players[0]));
	ST_ASSERT(kthread_start("pong", player, (void *)&players[1]));
	u64 deadline = clock_monotonic_ns() + 2 * NSEC_PER_SEC;
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < 2 && clock_monotonic_ns() < deadline)
		sched_sleep(&done_wq, deadline);
	ST_ASSERT(finished == 2 && turn == 2 * ROUNDS);
	return 0;
}

SELFTEST(sched_timed_sleep)
{
	u64 t0 = clock_monotonic_ns();
	ST_ASSERT(sched_sleep(NULL, t0 + 20000000UL) == -ETIMEDOUT);
	ST_ASSERT(clock_monotonic_ns() - t0 >= 20000000UL);
	return 0;
}
