/*
 * Capability tokens: the runtime half (Fortress). A token names the
 * service it was minted for, the capability, and a 64-bit nonce drawn at
 * mint time from the CPU's random number generator. A guarded shim accepts
 * a token only if it is for the right capability, was minted for the
 * service that is actually running, and carries that service's current
 * nonce for it. Restarting a service revokes its nonces, so tokens kept
 * from before the restart are stale.
 *
 * In Balanced the token types are empty structs checked by the compiler
 * and this runtime only tracks who holds what; in Performance and
 * Ludicrous tokens are compiled away.
 */
#ifndef KEVLAR_CAP_H
#define KEVLAR_CAP_H

#include <kevlar/types.h>

struct cap_token {
	u64 nonce;
	u16 svc;
	u16 cap;
};

/* The facts the runtime needs from the service registry. */
struct cap_policy {
	unsigned nservices;
	unsigned ncaps;
	/* Does service 'svc' hold capability 'cap' (per the IDL)? */
	bool (*holds)(unsigned svc, unsigned cap);
	const char *(*service_name)(unsigned svc);
	const char *(*cap_name)(unsigned cap);
	/* The service now running, or a value >= nservices for Core. */
	unsigned (*current)(void);
	u64 (*random)(void);
};

/* Sets up the nonce table. Returns 0 or -ENOMEM. */
int cap_init(const struct cap_policy *policy);
/* A fresh token of 'cap' for 'svc'; a zero token if svc does not hold
 * cap (that is a bug in the registry, and is logged). */
struct cap_token cap_mint(unsigned svc, unsigned cap);
/* 0 if 'tok' is a live token of 'cap' held by the running service; else
 * logs the refusal (naming the caller and 'what') and returns -EPERM. */
int cap_check(unsigned cap, const struct cap_token *tok, const char *what);
/* Invalidates every token 'svc' holds. */
void cap_revoke_service(unsigned svc);
/* How many checks were refused since boot. */
u64 cap_refusals(void);

#endif
