/*
 * Inside api/sla.c: the readers of SLA request bodies, shared with the fuzz
 * target (tests/fuzz/fuzz_sla_body.c).
 */
#ifndef DESK_API_SLA_INT_H
#define DESK_API_SLA_INT_H

#include "api/api_int.h"
#include "app/sla.h"

/*
 * Reads a schedule object (name, time_zone, default, intervals, group_ids,
 * organization_ids) into in; strings and arrays in req's arena. Returns 0
 * or DESK_EINVALID with f naming the field.
 */
int api_sla_schedule_input(struct desk_req *req, json_t *o, struct desk_schedule_input *in,
                           struct desk_fail *f);

/* Reads a holiday object (name, start_date, end_date, yearly). */
int api_sla_holiday_input(struct desk_req *req, json_t *o, struct desk_holiday_input *in,
                          struct desk_fail *f);

/*
 * Reads a policy object into p; with base (an update), fields the object
 * leaves out keep base's values. Validation is desk_sla_policy_check's.
 */
int api_sla_policy_input(struct desk_req *req, json_t *o, const struct desk_sla_policy *base,
                         struct desk_sla_policy *p, struct desk_fail *f);

#endif
