/*
 * Search folding: how desk compares words typed without their diacritics
 * to the words people wrote. "prilis" finds "příliš", "senor" "señor", and,
 * unlike Unicode decomposition alone, "lodz" finds "Łódź", "soren" "Søren"
 * and "strasse" "Straße": letters without a decomposition are mapped the
 * way ICU's Latin-ASCII transliterator maps them (a table generated from ICU
 * at build time by scripts/fold_table.c).
 */
#ifndef DESK_MODEL_FOLD_H
#define DESK_MODEL_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* The code points the letter table covers: Latin-1 Supplement to Latin Extended-B. */
#define DESK_FOLD_FIRST 0x00C0
#define DESK_FOLD_LAST  0x024F

/* The generated table (build/gen/fold_table.c): "" where a letter decomposes or is none. */
extern const char desk_fold_letters[DESK_FOLD_LAST - DESK_FOLD_FIRST + 1][4];

/*
 * The ASCII spelling of a lower-case Latin letter that has no canonical
 * decomposition (ł → "l", ø → "o", ß → "ss", æ → "ae", đ → "d", þ → "th",
 * ı → "i"), or NULL for any other code point. Static strings. Thread-safe.
 */
const char *desk_fold_letter(uint32_t cp);

/*
 * Folds UTF-8 text s[0..len) for comparison: lower case, diacritics
 * removed, the letters of desk_fold_letter mapped. Writes at most cap - 1
 * bytes and a NUL into out and returns the folded length (text that does
 * not fit is cut at a character boundary). Invalid UTF-8 bytes are copied
 * as they are. Thread-safe.
 */
size_t desk_fold(const char *s, size_t len, char *out, size_t cap);

#endif
