/*
 * Search folding (see fold.h). The letters without a decomposition are
 * found once, at first use, by asking ICU's Latin-ASCII transliterator
 * about every Latin letter of U+00C0..U+024F; after that folding is a
 * table lookup and ICU's decomposition data, no transliterator per call.
 */
#include "model/fold.h"

#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FIRST 0x00C0
#define LAST  0x024F

static char letters[LAST - FIRST + 1][4]; /* "" when the letter decomposes or is not one */
static const UNormalizer2 *nfd;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    UErrorCode err = U_ZERO_ERROR;
    nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err)) {
        nfd = NULL;
    }
    err = U_ZERO_ERROR;
    UChar id[] = u"Latin-ASCII";
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        return; /* no table: diacritics are still removed by decomposition */
    }
    for (UChar32 cp = FIRST; cp <= LAST; cp++) {
        UChar buf[8];
        if (!u_isalpha(cp) || u_tolower(cp) != cp ||
            (nfd && unorm2_getDecomposition(nfd, cp, buf, 8, &err) > 0)) {
            err = U_ZERO_ERROR;
            continue;
        }
        err = U_ZERO_ERROR;
        int32_t len = 1, limit = 1;
        buf[0] = (UChar)cp;
        utrans_transUChars(t, buf, &len, 8, 0, &limit, &err);
        if (U_FAILURE(err) || len < 1 || len > 3) {
            err = U_ZERO_ERROR;
            continue;
        }
        char *out = letters[cp - FIRST];
        int32_t k = 0;
        for (int32_t i = 0; i < len; i++) {
            UChar c = (UChar)u_tolower(buf[i]);
            if (c < 'a' || c > 'z') {
                k = 0;
                break;
            }
            out[k++] = (char)c;
        }
        out[k] = '\0';
    }
    utrans_close(t);
}

const char *desk_fold_letter(uint32_t cp)
{
    pthread_once(&once, build);
    if (cp < FIRST || cp > LAST || !letters[cp - FIRST][0]) {
        return NULL;
    }
    return letters[cp - FIRST];
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
    pthread_once(&once, build);
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
