/*
 * CLD2 behind a C function (see lang_cld2.h). Its header uses FILE without
 * including <cstdio>, hence the include order.
 */
#include <cstdio>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "model/lang_cld2.h"

int desk_cld2_detect(const char *text, size_t len, struct desk_cld2_result *r)
{
    if (len > 0x7fffffff) {
        return -1;
    }
    try {
        CLD2::Language lang[3];
        int text_bytes = 0, valid = 0;
        bool reliable = false;
        CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
        CLD2::ExtDetectLanguageSummaryCheckUTF8(text, static_cast<int>(len), true, &hints, 0, lang,
                                                r->percent, r->score, nullptr, &text_bytes,
                                                &reliable, &valid);
        if (static_cast<size_t>(valid) < len) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            r->code[i] = CLD2::LanguageCode(lang[i]);
        }
        r->reliable = reliable;
        return 0;
    } catch (...) {
        return -1;
    }
}
