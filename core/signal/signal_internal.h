/* Private to core/signal. */
#ifndef KEVLAR_CORE_SIGNAL_INTERNAL_H
#define KEVLAR_CORE_SIGNAL_INTERNAL_H

#include <kevlar/signal.h>
#include <kevlar/task.h>

enum sig_default {
	SIG_DEFAULT_TERM,
	SIG_DEFAULT_CORE,      /* terminate; no core file is written */
	SIG_DEFAULT_IGNORE,
	SIG_DEFAULT_STOP,
};

const struct sigaction_k *sig_action(const struct task *t, int sig);
enum sig_default sig_default_action(int sig);
/* Fills Linux's siginfo_t from what the kernel keeps. */
void siginfo_to_user(struct user_siginfo *u, const struct ksiginfo *k);

#endif
