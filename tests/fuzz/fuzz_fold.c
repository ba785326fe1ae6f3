/*
 * libFuzzer target for search folding (src/model/fold.c): any bytes, any
 * output size. Asserts that the output is NUL-terminated inside its
 * buffer, never longer than asked for, that folding is idempotent on valid
 * UTF-8 that fits (folded text folds to itself), and that ASCII input
 * comes out as its lower case. Corpus: tests/fuzz/corpus/fold/.
 */
#include "core/str.h"
#include "model/fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    size_t cap = (size_t)data[0] % 64 + 1; /* small buffers: the cut at a boundary */
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    char small[65], *big = malloc(3 * len + 1), *again = malloc(3 * len + 1);
    if (!big || !again) {
        abort();
    }
    size_t n = desk_fold(s, len, small, cap);
    if (n >= cap || small[n] != '\0') {
        abort();
    }
    size_t m = desk_fold(s, len, big, 3 * len + 1);
    if (m > 3 * len || big[m] != '\0' || strncmp(small, big, n) != 0) {
        abort();
    }
    if (desk_str_utf8_valid(s, len) && memchr(s, '\0', len) == NULL) {
        size_t k = desk_fold(big, m, again, 3 * len + 1);
        if (k != m || memcmp(big, again, m) != 0) {
            abort();
        }
        bool ascii = true;
        for (size_t i = 0; i < len && ascii; i++) {
            ascii = (unsigned char)s[i] < 0x80;
        }
        for (size_t i = 0; ascii && i < len; i++) {
            char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
            if (big[i] != c) {
                abort();
            }
        }
    }
    free(big);
    free(again);
    return 0;
}
