/*
 * Unit tests for model/lang: accuracy measured on text desk's authors did
 * not write — the Universal Declaration of Human Rights in each language
 * (tests/unit/model/data/lang/README.md says where it comes from) — for
 * whole articles (paragraphs) and for the sentences and 30-character
 * snippets a short customer message looks like. Prints the measured figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/lang.h"
#include "core/error.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "tests/unit/model/data/lang/"

static const char *codes[] = {"en", "es", "cs", "pl", "sk", "de", "fr", "it", "pt", "nl"};
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

struct tally {
    int n, ok, confident, confident_wrong;
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void judge(struct tally *t, const char *want, const char *text, size_t len, bool show)
{
    struct desk_lang_guess g;
    int rc = desk_lang_detect(text, len, &g);
    t->n++;
    if (rc == 0 && strcmp(g.code, want) == 0) {
        t->ok++;
    } else if (show) {
        printf("  miss %s: got %s (share %.2f, distance %.3f) for \"%.*s\"\n", want,
               rc ? "-" : g.code, rc ? 0.0 : g.share, rc ? 0.0 : g.distance, (int)len, text);
    }
    if (rc == 0 && desk_lang_confident(&g)) {
        t->confident++;
        t->confident_wrong += strcmp(g.code, want) != 0;
    }
}

static double pct(const struct tally *t)
{
    return t->n ? 100.0 * t->ok / t->n : 0;
}

/* Calls fn for each line of each language's file. */
static void each_line(void (*fn)(const char *code, const char *line, size_t len, void *arg),
                      void *arg)
{
    for (size_t i = 0; i < N_CODES; i++) {
        char path[128];
        snprintf(path, sizeof(path), DATA "%s.txt", codes[i]);
        char *text = slurp(path);
        for (char *line = text, *eol; *line; line = eol + 1) {
            eol = strchr(line, '\n');
            if (!eol) {
                eol = line + strlen(line);
            }
            if (eol > line) {
                fn(codes[i], line, (size_t)(eol - line), arg);
            }
            if (!*eol) {
                break;
            }
        }
        free(text);
    }
}

static void paragraph(const char *code, const char *line, size_t len, void *arg)
{
    judge(arg, code, line, len, true);
}

static void test_paragraphs(void **state)
{
    struct tally t = {0};
    (void)state;
    each_line(paragraph, &t);
    printf("lang_paragraph_accuracy %.1f %% (%d of %d articles, %d confident, %d of those "
           "wrong)\n",
           pct(&t), t.ok, t.n, t.confident, t.confident_wrong);
    assert_true(t.n >= 300);
    assert_true(pct(&t) >= 98.0);
}

/* Sentences of 30 characters or more: a short customer message. */
static void sentences(const char *code, const char *line, size_t len, void *arg)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        bool end = (line[i] == '.' || line[i] == ';' || line[i] == ':' || line[i] == '?' ||
                    line[i] == '!') &&
                   (i + 1 == len || line[i + 1] == ' ');
        if (!end && i + 1 != len) {
            continue;
        }
        const char *s = line + start;
        size_t n = i + 1 - start;
        while (n && *s == ' ') {
            s++;
            n--;
        }
        if (desk_str_utf8_len(s, n) >= 30) {
            judge(arg, code, s, n, false);
        }
        start = i + 1;
    }
}

static void test_sentences(void **state)
{
    struct tally t = {0};
    (void)state;
    each_line(sentences, &t);
    printf("lang_sentence_accuracy %.1f %% (%d of %d sentences of 30+ characters, %d confident, "
           "%d of those wrong)\n",
           pct(&t), t.ok, t.n, t.confident, t.confident_wrong);
    assert_true(t.n >= 500);
    assert_true(pct(&t) >= 90.0);
    /* Acting without a person (changing a ticket's language) must be right. */
    assert_true(t.confident_wrong * 100 <= t.confident);
}

/* The hardest case: consecutive words cut into snippets of just over 30 characters. */
static void snippets(const char *code, const char *line, size_t len, void *arg)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != ' ') {
            continue;
        }
        if (desk_str_utf8_len(line + start, i - start) >= 30) {
            judge(arg, code, line + start, i - start, false);
            start = i + 1;
        }
    }
}

static void test_snippets(void **state)
{
    struct tally t = {0};
    (void)state;
    each_line(snippets, &t);
    printf("lang_snippet30_accuracy %.1f %% (%d of %d snippets of 30-40 characters, %d "
           "confident, %d of those wrong)\n",
           pct(&t), t.ok, t.n, t.confident, t.confident_wrong);
    assert_true(t.n >= 2000);
    assert_true(pct(&t) >= 85.0);
}

static void test_edges(void **state)
{
    struct desk_lang_guess g;
    char buf[16];
    (void)state;
    assert_int_equal(desk_lang_detect("ok", 2, &g), DESK_EINVAL);
    assert_int_equal(desk_lang_detect("12345 67890 12345 67890 12345", 29, &g), DESK_EINVAL);
    assert_int_equal(desk_lang_detect("", 0, &g), DESK_EINVAL);
    /* Links, addresses and numbers do not count as words. */
    const char *cs = "Dobrý den, posílám fakturu č. 2024-118 na adresu jan.novak@example.cz, "
                     "viz https://example.cz/faktura/118 prosím o potvrzení přijetí.";
    assert_int_equal(desk_lang_detect(cs, strlen(cs), &g), 0);
    assert_string_equal(g.code, "cs");
    const char *ja = "お問い合わせいただきありがとうございます。注文番号を教えてください。";
    assert_int_equal(desk_lang_detect(ja, strlen(ja), &g), 0);
    assert_string_equal(g.code, "ja");
    assert_string_equal(desk_lang_primary("pt-BR", buf, sizeof(buf)), "pt");
    assert_string_equal(desk_lang_primary("EN_us", buf, sizeof(buf)), "en");
    assert_null(desk_lang_primary("x", buf, sizeof(buf)));
    assert_null(desk_lang_primary("e1", buf, sizeof(buf)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
