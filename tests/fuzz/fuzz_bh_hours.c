/*
 * libFuzzer target for the weekly hours language and schedule compile
 * (src/model/calendar.c): any bytes as an hours text; when it parses, the
 * intervals are compiled in UTC and, when they compile, a due time and an
 * elapsed time are computed. Asserts the promises: a failure names the
 * field "hours" or "intervals"; a compiled schedule answers add() with a
 * time at or after the start whose elapsed business time is the target.
 * Corpus: tests/fuzz/corpus/bh_hours/.
 */
#include "core/arena.h"
#include "core/error.h"
#include "model/calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) {
        return 0;
    }
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    struct desk_arena a;
    struct desk_fail fail = {0};
    struct desk_bh_interval iv[DESK_BH_MAX_IVS];
    size_t n = 0;
    desk_arena_init(&a);
    int rc = desk_bh_hours_parse(&a, text, iv, DESK_BH_MAX_IVS, &n, &fail);
    if (rc) {
        if (rc != DESK_EINVALID || fail.n != 1 || strcmp(fail.items[0].field, "hours") != 0) {
            abort();
        }
    } else {
        struct desk_bh_spec spec = {"UTC", iv, n, NULL, 0};
        struct desk_bh *bh = NULL;
        struct desk_fail f2 = {0};
        if (desk_bh_compile(&spec, &a, &bh, &f2) == 0) {
            int64_t start = 1774000000000LL + (int64_t)size * 997 * 60000;
            int64_t target = (int64_t)(size % 5000 + 1) * 60000;
            int64_t due = desk_bh_add(bh, start, target);
            if (due < start ||
                (due != DESK_BH_NEVER && desk_bh_elapsed(bh, start, due) != target)) {
                abort();
            }
            desk_bh_free(bh);
        } else if (f2.n != 1 || strcmp(f2.items[0].field, "intervals") != 0) {
            abort();
        }
    }
    desk_arena_release(&a);
    free(text);
    return 0;
}
