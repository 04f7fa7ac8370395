/* Names: validation, UTF-8 <-> UTF-16 for long names, 8.3 short names
 * (display form, checksum, and the basis-name / numeric-tail algorithm of
 * the FAT specification used to make an alias for a long name). */
#include "fat32_int.h"
#include "utf8/utf8.h"

static bool is_forbidden(uint8_t c)
{
	/* Forbidden in long names (and hence in every name). */
	return c < 0x20 || c == '"' || c == '*' || c == '/' || c == ':' || c == '<' || c == '>' ||
	       c == '?' || c == '\\' || c == '|';
}

int name_dots(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 2;
	return 0;
}

/* Checks a name component (UTF-8, no forbidden character) and drops trailing dots and spaces, which FAT
 * (like Windows) does not store. The caller handles "." and "..". */
int name_check(const char *name, size_t len, size_t *clean_len)
{
	const uint8_t *p = (const uint8_t *)name, *end = p + len;
	uint32_t cp;

	if (len > FAT32_NAME_MAX)
		return -ENAMETOOLONG;
	while (p < end)
		if (utf8_next(&p, end, &cp) || (cp < 0x80 && is_forbidden((uint8_t)cp)))
			return -EINVAL;
	while (len && (name[len - 1] == '.' || name[len - 1] == ' '))
		len--;
	if (!len)
		return -EINVAL;
	*clean_len = len;
	return 0;
}

static char fold(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* ASCII case-insensitive: entry (NUL-terminated) against name[0..len). */
bool name_eq(const char *entry, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!entry[i] || fold(entry[i]) != fold(name[i]))
			return false;
	return entry[len] == 0;
}

int name_to_utf16(const char *s, size_t len, uint16_t *out, size_t *n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	size_t k = 0;

	while (p < end) {
		uint32_t cp;
		if (utf8_next(&p, end, &cp))
			return -EINVAL;
		if (k + (cp >= 0x10000 ? 2 : 1) > NAME_UNITS)
			return -ENAMETOOLONG;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[k++] = (uint16_t)(0xD800 | cp >> 10);
			out[k++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
		} else {
			out[k++] = (uint16_t)cp;
		}
	}
	*n = k;
	return 0;
}

/* Returns the UTF-8 length, or 0 if u is not valid UTF-16 or does not fit
 * in cap bytes with its terminator. */
size_t utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t cp = u[i];
		uint8_t b[4];
		size_t m;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (i + 1 >= n || u[i + 1] < 0xDC00 || u[i + 1] > 0xDFFF)
				return 0;
			cp = 0x10000 + ((cp - 0xD800) << 10 | (u[++i] - 0xDC00u));
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			return 0;
		}
		if (cp < 0x80) {
			b[0] = (uint8_t)cp;
			m = 1;
		} else if (cp < 0x800) {
			b[0] = (uint8_t)(0xC0 | cp >> 6);
			b[1] = (uint8_t)(0x80 | (cp & 0x3F));
			m = 2;
		} else if (cp < 0x10000) {
			b[0] = (uint8_t)(0xE0 | cp >> 12);
			b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
			b[2] = (uint8_t)(0x80 | (cp & 0x3F));
			m = 3;
		} else {
			b[0] = (uint8_t)(0xF0 | cp >> 18);
			b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
			b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
			b[3] = (uint8_t)(0x80 | (cp & 0x3F));
			m = 4;
		}
		if (k + m + 1 > cap)
			return 0;
		memcpy(out + k, b, m);
		k += m;
	}
	if (k + 1 > cap)
		return 0;
	out[k] = 0;
	return k;
}

uint8_t sfn_checksum(const uint8_t *raw)
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + raw[i]);
	return sum;
}

/* One short-name byte for display. The OEM code page of bytes >= 0x80 is
 * unknown, so they show as '_' (as do bytes no name may hold), keeping
 * names plain ASCII. */
static char sfn_byte(uint8_t c, bool lower)
{
	if (c >= 0x80 || is_forbidden(c))
		return '_';
	return (char)(lower && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* "NAME    EXT" -> "NAME.EXT", lower-casing the parts flagged in NTRes. */
void sfn_display(const uint8_t *raw, uint8_t ntres, char out[13])
{
	size_t k = 0;
	int blen = 8, elen = 3;

	while (blen && raw[blen - 1] == ' ')
		blen--;
	while (elen && raw[8 + elen - 1] == ' ')
		elen--;
	for (int i = 0; i < blen; i++)
		out[k++] = sfn_byte(raw[i], ntres & NTRES_LOW_BASE);
	if (elen)
		out[k++] = '.';
	for (int i = 0; i < elen; i++)
		out[k++] = sfn_byte(raw[8 + i], ntres & NTRES_LOW_EXT);
	out[k] = 0;
}

/* Case seen in one part of a name. */
#define SEEN_LOWER 1
#define SEEN_UPPER 2

/* Maps one long-name unit to a short-name byte: upper case, and '_' for
 * what 8.3 cannot hold (then the name is lossy). */
static uint8_t sfn_char(uint16_t c, bool *lossy, int *seen)
{
	if (c >= 0x80) {
		*lossy = true;
		return '_';
	}
	if (c >= 'a' && c <= 'z') {
		*seen |= SEEN_LOWER;
		return (uint8_t)(c - 'a' + 'A');
	}
	if (c >= 'A' && c <= 'Z')
		*seen |= SEEN_UPPER;
	if (c == '+' || c == ',' || c == ';' || c == '=' || c == '[' || c == ']') {
		*lossy = true;
		return '_';
	}
	return (uint8_t)c;
}

/* The basis name of the FAT specification: upper case, spaces and leading
 * dots dropped, base cut to 8 and extension (after the last dot) to 3. */
enum sfn_kind sfn_basis(const uint16_t *u, size_t n, uint8_t raw[11], uint8_t *ntres)
{
	size_t i = 0, dot = n, bl = 0, el = 0;
	bool lossy = false;
	int bseen = 0, eseen = 0;

	memset(raw, ' ', 11);
	*ntres = 0;
	while (i < n && (u[i] == ' ' || u[i] == '.')) {
		i++;
		lossy = true;
	}
	for (size_t j = i; j < n; j++)
		if (u[j] == '.')
			dot = j;
	for (size_t j = i; j < dot; j++) {
		if (u[j] == ' ' || u[j] == '.') {
			lossy = true;
			continue;
		}
		if (bl == 8) {
			lossy = true;
			break;
		}
		raw[bl++] = sfn_char(u[j], &lossy, &bseen);
	}
	for (size_t j = dot + 1; j < n; j++) {
		if (u[j] == ' ') {
			lossy = true;
			continue;
		}
		if (el == 3) {
			lossy = true;
			break;
		}
		raw[8 + el++] = sfn_char(u[j], &lossy, &eseen);
	}
	if (!bl) {
		raw[0] = '_';
		lossy = true;
	}
	if (lossy)
		return SFN_LOSSY;
	if (bseen == (SEEN_LOWER | SEEN_UPPER) || eseen == (SEEN_LOWER | SEEN_UPPER))
		return SFN_CASE;
	*ntres = (uint8_t)((bseen == SEEN_LOWER ? NTRES_LOW_BASE : 0) | (eseen == SEEN_LOWER ? NTRES_LOW_EXT : 0));
	return SFN_EXACT;
}

static int base_len(const uint8_t *raw)
{
	int n = 8;

	while (n && raw[n - 1] == ' ')
		n--;
	return n;
}

static int digits(uint32_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/* Where "~N" goes: as much of the basis as fits before it in 8 bytes. */
static int tail_pos(const uint8_t *basis, int d)
{
	int bl = base_len(basis);

	return bl < 7 - d ? bl : 7 - d;
}

void sfn_with_tail(uint8_t raw[11], const uint8_t *basis, uint32_t num)
{
	int d = digits(num), p = tail_pos(basis, d);

	memcpy(raw, basis, 11);
	memset(raw + p, ' ', (size_t)(8 - p));
	raw[p] = '~';
	for (int i = d; i > 0; i--, num /= 10)
		raw[p + i] = (uint8_t)('0' + num % 10);
}

/* True if raw is basis with some tail ~num (num stored in *num). */
bool sfn_tail_of(const uint8_t *raw, const uint8_t *basis, uint32_t *num)
{
	int bl = base_len(raw), ds = bl;
	uint32_t v = 0;

	if (memcmp(raw + 8, basis + 8, 3))
		return false;
	while (ds > 0 && raw[ds - 1] >= '0' && raw[ds - 1] <= '9')
		ds--;
	if (ds == bl || ds == 0 || raw[ds - 1] != '~' || raw[ds] == '0' || bl - ds > 6)
		return false;
	if (ds - 1 != tail_pos(basis, bl - ds) || memcmp(raw, basis, (size_t)(ds - 1)))
		return false;
	for (int i = ds; i < bl; i++)
		v = v * 10 + (uint32_t)(raw[i] - '0');
	*num = v;
	return true;
}
