/*
 * "Weigh the options": the words a ticket is about, for finding similar
 * solved tickets by full-text similarity. Words are split with ICU's word
 * boundaries (any script), folded like the full-text index folds them,
 * and filtered of very short words and the commonest function words of en,
 * es, cs and pl; then the telling ones are kept (desk_similar_pick). Pure.
 */
#ifndef DESK_MODEL_SIMILAR_H
#define DESK_MODEL_SIMILAR_H

#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

/* At most this many terms describe one ticket (the query stays small). */
#define DESK_SIMILAR_TERMS_MAX 32

/* At most this many of them go into the query: the rarest. */
#define DESK_SIMILAR_QUERY_TERMS 12

/*
 * Distinct words of text (UTF-8; the first 16 KiB are read) in order of
 * first appearance, lower-cased and with diacritics removed as the
 * full-text index folds them ("Příliš" is "prilis"), skipping words of
 * fewer than 3 characters and stop words, appending to terms (which has
 * room for max) after the *n already there. Words are allocated in a.
 * Returns the new *n.
 */
size_t desk_similar_terms(struct desk_arena *a, const char *text, const char **terms, size_t *n,
                          size_t max);

/*
 * Keeps the telling terms: given how many of total documents hold each
 * (docs[i]; 0 for a word the index lacks), drops words nobody has, keeps
 * the rarest first (ties in text order), at most max, and stops at words in
 * more than a fifth of the documents once 3 are kept. Reorders terms and
 * docs in place and returns how many are kept.
 */
size_t desk_similar_pick(const char **terms, int64_t *docs, size_t n, int64_t total, size_t max);

#endif
