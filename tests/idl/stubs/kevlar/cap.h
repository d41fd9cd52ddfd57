/* Test stub of <kevlar/cap.h>: the Fortress token runtime. */
#ifndef KEVLAR_CAP_H
#define KEVLAR_CAP_H
#include <kevlar/types.h>
struct cap_token {
	u64 nonce;
	u16 svc;
	u16 cap;
};
struct cap_token cap_mint(unsigned svc, unsigned cap);
int cap_check(unsigned cap, const struct cap_token *tok, const char *what);
#endif
