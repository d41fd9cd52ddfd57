/*
 * The argument and environment vectors of a new program: counting them,
 * fetching their strings (from user memory, or the kernel's own arrays
 * for exec_kernel), and the argv edits a "#!" script makes.
 */
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "exec_internal.h"

/* Entry i of a user vector, or -EFAULT. */
static int user_vec_entry(uptr_t vec, u64 i, uptr_t *out)
{
	if (i > (USER_TOP / sizeof(u64)))
		return -EFAULT;
	return copy_from_user(out, vec + i * sizeof(u64), sizeof(u64));
}

/* Non-NULL entries before the NULL; more than fit in EXEC_ARG_MAX as
 * pointers alone is -E2BIG (Linux's count() has the same effect). */
static long count_vec(const struct exec_args *a, bool env)
{
	u64 max = EXEC_ARG_MAX / sizeof(u64);
	u64 n = 0;

	if (a->from_kernel) {
		char *const *v = env ? a->kenvp : a->kargv;
		while (v && v[n]) {
			if (++n > max)
				return -E2BIG;
		}
		return (long)n;
	}
	uptr_t vec = env ? a->uenvp : a->uargv;
	if (!vec)
		return 0;   /* Linux takes a NULL vector as empty */
	for (;;) {
		uptr_t p;
		int err = user_vec_entry(vec, n, &p);
		if (err)
			return err;
		if (!p)
			return (long)n;
		if (++n > max)
			return -E2BIG;
	}
}

int exec_args_count(struct exec_args *a)
{
	long argc = count_vec(a, false);
	long envc;

	if (argc < 0)
		return (int)argc;
	envc = count_vec(a, true);
	if (envc < 0)
		return (int)envc;
	a->argc = (u64)argc;
	a->envc = (u64)envc;
	if ((a->argc + a->envc) * sizeof(u64) > EXEC_ARG_MAX)
		return -E2BIG;
	/* As Linux (5.18+): an empty argv gets "" as argv[0]. */
	if (a->argc == 0)
		a->prefix[a->nprefix++] = "";
	return 0;
}

u64 exec_argc(const struct exec_args *a)
{
	return a->nprefix + (a->argc - a->skip);
}

static int prefix_push_front(struct exec_args *a, const char *s)
{
	if (a->nprefix == EXEC_MAX_PREFIX)
		return -E2BIG;
	memmove(&a->prefix[1], &a->prefix[0], a->nprefix * sizeof(a->prefix[0]));
	a->prefix[0] = s;
	a->nprefix++;
	return 0;
}

int exec_args_script(struct exec_args *a, const char *script, const char *arg,
		     const char *interp)
{
	int err;

	if (a->nprefix) {
		a->nprefix--;
		memmove(&a->prefix[0], &a->prefix[1], a->nprefix * sizeof(a->prefix[0]));
	} else if (a->skip < a->argc) {
		a->skip++;
	}
	if ((err = prefix_push_front(a, script)))
		return err;
	if (arg && (err = prefix_push_front(a, arg)))
		return err;
	return prefix_push_front(a, interp);
}

/*
 * String i of the new argv (or envp): its length, with *s pointing at it
 * (in a->scratch for a user string, valid until the next call). -E2BIG
 * for a string longer than MAX_ARG_STRLEN, -EFAULT.
 */
long exec_arg_string(struct exec_args *a, bool env, u64 i, const char **s)
{
	u64 idx;
	size_t n;

	if (!env && i < a->nprefix) {
		*s = a->prefix[i];
		return (long)strlen(*s);
	}
	idx = env ? i : a->skip + (i - a->nprefix);
	if (a->from_kernel) {
		*s = env ? a->kenvp[idx] : a->kargv[idx];
		n = strnlen(*s, MAX_ARG_STRLEN);
		return n == MAX_ARG_STRLEN ? -E2BIG : (long)n;
	}
	uptr_t p;
	int err = user_vec_entry(env ? a->uenvp : a->uargv, idx, &p);
	if (err)
		return err;
	long len = strncpy_from_user(a->scratch, p, MAX_ARG_STRLEN);
	if (len == -ENAMETOOLONG)
		return -E2BIG;
	if (len < 0)
		return len;
	*s = a->scratch;
	return len;
}
