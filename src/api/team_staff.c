/*
 * /api/v2/staff: profiles (GET/PUT /staff/{id}, GET /staff), availability
 * with its history, lifecycle events, offboarding, suspension,
 * reinstatement, graduation, and invitations with their public accept
 * link. Supervisor-only notes never reach an agent's answer.
 */
#include "api/api_int.h"
#include "api/team.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

/* ---- reading a profile from the wire -------------------------------------- */

static int bad(struct desk_req *req, struct desk_fail *f, const char *field, const char *what)
{
    return desk_fail(f, DESK_EINVALID, field, "InvalidType",
                     desk_arena_printf(req->arena, "%s: %s", field, what));
}

/* A skill id: Zendesk sends them as strings, desk's are numeric; both are accepted. */
static int value_id(json_t *v, int64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (desk_str_to_i64(s, strlen(s), out) == 0 && *out > 0) {
            return 0;
        }
    }
    return DESK_EINVAL;
}

static int in_value_ids(struct desk_req *req, json_t *o, const char *key, int64_t **out, size_t *n,
                        bool *has, struct desk_fail *f)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        return 0;
    }
    *has = true;
    *n = 0;
    if (json_is_null(v)) {
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > 100) {
        return bad(req, f, key, "must be an array of at most 100 skill ids");
    }
    *out = desk_arena_alloc(req->arena, (json_array_size(v) + 1) * sizeof(int64_t));
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (value_id(json_array_get(v, i), &(*out)[i]) != 0) {
            return bad(req, f, key, "must be an array of skill ids");
        }
    }
    *n = json_array_size(v);
    return 0;
}

static int in_langs(struct desk_req *req, json_t *o, struct desk_staff_input *in,
                    struct desk_fail *f)
{
    json_t *v = json_object_get(o, "languages");
    if (!v) {
        return 0;
    }
    in->has_langs = true;
    if (json_is_null(v)) {
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > 20) {
        return bad(req, f, "languages",
                   "must be an array of at most 20 {\"tag\", \"proficiency\"} objects");
    }
    size_t n = json_array_size(v);
    in->langs = desk_arena_alloc(req->arena, (n + 1) * sizeof(*in->langs));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(v, i), *tag, *prof;
        struct desk_staff_lang *l = &in->langs[i];
        l->proficiency = DESK_PROF_FLUENT;
        if (json_is_string(x)) {
            tag = x;
            prof = NULL;
        } else if (json_is_object(x)) {
            tag = json_object_get(x, "tag");
            prof = json_object_get(x, "proficiency");
        } else {
            return bad(req, f, "languages",
                       "each item must be a tag or {\"tag\", \"proficiency\"}");
        }
        if (!json_is_string(tag)) {
            return bad(req, f, "languages", "each language needs a tag such as \"cs\"");
        }
        l->tag = desk_arena_strdup(req->arena, json_string_value(tag));
        if (prof && !json_is_null(prof) &&
            (!json_is_string(prof) ||
             desk_proficiency_parse(json_string_value(prof), &l->proficiency) != 0)) {
            return desk_fail(f, DESK_EINVALID, "languages", "InvalidValue",
                             "languages: proficiency must be basic, intermediate, fluent or "
                             "native");
        }
    }
    in->n_langs = n;
    return 0;
}

static int in_caps(struct desk_req *req, json_t *o, struct desk_staff_input *in,
                   struct desk_fail *f)
{
    json_t *v = json_object_get(o, "capacity");
    if (!v) {
        return 0;
    }
    in->has_caps = true;
    if (json_is_null(v)) {
        return 0;
    }
    if (!json_is_object(v) || json_object_size(v) > 16) {
        return bad(req, f, "capacity",
                   "must be an object of channel: tickets, e.g. {\"email\": 8}");
    }
    in->caps = desk_arena_alloc(req->arena, (json_object_size(v) + 1) * sizeof(*in->caps));
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x)
    {
        struct desk_staff_capacity *cp = &in->caps[in->n_caps++];
        cp->channel = desk_arena_strdup(req->arena, key);
        if (!json_is_integer(x)) {
            return desk_fail(f, DESK_EINVALID, "capacity", "InvalidValue",
                             desk_arena_printf(req->arena,
                                               "capacity: %s must be a whole number of tickets",
                                               cp->channel));
        }
        json_int_t n = json_integer_value(x);
        cp->capacity = n > 1000000 ? 1000000 : n < -1 ? -1 : (int)n;
    }
    return 0;
}

static int in_schedule(struct desk_req *req, json_t *o, struct desk_staff_input *in,
                       struct desk_fail *f)
{
    json_t *v = json_object_get(o, "schedule");
    if (!v) {
        return 0;
    }
    in->has_schedule = in->has_schedule_zone = true;
    if (json_is_null(v)) {
        return 0; /* no schedule: always on shift */
    }
    json_t *zone = json_object_get(v, "time_zone"), *shifts = json_object_get(v, "shifts");
    if (!json_is_object(v) || (zone && !json_is_null(zone) && !json_is_string(zone)) ||
        !json_is_array(shifts) || json_array_size(shifts) > DESK_SHIFTS_MAX) {
        return bad(req, f, "schedule",
                   "must be {\"time_zone\": \"Europe/Prague\", \"shifts\": [{\"day\": \"mon\", "
                   "\"start\": \"09:00\", \"end\": \"17:00\"}]} with at most 14 shifts");
    }
    in->schedule_zone =
        json_is_string(zone) ? desk_arena_strdup(req->arena, json_string_value(zone)) : NULL;
    size_t n = json_array_size(shifts);
    in->shifts = desk_arena_alloc(req->arena, (n + 1) * sizeof(*in->shifts));
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(shifts, i);
        json_t *day = json_object_get(s, "day"), *start = json_object_get(s, "start"),
               *end = json_object_get(s, "end");
        struct desk_shift *sh = &in->shifts[i];
        if (!json_is_object(s) || !json_is_string(day) || !json_is_string(start) ||
            !json_is_string(end) || (sh->day = desk_schedule_day(json_string_value(day))) < 0 ||
            desk_schedule_hhmm(json_string_value(start), &sh->start) != 0 ||
            desk_schedule_hhmm(json_string_value(end), &sh->end) != 0) {
            return desk_fail(f, DESK_EINVALID, "schedule", "InvalidValue",
                             "schedule: each shift needs a day (mon..sun) and a start and end "
                             "as HH:MM");
        }
    }
    in->n_shifts = n;
    return 0;
}

static int in_training(struct desk_req *req, json_t *o, struct desk_staff_input *in,
                       struct desk_fail *f)
{
    json_t *v = json_object_get(o, "training");
    if (!v) {
        return 0;
    }
    in->has_training = true;
    if (json_is_null(v)) {
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) > 100) {
        return bad(req, f, "training",
                   "must be an array of at most 100 {\"course\", \"completed_at\"} objects");
    }
    size_t n = json_array_size(v);
    in->training = desk_arena_alloc(req->arena, (n + 1) * sizeof(*in->training));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(v, i);
        struct desk_staff_training *t = &in->training[i];
        int rc;
        if (!json_is_object(x)) {
            return bad(req, f, "training", "each record must be an object");
        }
        if ((rc = api_in_str(req, x, "course", 255, &t->course, NULL, f)) != 0 ||
            (rc = api_in_time(req, x, "completed_at", &t->completed_at, NULL, f)) != 0) {
            return rc;
        }
    }
    in->n_training = n;
    return 0;
}

int desk_api_staff_input(struct desk_req *req, json_t *o, struct desk_staff_input *in,
                         struct desk_fail *f)
{
    int rc = 0;
    memset(in, 0, sizeof(*in));
    rc = rc ? rc : api_in_str(req, o, "hire_date", 10, &in->hire_date, &in->has_hire_date, f);
    rc = rc ? rc : api_in_id(req, o, "mentor_id", &in->mentor_id, &in->has_mentor_id, f);
    rc = rc ? rc : api_in_bool(req, o, "trainee", &in->trainee, &in->has_trainee, f);
    rc = rc ? rc
            : api_in_str(req, o, "supervisor_notes", 65536, &in->supervisor_notes,
                         &in->has_supervisor_notes, f);
    rc =
        rc ? rc
           : api_in_bool(req, o, "routing_paused", &in->routing_paused, &in->has_routing_paused, f);
    rc = rc ? rc : api_in_bool(req, o, "auto_offline", &in->auto_offline, &in->has_auto_offline, f);
    rc = rc ? rc
            : in_value_ids(req, o, "attribute_value_ids", &in->skills, &in->n_skills,
                           &in->has_skills, f);
    rc = rc ? rc : in_langs(req, o, in, f);
    rc = rc ? rc : in_caps(req, o, in, f);
    rc = rc ? rc : in_schedule(req, o, in, f);
    rc = rc ? rc : in_training(req, o, in, f);
    return rc;
}

/* ---- rendering ------------------------------------------------------------- */

static json_t *value_id_json(int64_t id)
{
    char s[24];
    snprintf(s, sizeof(s), "%lld", (long long)id);
    return json_string(s);
}

static json_t *schedule_json(const struct desk_staff_view *v)
{
    struct desk_work_schedule s;
    struct desk_shift shifts[DESK_SHIFTS_MAX];
    size_t n = 0;
    const struct desk_staff_profile *p = &v->profile;
    if (!p->schedule || desk_schedule_parse(p->schedule, &s, shifts, &n) != 0) {
        return json_null();
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char text[16];
        desk_shift_format(&shifts[i], text); /* "mon 09:00-17:00" */
        text[3] = text[9] = '\0';
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s}", "day", text, "start", text + 4, "end", text + 10));
    }
    return json_pack("{s:o,s:o}", "time_zone",
                     api_str(p->schedule_zone ? p->schedule_zone : v->user.time_zone), "shifts",
                     arr);
}

static json_t *availability_json(const struct desk_staff_view *v)
{
    return json_pack("{s:I,s:s,s:o,s:b,s:I}", "user_id", (json_int_t)v->user.id, "status",
                     desk_avail_name(v->profile.availability), "since",
                     api_time(v->profile.availability_at), "on_shift", v->on_shift, "load",
                     (json_int_t)v->load);
}

static json_t *staff_json(struct desk_req *req, const struct desk_staff_view *v)
{
    const struct desk_staff_profile *p = &v->profile;
    const struct desk_user *u = &v->user;
    json_t *o = json_object();
    json_object_set_new(o, "user_id", json_integer(u->id));
    json_object_set_new(o, "url", json_string(api_url(req, "staff/%lld.json", (long long)u->id)));
    json_object_set_new(o, "name", api_str(u->name));
    json_object_set_new(o, "email", api_str(u->email));
    json_object_set_new(o, "desk_role", json_string(desk_role_name(u->role)));
    json_object_set_new(o, "state", json_string(desk_staff_state_name(p->state)));
    json_object_set_new(o, "hire_date", api_str(p->hire_date));
    json_t *langs = json_array();
    for (size_t i = 0; i < p->n_langs; i++) {
        json_array_append_new(langs, json_pack("{s:s,s:s}", "tag", p->langs[i].tag, "proficiency",
                                               desk_proficiency_name(p->langs[i].proficiency)));
    }
    json_object_set_new(o, "languages", langs);
    json_t *caps = json_object();
    for (size_t i = 0; i < p->n_caps; i++) {
        json_object_set_new(caps, p->caps[i].channel, json_integer(p->caps[i].capacity));
    }
    json_object_set_new(o, "capacity", caps);
    json_t *skills = json_array();
    for (size_t i = 0; i < p->n_skills; i++) {
        json_array_append_new(skills, value_id_json(p->skills[i]));
    }
    json_object_set_new(o, "attribute_value_ids", skills);
    json_object_set_new(o, "schedule", schedule_json(v));
    json_object_set_new(o, "on_shift", json_boolean(v->on_shift));
    json_object_set_new(o, "mentor_id", api_id(p->mentor_id));
    json_object_set_new(o, "trainee", json_boolean(p->trainee));
    json_t *training = json_array();
    for (size_t i = 0; i < p->n_training; i++) {
        json_array_append_new(training,
                              json_pack("{s:I,s:s,s:o}", "id", (json_int_t)p->training[i].id,
                                        "course", p->training[i].course, "completed_at",
                                        api_time(p->training[i].completed_at)));
    }
    json_object_set_new(o, "training", training);
    if (v->show_notes) {
        json_object_set_new(o, "supervisor_notes", api_str(p->supervisor_notes));
    }
    json_object_set_new(o, "routing_paused", json_boolean(p->routing_paused));
    json_object_set_new(o, "auto_offline", json_boolean(p->auto_offline));
    json_object_set_new(o, "availability", availability_json(v));
    json_object_set_new(o, "last_assigned_at", api_time(p->last_assigned_at));
    json_object_set_new(o, "created_at", api_time(p->created_at));
    json_object_set_new(o, "updated_at", api_time(p->updated_at));
    return o;
}

static void send_staff(struct desk_req *req, struct desk_resp *resp, int rc,
                       const struct desk_staff_view *v, const struct desk_fail *fail)
{
    if (rc) {
        desk_api_error(req, resp, rc, fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "staff", staff_json(req, v)));
}

/* ---- handlers ---------------------------------------------------------------- */

void desk_api_staff_list(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_staff_view *items;
    int state = -1;
    const char *s = desk_api_param(req, "state");
    if (api_page(req, resp, &p)) {
        return;
    }
    if (s) {
        static const char *const names[] = {"invited", "active", "suspended", "offboarded"};
        for (int i = 0; i < 4 && state < 0; i++) {
            state = strcmp(s, names[i]) == 0 ? i : -1;
        }
        if (state < 0) {
            struct desk_fail fail = {0};
            desk_fail(&fail, DESK_EINVAL, "state", "InvalidValue",
                      "state: must be invited, active, suspended or offboarded");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return;
        }
    }
    int rc = desk_app_staff_list(req->app, &req->who, req->arena, state, &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        json_array_append_new(arr, staff_json(req, &items[i]));
    }
    api_send_list(req, resp, "staff", arr, &p, &out, out.n ? items[0].user.id : 0,
                  out.n ? items[out.n - 1].user.id : 0);
}

void desk_api_staff_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_staff_view v;
    int rc = desk_app_staff_get(req->app, &req->who, req->arena, req->ids[0], &v);
    send_staff(req, resp, rc, &v, NULL);
}

void desk_api_staff_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_staff_input in;
    struct desk_staff_view v;
    struct desk_fail fail = {0};
    if (api_body(req, resp, "staff", &doc, &o)) {
        return;
    }
    int rc = desk_api_staff_input(req, o, &in, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_staff_put(req->app, &req->who, req->arena, req->ids[0], &in, &v, &fail);
    }
    send_staff(req, resp, rc, &v, &fail);
}

void desk_api_staff_availability_show(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_staff_view v;
    int rc = desk_app_staff_get(req->app, &req->who, req->arena, req->ids[0], &v);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "availability", availability_json(&v)));
}

void desk_api_staff_availability_update(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_staff_view v;
    struct desk_fail fail = {0};
    const char *status = NULL, *reason = NULL;
    int st = -1;
    if (api_body(req, resp, "availability", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "status", 16, &status, NULL, &fail);
    rc = rc ? rc : api_in_str(req, o, "reason", 255, &reason, NULL, &fail);
    json_decref(doc);
    if (!rc && (!status || desk_avail_parse(status, &st) != 0)) {
        rc = desk_fail(&fail, DESK_EINVALID, "status", "InvalidValue",
                       "status: must be online, away, busy or offline");
    }
    if (!rc) {
        rc = desk_app_staff_availability(req->app, &req->who, req->arena, req->ids[0], st, reason,
                                         &v, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "availability", availability_json(&v)));
}

void desk_api_staff_availability_history(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_staff_avail_change *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_staff_availability_log(req->app, &req->who, req->arena, req->ids[0], &p,
                                             &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        const struct desk_staff_avail_change *ch = &items[i];
        json_array_append_new(arr, json_pack("{s:I,s:I,s:s,s:o,s:o,s:o,s:o}", "id",
                                             (json_int_t)ch->id, "user_id", (json_int_t)ch->user_id,
                                             "status", desk_avail_name(ch->status), "previous",
                                             api_str(desk_avail_name(ch->previous)), "actor_id",
                                             api_id(ch->actor_id), "reason", api_str(ch->reason),
                                             "created_at", api_time(ch->created_at)));
    }
    api_send_list(req, resp, "availability_changes", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

void desk_api_staff_events(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_page p;
    struct desk_page_out out;
    struct desk_staff_event *items;
    if (api_page(req, resp, &p)) {
        return;
    }
    int rc = desk_app_staff_events(req->app, &req->who, req->arena, req->ids[0], &p, &items, &out);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < out.n; i++) {
        const struct desk_staff_event *e = &items[i];
        json_array_append_new(
            arr, json_pack("{s:I,s:I,s:o,s:s,s:o,s:o}", "id", (json_int_t)e->id, "user_id",
                           (json_int_t)e->user_id, "actor_id", api_id(e->actor_id), "type", e->type,
                           "detail", api_str(e->detail), "created_at", api_time(e->created_at)));
    }
    api_send_list(req, resp, "staff_events", arr, &p, &out, out.n ? items[0].id : 0,
                  out.n ? items[out.n - 1].id : 0);
}

/* An optional body {root: {...}}: an empty body is an empty object. */
static int optional_body(struct desk_req *req, struct desk_resp *resp, const char *root,
                         json_t **doc, json_t **o)
{
    if (!req->body_len) {
        *doc = json_object();
        *o = *doc;
        return 0;
    }
    return api_body(req, resp, root, doc, o);
}

void desk_api_staff_offboard(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_offboard_result res;
    int64_t to = 0;
    const char *to_email = NULL;
    if (optional_body(req, resp, "offboarding", &doc, &o)) {
        return;
    }
    int rc = api_in_id(req, o, "reassign_to", &to, NULL, &fail);
    rc = rc ? rc : api_in_str(req, o, "reassign_to_email", 254, &to_email, NULL, &fail);
    json_decref(doc);
    if (!rc && to_email) {
        struct desk_conn *c;
        struct desk_user u;
        rc = desk_app_reader(req->app, &c);
        if (!rc && desk_store_user_by_email(c, req->arena, to_email, &u) != 0) {
            rc = desk_fail(&fail, DESK_EINVALID, "reassign_to_email", "InvalidValue",
                           "Reassign to: no user has this email");
        }
        to = rc ? 0 : u.id;
    }
    if (!rc) {
        rc = desk_app_staff_offboard(req->app, &req->who, req->arena, req->ids[0], to, &res, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    json_t *ids = json_array();
    for (size_t i = 0; i < res.n_tickets; i++) {
        json_array_append_new(ids, json_integer(res.tickets[i]));
    }
    json_t *cids = json_array();
    for (size_t i = 0; i < res.n_commitments; i++) {
        json_array_append_new(cids, json_integer(res.commitments[i]));
    }
    api_send(req, resp, 200,
             json_pack("{s:{s:I,s:s,s:b,s:o,s:o,s:o}}", "offboarding", "user_id",
                       (json_int_t)res.user.id, "state", "offboarded", "active", res.user.active,
                       "reassigned_to", api_id(res.reassigned_to), "ticket_ids", ids,
                       "commitment_ids", cids));
}

static void lifecycle(struct desk_req *req, struct desk_resp *resp, int action)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_staff_view v;
    const char *reason = NULL;
    if (optional_body(req, resp, "staff", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "reason", 1000, &reason, NULL, &fail);
    json_decref(doc);
    if (!rc) {
        rc = action == 2
                 ? desk_app_staff_graduate(req->app, &req->who, req->arena, req->ids[0], &v, &fail)
                 : desk_app_staff_suspend(req->app, &req->who, req->arena, req->ids[0], action == 0,
                                          reason, &v, &fail);
    }
    send_staff(req, resp, rc, &v, &fail);
}

void desk_api_staff_suspend(struct desk_req *req, struct desk_resp *resp)
{
    lifecycle(req, resp, 0);
}

void desk_api_staff_reinstate(struct desk_req *req, struct desk_resp *resp)
{
    lifecycle(req, resp, 1);
}

void desk_api_staff_graduate(struct desk_req *req, struct desk_resp *resp)
{
    lifecycle(req, resp, 2);
}

void desk_api_staff_invite(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_invite_input in = {0};
    struct desk_invite_result res;
    bool has_role = false;
    if (api_body(req, resp, "invitation", &doc, &o)) {
        return;
    }
    in.role = DESK_ROLE_AGENT;
    int rc = api_in_str(req, o, "email", 254, &in.email, NULL, &fail);
    rc = rc ? rc : api_in_str(req, o, "name", 0, &in.name, NULL, &fail);
    rc = rc ? rc : api_in_enum(req, o, "role", desk_role_parse, &in.role, &has_role, &fail);
    bool has_groups = false;
    rc = rc ? rc
            : api_in_ids(req, o, "group_ids", &in.group_ids, &in.n_group_ids, &has_groups, &fail);
    rc = rc ? rc : desk_api_staff_input(req, o, &in.staff, &fail);
    rc = rc ? rc : api_in_str(req, o, "locale", 64, &in.locale, NULL, &fail);
    json_decref(doc);
    /* The mailed link points at the origin the inviter used unless a public URL is set. */
    size_t blen = req->base ? strlen(req->base) : 0;
    if (blen > 7 && strcmp(req->base + blen - 7, "/api/v2") == 0) {
        in.origin = desk_arena_strndup(req->arena, req->base, blen - 7);
    }
    if (!rc) {
        rc = desk_app_staff_invite(req->app, &req->who, req->arena, &in, &res, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    /* The token is returned once to the inviter, and mailed to the invitee: link is the page
     * to set the password, accept_url the API endpoint behind it. */
    const char *accept = api_url(req, "staff/invitations/%s/accept.json", res.token);
    resp->location = api_url(req, "staff/%lld.json", (long long)res.user.id);
    api_send(req, resp, 201,
             json_pack("{s:{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s?,s:b,s:o}}", "invitation", "id",
                       (json_int_t)res.invitation.id, "user_id", (json_int_t)res.user.id, "email",
                       res.user.email, "name", res.user.name, "role", desk_role_name(res.user.role),
                       "created_at", api_time(res.invitation.created_at), "expires_at",
                       api_time(res.invitation.expires_at), "token", res.token, "accept_url",
                       accept, "link", res.link, "mailed", res.mailed, "outbox_id",
                       api_id(res.outbox_id)));
}

void desk_api_staff_invitations(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_staff_invitation *items;
    size_t n;
    int rc = desk_app_staff_invitations(req->app, &req->who, req->arena, &items, &n);
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, json_pack("{s:I,s:I,s:o,s:o,s:o}", "id", (json_int_t)items[i].id,
                                             "user_id", (json_int_t)items[i].user_id, "invited_by",
                                             api_id(items[i].invited_by), "created_at",
                                             api_time(items[i].created_at), "expires_at",
                                             api_time(items[i].expires_at)));
    }
    api_send(req, resp, 200, json_pack("{s:o,s:I}", "invitations", arr, "count", (json_int_t)n));
}

void desk_api_staff_invite_accept(struct desk_req *req, struct desk_resp *resp)
{
    json_t *doc, *o;
    struct desk_fail fail = {0};
    struct desk_user u;
    const char *password = NULL;
    if (api_body(req, resp, "invitation", &doc, &o)) {
        return;
    }
    int rc = api_in_str(req, o, "password", 1024, &password, NULL, &fail);
    json_decref(doc);
    if (!rc) {
        rc = desk_app_staff_invite_accept(req->app, req->arena, req->sid, password, &u, &fail);
    }
    if (password) {
        explicit_bzero((char *)password, strlen(password));
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    api_send(req, resp, 200, json_pack("{s:o}", "user", api_user_json(req, &u)));
}

/* ---- the user extension ------------------------------------------------------ */

void desk_api_team_user_ext(struct desk_req *req, const struct desk_user *u, json_t *o)
{
    struct desk_conn *c;
    struct desk_staff_profile p;
    if (!desk_role_is_staff(req->who.role) || !desk_role_is_staff(u->role) ||
        desk_app_reader(req->app, &c) != 0) {
        return;
    }
    int rc = desk_store_staff_get(c, req->arena, u->id, &p);
    if (rc == DESK_ENOTFOUND) {
        memset(&p, 0, sizeof(p));
        p.state = DESK_STAFF_ACTIVE;
        p.availability = DESK_AVAIL_OFFLINE;
    } else if (rc) {
        return;
    }
    json_object_set_new(
        o, "staff",
        json_pack("{s:s,s:s,s:b,s:o}", "state",
                  desk_staff_state_name(u->active                       ? p.state
                                        : p.state == DESK_STAFF_INVITED ? DESK_STAFF_INVITED
                                                                        : DESK_STAFF_OFFBOARDED),
                  "availability", desk_avail_name(p.availability), "trainee", p.trainee,
                  "mentor_id", api_id(p.mentor_id)));
}
