/* User faults become signals with Linux's si_code and si_addr: SIGSEGV
 * (no mapping, not allowed), SIGILL, SIGFPE; unhandled, or blocked,
 * they kill the process with that signal. */
#include "usertest.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile void *got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(env, 1);
}

static void catch(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

extern char ud2_here[];

static volatile int quotient;

static int divide(volatile int a, volatile int b)
{
	quotient = a / b;
	return quotient;
}

static int touch_null(void *arg)
{
	return *(volatile int *)BAD_UNMAPPED;
}

static int touch_null_blocked(void *arg)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	return *(volatile int *)BAD_UNMAPPED;
}

static int divide_child(void *arg)
{
	return divide(1, 0);
}

int main(void)
{
	catch(SIGSEGV);
	catch(SIGILL);
	catch(SIGFPE);

	if (!sigsetjmp(env, 1))
		*(volatile int *)BAD_UNMAPPED = 1;
	CHECK("sig_faults.segv_unmapped_signal", got_sig == SIGSEGV);
	CHECK("sig_faults.segv_unmapped_code", got_code == SEGV_MAPERR);
	CHECK("sig_faults.segv_unmapped_addr", got_addr == BAD_UNMAPPED);

	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	got_sig = 0;
	if (!sigsetjmp(env, 1))
		ro[100] = 1;
	CHECK("sig_faults.segv_readonly_signal", got_sig == SIGSEGV);
	CHECK("sig_faults.segv_readonly_code", got_code == SEGV_ACCERR);
	CHECK("sig_faults.segv_readonly_addr", got_addr == ro + 100);

	got_sig = 0;
	if (!sigsetjmp(env, 1))
		__asm__ volatile(".globl ud2_here\nud2_here: ud2");
	CHECK("sig_faults.sigill_signal", got_sig == SIGILL);
	CHECK("sig_faults.sigill_code", got_code == ILL_ILLOPN);
	CHECK("sig_faults.sigill_addr", got_addr == (void *)ud2_here);

	got_sig = 0;
	if (!sigsetjmp(env, 1))
		divide(7, 0);
	CHECK("sig_faults.sigfpe_signal", got_sig == SIGFPE);
	CHECK("sig_faults.sigfpe_code", got_code == FPE_INTDIV);

	/* The handler may run again for the next fault: the mask came back. */
	got_sig = 0;
	if (!sigsetjmp(env, 1))
		*(volatile int *)BAD_UNMAPPED = 2;
	CHECK("sig_faults.second_fault_handled", got_sig == SIGSEGV);

	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	check_killed("sig_faults.unhandled_segv_kills", in_child(touch_null, NULL), SIGSEGV);
	check_killed("sig_faults.blocked_segv_still_kills", in_child(touch_null_blocked, NULL),
		     SIGSEGV);
	check_killed("sig_faults.unhandled_fpe_kills", in_child(divide_child, NULL), SIGFPE);
	return finish();
}
