/*
 * Charsets: mail declares one, and is often wrong (Outlook's Windows-1250
 * labelled ISO-8859-1, UTF-8 labelled Latin-1, no label at all). Bytes are
 * converted with iconv. Valid UTF-8 and ISO-2022-JP are recognized as such;
 * otherwise the declared charset's reading is judged by how much it looks
 * like text in some language (model/lang.h) and how few characters no text
 * uses, and unless it reads clean, each fallback's reading too, the declared
 * one winning ties.
 */
#include "mail/mail_int.h"
#include "core/str.h"
#include "model/lang.h"

#include <gmime/gmime.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bytes of a text judged per candidate charset: a few KB tell as much as the whole. */
#define JUDGE_BYTES 4096

static const char *const fallbacks[] = {"UTF-8",      "WINDOWS-1250", "WINDOWS-1252", "ISO-8859-2",
                                        "ISO-8859-1", "ISO-2022-JP",  "GB18030",      "KOI8-R"};

static pthread_once_t pin_once = PTHREAD_ONCE_INIT;
static iconv_t pinned[sizeof(fallbacks) / sizeof(fallbacks[0])];

/*
 * Opens a converter from each fallback charset and never closes it. glibc
 * unloads a charset's module when its last converter closes and loads it
 * again (dlopen, mmap, page faults) on the next iconv_open: without these,
 * every message paid for loading the modules it needed.
 */
static void pin_modules(void)
{
    for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
        pinned[i] = iconv_open("UTF-8", fallbacks[i]);
    }
}

/*
 * Converts in[0..len) from charset to UTF-8 into a fresh malloc'd buffer
 * (*out, *out_len). Returns false on an invalid sequence or an unknown
 * charset; with partial_ok, a sequence cut at the end of the input is
 * dropped instead (the input is a prefix).
 */
static bool convert(const char *charset, const char *in, size_t len, bool partial_ok, char **out,
                    size_t *out_len)
{
    pthread_once(&pin_once, pin_modules);
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) {
        return false;
    }
    size_t cap = len * 4 + 16, left_in = len, left_out = cap;
    char *buf = malloc(cap);
    if (!buf) {
        abort();
    }
    char *ip = (char *)in, *op = buf;
    bool ok = true;
    if (iconv(cd, &ip, &left_in, &op, &left_out) == (size_t)-1) {
        ok = errno == EINVAL && partial_ok;
    }
    /* Flush the shift state (ISO-2022-JP ends in ASCII mode). */
    if (ok) {
        iconv(cd, NULL, NULL, &op, &left_out);
    }
    iconv_close(cd);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *out_len = (size_t)(op - buf);
    return true;
}

static unsigned decode_cp(const char *s, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    unsigned cp, extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    (*i)++;
    if (c < 0x80) {
        return c;
    }
    cp = extra == 3 ? c & 7u : extra == 2 ? c & 15u : c & 31u;
    for (unsigned k = 0; k < extra && *i < len; k++, (*i)++) {
        cp = (cp << 6) | ((unsigned char)s[*i] & 0x3Fu);
    }
    return cp;
}

/* Punctuation and symbols real text uses beyond ASCII. */
static bool common_symbol(unsigned cp)
{
    static const unsigned ok[] = {0xA0,   0xA7,   0xA9,   0xAB,   0xAE,   0xB0,   0xB7,
                                  0xBB,   0xBF,   0xA1,   0x2013, 0x2014, 0x2018, 0x2019,
                                  0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x20AC,
                                  0x2122, 0x3000, 0x3001, 0x3002, 0xFF01, 0xFF08, 0xFF09,
                                  0xFF0C, 0xFF1A, 0xFF1F, 0x300C, 0x300D, 0x30FB, 0x30FC};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (ok[i] == cp) {
            return true;
        }
    }
    return false;
}

/*
 * How little utf8[0..n) looks like text: the language guess's distance
 * (1 when no language fits), plus the share of non-ASCII characters that
 * are neither letters nor common punctuation, with control characters
 * (C1) and replacement characters counting double.
 */
/* A letter's script, with the scripts one language mixes in a word taken as one. */
static int script_of(unsigned cp)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)cp, &err);
    if (U_FAILURE(err) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) {
        return -1;
    }
    if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_HAN ||
        sc == USCRIPT_HANGUL) {
        return USCRIPT_HAN;
    }
    return (int)sc;
}

/*
 * The prose of a reading, for judging it: markup (tags, the contents of style and
 * script elements, comments) and entities become a space, so an HTML part is judged by
 * its words as a plain one is — markup is ASCII and reads as no language. Returns a
 * malloc'd copy and its length.
 */
static char *prose(const char *s, size_t n, size_t *out_len)
{
    char *o = malloc(n + 1);
    size_t k = 0;
    if (!o) {
        abort();
    }
    for (size_t i = 0; i < n;) {
        const char *skip_to = NULL;
        if (s[i] == '<') {
            if (n - i >= 6 && (strncasecmp(s + i, "<style", 6) == 0)) {
                skip_to = "</style";
            } else if (n - i >= 7 && strncasecmp(s + i, "<script", 7) == 0) {
                skip_to = "</script";
            } else if (n - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
                skip_to = "-->";
            }
            if (skip_to) {
                size_t m = strlen(skip_to), j = i + 1;
                while (j + m <= n && strncasecmp(s + j, skip_to, m) != 0) {
                    j++;
                }
                i = j + m <= n ? j + m : n;
            }
            const char *gt = memchr(s + i, '>', n - i);
            if (i < n && s[i] == '<' && gt && gt - (s + i) < 1000) {
                i = (size_t)(gt - s) + 1;
                o[k++] = ' ';
                continue;
            }
            if (skip_to) {
                o[k++] = ' ';
                continue;
            }
        }
        if (i < n && s[i] == '&') {
            const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
            if (semi) {
                i = (size_t)(semi - s) + 1;
                o[k++] = ' ';
                continue;
            }
        }
        if (i < n) {
            o[k++] = s[i++];
        }
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

/*
 * How unlike text a reading is: the language distance plus the share of characters no
 * text uses. *clean: nothing out of place at all (a language found reliably, no letter
 * it does not write, no stray character), so the reading needs no rival.
 */
static double implausibility(const char *utf8, size_t n, bool *clean)
{
    size_t non_ascii = 0, bad = 0;
    int word_script = -1;
    for (size_t i = 0; i < n;) {
        unsigned cp = decode_cp(utf8, n, &i);
        bool letter =
            cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : u_isalpha((UChar32)cp) != 0;
        if (letter) {
            /* A word that switches script midway ("Contrase馻", "JosИ") is a misreading. */
            int sc = cp < 0x80 ? USCRIPT_LATIN : script_of(cp);
            if (sc >= 0 && word_script >= 0 && sc != word_script) {
                bad += 2;
                non_ascii += cp < 0x80;
            }
            if (sc >= 0) {
                word_script = sc;
            }
        } else if (!(cp >= 0x300 && cp < 0x370)) {
            word_script = -1;
        }
        if (cp < 0x80) {
            continue;
        }
        non_ascii++;
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD) {
            bad += 2;
        } else if (!letter && !common_symbol(cp) && !(cp >= 0x300 && cp < 0x370)) {
            bad++;
        }
    }
    struct desk_lang_guess g;
    size_t pn;
    char *p = prose(utf8, n, &pn);
    bool found = desk_lang_detect(p, pn, &g) == 0;
    free(p);
    *clean = found && g.reliable && g.foreign == 0 && bad == 0;
    return (found ? g.distance : 1.0) + (non_ascii ? (double)bad / (double)non_ascii : 0);
}

/* The charset's usual lower-case name ("windows-1250" for CP1250, x-cp1250, ...), in a. */
static const char *pretty(struct desk_arena *a, const char *name)
{
    static const struct {
        const char *iconv, *name;
    } names[] = {{"CP1250", "windows-1250"},  {"CP1251", "windows-1251"},
                 {"CP1252", "windows-1252"},  {"CP1257", "windows-1257"},
                 {"UTF-8", "utf-8"},          {"iso-8859-1", "iso-8859-1"},
                 {"iso-8859-2", "iso-8859-2"}};
    const char *iconv_name = g_mime_charset_iconv_name(name);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(iconv_name, names[i].iconv) == 0) {
            return names[i].name;
        }
    }
    char *r = desk_arena_strdup(a, name);
    for (char *p = r; *p; p++) {
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    return r;
}

static bool same_charset(const char *x, const char *y)
{
    return strcasecmp(g_mime_charset_iconv_name(x), g_mime_charset_iconv_name(y)) == 0;
}

static const char *arena_copy(struct desk_arena *a, const char *s, size_t n)
{
    char *out = desk_arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            if (i + 1 < n && s[i + 1] == '\n') {
                continue;
            }
            c = '\n';
        }
        if (c < 0x20 && c != '\n' && c != '\t') {
            continue;
        }
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return out;
}

const char *mail_to_utf8(struct desk_arena *a, const char *s, size_t len, const char *declared,
                         const char **used, bool *guessed)
{
    bool eight_bit = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        eight_bit |= c >= 0x80;
        esc |= c == 0x1B;
    }
    /* The name iconv knows the declared charset by (GMime maps the aliases mail uses). */
    const char *canon =
        declared && *declared && strlen(declared) < 64 ? g_mime_charset_iconv_name(declared) : NULL;
    *guessed = false;
    if (!eight_bit && !esc) {
        *used = canon ? pretty(a, canon) : "us-ascii";
        return arena_copy(a, s, len);
    }
    char *out;
    size_t out_len;
    /* Valid UTF-8 with 8-bit bytes is UTF-8 whatever the label says: no
     * single-byte text of any length reads as valid UTF-8 by chance. */
    if (eight_bit && desk_str_utf8_valid(s, len)) {
        *used = "utf-8";
        *guessed = canon && !same_charset(canon, "utf-8") && !same_charset(canon, "us-ascii");
        return arena_copy(a, s, len);
    }
    /* 7-bit text with escape sequences: ISO-2022-JP (RFC 1468), whatever the label. */
    if (!eight_bit && convert("ISO-2022-JP", s, len, false, &out, &out_len)) {
        const char *r = arena_copy(a, out, out_len);
        free(out);
        *used = "iso-2022-jp";
        *guessed = !canon || !same_charset(canon, "iso-2022-jp");
        return r;
    }
    size_t judge = len < JUDGE_BYTES ? len : JUDGE_BYTES;
    const char *best = NULL;
    double best_score = 1e9;
    bool declared_ok = false, declared_clean = false;
    if (canon && !same_charset(canon, "us-ascii") &&
        convert(canon, s, judge, true, &out, &out_len)) {
        best = canon;
        declared_ok = true;
        /* The declared charset wins ties: a small bonus for being said. */
        best_score = implausibility(out, out_len, &declared_clean) - 0.05;
        free(out);
    }
    /* Unless the declared reading is clean, every candidate is read and judged: a near
     * miss (Czech windows-1250 read as windows-1252) still reads as its language, only
     * less typically and with letters it does not write ("pøíli¹"). */
    for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]) && !declared_clean; i++) {
        const char *cs = fallbacks[i];
        if ((canon && same_charset(cs, canon)) ||
            (strcmp(cs, "ISO-2022-JP") == 0 && (!esc || eight_bit))) {
            continue;
        }
        if (!convert(cs, s, judge, true, &out, &out_len)) {
            continue;
        }
        bool clean;
        double score = implausibility(out, out_len, &clean);
        free(out);
        if (score < best_score) {
            best_score = score;
            best = cs;
        }
    }
    if (best && convert(best, s, len, false, &out, &out_len)) {
        const char *r = arena_copy(a, out, out_len);
        free(out);
        *used = pretty(a, best);
        *guessed = !declared_ok || best != canon;
        return r;
    }
    /* The last resort always converts. */
    if (!convert("ISO-8859-1", s, len, true, &out, &out_len)) {
        abort();
    }
    const char *r = arena_copy(a, out, out_len);
    free(out);
    *used = "iso-8859-1";
    *guessed = true;
    return r;
}
