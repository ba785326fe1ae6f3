/*
 * libFuzzer target for spell-checking (src/app/spell.c): any bytes as the
 * text, in a language picked by the first byte (en, cs, pl with its
 * ISO 8859-2 dictionary, es, or an unknown one). Asserts that invalid
 * UTF-8 is refused, and that every misspelling lies inside the text with
 * its UTF-16 offset at or past its code-point offset. Needs the hunspell
 * dictionaries. Corpus: tests/fuzz/corpus/spell/.
 */
#include "app/spell.h"
#include "core/arena.h"
#include "core/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"en", "cs", "pl-PL", "es", "xx", "cs-CZ"};
    if (size < 1) {
        return 0;
    }
    struct desk_arena a;
    struct desk_spell_result r;
    struct desk_fail fail = {0};
    desk_arena_init(&a);
    const char *lang = langs[data[0] % 6];
    char *text = desk_arena_strndup(&a, (const char *)data + 1, size - 1);
    size_t len = strlen(text);
    int rc = desk_app_spellcheck(&a, text, lang, &r, &fail);
    if (!rc) {
        if (!desk_str_utf8_valid(text, len)) {
            abort();
        }
        size_t cps = desk_str_utf8_len(text, len);
        for (size_t i = 0; i < r.n_misses; i++) {
            const struct desk_spell_miss *m = &r.misses[i];
            if (m->offset < 0 || m->length <= 0 || (size_t)(m->offset + m->length) > cps ||
                m->utf16_offset < m->offset || !strstr(text, m->word)) {
                abort();
            }
        }
    } else if (rc != DESK_EINVALID || fail.n != 1) {
        abort();
    }
    desk_arena_release(&a);
    return 0;
}
