/*
 * Text signals of a customer message: a sentiment score with a label
 * (calm, negative, irate), an abuse flag, and whether the customer asks for
 * a supervisor or manager. Pure. Two halves: rules, and a linear model
 * trained on labelled messages (signals_model.h) that adds what the rules
 * miss. The rules' lexicons are compiled-in tables
 * (signals_lex.c) for English, Spanish, Czech and Polish, matched on text
 * folded with ICU (case-folded, diacritics and Latin look-alikes removed,
 * words split by ICU's word break rules), so "vedoucím" and "vedoucim"
 * match the same entry. The method and its measured accuracy are in
 * docs/supervisor.md.
 */
#ifndef DESK_MODEL_SIGNALS_H
#define DESK_MODEL_SIGNALS_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

enum desk_mood { DESK_MOOD_CALM, DESK_MOOD_NEGATIVE, DESK_MOOD_IRATE };

/* "calm", "negative", "irate" (static), or NULL for an unknown value. */
const char *desk_mood_name(int mood);

/* Parses a mood name; 0 and *out, or DESK_EINVAL. */
int desk_mood_parse(const char *s, int *out);

/* How many triggers one analysis keeps at most (the first ones found). */
#define DESK_SIGNALS_MAX_TRIGGERS 12

/* Only the first DESK_SIGNALS_MAX_BYTES of a message are read (quoted history follows). */
#define DESK_SIGNALS_MAX_BYTES 16384

struct desk_signals {
    double score;            /* -1 (furious) … 1 (delighted); 0 when nothing fired */
    int mood;                /* enum desk_mood */
    bool abusive;            /* insults, strong profanity, threats */
    bool supervisor_request; /* asks for a supervisor, manager, someone in charge */
    size_t n_triggers;
    /* The phrases that fired, as written in the message (arena strings). */
    const char *triggers[DESK_SIGNALS_MAX_TRIGGERS];
    /* Which kind each trigger is: "sentiment", "abuse" or "supervisor" (static). */
    const char *trigger_kinds[DESK_SIGNALS_MAX_TRIGGERS];
};

/*
 * Analyzes text[0..len) (UTF-8; invalid sequences are replaced, never an
 * error). Fills *out; trigger strings are allocated in a. Thread-safe.
 * Returns 0, or DESK_EINTERNAL when ICU cannot open its transliterator or
 * word breaker (a broken ICU installation), with *out zeroed.
 */
int desk_signals_analyze(struct desk_arena *a, const char *text, size_t len,
                         struct desk_signals *out);

struct desk_sigmodel; /* model/signals_model.h */

/*
 * As desk_signals_analyze, with model in place of the trained one; NULL
 * runs the rules alone. For measuring each half (tests, benchmarks).
 */
int desk_signals_analyze_with(struct desk_arena *a, const char *text, size_t len,
                              const struct desk_sigmodel *model, struct desk_signals *out);

/*
 * Folds text the way the detectors see it (for tests and tools): ICU word
 * tokens, case-folded, without diacritics, joined by single spaces.
 * Returns an arena string, or NULL when ICU fails.
 */
char *desk_signals_fold(struct desk_arena *a, const char *text, size_t len);

#endif
