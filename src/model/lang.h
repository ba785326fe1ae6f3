/*
 * Language detection: which language a customer wrote in, as a BCP 47 tag.
 * The n-gram fingerprints and the comparison are libexttextcat's (its data
 * in /usr/share/libexttextcat); this file picks the set of languages, loads
 * them once per process, lowercases the text (ICU) and turns the distances
 * into a guess with a confidence. Safe to call from any thread.
 */
#ifndef DESK_MODEL_LANG_H
#define DESK_MODEL_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* Texts with fewer letters than this are not classified: a guess from a
 * dozen letters is noise (see the snippet figures in tests/unit/model). */
#define DESK_LANG_MIN_TEXT 20
/* Only this many bytes of a text are looked at: a few hundred bytes suffice (the
 * accuracy tests' paragraphs, 95..876 bytes, score the same cut at 512 as whole), and
 * building the text's fingerprint costs in proportion to its length. */
#define DESK_LANG_MAX_TEXT 512

struct desk_lang_guess {
    const char *code;      /* BCP 47 tag ("cs", "en", "zh-Hans"), static */
    double distance;       /* 0 (the text is the language's profile) .. 1 (nothing in common) */
    double margin;         /* runner-up's distance minus this one's, relative: 0 = a tie */
    const char *runner_up; /* the second-best language's tag, static */
};

/*
 * Loads the language profiles from dir (NULL: $DESK_LANG_DIR, else
 * /usr/share/libexttextcat). Called implicitly by the first detection;
 * later calls do nothing. Returns 0, or DESK_EIO (logged) when a profile
 * cannot be read.
 */
int desk_lang_init(const char *dir);

/*
 * Guesses the language of UTF-8 text[0..len) (only the first
 * DESK_LANG_MAX_TEXT bytes are read). Sets *out and returns 0; DESK_EINVAL
 * when the text has too few letters to judge; DESK_EIO when the profiles
 * cannot be loaded. Borrows text.
 */
int desk_lang_detect(const char *text, size_t len, struct desk_lang_guess *out);

/*
 * True when g is sure enough to act on without a person: a clear margin
 * over the runner-up, and a distance that says the text is language at all
 * (not a list of part numbers).
 */
bool desk_lang_confident(const struct desk_lang_guess *g);

/*
 * The primary language subtag of a BCP 47 tag or locale ("pt-BR" → "pt"),
 * written into buf (size >= 9). Returns buf, or NULL for a malformed tag.
 */
char *desk_lang_primary(const char *tag, char *buf, size_t size);

#endif
