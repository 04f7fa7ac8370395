/* A small, complete-enough printf engine. Numbers are converted into a
 * local buffer, then padded; nothing here allocates. */
#include "fmt/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1: none */
};

struct sink {
	fmt_out_fn out;
	void *ctx;
	int count;
};

static void put(struct sink *s, char c)
{
	s->out(c, s->ctx);
	s->count++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

/* Emits prefix + digits with width/precision handling shared by all numbers. */
static void emit_number(struct sink *s, const struct spec *sp, const char *prefix,
			const char *digits, int ndigits)
{
	int plen = 0;
	while (prefix[plen])
		plen++;
	int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	int total = plen + zeros + ndigits;
	int fill = sp->width > total ? sp->width - total : 0;

	if (!sp->left && !(sp->zero && sp->prec < 0))
		pad(s, ' ', fill);
	for (int i = 0; i < plen; i++)
		put(s, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		pad(s, '0', fill);
	pad(s, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		put(s, digits[i]);
	if (sp->left)
		pad(s, ' ', fill);
}

static void format_unsigned(struct sink *s, const struct spec *sp, uintmax_t v,
			    unsigned base, bool upper, const char *sign)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	char digits[24] = { 0 };
	int n = 0;
	const char *prefix = sign;

	if (v == 0 && sp->prec == 0) {
		emit_number(s, sp, prefix, digits, 0);
		return;
	}
	do {
		tmp[n++] = set[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];
	if (sp->alt && base == 16 && !(n == 1 && digits[0] == '0'))
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && digits[0] != '0')
		prefix = "0";
	emit_number(s, sp, prefix, digits, n);
}

static void format_string(struct sink *s, const struct spec *sp, const char *str)
{
	int len = 0;

	if (!str)
		str = "(null)";
	while (str[len] && (sp->prec < 0 || len < sp->prec))
		len++;
	int fill = sp->width > len ? sp->width - len : 0;
	if (!sp->left)
		pad(s, ' ', fill);
	for (int i = 0; i < len; i++)
		put(s, str[i]);
	if (sp->left)
		pad(s, ' ', fill);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static enum length parse_length(const char **pf)
{
	const char *f = *pf;
	enum length len = LEN_INT;

	switch (*f) {
	case 'h':
		len = (f[1] == 'h') ? (f++, LEN_CHAR) : LEN_SHORT;
		f++;
		break;
	case 'l':
		len = (f[1] == 'l') ? (f++, LEN_LLONG) : LEN_LONG;
		f++;
		break;
	case 'z': len = LEN_SIZE; f++; break;
	case 't': len = LEN_PTRDIFF; f++; break;
	case 'j': len = LEN_MAX; f++; break;
	default: break;
	}
	*pf = f;
	return len;
}

static intmax_t arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (intmax_t)va_arg(*ap, size_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* Reads flags, width and precision; `*` takes the value from the arguments. */
static void parse_spec(const char **pf, va_list *ap, struct spec *sp)
{
	const char *f = *pf;

	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	*pf = f;
}

int fmt_vformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap_in)
{
	struct sink s = { out, ctx, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&s, *f);
			continue;
		}
		f++;
		struct spec sp;
		parse_spec(&f, &ap, &sp);
		enum length len = parse_length(&f);
		switch (*f) {
		case 'd':
		case 'i': {
			intmax_t v = arg_signed(&ap, len);
			const char *sign = v < 0 ? "-" : sp.plus ? "+" : sp.space ? " " : "";
			uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
			format_unsigned(&s, &sp, mag, 10, false, sign);
			break;
		}
		case 'u': format_unsigned(&s, &sp, arg_unsigned(&ap, len), 10, false, ""); break;
		case 'x': format_unsigned(&s, &sp, arg_unsigned(&ap, len), 16, false, ""); break;
		case 'X': format_unsigned(&s, &sp, arg_unsigned(&ap, len), 16, true, ""); break;
		case 'o': format_unsigned(&s, &sp, arg_unsigned(&ap, len), 8, false, ""); break;
		case 'p':
			sp.alt = true;
			format_unsigned(&s, &sp, (uintptr_t)va_arg(ap, void *), 16, false, "");
			break;
		case 's': format_string(&s, &sp, va_arg(ap, const char *)); break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };
			sp.prec = 1;
			format_string(&s, &sp, c);
			break;
		}
		case '%': put(&s, '%'); break;
		case '\0': /* a lone '%' at the end: print it and stop */
			put(&s, '%');
			f--;
			break;
		default: /* unknown conversion: show it verbatim rather than guess */
			put(&s, '%');
			put(&s, *f);
			break;
		}
	}
	va_end(ap);
	return s.count;
}

struct buf_ctx {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_out(char c, void *vctx)
{
	struct buf_ctx *b = vctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_ctx b = { buf, size, 0 };
	int n = fmt_vformat(buf_out, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
