/*
 * Search folding: how desk compares words typed without their diacritics
 * to the words people wrote. "prilis" finds "příliš", "senor" "señor", and,
 * unlike Unicode decomposition alone, "lodz" finds "Łódź", "soren" "Søren"
 * and "strasse" "Straße": letters without a decomposition are mapped the
 * way ICU's Latin-ASCII transliterator maps them (table built from ICU once).
 */
#ifndef DESK_MODEL_FOLD_H
#define DESK_MODEL_FOLD_H

#include <stddef.h>
#include <stdint.h>

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
