/*
 * libFuzzer target for the concession amount and currency parsers
 * (src/model/concession.c): the first line is a currency code, the rest an
 * amount. Besides the sanitizers' checks it asserts their promises: a
 * parsed amount is in (0, DESK_MONEY_MAX] and formats back to text that
 * parses to the same minor units; a known currency is three upper-case
 * letters with 0 to 4 minor digits. Corpus: tests/fuzz/corpus/money/.
 */
#include "core/arena.h"
#include "model/concession.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *amount = nl ? nl + 1 : text;
    if (nl) {
        *nl = '\0';
    }
    char code[4];
    int digits = 2;
    if (desk_currency_check(text, code, &digits) == 0) {
        if (strlen(code) != 3 || digits < 0 || digits > 4) {
            abort();
        }
        for (int i = 0; i < 3; i++) {
            if (code[i] < 'A' || code[i] > 'Z') {
                abort();
            }
        }
    }
    for (int d = 0; d <= 4; d++) {
        int64_t minor = 0;
        const char *why = NULL;
        if (desk_money_parse(amount, d, &minor, &why) != 0) {
            if (!why) {
                abort();
            }
            continue;
        }
        if (minor <= 0 || minor > DESK_MONEY_MAX) {
            abort();
        }
        struct desk_arena a;
        int64_t again = 0;
        desk_arena_init(&a);
        if (desk_money_parse(desk_money_format(&a, minor, d), d, &again, &why) != 0 ||
            again != minor) {
            abort();
        }
        desk_arena_release(&a);
    }
    free(text);
    return 0;
}
