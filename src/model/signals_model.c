/*
 * The learned half of the text signals: hashed n-gram features and a
 * linear decision (see signals_model.h for the feature definition).
 */
#include "model/signals_model.h"
#include "model/fold.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <math.h>
#include <string.h>

#define WINDOW_MIN 2
#define WINDOW_MAX 5

/* A word: folded (arena, NUL-terminated) and where it stands in the text. */
struct word {
    const char *f;
    size_t flen;
    size_t from, to; /* byte range [from, to) in the text */
    bool mark;       /* "?" or "!" */
};

static bool word_char(UChar32 c)
{
    return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/* The mark a code point stands for as a word: '?', '!' or 0. */
static int mark_of(UChar32 c)
{
    if (c == '?' || c == 0xBF) { /* ¿ */
        return '?';
    }
    return c == '!' || c == 0xA1 ? '!' : 0; /* ¡ */
}

/* Splits text into words (see signals_model.h); the array is in a. */
static size_t words_of(struct desk_arena *a, const char *s, size_t len, struct word **out)
{
    static const char *const marks[] = {"?", "!"};
    if (len > DESK_SIGMODEL_MAX_BYTES) {
        len = DESK_SIGMODEL_MAX_BYTES;
    }
    struct word *w = desk_arena_alloc(a, (len + 1) * sizeof(*w));
    size_t n = 0;
    int32_t i = 0, end = (int32_t)len;
    while (i < end) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, end, c);
        int mk = c >= 0 ? mark_of(c) : 0;
        if (mk) {
            /* A run of one mark is one word: "!!!" says what "!" says. */
            if (!(n > 0 && w[n - 1].mark && w[n - 1].f[0] == mk && w[n - 1].to == (size_t)start)) {
                w[n++] = (struct word){marks[mk == '!'], 1, (size_t)start, (size_t)i, true};
            } else {
                w[n - 1].to = (size_t)i;
            }
            continue;
        }
        if (c < 0 || !word_char(c)) {
            continue;
        }
        int32_t stop = i;
        while (stop < end) {
            int32_t next = stop;
            U8_NEXT(s, next, end, c);
            if (c < 0 || !word_char(c)) {
                break;
            }
            stop = next;
        }
        size_t raw = (size_t)(stop - start), cap = 3 * raw + 4;
        char *f = desk_arena_alloc(a, cap);
        size_t flen = desk_fold(s + start, raw, f, cap);
        w[n++] = (struct word){f, flen, (size_t)start, (size_t)stop, false};
        i = stop;
    }
    *out = w;
    return n;
}

/* The bucket of a 32-bit hash: multiplicative mixing, for FNV's low bits spread short keys
 * poorly. */
static uint32_t bucket_of(uint32_t h)
{
    return (h * 2654435769u) >> (32 - DESK_SIGMODEL_BITS);
}

/* FNV-1a over a kind byte and the bytes of up to two parts. */
static uint32_t hash(char kind, const char *p, size_t n, const char *q, size_t m)
{
    uint32_t h = 2166136261u;
    h = (h ^ (unsigned char)kind) * 16777619u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    }
    if (q) {
        h = (h ^ ' ') * 16777619u;
        for (size_t i = 0; i < m; i++) {
            h = (h ^ (unsigned char)q[i]) * 16777619u;
        }
    }
    return bucket_of(h);
}

/* Appends bucket b to f[*k] unless its group has had it (seen: a bit a bucket). */
static void add(struct desk_sigmodel_feature *f, size_t *k, uint64_t *seen, uint32_t b)
{
    uint64_t bit = UINT64_C(1) << (b & 63);
    if (!(seen[b >> 6] & bit)) {
        seen[b >> 6] |= bit;
        f[(*k)++].bucket = b;
    }
}

size_t desk_sigmodel_features(struct desk_arena *a, const char *text, size_t len,
                              struct desk_sigmodel_feature **out)
{
    struct word *w;
    size_t n = text ? words_of(a, text, len, &w) : 0;
    size_t n_windows = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        n_windows += w[i].mark ? 0 : (WINDOW_MAX - WINDOW_MIN + 1) * (w[i].flen + 2);
        longest = w[i].flen > longest ? w[i].flen : longest;
    }
    struct desk_sigmodel_feature *f = desk_arena_alloc(a, (2 * n + n_windows + 1) * sizeof(*f));
    char *pad = desk_arena_alloc(a, longest + 2); /* " word " */
    uint64_t *seen = desk_arena_alloc(a, DESK_SIGMODEL_BUCKETS / 8);
    memset(seen, 0, DESK_SIGMODEL_BUCKETS / 8);
    size_t nw = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        add(f, &k, seen, hash('w', w[i].f, w[i].flen, NULL, 0));
        if (i + 1 < n) {
            add(f, &k, seen, hash('b', w[i].f, w[i].flen, w[i + 1].f, w[i + 1].flen));
        }
    }
    nw = k;
    for (size_t i = 0; i < nw; i++) { /* the windows are a group of their own */
        seen[f[i].bucket >> 6] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (w[i].mark) {
            continue;
        }
        size_t plen = w[i].flen + 2;
        pad[0] = ' ';
        memcpy(pad + 1, w[i].f, w[i].flen);
        pad[plen - 1] = ' ';
        for (size_t at = 0; at + WINDOW_MIN <= plen; at++) {
            /* FNV-1a extends a byte at a time: one pass gives every window from here. */
            uint32_t h = (2166136261u ^ (unsigned char)'c') * 16777619u;
            for (size_t j = at; j < plen && j < at + WINDOW_MAX; j++) {
                h = (h ^ (unsigned char)pad[j]) * 16777619u;
                if (j + 1 - at >= WINDOW_MIN) {
                    add(f, &k, seen, bucket_of(h));
                }
            }
        }
    }
    size_t nc = k - nw;
    float vw = nw ? (float)(1.0 / sqrt((double)nw)) : 0,
          vc = nc ? (float)(1.0 / sqrt((double)nc)) : 0;
    for (size_t i = 0; i < k; i++) {
        f[i].value = i < nw ? vw : vc;
    }
    *out = f;
    return k;
}

void desk_sigmodel_decide(const struct desk_sigmodel *m, const struct desk_sigmodel_feature *f,
                          size_t n, float dec[DESK_SIG_LABELS])
{
    for (int l = 0; l < DESK_SIG_LABELS; l++) {
        dec[l] = m->w ? m->bias[l] : -INFINITY;
    }
    if (!m->w) {
        return;
    }
    float sum[DESK_SIG_LABELS] = {0};
    for (size_t i = 0; i < n; i++) {
        const int8_t *row = m->w + (size_t)f[i].bucket * DESK_SIG_LABELS;
        for (int l = 0; l < DESK_SIG_LABELS; l++) {
            sum[l] += f[i].value * (float)row[l];
        }
    }
    for (int l = 0; l < DESK_SIG_LABELS; l++) {
        dec[l] += sum[l] * m->scale[l];
    }
}

bool desk_sigmodel_strongest(const struct desk_sigmodel *m, int label, const char *text, size_t len,
                             size_t *from, size_t *to)
{
    struct desk_arena a;
    struct word *w;
    int best = 0;
    if (!m->w || label < 0 || label >= DESK_SIG_LABELS || !text) {
        return false;
    }
    desk_arena_init(&a);
    size_t n = words_of(&a, text, len, &w);
    for (size_t i = 0; i < n; i++) {
        if (w[i].mark) {
            continue;
        }
        int one = m->w[(size_t)hash('w', w[i].f, w[i].flen, NULL, 0) * DESK_SIG_LABELS + label];
        if (one > best) {
            best = one;
            *from = w[i].from;
            *to = w[i].to;
        }
        if (i + 1 < n && !w[i + 1].mark) {
            uint32_t b = hash('b', w[i].f, w[i].flen, w[i + 1].f, w[i + 1].flen);
            int two = m->w[(size_t)b * DESK_SIG_LABELS + label];
            if (two > best) {
                best = two;
                *from = w[i].from;
                *to = w[i + 1].to;
            }
        }
    }
    desk_arena_release(&a);
    return best > 0;
}
