/* The kernel command line: "name=value" options registered by the code
 * that uses them. */
#ifndef KEVLAR_CMDLINE_H
#define KEVLAR_CMDLINE_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

struct kparam {
	const char *name;
	/* Returns 0, or -EINVAL for a value it does not accept. 'value' is
	 * NULL for a bare "name", and lives only during the call: copy it. */
	int (*set)(const char *value);
	const char *help;
};

#define KPARAM(pname, fn, helptext)                                         \
	static const struct kparam __kparam_##fn __section(".kparams")       \
		__used __aligned(8) = { pname, fn, helptext }

/*
 * Splits the command line into options (space separated, double quotes
 * group) and hands each to its registered handler. An unknown option or
 * a rejected value is reported and ignored. Returns how many were.
 */
int cmdline_parse(const char *cmdline);

/* Parses "on/off/1/0/yes/no/true/false". Returns 0 or -EINVAL. */
int kparam_bool(const char *value, bool *out);

#endif
