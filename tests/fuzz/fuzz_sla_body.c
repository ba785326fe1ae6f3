/*
 * Fuzz target: a request body as the SLA endpoints receive it — POST/PUT
 * /api/v2/business_hours/schedules ({"schedule": ...}), holidays
 * ({"holiday": ...}) and /api/v2/slas/policies ({"sla_policy": ...}):
 * jansson parsing, the field readers, then the model's validation
 * (desk_schedule_compile, desk_sla_policy_check). Asserts that every
 * refusal names a field. Corpus: tests/fuzz/corpus/sla_body/.
 */
#include "api/sla_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fail(int rc, const struct desk_fail *fail)
{
    if (rc && rc != DESK_EINVALID && rc != DESK_EINVAL) {
        abort();
    }
    if (rc == DESK_EINVALID && (fail->n == 0 || !fail->items[0].field)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const roots[] = {"schedule", "holiday", "sla_policy"};
    for (int k = 0; k < 3; k++) {
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
        if (api_body(&req, &resp, roots[k], &doc, &obj) == 0) {
            struct desk_fail fail = {0};
            int rc;
            if (k == 0) {
                struct desk_schedule_input in;
                rc = api_sla_schedule_input(&req, obj, &in, &fail);
                if (!rc && in.has_intervals) {
                    struct desk_schedule s = {.name = "x",
                                              .time_zone = in.time_zone ? in.time_zone : "UTC",
                                              .intervals = in.intervals,
                                              .n_intervals = in.n_intervals};
                    struct desk_bh *bh = NULL;
                    rc = desk_schedule_compile(&s, &a, &bh, &fail);
                    desk_bh_free(bh);
                }
            } else if (k == 1) {
                struct desk_holiday_input in;
                rc = api_sla_holiday_input(&req, obj, &in, &fail);
            } else {
                struct desk_sla_policy p;
                rc = api_sla_policy_input(&req, obj, NULL, &p, &fail);
                if (!rc) {
                    rc = desk_sla_policy_check(&p, &a, &fail);
                }
            }
            check_fail(rc, &fail);
            json_decref(doc);
        }
        desk_arena_release(&a);
    }
    return 0;
}
