/* UTF-8 decoding and character widths (see utf8.h). */
#include "utf8/utf8.h"

#include <stdbool.h>

#include "tsubame/errno.h"

unsigned utf8_length(uint8_t lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xC2 && lead <= 0xDF)
		return 2;
	if ((lead & 0xF0) == 0xE0)
		return 3;
	if (lead >= 0xF0 && lead <= 0xF4)
		return 4;
	return 0; /* a continuation byte, an overlong lead (C0, C1) or past U+10FFFF */
}

int utf8_next(const uint8_t **pp, const uint8_t *end, uint32_t *out)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	const uint8_t *p = *pp;

	if (p >= end)
		return -EINVAL;
	unsigned n = utf8_length(*p);
	if (n == 0 || (size_t)(end - p) < n)
		return -EINVAL;
	uint32_t cp = n == 1 ? *p : *p & (0x7Fu >> n);
	for (unsigned i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -EINVAL;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -EINVAL;
	*pp = p + n;
	*out = cp;
	return 0;
}

static bool in(uint32_t cp, uint32_t lo, uint32_t hi)
{
	return cp >= lo && cp <= hi;
}

unsigned utf8_columns(uint32_t cp)
{
	if (in(cp, 0x0300, 0x036F) || in(cp, 0x1AB0, 0x1AFF) || in(cp, 0x1DC0, 0x1DFF) ||
	    in(cp, 0x20D0, 0x20FF) || in(cp, 0xFE20, 0xFE2F) || cp == 0x200B)
		return 0; /* combining marks and the zero-width space */
	if (in(cp, 0x1100, 0x115F) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) ||
	    in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) ||
	    in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) || in(cp, 0xFE30, 0xFE4F) ||
	    in(cp, 0xFF00, 0xFF60) || in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) ||
	    in(cp, 0x1F900, 0x1F9FF) || in(cp, 0x20000, 0x3FFFD))
		return 2;
	return 1;
}
