/*
 * libFuzzer target for macro text (src/model/macro.c): any bytes as a
 * macro's reply text and a ticket language, rendered with placeholders.
 * Asserts the promises: the output is a terminated string, text without
 * "{{" comes back unchanged, and the picked variant is one of the macro's.
 * Corpus: tests/fuzz/corpus/macro/.
 */
#include "core/arena.h"
#include "model/macro.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct desk_arena a;
    desk_arena_init(&a);
    /* The first line is the language, the rest the text. */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ll = nl ? (size_t)(nl - data) : 0;
    char *lang = desk_arena_strndup(&a, (const char *)data, ll);
    char *text =
        desk_arena_strndup(&a, (const char *)data + (nl ? ll + 1 : 0), size - (nl ? ll + 1 : 0));
    struct desk_macro_variant v[] = {{"cs", text}, {"pt-br", "x {{ticket.id}}"}};
    struct desk_macro m = {.comment = text, .variants = v, .n_variants = 2};
    const char *picked;
    const char *chosen = desk_macro_pick(&m, lang, &picked);
    if (picked && picked != v[0].language && picked != v[1].language) {
        abort();
    }
    if (!chosen) {
        abort();
    }
    struct desk_macro_vars vars = {.ticket_id = 42,
                                   .ticket_subject = lang,
                                   .requester_name = "Jana {{ticket.id}} Nováková",
                                   .agent_name = text};
    char *out = desk_macro_render(&a, text, &vars);
    size_t n = strlen(out);
    if (!strstr(text, "{{") && (n != strlen(text) || memcmp(out, text, n) != 0)) {
        abort();
    }
    desk_arena_release(&a);
    return 0;
}
