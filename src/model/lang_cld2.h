/*
 * The C face of CLD2, Compact Language Detector 2 (Debian's libcld2), whose
 * interface is C++: lang_cld2.cc is desk's one C++ file and only translates
 * this call. Used by model/lang.c alone.
 */
#ifndef DESK_MODEL_LANG_CLD2_H
#define DESK_MODEL_LANG_CLD2_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct desk_cld2_result {
    const char *code[3]; /* the three likeliest languages, CLD2's codes ("cs", "zh-Hant",
                            "un" for none), static */
    int percent[3];      /* share of the text's letters in each, 0..100 */
    double score[3];     /* each one's score per KB of its text: how typical of the language */
    bool reliable;       /* CLD2's own verdict: a clear winner on enough text */
};

/*
 * Classifies UTF-8 plain text[0..len) (len < 2 GiB). Fills *r and returns 0;
 * -1 when the text is not valid UTF-8 or CLD2 failed (no exception leaves
 * it). Borrows text; safe from any thread (CLD2 has no state).
 */
int desk_cld2_detect(const char *text, size_t len, struct desk_cld2_result *r);

#ifdef __cplusplus
}
#endif

#endif
