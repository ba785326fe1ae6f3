/*
 * Search folding (see fold.h): ICU's decomposition data for the letters
 * with diacritics, the generated table for those without a decomposition.
 */
#include "model/fold.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

const char *desk_fold_letter(uint32_t cp)
{
    if (cp < DESK_FOLD_FIRST || cp > DESK_FOLD_LAST ||
        !desk_fold_letters[cp - DESK_FOLD_FIRST][0]) {
        return NULL;
    }
    return desk_fold_letters[cp - DESK_FOLD_FIRST];
}

/* Appends s[0..n) to out if it fits below cap - 1; returns false when it does not. */
static bool put(char *out, size_t cap, size_t *k, const char *s, size_t n)
{
    if (*k + n + 1 > cap) {
        return false;
    }
    memcpy(out + *k, s, n);
    *k += n;
    return true;
}

/* Appends one code point, folded by the letter table, as UTF-8. */
static bool put_cp(char *out, size_t cap, size_t *k, UChar32 cp)
{
    const char *l = desk_fold_letter((uint32_t)cp);
    if (l) {
        return put(out, cap, k, l, strlen(l));
    }
    char b[4];
    int32_t n = 0;
    UBool bad = 0;
    U8_APPEND(b, n, 4, cp, bad);
    return !bad && put(out, cap, k, b, (size_t)n);
}

size_t desk_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    UErrorCode nerr = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&nerr); /* ICU's, loaded once */
    if (U_FAILURE(nerr)) {
        nfd = NULL;
    }
    if (!cap) {
        return 0;
    }
    int32_t n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    for (int32_t i = 0; i < n;) {
        int32_t at = i;
        UChar32 cp;
        U8_NEXT(s, i, n, cp);
        bool ok;
        if (cp < 0) {
            ok = put(out, cap, &k, s + at, (size_t)(i - at)); /* ill-formed: as it is */
        } else if (cp < 0x80) {
            char c = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            ok = put(out, cap, &k, &c, 1);
        } else {
            UChar32 low = u_tolower(cp);
            UChar d[16];
            UErrorCode err = U_ZERO_ERROR;
            int32_t dn = nfd ? unorm2_getDecomposition(nfd, low, d, 16, &err) : -1;
            if (U_FAILURE(err) || dn <= 0) {
                ok = put_cp(out, cap, &k, low);
            } else {
                ok = true;
                for (int32_t j = 0; j < dn && ok;) {
                    UChar32 c;
                    U16_NEXT(d, j, dn, c);
                    if (u_charType(c) != U_NON_SPACING_MARK) {
                        ok = put_cp(out, cap, &k, c);
                    }
                }
            }
        }
        if (!ok) {
            break;
        }
    }
    out[k] = '\0';
    return k;
}
