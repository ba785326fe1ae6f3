/*
 * Language detection: which language a customer wrote in, as a BCP 47 tag.
 * The classification is CLD2's (Compact Language Detector 2, Debian's
 * libcld2, tables built in); this file picks what of the text counts and
 * turns CLD2's answer into a guess with a confidence. Safe to call from any
 * thread; nothing to initialize.
 */
#ifndef DESK_MODEL_LANG_H
#define DESK_MODEL_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* Texts with fewer letters than this are not classified: a guess from a
 * dozen letters is noise (see the snippet figures in tests/unit/model). */
#define DESK_LANG_MIN_TEXT 20
/* Only this many bytes of a text are looked at: the accuracy tests' paragraphs
 * (95..876 bytes) score the same cut at 512 as whole, and the cost grows with
 * the length. */
#define DESK_LANG_MAX_TEXT 512

struct desk_lang_guess {
    const char *code;      /* BCP 47 tag ("cs", "en", "zh-Hans"), static */
    const char *runner_up; /* the second-likeliest language's tag ("un": none), static */
    double share;          /* share of the text's letters in the language, 0..1 */
    double distance;       /* 0 (typical text of the language) .. 1 (nothing like it): low
                              scores and letters the language does not write raise it */
    bool reliable;         /* CLD2 found a clear winner on enough text */
    size_t foreign;        /* letters the language does not write (known for the main
                              Latin-script languages; 0 for others) */
};

/*
 * Guesses the language of UTF-8 text[0..len) (only the first
 * DESK_LANG_MAX_TEXT bytes are read). Sets *out and returns 0; DESK_EINVAL
 * when the text has too few letters to judge, is not UTF-8, or reads as no
 * language. Borrows text.
 */
int desk_lang_detect(const char *text, size_t len, struct desk_lang_guess *out);

/*
 * True when g is sure enough to act on without a person: CLD2 calls it
 * reliable, nearly all of the text is in the language, and the text reads as
 * typical of it.
 */
bool desk_lang_confident(const struct desk_lang_guess *g);

/*
 * The primary language subtag of a BCP 47 tag or locale ("pt-BR" → "pt"),
 * written into buf (size >= 9). Returns buf, or NULL for a malformed tag.
 */
char *desk_lang_primary(const char *tag, char *buf, size_t size);

#endif
