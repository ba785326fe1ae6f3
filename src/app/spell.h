/*
 * Spell-checking a reply before it is sent, in the ticket's language, with
 * hunspell and the system's dictionaries (Debian's hunspell-* packages in
 * /usr/share/hunspell). Words are found with ICU's word boundaries, so
 * "žluťoučký" is one word; URLs, email addresses, {{placeholders}} and
 * words with digits are not checked.
 */
#ifndef DESK_APP_SPELL_H
#define DESK_APP_SPELL_H

#include "core/arena.h"
#include "core/error.h"
#include "model/records.h"

#include <stddef.h>
#include <stdint.h>

#define DESK_SPELL_MAX_TEXT          65536 /* bytes */
#define DESK_SPELL_MAX_MISSES        200
#define DESK_SPELL_MAX_SUGGESTED     40 /* misspellings that get suggestions */
#define DESK_SPELL_MAX_SUGGESTIONS   5
#define DESK_SPELL_SUGGEST_BUDGET_MS 800 /* time spent on suggestions per request */

struct desk_spell_miss {
    const char *word;
    int64_t offset, length;             /* in Unicode code points */
    int64_t utf16_offset, utf16_length; /* in UTF-16 code units (JavaScript strings) */
    struct desk_strv suggestions;
};

struct desk_spell_result {
    const char *language;   /* the language checked, e.g. "cs" */
    const char *dictionary; /* the dictionary used, e.g. "cs_CZ" */
    struct desk_spell_miss *misses;
    size_t n_misses;
    bool truncated; /* more misspellings than DESK_SPELL_MAX_MISSES */
};

/*
 * Checks text (UTF-8, at most DESK_SPELL_MAX_TEXT bytes) in language (BCP
 * 47; the region picks a regional dictionary when one is installed).
 * Results are allocated in a. DESK_EINVALID (fail naming "language") when
 * no dictionary serves the language, or naming "text" for bad text.
 * Thread-safe: each dictionary is loaded once and used under its lock.
 */
int desk_app_spellcheck(struct desk_arena *a, const char *text, const char *language,
                        struct desk_spell_result *out, struct desk_fail *fail);

/* Releases the loaded dictionaries (at exit, for leak checkers). */
void desk_app_spell_release(void);

#endif
