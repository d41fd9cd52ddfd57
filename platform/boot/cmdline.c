/* Kernel command-line parsing against the table of registered options. */
#include <kevlar/cmdline.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>

#define OPTION_MAX 256

extern const struct kparam __kparams_start[], __kparams_end[];

int kparam_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static const struct kparam *kparam_find(const char *name)
{
	for (const struct kparam *p = __kparams_start; p < __kparams_end; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Handles one "name" or "name=value" option. Returns 0 if accepted. */
static int apply_option(char *opt)
{
	char *eq = strchr(opt, '=');
	const char *value = NULL;

	if (eq) {
		*eq = 0;
		value = eq + 1;
	}
	const struct kparam *p = kparam_find(opt);
	if (!p) {
		printk("cmdline: unknown option '%s', ignored\n", opt);
		return -ENOENT;
	}
	if (p->set(value)) {
		printk("cmdline: bad value '%s' for '%s' (%s), ignored\n",
		       value ? value : "", opt, p->help);
		return -EINVAL;
	}
	return 0;
}

int cmdline_parse(const char *s)
{
	char opt[OPTION_MAX];
	int rejected = 0;
	bool first = true;

	while (*s) {
		size_t n = 0;
		bool quoted = false, truncated = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
			if (*s == '"') {
				quoted = !quoted;
				continue;
			}
			if (n + 1 < sizeof(opt))
				opt[n++] = *s;
			else
				truncated = true;
		}
		opt[n] = 0;
		/* Some loaders pass the kernel's own path first. */
		if (first && opt[0] == '/') {
			first = false;
			continue;
		}
		first = false;
		if (truncated) {
			printk("cmdline: option '%.32s...' longer than %d bytes, ignored\n",
			       opt, OPTION_MAX - 1);
			rejected++;
			continue;
		}
		if (apply_option(opt))
			rejected++;
	}
	return rejected;
}
