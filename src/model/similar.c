/*
 * Term extraction for similar-ticket search, with ICU word breaks and case
 * mapping. See similar.h.
 */
#include "model/similar.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#define TEXT_MAX 16384

/* Words that say nothing about a problem, in the languages desk serves first. */
static const char *const stop[] = {
    /* en */
    "the",
    "and",
    "for",
    "with",
    "that",
    "this",
    "have",
    "has",
    "had",
    "was",
    "were",
    "are",
    "you",
    "your",
    "not",
    "but",
    "from",
    "they",
    "them",
    "their",
    "there",
    "what",
    "when",
    "which",
    "will",
    "would",
    "can",
    "could",
    "been",
    "about",
    "into",
    "out",
    "our",
    "all",
    "any",
    "how",
    "its",
    "just",
    "than",
    "then",
    "also",
    "very",
    "too",
    "some",
    "please",
    "thanks",
    "thank",
    "hello",
    "dear",
    "regards",
    /* es */
    "que",
    "los",
    "las",
    "por",
    "una",
    "con",
    "para",
    "del",
    "como",
    "pero",
    "mas",
    "más",
    "este",
    "esta",
    "hola",
    "gracias",
    "muy",
    "sus",
    "mis",
    "porque",
    "cuando",
    /* cs */
    "jsem",
    "není",
    "pro",
    "jak",
    "ale",
    "nebo",
    "jsou",
    "bylo",
    "byl",
    "také",
    "který",
    "která",
    "které",
    "dobrý",
    "den",
    "děkuji",
    "prosím",
    "mám",
    "mne",
    "mně",
    /* pl */
    "nie",
    "jest",
    "się",
    "jak",
    "ale",
    "dla",
    "czy",
    "mój",
    "moja",
    "moje",
    "jestem",
    "oraz",
    "przez",
    "dzień",
    "dobry",
    "dziękuję",
    "proszę",
    "mam",
    "też",
    "który",
    "która",
    "które",
};

static bool is_stop(const char *w)
{
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
        if (strcmp(stop[i], w) == 0) {
            return true;
        }
    }
    return false;
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
    UChar low[128];
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
        int32_t wl = 0;
        if (U_SUCCESS(e2)) {
            u_strToUTF8(word, sizeof(word), &wl, low, ll, &e2);
        }
        if (U_FAILURE(e2) || e2 == U_STRING_NOT_TERMINATED_WARNING || is_stop(word)) {
            continue;
        }
        bool seen = false;
        for (size_t i = 0; i < *n && !seen; i++) {
            seen = strcmp(terms[i], word) == 0;
        }
        if (!seen) {
            terms[(*n)++] = desk_arena_strndup(a, word, (size_t)wl);
        }
    }
    ubrk_close(bi);
    return *n;
}
