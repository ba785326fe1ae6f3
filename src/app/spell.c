/*
 * Spell-checking with hunspell (see spell.h). Dictionaries are loaded on
 * first use and kept; hunspell handles are not thread-safe, so each is used
 * under its own lock. Words travel to hunspell in the dictionary's own
 * encoding (Polish is ISO 8859-2), converted by ICU.
 */
#include "app/spell.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"

#include <dirent.h>
#include <hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unistd.h>

#define MAX_DICTS 16
#define DICT_DIR  "/usr/share/hunspell"

struct dict {
    char name[64]; /* "cs_CZ" */
    Hunhandle *h;
    char encoding[32];
    bool utf8;
    pthread_mutex_t lock;
};

static struct dict dicts[MAX_DICTS];
static size_t n_dicts;
static pthread_mutex_t dicts_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *dict_dir(void)
{
    const char *d = getenv("DESK_HUNSPELL_DIR");
    return d && *d ? d : DICT_DIR;
}

static bool dict_exists(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.dic", dict_dir(), name);
    return access(path, R_OK) == 0;
}

/* The dictionary file name for a language tag, or false when none is installed. */
static bool dict_name(const char *language, char *out, size_t cap)
{
    static const char *const defaults[][2] = {
        {"en", "en_US"}, {"es", "es_ES"}, {"cs", "cs_CZ"}, {"pl", "pl_PL"}, {"de", "de_DE"},
        {"fr", "fr_FR"}, {"pt", "pt_PT"}, {"it", "it_IT"}, {"sk", "sk_SK"}, {"nl", "nl_NL"},
    };
    char lang[9] = {0}, region[9] = {0};
    size_t ll = strcspn(language, "-_");
    if (ll < 2 || ll > 3) {
        return false;
    }
    for (size_t i = 0; i < ll; i++) {
        char c = language[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
        lang[i] = (char)(c | 0x20);
    }
    if (language[ll]) {
        const char *r = language + ll + 1;
        size_t rl = strcspn(r, "-_");
        if (rl == 2) {
            region[0] = (char)(r[0] & ~0x20);
            region[1] = (char)(r[1] & ~0x20);
        }
    }
    if (region[0]) {
        snprintf(out, cap, "%s_%s", lang, region);
        if (dict_exists(out)) {
            return true;
        }
    }
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        if (strcmp(defaults[i][0], lang) == 0) {
            snprintf(out, cap, "%s", defaults[i][1]);
            if (dict_exists(out)) {
                return true;
            }
        }
    }
    /* Any regional dictionary of the language, in a stable order. */
    DIR *d = opendir(dict_dir());
    bool found = false;
    if (d) {
        struct dirent *e;
        char best[64] = {0};
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 4 && strcmp(e->d_name + n - 4, ".dic") == 0 && n - 4 < sizeof(best) &&
                strncmp(e->d_name, lang, ll) == 0 && (e->d_name[ll] == '_' || n - 4 == ll)) {
                char cand[64];
                snprintf(cand, sizeof(cand), "%.*s", (int)(n - 4), e->d_name);
                if (!best[0] || strcmp(cand, best) < 0) {
                    snprintf(best, sizeof(best), "%s", cand);
                }
            }
        }
        closedir(d);
        if (best[0]) {
            snprintf(out, cap, "%s", best);
            found = true;
        }
    }
    return found;
}

static struct dict *dict_get(const char *name)
{
    struct dict *found = NULL;
    pthread_mutex_lock(&dicts_lock);
    for (size_t i = 0; i < n_dicts && !found; i++) {
        if (strcmp(dicts[i].name, name) == 0) {
            found = &dicts[i];
        }
    }
    if (!found && n_dicts < MAX_DICTS) {
        char aff[512], dic[512];
        snprintf(aff, sizeof(aff), "%s/%s.aff", dict_dir(), name);
        snprintf(dic, sizeof(dic), "%s/%s.dic", dict_dir(), name);
        Hunhandle *h = Hunspell_create(aff, dic);
        if (h) {
            struct dict *d = &dicts[n_dicts++];
            snprintf(d->name, sizeof(d->name), "%s", name);
            d->h = h;
            const char *enc = Hunspell_get_dic_encoding(h);
            snprintf(d->encoding, sizeof(d->encoding), "%s", enc ? enc : "UTF-8");
            d->utf8 = strcasecmp(d->encoding, "UTF-8") == 0;
            pthread_mutex_init(&d->lock, NULL);
            found = d;
            desk_log(DESK_LOG_INFO, "event=dictionary_loaded name=%s encoding=%s", name,
                     d->encoding);
        }
    }
    pthread_mutex_unlock(&dicts_lock);
    return found;
}

void desk_app_spell_release(void)
{
    pthread_mutex_lock(&dicts_lock);
    for (size_t i = 0; i < n_dicts; i++) {
        Hunspell_destroy(dicts[i].h);
        pthread_mutex_destroy(&dicts[i].lock);
    }
    n_dicts = 0;
    pthread_mutex_unlock(&dicts_lock);
}

/* Converts between UTF-8 and the dictionary's encoding; NULL when a character does not fit. */
static char *convert(struct desk_arena *a, const char *to, const char *from, const char *s)
{
    UErrorCode err = U_ZERO_ERROR;
    size_t len = strlen(s);
    int32_t cap = (int32_t)(len * 4 + 4);
    char *out = desk_arena_alloc(a, (size_t)cap);
    int32_t n = ucnv_convert(to, from, out, cap, s, (int32_t)len, &err);
    if (U_FAILURE(err) || n >= cap) {
        return NULL;
    }
    out[n] = '\0';
    /* A character the target cannot hold comes out as a substitute: treat it as unknown. */
    if (strcasecmp(to, "UTF-8") != 0 && memchr(out, 0x1a, (size_t)n)) {
        return NULL;
    }
    return out;
}

/* True when the white-space delimited chunk around [b, e) looks like a URL, address or placeholder.
 */
static bool in_skipped_chunk(const UChar *u, int32_t len, int32_t b, int32_t e)
{
    int32_t s = b, t = e;
    while (s > 0 && !u_isWhitespace(u[s - 1])) {
        s--;
    }
    while (t < len && !u_isWhitespace(u[t])) {
        t++;
    }
    for (int32_t i = s; i < t; i++) {
        if (u[i] == '@' || u[i] == '{' || u[i] == '}' || u[i] == '/' || u[i] == '\\' ||
            u[i] == '_' || u[i] == '#') {
            return true;
        }
        if (u[i] == '.' && i > s && i + 1 < t && u_isalnum(u[i - 1]) && u_isalnum(u[i + 1])) {
            return true;
        }
    }
    if (t - s >= 4 && u[s] == 'w' && u[s + 1] == 'w' && u[s + 2] == 'w' && u[s + 3] == '.') {
        return true;
    }
    return false;
}

int desk_app_spellcheck(struct desk_arena *a, const char *text, const char *language,
                        struct desk_spell_result *out, struct desk_fail *fail)
{
    char name[64];
    size_t len = text ? strlen(text) : 0;
    if (!text || len > DESK_SPELL_MAX_TEXT) {
        return desk_fail(fail, DESK_EINVALID, "text", "TooLong",
                         "Text: is too long (maximum is 65536 bytes)");
    }
    if (!desk_str_utf8_valid(text, len)) {
        return desk_fail(fail, DESK_EINVALID, "text", "InvalidEncoding",
                         "Text: is not valid UTF-8");
    }
    if (!language || !dict_name(language, name, sizeof(name))) {
        return desk_fail(
            fail, DESK_EINVALID, "language", "Unsupported",
            desk_arena_printf(a, "Language: no dictionary for '%.40s'", language ? language : ""));
    }
    struct dict *d = dict_get(name);
    if (!d) {
        return desk_fail(
            fail, DESK_EINVALID, "language", "Unsupported",
            desk_arena_printf(a, "Language: the dictionary %s cannot be loaded", name));
    }
    memset(out, 0, sizeof(*out));
    out->language = desk_arena_strndup(a, language, strcspn(language, "-_"));
    out->dictionary = desk_arena_strdup(a, name);
    out->misses = desk_arena_alloc(a, DESK_SPELL_MAX_MISSES * sizeof(*out->misses));
    if (!len) {
        return 0;
    }
    UErrorCode err = U_ZERO_ERROR;
    int32_t ulen = 0;
    UChar *u = desk_arena_alloc(a, (len + 1) * sizeof(UChar));
    u_strFromUTF8(u, (int32_t)len + 1, &ulen, text, (int32_t)len, &err);
    if (U_FAILURE(err)) {
        return desk_fail(fail, DESK_EINVALID, "text", "InvalidEncoding",
                         "Text: cannot be read as Unicode");
    }
    char loc[16];
    snprintf(loc, sizeof(loc), "%s", out->language);
    UBreakIterator *bi = ubrk_open(UBRK_WORD, loc, u, ulen, &err);
    if (U_FAILURE(err)) {
        return DESK_EINTERNAL;
    }
    int32_t b = ubrk_first(bi), e;
    pthread_mutex_lock(&d->lock);
    int64_t t0 = desk_time_mono_ns();
    while ((e = ubrk_next(bi)) != UBRK_DONE) {
        int32_t status = ubrk_getRuleStatus(bi);
        int32_t start = b;
        b = e;
        if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_LETTER_LIMIT) {
            continue;
        }
        bool digit = false;
        for (int32_t i = start; i < e && !digit; i++) {
            digit = u_isdigit(u[i]);
        }
        if (digit || e - start < 2 || in_skipped_chunk(u, ulen, start, e)) {
            continue;
        }
        char word8[512];
        int32_t w8 = 0;
        UErrorCode e2 = U_ZERO_ERROR;
        u_strToUTF8(word8, (int32_t)sizeof(word8) - 1, &w8, u + start, e - start, &e2);
        if (U_FAILURE(e2) || w8 >= (int32_t)sizeof(word8) - 1) {
            continue;
        }
        word8[w8] = '\0';
        const char *w = d->utf8 ? word8 : convert(a, d->encoding, "UTF-8", word8);
        if (w && Hunspell_spell(d->h, w)) {
            continue;
        }
        if (out->n_misses == DESK_SPELL_MAX_MISSES) {
            out->truncated = true;
            break;
        }
        struct desk_spell_miss *m = &out->misses[out->n_misses++];
        m->word = desk_arena_strdup(a, word8);
        m->utf16_offset = start;
        m->utf16_length = e - start;
        m->offset = u_countChar32(u, start);
        m->length = u_countChar32(u + start, e - start);
        /* hunspell can take most of a second per word on gibberish: suggestions stop once
         * the budget is spent, the words are still reported. */
        if (w && out->n_misses <= DESK_SPELL_MAX_SUGGESTED &&
            desk_time_mono_ns() - t0 < DESK_SPELL_SUGGEST_BUDGET_MS * 1000000LL) {
            char **list = NULL;
            int n = Hunspell_suggest(d->h, &list, w);
            int keep = n < DESK_SPELL_MAX_SUGGESTIONS ? n : DESK_SPELL_MAX_SUGGESTIONS;
            m->suggestions.v = desk_arena_alloc(a, (size_t)(keep > 0 ? keep : 1) * sizeof(char *));
            for (int i = 0; i < keep; i++) {
                const char *s = d->utf8 ? desk_arena_strdup(a, list[i])
                                        : convert(a, "UTF-8", d->encoding, list[i]);
                if (s) {
                    m->suggestions.v[m->suggestions.n++] = s;
                }
            }
            if (list) {
                Hunspell_free_list(d->h, &list, n);
            }
        }
    }
    pthread_mutex_unlock(&d->lock);
    ubrk_close(bi);
    return 0;
}
