/*
 * Small string helpers that the standard library lacks or gets wrong for
 * untrusted input: strict integer parsing, UTF-8 validation, ASCII case
 * folding, constant-time comparison. Depends on nothing.
 */
#ifndef DESK_CORE_STR_H
#define DESK_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a whole decimal int64 (optional '-'), no spaces. Returns 0 or DESK_EINVAL. */
int desk_str_to_i64(const char *s, size_t len, int64_t *out);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or NULs). */
bool desk_str_utf8_valid(const char *s, size_t len);

/* Number of code points in valid UTF-8 text. */
size_t desk_str_utf8_len(const char *s, size_t len);

/* Lowercases ASCII letters in place; other bytes are untouched. */
void desk_str_lower(char *s);

/* ASCII case-insensitive equality of s[0..len) and the NUL-terminated lit. */
bool desk_str_ieq(const char *s, size_t len, const char *lit);

/* Equality of a[0..n) and b[0..n) in time independent of the contents. */
bool desk_str_ct_eq(const void *a, const void *b, size_t n);

#endif
