/*
 * Term extraction for similar-ticket search, with ICU word breaks and case
 * mapping. See similar.h.
 */
#include "model/similar.h"
#include "model/fold.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define TEXT_MAX 16384

/*
 * Words that say nothing about a problem, in the languages desk serves first (en, es, cs,
 * pl), folded (no diacritics) like the words they are compared with.
 */
// clang-format off
static const char *const stop[] = {
    "the", "and", "for", "with", "that", "this", "have", "has", "had", "was", "were", "are", "you",
    "your", "not", "but", "from", "they", "them", "their", "there", "what", "when", "which",
    "will", "would", "can", "could", "been", "about", "into", "out", "our", "all", "any", "how",
    "its", "just", "than", "then", "also", "very", "too", "some", "please", "thanks", "thank",
    "hello", "dear", "regards", "que", "los", "las", "por", "una", "con", "para", "del", "como",
    "pero", "mas", "este", "esta", "hola", "gracias", "muy", "sus", "mis", "porque", "cuando",
    "jsem", "neni", "pro", "jak", "ale", "nebo", "jsou", "bylo", "byl", "take", "ktery", "ktera",
    "ktere", "dobry", "den", "dekuji", "prosim", "mam", "mne", "nie", "jest", "sie", "dla", "czy",
    "moj", "moja", "moje", "jestem", "oraz", "przez", "dzien", "dziekuje", "prosze", "tez",
    "ktory", "ktora", "ktore",
};
// clang-format on

static bool is_stop(const char *w)
{
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
        if (strcmp(stop[i], w) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Removes diacritics as the index's unicode61 tokenizer (remove_diacritics 2)
 * does: decompose, drop the combining marks. Returns the length, or -1.
 */
static int32_t fold(const UChar *s, int32_t len, UChar *out, int32_t cap)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    UChar tmp[256];
    int32_t n = U_SUCCESS(err) ? unorm2_normalize(nfd, s, len, tmp, 256, &err) : 0;
    if (U_FAILURE(err) || n > 256) {
        return -1;
    }
    int32_t k = 0;
    for (int32_t i = 0; i < n && k < cap; i++) {
        if (u_charType(tmp[i]) != U_NON_SPACING_MARK) {
            out[k++] = tmp[i];
        }
    }
    return k;
}

size_t desk_similar_terms(struct desk_arena *a, const char *text, const char **terms, size_t *n,
                          size_t max)
{
    if (!text || !*text || *n >= max) {
        return *n;
    }
    size_t len = strlen(text);
    if (len > TEXT_MAX) {
        len = TEXT_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) {
            len--; /* do not cut a character in two */
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8Lenient(NULL, 0, &ulen, text, (int32_t)len, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) {
        return *n;
    }
    err = U_ZERO_ERROR;
    UChar *u = desk_arena_alloc(a, ((size_t)ulen + 1) * sizeof(UChar));
    u_strFromUTF8Lenient(u, ulen + 1, NULL, text, (int32_t)len, &err);
    if (U_FAILURE(err)) {
        return *n;
    }
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "", u, ulen, &err);
    if (U_FAILURE(err)) {
        return *n;
    }
    UChar low[128], folded[256];
    char word[512];
    for (int32_t start = ubrk_first(bi), end = ubrk_next(bi); end != UBRK_DONE && *n < max;
         start = end, end = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT) {
            continue; /* spaces and punctuation */
        }
        if (u_countChar32(u + start, end - start) < 3 || end - start > 64) {
            continue;
        }
        UErrorCode e2 = U_ZERO_ERROR;
        int32_t ll = u_strToLower(low, 128, u + start, end - start, "", &e2);
        int32_t fl = U_SUCCESS(e2) ? fold(low, ll, folded, 256) : -1;
        int32_t wl = 0;
        if (fl < 0) {
            continue;
        }
        u_strToUTF8(word, sizeof(word), &wl, folded, fl, &e2);
        if (U_FAILURE(e2) || e2 == U_STRING_NOT_TERMINATED_WARNING || is_stop(word)) {
            continue;
        }
        /* The letters without a decomposition (ł, ø, ß) as the index spells them. */
        char spelled[512];
        size_t sl = desk_fold(word, (size_t)wl, spelled, sizeof(spelled));
        bool seen = false;
        for (size_t i = 0; i < *n && !seen; i++) {
            seen = strcmp(terms[i], spelled) == 0;
        }
        if (!seen) {
            terms[(*n)++] = desk_arena_strndup(a, spelled, sl);
        }
    }
    ubrk_close(bi);
    return *n;
}

size_t desk_similar_pick(const char **terms, int64_t *docs, size_t n, int64_t total, size_t max)
{
    /* Insertion sort by document count, stable: n is at most a few dozen. */
    for (size_t i = 1; i < n; i++) {
        const char *t = terms[i];
        int64_t d = docs[i];
        size_t j = i;
        while (j > 0 && docs[j - 1] > d) {
            terms[j] = terms[j - 1];
            docs[j] = docs[j - 1];
            j--;
        }
        terms[j] = t;
        docs[j] = d;
    }
    size_t first = 0;
    while (first < n && docs[first] == 0) {
        first++;
    }
    size_t k = 0;
    for (size_t i = first; i < n && k < max; i++) {
        bool common = docs[i] * 5 > total;
        if (common && k >= 3) {
            break;
        }
        terms[k] = terms[i];
        docs[k] = docs[i];
        k++;
    }
    return k;
}
