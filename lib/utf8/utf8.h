/* UTF-8: decoding one character strictly, and how many terminal columns a
 * character takes. Shared by the FAT32 library (long names), the shell's
 * line editor and the gui terminal; host-tested. */
#ifndef TSUBAME_UTF8_H
#define TSUBAME_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the character at *pp (before end) into *out and moves *pp past
 * it. 0, or -EINVAL for anything that is not well-formed UTF-8: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate,
 * a value past U+10FFFF (*pp does not move then). */
int utf8_next(const uint8_t **pp, const uint8_t *end, uint32_t *out);

/* How many bytes a character starting with `lead` has (1..4), or 0 if no
 * character starts with that byte. */
unsigned utf8_length(uint8_t lead);

/* Columns a character takes on a terminal: 2 for East Asian wide and
 * full-width characters (CJK, kana, hangul, full-width forms, most emoji),
 * 0 for combining marks, 1 otherwise. */
unsigned utf8_columns(uint32_t cp);

#endif
