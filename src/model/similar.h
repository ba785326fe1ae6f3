/*
 * "Weigh the options": the words a ticket is about, for finding similar
 * solved tickets by full-text similarity. Words are split with ICU's word
 * boundaries (any script), lower-cased, and filtered of very short words
 * and the commonest function words of en, es, cs and pl. Pure, no I/O.
 */
#ifndef DESK_MODEL_SIMILAR_H
#define DESK_MODEL_SIMILAR_H

#include "core/arena.h"

#include <stddef.h>

/* At most this many terms describe one ticket (the query stays small). */
#define DESK_SIMILAR_TERMS_MAX 32

/*
 * Distinct lower-cased words of text (UTF-8; the first 16 KiB are read) in
 * order of first appearance, skipping words of fewer than 3 characters and
 * stop words, appending to terms (which has room for max) after the *n
 * already there. Words are allocated in a. Returns the new *n.
 */
size_t desk_similar_terms(struct desk_arena *a, const char *text, const char **terms, size_t *n,
                          size_t max);

#endif
