/* The capability token runtime: mint, check, forge, revoke. */
#include <check.h>
#include <string.h>

#include <kevlar/cap.h>
#include <kevlar/errno.h>

#include "host.h"
#include "suites.h"

enum { SVC_A, SVC_B, NSVC };
enum { CAP_HEAP, CAP_CONSOLE, CAP_BLOCK, NCAP };

static unsigned running = SVC_A;
static u64 counter;

/* A holds Heap and Console; B holds only Block. */
static bool holds(unsigned svc, unsigned cap)
{
	return (svc == SVC_A && (cap == CAP_HEAP || cap == CAP_CONSOLE)) ||
	       (svc == SVC_B && cap == CAP_BLOCK);
}

static const char *svc_name(unsigned svc) { return svc == SVC_A ? "alpha" : "beta"; }

static const char *cap_name(unsigned cap)
{
	static const char *const names[] = { "Heap", "Console", "Block" };
	return names[cap];
}

static unsigned current(void) { return running; }
static u64 next_random(void) { return 0x1234567800000000ULL + ++counter; }

static const struct cap_policy policy = {
	.nservices = NSVC, .ncaps = NCAP, .holds = holds, .service_name = svc_name,
	.cap_name = cap_name, .current = current, .random = next_random,
};

static void setup(void)
{
	host_heap_init();
	host_log_clear();
	running = SVC_A;
	ck_assert_int_eq(cap_init(&policy), 0);
}

START_TEST(minted_token_passes)
{
	struct cap_token t = cap_mint(SVC_A, CAP_HEAP);
	ck_assert_uint_ne(t.nonce, 0);
	ck_assert_uint_eq(t.svc, SVC_A);
	ck_assert_uint_eq(t.cap, CAP_HEAP);
	ck_assert_int_eq(cap_check(CAP_HEAP, &t, "svcmem.alloc"), 0);
	ck_assert_str_eq(host_log(), "");
}
END_TEST

START_TEST(forged_nonce_is_refused_and_logged)
{
	u64 before = cap_refusals();
	struct cap_token t = cap_mint(SVC_A, CAP_HEAP);
	t.nonce ^= 1;
	ck_assert_int_eq(cap_check(CAP_HEAP, &t, "svcmem.alloc"), -EPERM);
	ck_assert_uint_eq(cap_refusals(), before + 1);
	ck_assert_ptr_nonnull(strstr(host_log(), "svcmem.alloc refused: service 'alpha'"));
	ck_assert_ptr_nonnull(strstr(host_log(), "forged or stale Heap token"));
}
END_TEST

START_TEST(zero_token_is_refused)
{
	struct cap_token t = { 0, SVC_A, CAP_HEAP };
	cap_mint(SVC_A, CAP_HEAP);
	ck_assert_int_eq(cap_check(CAP_HEAP, &t, "op"), -EPERM);
}
END_TEST

START_TEST(token_of_another_kind_is_refused)
{
	struct cap_token console = cap_mint(SVC_A, CAP_CONSOLE);
	cap_mint(SVC_A, CAP_HEAP);
	ck_assert_int_eq(cap_check(CAP_HEAP, &console, "svcmem.alloc"), -EPERM);
}
END_TEST

START_TEST(token_of_another_service_is_refused)
{
	/* B steals A's token: the running service decides, not the token. */
	struct cap_token stolen = cap_mint(SVC_A, CAP_HEAP);
	running = SVC_B;
	ck_assert_int_eq(cap_check(CAP_HEAP, &stolen, "svcmem.alloc"), -EPERM);
	ck_assert_ptr_nonnull(strstr(host_log(), "service 'beta'"));
	ck_assert_ptr_nonnull(strstr(host_log(), "unheld Heap token"));
}
END_TEST

START_TEST(unheld_capability_is_not_minted)
{
	struct cap_token t = cap_mint(SVC_B, CAP_HEAP);
	ck_assert_uint_eq(t.nonce, 0);
	ck_assert_ptr_nonnull(strstr(host_log(), "not held"));
	running = SVC_B;
	ck_assert_int_eq(cap_check(CAP_HEAP, &t, "op"), -EPERM);
}
END_TEST

START_TEST(revoke_makes_tokens_stale)
{
	struct cap_token heap = cap_mint(SVC_A, CAP_HEAP);
	struct cap_token con = cap_mint(SVC_A, CAP_CONSOLE);
	struct cap_token blk = cap_mint(SVC_B, CAP_BLOCK);
	cap_revoke_service(SVC_A);
	ck_assert_int_eq(cap_check(CAP_HEAP, &heap, "op"), -EPERM);
	ck_assert_int_eq(cap_check(CAP_CONSOLE, &con, "op"), -EPERM);
	running = SVC_B;   /* other services keep theirs */
	ck_assert_int_eq(cap_check(CAP_BLOCK, &blk, "op"), 0);
}
END_TEST

START_TEST(remint_after_restart_gives_new_nonce)
{
	struct cap_token old = cap_mint(SVC_A, CAP_HEAP);
	cap_revoke_service(SVC_A);
	struct cap_token fresh = cap_mint(SVC_A, CAP_HEAP);
	ck_assert_uint_ne(old.nonce, fresh.nonce);
	ck_assert_int_eq(cap_check(CAP_HEAP, &fresh, "op"), 0);
	ck_assert_int_eq(cap_check(CAP_HEAP, &old, "op"), -EPERM);
}
END_TEST

START_TEST(core_holds_no_tokens)
{
	struct cap_token t = cap_mint(SVC_A, CAP_HEAP);
	running = 99;   /* no service running: Core itself */
	ck_assert_int_eq(cap_check(CAP_HEAP, &t, "op"), -EPERM);
	ck_assert_ptr_nonnull(strstr(host_log(), "service 'core'"));
}
END_TEST

START_TEST(out_of_range_ids_are_harmless)
{
	struct cap_token t = cap_mint(NSVC + 5, CAP_HEAP);
	ck_assert_uint_eq(t.nonce, 0);
	t = cap_mint(SVC_A, NCAP + 5);
	ck_assert_uint_eq(t.nonce, 0);
	ck_assert_int_eq(cap_check(NCAP + 5, &t, "op"), -EPERM);
	cap_revoke_service(NSVC + 5);
}
END_TEST

Suite *cap_suite(void)
{
	Suite *s = suite_create("cap");
	TCase *tc = tcase_create("tokens");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, minted_token_passes);
	tcase_add_test(tc, forged_nonce_is_refused_and_logged);
	tcase_add_test(tc, zero_token_is_refused);
	tcase_add_test(tc, token_of_another_kind_is_refused);
	tcase_add_test(tc, token_of_another_service_is_refused);
	tcase_add_test(tc, unheld_capability_is_not_minted);
	tcase_add_test(tc, revoke_makes_tokens_stale);
	tcase_add_test(tc, remint_after_restart_gives_new_nonce);
	tcase_add_test(tc, core_holds_no_tokens);
	tcase_add_test(tc, out_of_range_ids_are_harmless);
	suite_add_tcase(s, tc);
	return s;
}
