/*
 * Fuzz target: a request body as POST/PUT /api/v2/tickets receives it —
 * the depth check, jansson parsing and every type-checked field reader.
 */
#include "api/api_int.h"

#include <stdint.h>
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
    if (api_body(&req, &resp, "ticket", &doc, &obj) == 0) {
        struct desk_ticket_input in;
        struct desk_fail fail = {0};
        api_ticket_input(&req, obj, &in, &fail);
        json_decref(doc);
    }
    desk_arena_release(&a);
    return 0;
}
