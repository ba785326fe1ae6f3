/*
 * Fuzz target: a staff profile body as PUT /api/v2/staff/{id} and the
 * invitation endpoint receive it — jansson parsing, the profile reader
 * (languages, capacity, schedule, training, skills) — then every language
 * tag through ICU and the schedule through the model, as the use case
 * would check them.
 */
#include "api/api_int.h"
#include "api/team.h"
#include "model/staff.h"

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
    if (api_body(&req, &resp, "staff", &doc, &obj) == 0) {
        struct desk_staff_input in;
        struct desk_fail fail = {0};
        if (desk_api_staff_input(&req, obj, &in, &fail) == 0) {
            for (size_t i = 0; i < in.n_langs; i++) {
                char canon[64], primary[4];
                desk_lang_canon(in.langs[i].tag, canon, sizeof(canon), primary);
                desk_lang_key(in.langs[i].tag);
            }
            struct desk_work_schedule s = {0};
            for (size_t i = 0; i < in.n_shifts; i++) {
                desk_schedule_add(&s, in.shifts[i].day, in.shifts[i].start, in.shifts[i].end);
            }
            if (in.schedule_zone) {
                desk_zone_valid(in.schedule_zone);
            }
            for (size_t i = 0; i < in.n_caps; i++) {
                desk_channel_valid(in.caps[i].channel);
            }
        }
        json_decref(doc);
    }
    /* The stored schedule text is parsed back on every routing decision. */
    char text[256];
    size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    struct desk_work_schedule s;
    struct desk_shift shifts[DESK_SHIFTS_MAX];
    size_t n_shifts;
    desk_schedule_parse(text, &s, shifts, &n_shifts);
    desk_arena_release(&a);
    return 0;
}
