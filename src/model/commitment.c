/*
 * The rules of commitments (see commitment.h): state names, allowed state
 * changes, and the scheduler's timing decisions.
 */
#include "model/commitment.h"
#include "core/str.h"

#include <string.h>

static const char *const states[] = {"open", "done", "missed", "cancelled"};

const char *desk_commitment_state_name(int state)
{
    return state >= 0 && state < (int)(sizeof(states) / sizeof(states[0])) ? states[state] : NULL;
}

int desk_commitment_state_parse(const char *s, int *out)
{
    for (int i = 0; s && i < (int)(sizeof(states) / sizeof(states[0])); i++) {
        if (desk_str_ieq(s, strlen(s), states[i])) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

int desk_commitment_transition(int from, int to, bool by_system, struct desk_fail *fail)
{
    if (from == to) {
        return 0;
    }
    bool ok = false;
    switch (from) {
    case DESK_CMT_OPEN:
        ok =
            to == DESK_CMT_DONE || to == DESK_CMT_CANCELLED || (to == DESK_CMT_MISSED && by_system);
        break;
    case DESK_CMT_MISSED:
        ok = to == DESK_CMT_DONE || to == DESK_CMT_CANCELLED;
        break;
    default:
        ok = false;
        break;
    }
    if (ok) {
        return 0;
    }
    if (to == DESK_CMT_MISSED) {
        return desk_fail(fail, DESK_EINVALID, "state", "InvalidValue",
                         "State: a commitment becomes missed only when its due time passes");
    }
    if (to == DESK_CMT_OPEN) {
        return desk_fail(fail, DESK_EINVALID, "state", "InvalidValue",
                         "State: a commitment cannot be reopened; make a new one");
    }
    return desk_fail(fail, DESK_EINVALID, "state", "InvalidValue",
                     from == DESK_CMT_DONE ? "State: the commitment is already done"
                                           : "State: the commitment was cancelled");
}

int64_t desk_commitment_remind_at(int64_t due_at, int64_t lead_ms, int64_t now)
{
    if (lead_ms <= 0 || due_at - lead_ms <= now) {
        return 0;
    }
    return due_at - lead_ms;
}

int64_t desk_commitment_next_at(const struct desk_commitment *cm)
{
    if (cm->state != DESK_CMT_OPEN) {
        return 0;
    }
    if (cm->remind_at && !cm->reminded_at && cm->remind_at < cm->due_at) {
        return cm->remind_at;
    }
    return cm->due_at;
}

enum desk_commitment_action desk_commitment_due_action(const struct desk_commitment *cm,
                                                       int64_t now)
{
    if (cm->state != DESK_CMT_OPEN) {
        return DESK_CMT_WAIT;
    }
    if (cm->due_at <= now) {
        return DESK_CMT_MISS;
    }
    if (cm->remind_at && !cm->reminded_at && cm->remind_at <= now) {
        return DESK_CMT_REMIND;
    }
    return DESK_CMT_WAIT;
}
