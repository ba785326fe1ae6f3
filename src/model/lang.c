/*
 * Language detection on libexttextcat's fingerprints (see lang.h). The
 * profiles are read once (pthread_once) and never change afterwards, so
 * fp_Compare may read them from every thread; each detection builds its own
 * fingerprint of the text.
 */
#include "model/lang.h"
#include "core/error.h"
#include "core/log.h"

#include <libexttextcat/fingerprint.h>
#include <libexttextcat/textcat.h>
#include <unicode/ucasemap.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libexttextcat's profile size and per-n-gram penalty (constants.h). */
#define NGRAMS       400
#define OUT_OF_PLACE 400

/*
 * The languages desk tells apart: the ones its customers write most, and
 * enough neighbours that a text in one of those is not forced into a wrong
 * guess (Catalan is not Spanish, Slovenian not Slovak). Profile file stem
 * and BCP 47 tag.
 */
static const struct {
    const char *file;
    const char *tag;
    /* Letters beyond the script's basic alphabet (a-z, а-я) that the language writes;
     * NULL: not checked. A text using letters foreign to a language is less likely to
     * be in it: this separates neighbours whose n-grams are close (Czech ř ě ů against
     * Slovak ľ ô ä, Italian à against Spanish ñ). */
    const char *extra;
    const char *forbidden; /* basic letters the language does not write */
    char script;           /* 'l' Latin, 'c' Cyrillic, 'h' Han without kana, 0 unchecked */
} langs[] = {
    {"en", "en", "", NULL, 'l'},
    {"es", "es", "áéíóúñü", NULL, 'l'},
    {"pt", "pt", "áâãàçéêíóôõúü", NULL, 'l'},
    {"fr", "fr", "àâæçéèêëîïôœùûüÿ", NULL, 'l'},
    {"it", "it", "àèéìíîòóùú", NULL, 'l'},
    {"de", "de", "äöüß", NULL, 'l'},
    {"nl", "nl", "áéèëíïóöúü", NULL, 'l'},
    {"cs", "cs", "áčďéěíňóřšťúůýž", NULL, 'l'},
    {"sk", "sk", "áäčďéíĺľňóôŕšťúýž", NULL, 'l'},
    {"pl", "pl", "ąćęłńóśźż", NULL, 'l'},
    {"da", "da", "æøåé", NULL, 'l'},
    {"sv", "sv", "åäöé", NULL, 'l'},
    {"nb", "nb", "æøåéèóòô", NULL, 'l'},
    {"fi", "fi", "äöåšž", NULL, 'l'},
    {"hu", "hu", "áéíóöőúüű", NULL, 'l'},
    {"ro", "ro", "ăâîșțşţ", NULL, 'l'},
    {"hr", "hr", "čćđšž", NULL, 'l'},
    {"sl", "sl", "čšžćđ", NULL, 'l'},
    {"et", "et", "äöõüšž", NULL, 'l'},
    {"lv", "lv", "āčēģīķļņšūž", NULL, 'l'},
    {"lt", "lt", "ąčęėįšųūž", NULL, 'l'},
    {"tr", "tr", "çğıöşüâîû", NULL, 'l'},
    {"ru", "ru", "ё", NULL, 'c'},
    {"uk", "uk", "іїєґ", "ыэъё", 'c'},
    {"bg", "bg", "", "ыэё", 'c'},
    {"el", "el", NULL, NULL, 0},
    {"ja", "ja", NULL, NULL, 0},
    {"ko", "ko", NULL, NULL, 0},
    {"ar", "ar", NULL, NULL, 0},
    {"he", "he", NULL, NULL, 0},
    {"ca", "ca", "àçèéíïòóúü·", NULL, 'l'},
    {"id", "id", "", NULL, 'l'},
    {"vi", "vi", NULL, NULL, 0},
    {"zh-Hans", "zh-Hans", NULL, NULL, 'h'},
    {"zh-Hant", "zh-Hant", NULL, NULL, 'h'},
};
#define N_LANGS (sizeof(langs) / sizeof(langs[0]))

/* A language's letter set, decoded once at load: code points, 0-terminated. */
#define SET_MAX 24
static unsigned extra_set[N_LANGS][SET_MAX], forbidden_set[N_LANGS][SET_MAX];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *init_dir;
static int init_rc = DESK_EIO;
static void *profiles[N_LANGS];
static void *empty_profile; /* no n-grams: comparing against it gives the worst distance */

static void decode_set(const char *set, unsigned *out);

static void load(void)
{
    const char *dir = init_dir ? init_dir : getenv("DESK_LANG_DIR");
    if (!dir || !*dir) {
        dir = "/usr/share/libexttextcat";
    }
    for (size_t i = 0; i < N_LANGS; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s.lm", dir, langs[i].file);
        profiles[i] = fp_Init(langs[i].tag);
        if (!profiles[i] || fp_Read(profiles[i], path, NGRAMS) == 0) {
            desk_log(DESK_LOG_ERROR, "event=lang_load path=\"%s\" error=\"cannot read profile\"",
                     path);
            for (size_t k = 0; k <= i; k++) {
                fp_Done(profiles[k]);
                profiles[k] = NULL;
            }
            return;
        }
    }
    for (size_t i = 0; i < N_LANGS; i++) {
        decode_set(langs[i].extra, extra_set[i]);
        decode_set(langs[i].forbidden, forbidden_set[i]);
    }
    empty_profile = fp_Init("none");
    init_rc = empty_profile ? 0 : DESK_EIO;
}

int desk_lang_init(const char *dir)
{
    init_dir = dir;
    pthread_once(&once, load);
    return init_rc;
}

/*
 * The text as the profiles were built: lower case, and without the words
 * that belong to no language (addresses, links, numbers, ticket tags).
 * Writes into out (size bytes) and returns the length.
 */
static size_t normalize(const char *text, size_t len, char *out, size_t size)
{
    char *tmp = malloc(size);
    size_t n = 0, i = 0;
    UErrorCode err = U_ZERO_ERROR;
    if (!tmp) {
        abort();
    }
    while (i < len && n + 1 < size) {
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' && text[i] != '\r') {
            i++;
        }
        const char *w = text + start;
        size_t wl = i - start;
        bool drop = memchr(w, '@', wl) || (wl > 4 && memmem(w, wl, "://", 3)) ||
                    (wl > 4 && strncmp(w, "www.", 4) == 0);
        size_t digits = 0;
        for (size_t k = 0; k < wl; k++) {
            digits += w[k] >= '0' && w[k] <= '9';
        }
        drop = drop || (wl && digits * 2 >= wl);
        if (!drop && wl && n + wl + 1 < size) {
            memcpy(tmp + n, w, wl);
            n += wl;
            tmp[n++] = ' ';
        }
        while (i < len &&
               (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')) {
            i++;
        }
    }
    UCaseMap *cm = ucasemap_open("", U_FOLD_CASE_DEFAULT, &err);
    int32_t m = 0;
    if (U_SUCCESS(err)) {
        m = ucasemap_utf8ToLower(cm, out, (int32_t)size - 1, tmp, (int32_t)n, &err);
        ucasemap_close(cm);
    }
    if (U_FAILURE(err) || m < 0 || (size_t)m >= size) {
        /* Text ICU cannot map (invalid UTF-8): classify it as it is. */
        memcpy(out, tmp, n);
        m = (int32_t)n;
    }
    out[m] = '\0';
    free(tmp);
    return (size_t)m;
}

/* Decodes one UTF-8 code point at s[*i] (valid input assumed; bad bytes read as U+FFFD). */
static unsigned next_cp(const char *s, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    unsigned cp, extra;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    cp = extra == 3 ? c & 7u : extra == 2 ? c & 15u : c & 31u;
    (*i)++;
    if (!extra) {
        return 0xFFFD;
    }
    for (unsigned k = 0; k < extra; k++, (*i)++) {
        if (*i >= len || ((unsigned char)s[*i] & 0xC0) != 0x80) {
            return 0xFFFD;
        }
        cp = (cp << 6) | ((unsigned char)s[*i] & 0x3Fu);
    }
    return cp;
}

static void decode_set(const char *set, unsigned *out)
{
    size_t n = set ? strlen(set) : 0, k = 0;
    for (size_t i = 0; i < n && k + 1 < SET_MAX;) {
        out[k++] = next_cp(set, n, &i);
    }
    out[k] = 0;
}

static bool in_set(const unsigned *set, unsigned cp)
{
    for (; *set; set++) {
        if (*set == cp) {
            return true;
        }
    }
    return false;
}

/* What the letters of a text say: how many letters, and which marked ones. */
struct letters {
    size_t n;        /* letters (not digits, spaces or punctuation) */
    size_t n_latin;  /* of which Latin */
    size_t n_marked;
    unsigned marked[64];       /* distinct letters beyond a-z / а-я, or kana */
    unsigned marked_count[64]; /* occurrences of each */
};

static void count_letters(const char *s, size_t len, struct letters *l)
{
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < len;) {
        unsigned cp = next_cp(s, len, &i);
        bool basic = (cp >= 'a' && cp <= 'z') || (cp >= 0x430 && cp <= 0x44F);
        bool marked = (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
                      (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x400 && cp <= 0x4FF && !basic) ||
                      (cp >= 0x3040 && cp <= 0x30FF);
        if (basic || marked || cp >= 0x370) {
            l->n++;
            l->n_latin += cp < 0x370 || (cp >= 0x1E00 && cp <= 0x1EFF);
        }
        if (basic && cp >= 0x430 && (cp == 0x44B || cp == 0x44D || cp == 0x44A)) {
            marked = true; /* ы э ъ: Russian and not Ukrainian (ы э) or Bulgarian (ы э) */
        }
        if (!marked) {
            continue;
        }
        size_t k = 0;
        while (k < l->n_marked && l->marked[k] != cp) {
            k++;
        }
        if (k == l->n_marked && k < 64) {
            l->marked[l->n_marked++] = cp;
        }
        if (k < 64) {
            l->marked_count[k]++;
        }
    }
}

/* Whether language i is written in Latin letters. */
static bool latin_language(size_t i)
{
    return langs[i].script == 'l' || strcmp(langs[i].tag, "vi") == 0;
}

/*
 * Whether language i cannot be the text's: no letter of its script in it.
 * Such a profile would only lose, so it is not compared at all (a third
 * of the profiles for a text in Latin letters).
 */
static bool other_script(size_t i, const struct letters *l)
{
    return latin_language(i) ? l->n_latin == 0 : l->n_latin == l->n;
}

/* Letters in the text that language i does not write. */
static size_t foreign_letters(size_t i, const struct letters *l)
{
    size_t n = 0;
    for (size_t k = 0; k < l->n_marked; k++) {
        unsigned cp = l->marked[k];
        bool latin = cp < 0x400 || (cp >= 0x1E00 && cp <= 0x1EFF);
        bool cyrillic = cp >= 0x400 && cp <= 0x4FF;
        bool kana = cp >= 0x3040 && cp <= 0x30FF;
        bool foreign = false;
        switch (langs[i].script) {
        case 'l':
            foreign = latin && !in_set(extra_set[i], cp);
            break;
        case 'c':
            foreign = cyrillic && (cp < 0x430 || cp > 0x44F ? !in_set(extra_set[i], cp)
                                                            : in_set(forbidden_set[i], cp));
            break;
        case 'h':
            foreign = kana;
            break;
        default:
            break;
        }
        n += foreign ? l->marked_count[k] : 0;
    }
    return n;
}

int desk_lang_detect(const char *text, size_t len, struct desk_lang_guess *out)
{
    int rc = desk_lang_init(NULL);
    if (rc) {
        return rc;
    }
    if (len > DESK_LANG_MAX_TEXT) {
        len = DESK_LANG_MAX_TEXT;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) {
            len--; /* do not cut a character in two */
        }
    }
    /* Lower case may grow UTF-8 text a little (e.g. İ → i̇); leave room. */
    size_t size = len * 3 / 2 + 16;
    char *norm = malloc(size);
    if (!norm) {
        abort();
    }
    size_t n = normalize(text, len, norm, size);
    struct letters l;
    count_letters(norm, n, &l);
    if (l.n < DESK_LANG_MIN_TEXT) {
        free(norm);
        return DESK_EINVAL;
    }
    void *unknown = fp_Init(NULL);
    fp_SetProperty(unknown, TCPROP_UTF8AWARE, TC_TRUE);
    fp_SetProperty(unknown, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
    if (fp_Create(unknown, norm, (uint4)n, NGRAMS) == 0) {
        fp_Done(unknown);
        free(norm);
        return DESK_EINVAL;
    }
    free(norm);
    int worst = fp_Compare(empty_profile, unknown, INT_MAX);
    double best = 1e300, second = 1e300;
    size_t bi = 0, si = 0;
    for (size_t i = 0; i < N_LANGS; i++) {
        /* A penalty only raises a distance: past the runner-up's, the rest is not needed. */
        if (other_script(i, &l)) {
            continue;
        }
        int cutoff = second < (double)INT_MAX ? (int)second : INT_MAX;
        int raw = fp_Compare(profiles[i], unknown, cutoff);
        if (raw == INT_MAX) {
            continue;
        }
        /* Each letter the language does not write makes it less likely, up to +30 %. */
        double ratio = (double)foreign_letters(i, &l) / (double)l.n;
        double d = raw * (1.0 + (ratio * 8 > 0.3 ? 0.3 : ratio * 8));
        if (d < best) {
            second = best;
            si = bi;
            best = d;
            bi = i;
        } else if (d < second) {
            second = d;
            si = i;
        }
    }
    fp_Done(unknown);
    if (worst <= 0 || best >= 1e300) {
        return DESK_EINVAL;
    }
    out->code = langs[bi].tag;
    out->runner_up = langs[si].tag;
    out->distance = best / worst;
    out->margin = second >= 1e300 ? 1.0 : (second - best) / (best > 0 ? best : 1);
    return 0;
}

bool desk_lang_confident(const struct desk_lang_guess *g)
{
    /* Measured on the UDHR test texts: wrong guesses have margins under 3 %
     * and mostly come from texts with little more than 30 characters. */
    return g->margin >= 0.04 && g->distance < 0.85;
}

char *desk_lang_primary(const char *tag, char *buf, size_t size)
{
    size_t n = 0;
    if (!tag || size < 9) {
        return NULL;
    }
    while (tag[n] && tag[n] != '-' && tag[n] != '_') {
        char c = tag[n];
        if (n >= 8 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return NULL;
        }
        buf[n] = (char)(c | 0x20);
        n++;
    }
    if (n < 2) {
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}
