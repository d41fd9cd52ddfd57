/*
 * Freestanding string formatting: kvsnprintf(), ksnprintf() and the
 * printk timestamp prefix.
 *
 * The output follows C99 snprintf for every conversion printk.h lists,
 * with two kernel conventions: %p always prints "0x" and 16 hex digits,
 * and %s of NULL prints "(null)" (cut by the precision, like Linux).
 * A malformed or unknown conversion is copied to the output verbatim.
 */
#include <kevlar/compiler.h>
#include <kevlar/printk.h>
#include <kevlar/types.h>

/* Where formatted characters go; pos counts them all, even dropped ones. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
};

#define FL_LEFT  0x01	/* '-' */
#define FL_ZERO  0x02	/* '0' */
#define FL_PLUS  0x04	/* '+' */
#define FL_SPACE 0x08	/* ' ' */
#define FL_ALT   0x10	/* '#' */

enum fmt_len { LEN_INT, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned int flags;
	int width;		/* >= 0 */
	int prec;		/* -1 when none was given */
	enum fmt_len len;
	char conv;
};

/* Largest width or precision accepted; keeps the parsing free of overflow. */
#define FMT_FIELD_MAX 0x7ffffff

/* Appends c; stores it only while room for the terminating NUL remains. */
static void out_char(struct fmt_out *o, char c)
{
	if (o->size && o->pos < o->size - 1)
		o->buf[o->pos] = c;
	o->pos++;
}

/* Appends c n times (nothing when n <= 0). */
static void out_fill(struct fmt_out *o, char c, long n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Appends the n bytes at s. */
static void out_bytes(struct fmt_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
}

/* Parses a decimal field at *p, saturating at FMT_FIELD_MAX. */
static int parse_decimal(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v <= FMT_FIELD_MAX / 10)
			v = v * 10 + (**p - '0');
		else
			v = FMT_FIELD_MAX;
		(*p)++;
	}
	return v > FMT_FIELD_MAX ? FMT_FIELD_MAX : v;
}

/* Parses flags, width and precision (taking '*' arguments from ap). */
static const char *parse_fields(const char *p, struct fmt_spec *sp, va_list *ap)
{
	for (;; p++) {
		if (*p == '-')
			sp->flags |= FL_LEFT;
		else if (*p == '0')
			sp->flags |= FL_ZERO;
		else if (*p == '+')
			sp->flags |= FL_PLUS;
		else if (*p == ' ')
			sp->flags |= FL_SPACE;
		else if (*p == '#')
			sp->flags |= FL_ALT;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		if (w < 0) {
			sp->flags |= FL_LEFT;
			w = w < -FMT_FIELD_MAX ? FMT_FIELD_MAX : -w;
		}
		sp->width = w > FMT_FIELD_MAX ? FMT_FIELD_MAX : w;
	} else {
		sp->width = parse_decimal(&p);
	}
	sp->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			sp->prec = pr < 0 ? -1 : (pr > FMT_FIELD_MAX ? FMT_FIELD_MAX : pr);
		} else {
			sp->prec = parse_decimal(&p);
		}
	}
	return p;
}

/* Parses the length modifier at p into sp->len; returns what follows it. */
static const char *parse_length(const char *p, struct fmt_spec *sp)
{
	sp->len = LEN_INT;
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			sp->len = LEN_HH;
			return p + 2;
		}
		sp->len = LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			sp->len = LEN_LL;
			return p + 2;
		}
		sp->len = LEN_L;
		return p + 1;
	case 'z':
		sp->len = LEN_Z;
		return p + 1;
	case 't':
		sp->len = LEN_T;
		return p + 1;
	case 'j':
		sp->len = LEN_J;
		return p + 1;
	default:
		return p;
	}
}

/* Fetches an unsigned argument of the spec's length, zero-extended. */
static u64 fetch_unsigned(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (u64)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Fetches a signed argument of the spec's length, sign-extended. */
static s64 fetch_signed(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/*
 * Writes the digits of v in the spec's base into buf (least significant
 * first) and returns their count: 0 for the value 0 at precision 0.
 */
static int number_digits(const struct fmt_spec *sp, u64 v, char *buf)
{
	const char *set = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int base = 10;
	int n = 0;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;
	if (v == 0 && sp->prec == 0)
		return 0;
	do {
		buf[n++] = set[v % base];
		v /= base;
	} while (v);
	return n;
}

/*
 * Emits a number of magnitude mag (negative when neg) with its sign or
 * base prefix, precision zeros and width padding, as C99 printf does.
 */
static void emit_number(struct fmt_out *o, const struct fmt_spec *sp, u64 mag, bool neg)
{
	char digits[24];
	char prefix[2];
	int nprefix = 0;
	int ndigits = number_digits(sp, mag, digits);
	bool is_signed = sp->conv == 'd' || sp->conv == 'i';
	long zeros, pad;

	if (is_signed && neg)
		prefix[nprefix++] = '-';
	else if (is_signed && (sp->flags & FL_PLUS))
		prefix[nprefix++] = '+';
	else if (is_signed && (sp->flags & FL_SPACE))
		prefix[nprefix++] = ' ';
	if (sp->conv == 'p' || ((sp->flags & FL_ALT) && mag &&
				(sp->conv == 'x' || sp->conv == 'X'))) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = sp->conv == 'X' ? 'X' : 'x';
	}
	zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	if (sp->conv == 'o' && (sp->flags & FL_ALT) && zeros == 0 &&
	    (ndigits == 0 || digits[ndigits - 1] != '0'))
		zeros = 1;
	pad = (long)sp->width - (nprefix + zeros + ndigits);
	if ((sp->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO && sp->prec < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & FL_LEFT))
		out_fill(o, ' ', pad);
	out_bytes(o, prefix, (size_t)nprefix);
	out_fill(o, '0', zeros);
	while (ndigits > 0)
		out_char(o, digits[--ndigits]);
	if (sp->flags & FL_LEFT)
		out_fill(o, ' ', pad);
}

/* Emits n bytes of s padded to the width; '0' is ignored as glibc does. */
static void emit_padded(struct fmt_out *o, const struct fmt_spec *sp,
			const char *s, size_t n)
{
	long pad = (long)sp->width - (long)n;

	if (!(sp->flags & FL_LEFT))
		out_fill(o, ' ', pad);
	out_bytes(o, s, n);
	if (sp->flags & FL_LEFT)
		out_fill(o, ' ', pad);
}

/* Emits the string s (NULL prints "(null)"), reading at most prec bytes. */
static void emit_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	size_t n = 0;

	if (!s)
		s = "(null)";
	while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
		n++;
	emit_padded(o, sp, s, n);
}

/* Emits one conversion whose specification is parsed into sp. */
static void emit_conversion(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i': {
		s64 v = fetch_signed(sp, ap);

		emit_number(o, sp, v < 0 ? -(u64)v : (u64)v, v < 0);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		emit_number(o, sp, fetch_unsigned(sp, ap), false);
		break;
	case 'p':
		sp->flags &= FL_LEFT;
		sp->prec = 16;
		emit_number(o, sp, (u64)(uintptr_t)va_arg(*ap, void *), false);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_padded(o, sp, &c, 1);
		break;
	case 's':
		emit_string(o, sp, va_arg(*ap, const char *));
		break;
	default:
		break;
	}
}

/* Reports whether c is a conversion character kvsnprintf implements. */
static bool known_conversion(char c)
{
	const char *known = "diuxXopcs";

	for (; *known; known++)
		if (*known == c)
			return true;
	return false;
}

/*
 * Formats one '%' directive starting at fmt (which points at the '%');
 * returns the first character after it.
 */
static const char *format_directive(struct fmt_out *o, const char *fmt, va_list *ap)
{
	struct fmt_spec sp = { 0 };
	const char *p = parse_length(parse_fields(fmt + 1, &sp, ap), &sp);

	sp.conv = *p;
	if (sp.conv == '%') {
		out_char(o, '%');
		return p + 1;
	}
	if (!known_conversion(sp.conv)) {
		/* Copy the malformed directive; stop at the end of fmt. */
		const char *end = sp.conv ? p + 1 : p;

		out_bytes(o, fmt, (size_t)(end - fmt));
		return end;
	}
	emit_conversion(o, &sp, ap);
	return p + 1;
}

/*
 * Formats into buf, writing at most size bytes including the NUL, which
 * is always written when size > 0. Returns the full output length.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt = format_directive(&o, fmt, &args);
		else
			out_char(&o, *fmt++);
	}
	va_end(args);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

/* As kvsnprintf, with the arguments given inline. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Formats Linux's log timestamp "[%5lu.%06lu] " (seconds, microseconds)
 * for ns; returns its full length like ksnprintf.
 */
int printk_format_time(char *buf, size_t size, u64 ns)
{
	unsigned long sec = (unsigned long)(ns / 1000000000UL);
	unsigned long usec = (unsigned long)(ns % 1000000000UL / 1000UL);

	return ksnprintf(buf, size, "[%5lu.%06lu] ", sec, usec);
}
