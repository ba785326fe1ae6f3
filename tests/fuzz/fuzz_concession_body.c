/*
 * Fuzz target: a request body as POST /api/v2/tickets/{id}/concessions and
 * PUT /api/v2/tickets/{id} receive it — the depth check, jansson parsing,
 * the proposal reader, and the ticket reader with its held-reply and
 * resolution fields — then the use case's exact checks on what was read
 * (amount against the currency's digits). Corpus:
 * tests/fuzz/corpus/concession_body/.
 */
#include "api/concessions_int.h"
#include "app/concessions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct desk_arena a;
    struct desk_req req;
    struct desk_resp resp;
    json_t *doc, *obj;
    desk_arena_init(&a);
    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.arena = &a;
    req.base = "http://127.0.0.1/api/v2";
    req.body = (const char *)data;
    req.body_len = size;
    if (api_body(&req, &resp, "concession", &doc, &obj) == 0) {
        struct desk_concession_input in;
        struct desk_fail fail = {0};
        if (api_concession_input(&req, obj, &in, &fail) == 0 && in.amount) {
            char code[4];
            int digits = 2;
            int64_t minor;
            const char *why = NULL;
            if (in.currency && desk_currency_check(in.currency, code, &digits) != 0) {
                digits = 2;
            }
            if (desk_money_parse(in.amount, digits, &minor, &why) == 0 &&
                (minor <= 0 || minor > DESK_MONEY_MAX)) {
                abort();
            }
        }
        struct desk_ticket_input tin = {0};
        if (api_concessions_ticket_input(&req, obj, &tin, &fail) == 0 && tin.resolution) {
            for (size_t i = 0; i < tin.resolution->n_fields; i++) {
                if (!tin.resolution->fields[i].name) {
                    abort();
                }
            }
        }
        json_decref(doc);
    }
    desk_arena_release(&a);
    return 0;
}
