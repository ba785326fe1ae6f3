/*
 * libFuzzer target for the IMAP SEARCH answer parser (src/mail/imap.c):
 * a server's bytes, untrusted. Besides the sanitizers' checks it asserts
 * the parser's promises: success yields at most max UIDs, non-zero,
 * strictly increasing. Corpus: tests/fuzz/corpus/imap_search/.
 */
#include "mail/imap.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t uids[8];
    size_t n = 99;
    if (desk_imap_parse_search((const char *)data, size, uids, 8, &n) != 0) {
        return 0;
    }
    if (n > 8) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        if (uids[i] == 0 || (i && uids[i] <= uids[i - 1])) {
            abort();
        }
    }
    return 0;
}
