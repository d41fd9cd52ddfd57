/* Boot-time checks of the scheduler: switching, wait queues, timed sleep. */
#include <kevlar/errno.h>
#include <kevlar/selftest.h>
#include <kevlar/task.h>
#include <kevlar/time.h>

#define ROUNDS 50

static struct wait_queue ping_wq = WAIT_QUEUE_INIT(ping_wq);
static struct wait_queue pong_wq = WAIT_QUEUE_INIT(pong_wq);
static struct wait_queue done_wq = WAIT_QUEUE_INIT(done_wq);
static volatile int turn, finished;

/* Takes turns with the other thread through two wait queues. */
static void player(void *arg)
{
	int me = (int)(long)arg;
	struct wait_queue *mine = me ? &pong_wq : &ping_wq;
	struct wait_queue *theirs = me ? &ping_wq : &pong_wq;

	for (int i = 0; i < ROUNDS; i++) {
		while (turn % 2 != me)
			sched_sleep(mine, 0);
		turn++;
		wait_queue_wake_all(theirs);
	}
	finished++;
	wait_queue_wake_all(&done_wq);
}

SELFTEST(sched_ping_pong)
{
	turn = 0;
	finished = 0;
	ST_ASSERT(kthread_start("ping", player, (void *)0L));
	ST_ASSERT(kthread_start("pong", player, (void *)1L));
	u64 deadline = clock_monotonic_ns() + 2 * NSEC_PER_SEC;
	while (finished < 2 && clock_monotonic_ns() < deadline)
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
