/*
 * String helpers for untrusted input. UTF-8 validation follows RFC 3629
 * table 4 (no overlong forms, no surrogates, nothing past U+10FFFF); NUL is
 * refused too because desk's text is NUL-terminated inside.
 */
#include "core/str.h"
#include "core/error.h"

#include <limits.h>

int desk_str_to_i64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0;
    if (len && s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == len || len > 20) {
        return DESK_EINVAL;
    }
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return DESK_EINVAL;
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return DESK_EINVAL;
        }
        v = v * 10 + d;
    }
    if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1)) {
        return DESK_EINVAL;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

bool desk_str_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == 0) {
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return false;
        }
        if (n >= len - i) {
            return false; /* truncated sequence */
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            return false;
        }
        for (size_t k = 2; k <= n; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
                return false;
            }
        }
        i += n + 1;
    }
    return true;
}

size_t desk_str_utf8_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

void desk_str_lower(char *s)
{
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
        }
    }
}

bool desk_str_ieq(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len && lit[i]; i++) {
        char a = s[i], b = lit[i];
        if (a >= 'A' && a <= 'Z') {
            a = (char)(a - 'A' + 'a');
        }
        if (b >= 'A' && b <= 'Z') {
            b = (char)(b - 'A' + 'a');
        }
        if (a != b) {
            return false;
        }
    }
    return i == len && lit[i] == '\0';
}

bool desk_str_ct_eq(const void *a, const void *b, size_t n)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++) {
        d |= (unsigned char)(x[i] ^ y[i]);
    }
    return d == 0;
}
