/*
 * What a person wrote now, apart from what their mail client added: the
 * quoted history below an attribution line ("On Mon, Ann wrote:", in the
 * languages desk serves), an Outlook header block or "Original Message"
 * rule, a trailing run of "> " lines, and the signature below "-- "
 * (RFC 3676 §4.3) or a "Sent from my phone" line. Interleaved answers
 * (quotes between new lines) are left whole: nothing a person wrote is cut.
 */
#include "mail/mail_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct line {
    const char *s;
    size_t n;
};

static bool starts_with_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncasecmp(s, prefix, k) == 0;
}

static bool contains_ci(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(s + i, word, k) == 0) {
            return true;
        }
    }
    return false;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) {
        (*n)--;
    }
}

static bool is_quote(const struct line *l)
{
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    return n && s[0] == '>';
}

static bool is_blank(const struct line *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->s[i] != ' ' && l->s[i] != '\t') {
            return false;
        }
    }
    return true;
}

/* "On <date>, <name> wrote:" and its translations (the verb ends the attribution). */
static bool attribution_end(const char *s, size_t n)
{
    static const char *const verbs[] = {
        "wrote:",      "napsal(a):", "napsal:",     "napsala:",  "napísal(a):", "napísal:",
        "napisał(a):", "napisał:",   "pisze:",      "escribió:", "escribio:",   "schrieb:",
        "a écrit :",   "a écrit:",   "ha scritto:", "escreveu:", "schreef:",    "skrev:",
        "kirjoitti:",  "írta:",      "yazdı:",      "написал:",  "написал(а):", NULL};
    trim(&s, &n);
    for (size_t i = 0; verbs[i]; i++) {
        size_t k = strlen(verbs[i]);
        if (n >= k && strncasecmp(s + n - k, verbs[i], k) == 0) {
            return true;
        }
    }
    return false;
}

/* "-----Original Message-----" and its translations. */
static bool original_rule(const char *s, size_t n)
{
    static const char *const words[] = {"original",      "původní", "pôvodná",        "oryginalna",
                                        "ursprüngliche", "origine", "oorspronkelijk", NULL};
    trim(&s, &n);
    if (n < 10 || strncmp(s, "---", 3) != 0 || strncmp(s + n - 3, "---", 3) != 0) {
        return false;
    }
    for (size_t i = 0; words[i]; i++) {
        if (contains_ci(s, n, words[i])) {
            return true;
        }
    }
    return false;
}

/* An Outlook header block: "From:" then "Sent:"/"Date:" (or translations) within 3 lines. */
static bool outlook_block(const struct line *l, size_t i, size_t n_lines)
{
    static const char *const from[] = {"From:", "Od:", "De:", "Von:", "Da:", "Van:", "Fra:", NULL};
    static const char *const sent[] = {
        "Sent:",      "Date:",     "Odesláno:", "Datum:",   "Wysłano:", "Data:",
        "Enviado:",   "Fecha:",    "Gesendet:", "Envoyé :", "Envoyé:",  "Inviato:",
        "Verzonden:", "Odoslané:", "To:",       NULL};
    const char *s = l[i].s;
    size_t n = l[i].n;
    trim(&s, &n);
    bool f = false;
    for (size_t k = 0; from[k] && !f; k++) {
        f = starts_with_ci(s, n, from[k]);
    }
    if (!f) {
        return false;
    }
    for (size_t j = i + 1; j < n_lines && j <= i + 3; j++) {
        const char *t = l[j].s;
        size_t m = l[j].n;
        trim(&t, &m);
        for (size_t k = 0; sent[k]; k++) {
            if (starts_with_ci(t, m, sent[k])) {
                return true;
            }
        }
    }
    return false;
}

static bool signature_rule(const struct line *l)
{
    if ((l->n == 3 && memcmp(l->s, "-- ", 3) == 0) || (l->n == 2 && memcmp(l->s, "--", 2) == 0)) {
        return true;
    }
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    return n < 60 &&
           (starts_with_ci(s, n, "Sent from my ") || starts_with_ci(s, n, "Get Outlook for ") ||
            starts_with_ci(s, n, "Odesláno z ") || starts_with_ci(s, n, "Wysłane z ") ||
            starts_with_ci(s, n, "Enviado desde mi ") || starts_with_ci(s, n, "Von meinem ") ||
            starts_with_ci(s, n, "Envoyé de mon "));
}

static const char *join(struct desk_arena *a, const struct line *l, size_t from, size_t to)
{
    while (from < to && is_blank(&l[from])) {
        from++;
    }
    while (to > from && is_blank(&l[to - 1])) {
        to--;
    }
    if (from >= to) {
        return NULL;
    }
    size_t len = (size_t)(l[to - 1].s + l[to - 1].n - l[from].s);
    return desk_arena_strndup(a, l[from].s, len);
}

void mail_split_reply(struct desk_arena *a, const char *text, const char **fresh,
                      const char **quoted, const char **signature)
{
    size_t n_lines = 1;
    for (const char *p = text; *p; p++) {
        n_lines += *p == '\n';
    }
    struct line *l = desk_arena_alloc(a, n_lines * sizeof(*l));
    size_t k = 0;
    for (const char *p = text;; k++) {
        const char *eol = strchr(p, '\n');
        l[k].s = p;
        l[k].n = eol ? (size_t)(eol - p) : strlen(p);
        if (!eol) {
            k++;
            break;
        }
        p = eol + 1;
    }
    n_lines = k;
    size_t quote = n_lines, sig = n_lines;
    for (size_t i = 0; i < n_lines && quote == n_lines; i++) {
        if (original_rule(l[i].s, l[i].n) || outlook_block(l, i, n_lines)) {
            quote = i;
            /* Outlook puts a rule of underscores above its header block. */
            if (i > 0 && l[i - 1].n >= 10 && strspn(l[i - 1].s, "_") >= 10) {
                quote = i - 1;
            }
        } else if (attribution_end(l[i].s, l[i].n) && l[i].n < 300) {
            quote = i;
            /* The attribution may wrap: "On Mon, 3 Jun 2024 at 10:00, Ann Smith" / "<a@b> wrote:".
             */
            if (i > 0 && !is_blank(&l[i - 1]) && l[i - 1].n < 200 &&
                (starts_with_ci(l[i - 1].s, l[i - 1].n, "On ") ||
                 starts_with_ci(l[i - 1].s, l[i - 1].n, "Dne ") ||
                 starts_with_ci(l[i - 1].s, l[i - 1].n, "W dniu ") ||
                 starts_with_ci(l[i - 1].s, l[i - 1].n, "El ") ||
                 starts_with_ci(l[i - 1].s, l[i - 1].n, "Am ") ||
                 starts_with_ci(l[i - 1].s, l[i - 1].n, "Le "))) {
                quote = i - 1;
            }
        }
    }
    /* A trailing run of quoted lines (and blanks) is history too. */
    size_t tail = quote;
    while (tail > 0 && (is_quote(&l[tail - 1]) || is_blank(&l[tail - 1]))) {
        tail--;
    }
    if (tail < quote) {
        bool any_quote = false;
        for (size_t i = tail; i < quote; i++) {
            any_quote |= is_quote(&l[i]);
        }
        if (any_quote) {
            quote = tail;
        }
    }
    for (size_t i = 0; i < quote; i++) {
        if (signature_rule(&l[i])) {
            sig = i;
            break;
        }
    }
    size_t end = sig < quote ? sig : quote;
    *fresh = join(a, l, 0, end);
    *quoted = quote < n_lines ? join(a, l, quote, n_lines) : NULL;
    *signature = sig < quote ? join(a, l, sig + (l[sig].s[0] == '-' ? 1 : 0), quote) : NULL;
    if (!*fresh) {
        /* Nothing above the history (a bare forward, or all quoted): keep it all. */
        *fresh = join(a, l, 0, n_lines);
        if (!*fresh) {
            *fresh = "";
        }
        *quoted = NULL;
        *signature = NULL;
    }
}
