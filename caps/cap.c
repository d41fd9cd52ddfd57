/* The capability token runtime: mint, check, revoke. See <kevlar/cap.h>. */
#include <kevlar/cap.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>

static const struct cap_policy *policy;
static u64 *nonces;            /* [svc * ncaps + cap]; 0 = none */
static u64 refusals;
static spinlock_irq_t cap_lock = SPINLOCK_IRQ_INIT;

int cap_init(const struct cap_policy *p)
{
	size_t n = (size_t)p->nservices * p->ncaps;

	nonces = n ? kzalloc(n * sizeof(*nonces)) : NULL;
	if (n && !nonces)
		return -ENOMEM;
	policy = p;
	return 0;
}

static u64 *slot(unsigned svc, unsigned cap)
{
	if (!policy || svc >= policy->nservices || cap >= policy->ncaps)
		return NULL;
	return &nonces[(size_t)svc * policy->ncaps + cap];
}

struct cap_token cap_mint(unsigned svc, unsigned cap)
{
	struct cap_token tok = { 0, 0, 0 };
	u64 *s = slot(svc, cap);

	if (!s || !policy->holds(svc, cap)) {
		printk("cap: refusing to mint capability %u for service %u: not held\n", cap, svc);
		return tok;
	}
	u64 nonce;
	do {
		nonce = policy->random();
	} while (nonce == 0);   /* 0 means "no token" */
	u64 flags = spin_lock_irqsave(&cap_lock);
	*s = nonce;
	spin_unlock_irqrestore(&cap_lock, flags);
	tok.nonce = nonce;
	tok.svc = (u16)svc;
	tok.cap = (u16)cap;
	return tok;
}

static const char *caller_name(unsigned svc)
{
	if (!policy || svc >= policy->nservices)
		return "core";
	return policy->service_name(svc);
}

int cap_check(unsigned cap, const struct cap_token *tok, const char *what)
{
	unsigned caller = policy ? policy->current() : ~0u;
	u64 *s = slot(caller, cap);
	bool ok;

	u64 flags = spin_lock_irqsave(&cap_lock);
	ok = s && *s != 0 && tok->cap == cap && tok->svc == caller && tok->nonce == *s;
	spin_unlock_irqrestore(&cap_lock, flags);
	if (likely(ok))
		return 0;
	__atomic_add_fetch(&refusals, 1, __ATOMIC_RELAXED);
	printk("cap: %s refused: service '%s' presented a %s %s token\n", what,
	       caller_name(caller), s && *s ? "forged or stale" : "unheld",
	       policy && cap < policy->ncaps ? policy->cap_name(cap) : "unknown");
	return -EPERM;
}

void cap_revoke_service(unsigned svc)
{
	if (!policy || svc >= policy->nservices)
		return;
	u64 flags = spin_lock_irqsave(&cap_lock);
	for (unsigned c = 0; c < policy->ncaps; c++)
		nonces[(size_t)svc * policy->ncaps + c] = 0;
	spin_unlock_irqrestore(&cap_lock, flags);
}

u64 cap_refusals(void)
{
	return __atomic_load_n(&refusals, __ATOMIC_RELAXED);
}
