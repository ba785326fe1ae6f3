/*
 * The learned half of model/signals: a linear classifier over hashed word
 * and character n-grams that reads a message beside the rules and catches
 * what their lexicons have not seen, for each of the three signals
 * (supervisor request, irate, abusive). The weights are trained at build
 * time on the labelled sets under tests/unit/model/data/signals/ (all but
 * the blind one) by scripts/signals_train.c with LIBLINEAR, and compiled
 * in as desk_sigmodel_trained. docs/supervisor.md says how it was chosen
 * and what it adds on text nobody tuned on.
 *
 * Features, the same at training and at run time: the text is folded as
 * search folds it (model/fold.h: lower case, no diacritics, "ł" → "l");
 * words are runs of letters, digits and combining marks, and a run of "?"
 * or "¿", "!" or "¡" is a word of its own; each word, each pair of
 * adjacent words, and
 * each 2- to 5-byte window of " word " is hashed (FNV-1a) into one of
 * DESK_SIGMODEL_BUCKETS. Words (with their pairs) and windows are two
 * groups; a bucket of a group is there or not, and counts 1/sqrt(n), n
 * being how many buckets its group has (unit length).
 */
#ifndef DESK_MODEL_SIGNALS_MODEL_H
#define DESK_MODEL_SIGNALS_MODEL_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DESK_SIGMODEL_BITS    18
#define DESK_SIGMODEL_BUCKETS (1u << DESK_SIGMODEL_BITS)

enum desk_sigmodel_label { DESK_SIG_SUPERVISOR, DESK_SIG_IRATE, DESK_SIG_ABUSIVE, DESK_SIG_LABELS };

/*
 * A trained model: for each bucket and label a weight quantized to int8
 * (w[bucket * DESK_SIG_LABELS + label] * scale[label]), a bias, the
 * decision value at or above which the label fires, and the floor: the
 * value that all but 2 % of the label's own messages reached out of fold,
 * below which the model holds a message clearly not of the label. w NULL:
 * no model.
 */
struct desk_sigmodel {
    const int8_t *w;
    float scale[DESK_SIG_LABELS];
    float bias[DESK_SIG_LABELS];
    float threshold[DESK_SIG_LABELS];
    float floor[DESK_SIG_LABELS];
};

/* The model compiled in (build/gen/signals_weights.c). */
extern const struct desk_sigmodel desk_sigmodel_trained;

/* One feature: its bucket and value. */
struct desk_sigmodel_feature {
    uint32_t bucket;
    float value;
};

/* Only the first DESK_SIGMODEL_MAX_BYTES of a text are read. */
#define DESK_SIGMODEL_MAX_BYTES 16384

/*
 * The features of UTF-8 text[0..len), in an array allocated in a (*out):
 * each bucket once per group, in no particular order (a bucket both
 * groups hit comes twice). Returns how many.
 */
size_t desk_sigmodel_features(struct desk_arena *a, const char *text, size_t len,
                              struct desk_sigmodel_feature **out);

/* The decision values of m for features f[0..n) into dec[DESK_SIG_LABELS]. */
void desk_sigmodel_decide(const struct desk_sigmodel *m, const struct desk_sigmodel_feature *f,
                          size_t n, float dec[DESK_SIG_LABELS]);

/*
 * Which word or pair of words of text[0..len) weighs most toward label in
 * m: sets *from and *to to its byte range in text and returns true, or
 * false when no word weighs toward it. Shown to people as the trigger.
 */
bool desk_sigmodel_strongest(const struct desk_sigmodel *m, int label, const char *text, size_t len,
                             size_t *from, size_t *to);

#endif
