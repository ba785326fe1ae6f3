/*
 * libFuzzer target for the search query parser (src/model/search.c): any
 * bytes, parsed with a fresh arena. Besides the sanitizers' checks it
 * asserts the parser's promises: success yields at most DESK_SQ_MAX_TERMS
 * NUL-terminated terms with a lower-case keyword on field terms, and a
 * failure names exactly one reason. Corpus: tests/fuzz/corpus/search/.
 */
#include "core/arena.h"
#include "core/error.h"
#include "model/search.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct desk_sq *q)
{
    if (q->n_terms > DESK_SQ_MAX_TERMS || q->type > DESK_SQ_GROUP) {
        abort();
    }
    for (size_t i = 0; i < q->n_terms; i++) {
        const struct desk_sq_term *t = &q->terms[i];
        size_t n = strlen(t->value); /* ASan: the value must be a terminated arena string */
        if (n > DESK_SQ_MAX_LEN) {
            abort();
        }
        if ((t->kind == DESK_SQ_FIELD) != (t->field != NULL) || t->op > DESK_SQ_GE) {
            abort();
        }
        for (const char *f = t->field; f && *f; f++) {
            if (*f >= 'A' && *f <= 'Z') {
                abort();
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy of exactly size bytes, so any read past the end is caught. */
    char *copy = malloc(size ? size : 1);
    if (!copy) {
        return 0;
    }
    if (size) {
        memcpy(copy, data, size);
    }
    struct desk_arena a;
    desk_arena_init(&a);
    struct desk_sq q;
    struct desk_fail fail = {0};
    int rc = desk_sq_parse(&a, copy, size, &q, &fail);
    if (rc == 0) {
        check(&q);
    } else if ((rc != DESK_EQUERY && rc != DESK_ETOOBIG) || fail.n != 1 ||
               !fail.items[0].description) {
        abort();
    }
    desk_arena_release(&a);
    free(copy);
    return 0;
}
