/*
 * "#!" scripts, parsed exactly as Linux's fs/binfmt_script.c does, so
 * that the same line gives the same interpreter and argument.
 */
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "elf.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The first character in [s, end) that is not blank, or NULL. */
static const char *skip_blanks(const char *s, const char *end)
{
	for (; s < end; s++)
		if (!blank(*s))
			return s;
	return NULL;
}

/* The first blank or NUL in [s, end), or NULL. */
static const char *find_terminator(const char *s, const char *end)
{
	for (; s < end; s++)
		if (blank(*s) || !*s)
			return s;
	return NULL;
}

int script_parse(const char *file, size_t len, char *interp, char *arg, bool *has_arg)
{
	char buf[SCRIPT_BUF_SIZE];
	const char *buf_end = buf + sizeof(buf) - 1;
	const char *end, *name, *sep, *a = NULL;
	size_t n;

	/* Linux reads the first BINPRM_BUF_SIZE bytes, zero-padded. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, file, MIN(len, sizeof(buf)));
	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	end = NULL;
	for (const char *p = buf; p < buf + sizeof(buf); p++) {
		if (*p == '\n') {
			end = p;
			break;
		}
	}
	if (!end) {
		/* No newline: fine only if the interpreter's name ends
		 * within the buffer. */
		end = skip_blanks(buf + 2, buf_end);
		if (!end || !find_terminator(end, buf_end))
			return -ENOEXEC;
		end = buf_end;
	}
	while (end > buf + 2 && blank(end[-1]))
		end--;
	name = skip_blanks(buf + 2, end);
	if (!name || name == end)
		return -ENOEXEC;
	sep = find_terminator(name, end);
	if (sep && *sep)
		a = skip_blanks(sep, end);
	if (!sep)
		sep = end;

	n = (size_t)(sep - name);
	memcpy(interp, name, n);
	interp[n] = 0;
	*has_arg = a != NULL;
	n = a ? (size_t)(end - a) : 0;
	if (n)
		memcpy(arg, a, n);
	arg[n] = 0;
	return 0;
}
