/*
 * libFuzzer target for the text signals (src/model/signals.c): any bytes as
 * a customer message. Besides the sanitizers' checks it asserts the
 * detector's promises: success always, a score within -1 … 1, a known mood,
 * at most DESK_SIGNALS_MAX_TRIGGERS terminated triggers, and an abusive
 * message never calm. Corpus: tests/fuzz/corpus/signals/.
 */
#include "core/arena.h"
#include "model/signals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy) {
        return 0;
    }
    if (size) {
        memcpy(copy, data, size);
    }
    struct desk_arena a;
    struct desk_signals s;
    desk_arena_init(&a);
    if (desk_signals_analyze(&a, copy, size, &s) != 0) {
        abort();
    }
    if (!(s.score >= -1 && s.score <= 1) || !desk_mood_name(s.mood) ||
        s.n_triggers > DESK_SIGNALS_MAX_TRIGGERS || (s.abusive && s.mood == DESK_MOOD_CALM)) {
        abort();
    }
    for (size_t i = 0; i < s.n_triggers; i++) {
        if (strlen(s.triggers[i]) > size * 3 + 3 || !s.trigger_kinds[i]) {
            abort();
        }
    }
    desk_arena_release(&a);
    free(copy);
    return 0;
}
