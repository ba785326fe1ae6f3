/*
 * Staff profiles and availability: reading a profile (supervisor-only notes
 * for supervisors and admins), changing it with every field checked
 * (languages through ICU, capacity, mentor, schedule, skills), listing the
 * staff, and availability changes recorded with their time and reason.
 */
#include "app/team_int.h"
#include "core/log.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

#define MAX_LANGS    20
#define MAX_CAPS     16
#define MAX_TRAINING 100
#define MAX_SKILLS   100
#define MAX_CAPACITY 1000

int team_ceiling(int role)
{
    return role == DESK_ROLE_ADMIN        ? DESK_ROLE_ADMIN
           : role == DESK_ROLE_SUPERVISOR ? DESK_ROLE_SUPERVISOR
                                          : -1;
}

bool team_may_manage(const struct desk_actor *who, const struct desk_user *target)
{
    return target->role <= team_ceiling(who->role);
}

int team_profile_load(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                      struct desk_staff_profile *out, bool *stored)
{
    int rc = desk_store_staff_get(c, a, user_id, out);
    *stored = rc == 0;
    if (rc == DESK_ENOTFOUND) {
        memset(out, 0, sizeof(*out));
        out->user_id = user_id;
        out->state = DESK_STAFF_ACTIVE;
        out->availability = DESK_AVAIL_OFFLINE;
        rc = 0;
    }
    return rc;
}

int team_event(struct desk_conn *c, int64_t user_id, const struct desk_actor *who, const char *type,
               const char *detail, int64_t now)
{
    struct desk_staff_event e = {0, user_id, who->user_id, type, detail, now};
    return desk_store_staff_event_add(c, &e);
}

int team_set_availability(struct desk_conn *c, struct desk_staff_profile *p, int status,
                          const struct desk_actor *who, const char *reason, int64_t now)
{
    if (p->availability == status && p->availability_at) {
        return 0;
    }
    struct desk_staff_avail_change ch = {
        0,      p->user_id, status, p->availability_at ? p->availability : -1, who->user_id,
        reason, now};
    p->availability = status;
    p->availability_at = now;
    return desk_store_staff_avail_log(c, &ch);
}

/* Hire dates are calendar dates: "YYYY-MM-DD", a real day. */
static bool date_valid(const char *s)
{
    int64_t ms;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    if (desk_time_parse(s, 10, &ms) != 0) {
        return false;
    }
    /* desk_time_parse normalizes 02-30 to March: print it back and compare. */
    char iso[21];
    desk_time_iso(ms, iso);
    return strncmp(iso, s, 10) == 0;
}

static int check_mentor(struct desk_conn *c, struct desk_arena *a, const struct desk_user *u,
                        int64_t mentor_id, struct desk_fail *fail)
{
    struct desk_user m;
    struct desk_staff_profile mp;
    bool stored;
    if (mentor_id == u->id) {
        return desk_fail(fail, DESK_EINVALID, "mentor_id", "InvalidValue",
                         "Mentor: nobody mentors themselves");
    }
    if (desk_store_user_get(c, a, mentor_id, &m) != 0 || !m.active || m.suspended ||
        !desk_role_is_staff(m.role)) {
        return desk_fail(
            fail, DESK_EINVALID, "mentor_id", "InvalidValue",
            desk_arena_printf(a, "Mentor: user %lld is not an active agent", (long long)mentor_id));
    }
    int rc = team_profile_load(c, a, mentor_id, &mp, &stored);
    if (!rc && mp.trainee) {
        return desk_fail(fail, DESK_EINVALID, "mentor_id", "InvalidValue",
                         "Mentor: a trainee cannot mentor");
    }
    return rc;
}

static int apply_schedule(struct desk_arena *a, struct desk_staff_profile *p,
                          const struct desk_staff_input *in, struct desk_fail *fail)
{
    if (!in->shifts) {
        p->schedule = NULL;
        return 0;
    }
    struct desk_work_schedule s = {0};
    struct desk_buf b;
    if (in->n_shifts > DESK_SHIFTS_MAX) {
        return desk_fail(fail, DESK_EINVALID, "schedule", "TooLong",
                         "Schedule: at most 14 shifts a week");
    }
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "");
    for (size_t i = 0; i < in->n_shifts; i++) {
        char text[16];
        const struct desk_shift *sh = &in->shifts[i];
        if (desk_schedule_add(&s, sh->day, sh->start, sh->end) != 0) {
            desk_buf_release(&b);
            return desk_fail(fail, DESK_EINVALID, "schedule", "InvalidValue",
                             "Schedule: a shift needs a day, and a start and an end that differ");
        }
        desk_shift_format(sh, text);
        desk_buf_addf(&b, "%s%s", i ? "," : "", text);
    }
    p->schedule = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    return 0;
}

static int apply_langs(struct desk_arena *a, struct desk_staff_profile *p,
                       const struct desk_staff_input *in, struct desk_fail *fail)
{
    if (in->n_langs > MAX_LANGS) {
        return desk_fail(fail, DESK_EINVALID, "languages", "TooLong",
                         "Languages: at most 20 languages");
    }
    struct desk_staff_lang *v = desk_arena_alloc(a, (in->n_langs + 1) * sizeof(*v));
    for (size_t i = 0; i < in->n_langs; i++) {
        char canon[64], primary[4];
        const struct desk_staff_lang *l = &in->langs[i];
        if (desk_lang_canon(l->tag, canon, sizeof(canon), primary) != 0) {
            return desk_fail(fail, DESK_EINVALID, "languages", "InvalidValue",
                             desk_arena_printf(a,
                                               "Languages: '%s' is not a known BCP 47 "
                                               "language tag",
                                               l->tag ? l->tag : ""));
        }
        if (!desk_proficiency_name(l->proficiency)) {
            return desk_fail(fail, DESK_EINVALID, "languages", "InvalidValue",
                             "Languages: proficiency must be basic, intermediate, fluent or "
                             "native");
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(v[k].tag, canon) == 0) {
                return desk_fail(fail, DESK_EINVALID, "languages", "DuplicateValue",
                                 desk_arena_printf(a, "Languages: %s is listed twice", canon));
            }
        }
        v[i].tag = desk_arena_strdup(a, canon);
        v[i].primary = desk_arena_strdup(a, primary);
        v[i].proficiency = l->proficiency;
    }
    p->langs = v;
    p->n_langs = in->n_langs;
    return 0;
}

static int apply_caps(struct desk_arena *a, struct desk_staff_profile *p,
                      const struct desk_staff_input *in, struct desk_fail *fail)
{
    if (in->n_caps > MAX_CAPS) {
        return desk_fail(fail, DESK_EINVALID, "capacity", "TooLong",
                         "Capacity: at most 16 channels");
    }
    for (size_t i = 0; i < in->n_caps; i++) {
        const struct desk_staff_capacity *cp = &in->caps[i];
        if (!desk_channel_valid(cp->channel)) {
            return desk_fail(
                fail, DESK_EINVALID, "capacity", "InvalidValue",
                desk_arena_printf(a,
                                  "Capacity: '%s' is not a channel (default, email, chat, "
                                  "voice, web, portal, api, rule, cli)",
                                  cp->channel ? cp->channel : ""));
        }
        if (cp->capacity <= 0 || cp->capacity > MAX_CAPACITY) {
            return desk_fail(fail, DESK_EINVALID, "capacity", "InvalidValue",
                             desk_arena_printf(a,
                                               "Capacity: %s must be greater than 0 (and at "
                                               "most 1000)",
                                               cp->channel));
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(in->caps[k].channel, cp->channel) == 0) {
                return desk_fail(fail, DESK_EINVALID, "capacity", "DuplicateValue",
                                 desk_arena_printf(a, "Capacity: %s is given twice", cp->channel));
            }
        }
    }
    p->caps = in->caps;
    p->n_caps = in->n_caps;
    return 0;
}

static int apply_training(struct desk_arena *a, struct desk_staff_profile *p,
                          const struct desk_staff_input *in, struct desk_fail *fail)
{
    (void)a;
    if (in->n_training > MAX_TRAINING) {
        return desk_fail(fail, DESK_EINVALID, "training", "TooLong",
                         "Training: at most 100 records");
    }
    for (size_t i = 0; i < in->n_training; i++) {
        const char *course = in->training[i].course;
        if (!course || !*course || desk_str_utf8_len(course, strlen(course)) > 255) {
            return desk_fail(fail, DESK_EINVALID, "training", "InvalidValue",
                             "Training: each record needs a course name (at most 255 "
                             "characters)");
        }
    }
    p->training = in->training;
    p->n_training = in->n_training;
    return 0;
}

/* Sorts ids ascending and drops duplicates, in place; returns the new count. */
static size_t sort_unique(int64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        size_t k = i;
        while (k > 0 && v[k - 1] > x) {
            v[k] = v[k - 1];
            k--;
        }
        v[k] = x;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m == 0 || v[m - 1] != v[i]) {
            v[m++] = v[i];
        }
    }
    return m;
}

/* Checks that every id is a live skill; copies them sorted into *out. */
static int check_skills(struct desk_conn *c, struct desk_arena *a, const int64_t *ids, size_t n,
                        int64_t **out, size_t *n_out, struct desk_fail *fail)
{
    if (n > MAX_SKILLS) {
        return desk_fail(fail, DESK_EINVALID, "attribute_value_ids", "TooLong",
                         "Skills: at most 100");
    }
    int64_t *v = desk_arena_alloc(a, (n + 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        struct desk_attr x;
        if (desk_store_attr_get(c, a, true, ids[i], &x) != 0 || x.deleted_at) {
            return desk_fail(fail, DESK_EINVALID, "attribute_value_ids", "InvalidValue",
                             desk_arena_printf(a,
                                               "Skills: %lld is not a skill (unknown or deleted)",
                                               (long long)ids[i]));
        }
        v[i] = ids[i];
    }
    *n_out = sort_unique(v, n);
    *out = v;
    return 0;
}

int team_profile_apply(struct desk_conn *c, struct desk_arena *a, const struct desk_user *u,
                       struct desk_staff_profile *p, const struct desk_staff_input *in,
                       bool *graduated, bool *trainee_started, struct desk_fail *fail)
{
    int rc;
    *graduated = *trainee_started = false;
    if (in->has_hire_date) {
        if (in->hire_date && !date_valid(in->hire_date)) {
            return desk_fail(fail, DESK_EINVALID, "hire_date", "InvalidValue",
                             "Hire date: must be a date, YYYY-MM-DD");
        }
        p->hire_date = in->hire_date;
    }
    if (in->has_schedule_zone) {
        if (in->schedule_zone && !desk_zone_valid(in->schedule_zone)) {
            return desk_fail(
                fail, DESK_EINVALID, "schedule", "InvalidValue",
                desk_arena_printf(a, "Schedule: '%s' is not an IANA time zone", in->schedule_zone));
        }
        p->schedule_zone = in->schedule_zone;
    }
    if (in->has_schedule && (rc = apply_schedule(a, p, in, fail)) != 0) {
        return rc;
    }
    if (in->has_mentor_id) {
        if (in->mentor_id && (rc = check_mentor(c, a, u, in->mentor_id, fail)) != 0) {
            return rc;
        }
        p->mentor_id = in->mentor_id;
    }
    if (in->has_trainee) {
        *graduated = p->trainee && !in->trainee;
        *trainee_started = !p->trainee && in->trainee;
        p->trainee = in->trainee;
    }
    if (in->has_supervisor_notes) {
        p->supervisor_notes = in->supervisor_notes;
    }
    if (in->has_routing_paused) {
        p->routing_paused = in->routing_paused;
    }
    if (in->has_auto_offline) {
        p->auto_offline = in->auto_offline;
    }
    if (in->has_langs && (rc = apply_langs(a, p, in, fail)) != 0) {
        return rc;
    }
    if (in->has_caps && (rc = apply_caps(a, p, in, fail)) != 0) {
        return rc;
    }
    if (in->has_training && (rc = apply_training(a, p, in, fail)) != 0) {
        return rc;
    }
    if (in->has_skills &&
        (rc = check_skills(c, a, in->skills, in->n_skills, &p->skills, &p->n_skills, fail)) != 0) {
        return rc;
    }
    return 0;
}

int team_profile_store(struct desk_conn *c, const struct desk_staff_profile *p, int64_t now)
{
    int rc = desk_store_staff_put(c, p);
    if (!rc) {
        rc = desk_store_staff_langs_set(c, p->user_id, p->langs, p->n_langs);
    }
    if (!rc) {
        rc = desk_store_staff_caps_set(c, p->user_id, p->caps, p->n_caps);
    }
    if (!rc) {
        rc = desk_store_staff_training_set(c, p->user_id, p->training, p->n_training, now);
    }
    if (!rc) {
        rc = desk_store_agent_values_set(c, p->user_id, p->skills, p->n_skills);
    }
    return rc;
}

/* True when the schedule puts the person on shift now (no schedule: always). */
bool team_on_shift(const struct desk_user *u, const struct desk_staff_profile *p, int64_t now)
{
    struct desk_work_schedule s;
    int m;
    if (!p->schedule) {
        return true;
    }
    const char *zone = p->schedule_zone ? p->schedule_zone : u->time_zone ? u->time_zone : "UTC";
    if (desk_schedule_parse(p->schedule, &s, NULL, NULL) != 0 ||
        desk_zone_minute_of_week(zone, now, &m) != 0) {
        return false;
    }
    return desk_schedule_covers(&s, m);
}

int team_view(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
              const struct desk_user *u, struct desk_staff_view *out)
{
    bool stored;
    memset(out, 0, sizeof(*out));
    out->user = *u;
    int rc = team_profile_load(c, a, u->id, &out->profile, &stored);
    if (rc) {
        return rc;
    }
    if (!u->active && out->profile.state == DESK_STAFF_ACTIVE) {
        out->profile.state = DESK_STAFF_OFFBOARDED;
    }
    out->show_notes = who->role >= DESK_ROLE_SUPERVISOR;
    if (!out->show_notes) {
        out->profile.supervisor_notes = NULL;
    }
    out->on_shift = team_on_shift(u, &out->profile, desk_time_now_ms());
    return desk_store_staff_load(c, u->id, &out->load);
}

/* Loads a staff member for a use case: 404 for someone who is not staff. */
static int load_staff(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                      struct desk_user *u)
{
    int rc = desk_store_user_get(c, a, user_id, u);
    if (!rc && !desk_role_is_staff(u->role)) {
        rc = DESK_ENOTFOUND;
    }
    return rc;
}

int desk_app_staff_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t user_id, struct desk_staff_view *out)
{
    struct desk_conn *c;
    struct desk_user u;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    if (rc || (rc = load_staff(c, a, user_id, &u)) != 0) {
        return rc;
    }
    return team_view(c, a, who, &u, out);
}

struct put_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t user_id;
    const struct desk_staff_input *in;
    struct desk_staff_view out;
    struct desk_fail *fail;
    bool drain; /* capacity, skills or pause changed: offer the queues again */
};

/* A short list of what a profile change touched, for the audit event. */
static const char *put_detail(struct desk_arena *a, const struct desk_staff_input *in)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "");
    static const char *const names[] = {
        "hire_date", "schedule", "mentor_id", "trainee", "supervisor_notes", "routing_paused",
        "languages", "capacity", "training",  "skills",  "auto_offline"};
    bool has[] = {in->has_hire_date,
                  in->has_schedule || in->has_schedule_zone,
                  in->has_mentor_id,
                  in->has_trainee,
                  in->has_supervisor_notes,
                  in->has_routing_paused,
                  in->has_langs,
                  in->has_caps,
                  in->has_training,
                  in->has_skills,
                  in->has_auto_offline};
    for (size_t i = 0; i < sizeof(has) / sizeof(has[0]); i++) {
        if (has[i]) {
            desk_buf_addf(&b, "%s%s", b.len ? " " : "", names[i]);
        }
    }
    char *s = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    return s;
}

static int put_write(struct desk_conn *c, void *arg)
{
    struct put_job *j = arg;
    struct desk_user u;
    struct desk_staff_profile p;
    bool stored, graduated, started;
    int64_t now = desk_time_now_ms();
    int rc = load_staff(c, j->a, j->user_id, &u);
    if (rc) {
        return rc;
    }
    if (!team_may_manage(j->who, &u)) {
        return DESK_EFORBIDDEN;
    }
    if ((rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0 ||
        (rc = team_profile_apply(c, j->a, &u, &p, j->in, &graduated, &started, j->fail)) != 0) {
        return rc;
    }
    if (!stored) {
        p.created_at = now;
    }
    if (p.auto_offline && p.availability != DESK_AVAIL_OFFLINE && !team_on_shift(&u, &p, now) &&
        (rc = team_set_availability(c, &p, DESK_AVAIL_OFFLINE, &desk_actor_system,
                                    "outside the working schedule", now)) != 0) {
        return rc;
    }
    p.updated_at = now;
    if ((rc = team_profile_store(c, &p, now)) != 0 ||
        (rc = team_event(c, u.id, j->who, "profile_updated", put_detail(j->a, j->in), now)) != 0) {
        return rc;
    }
    if (graduated && (rc = team_event(c, u.id, j->who, "graduated", NULL, now)) != 0) {
        return rc;
    }
    if (started && (rc = team_event(c, u.id, j->who, "trainee_started", NULL, now)) != 0) {
        return rc;
    }
    j->drain = j->in->has_caps || j->in->has_skills || j->in->has_langs ||
               j->in->has_routing_paused || j->in->has_schedule;
    return team_view(c, j->a, j->who, &u, &j->out);
}

int desk_app_staff_put(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t user_id, const struct desk_staff_input *in,
                       struct desk_staff_view *out, struct desk_fail *fail)
{
    struct put_job j = {.who = who, .a = a, .user_id = user_id, .in = in, .fail = fail};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_write(desk_app_store(app), put_write, &j);
    if (rc) {
        return rc;
    }
    if (j.drain && j.out.profile.availability == DESK_AVAIL_ONLINE) {
        team_drain_for_agent(app, user_id);
    }
    *out = j.out;
    return 0;
}

int desk_app_staff_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int state, const struct desk_page *p, struct desk_staff_view **items,
                        struct desk_page_out *out)
{
    struct desk_conn *c;
    struct desk_staff_profile *rows;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    if (rc || (rc = desk_store_staff_list(c, a, state, p, &rows, out)) != 0) {
        return rc;
    }
    struct desk_staff_view *v = desk_arena_alloc(a, (out->n + 1) * sizeof(*v));
    for (size_t i = 0; i < out->n; i++) {
        struct desk_user u;
        if ((rc = desk_store_user_get(c, a, rows[i].user_id, &u)) != 0 ||
            (rc = team_view(c, a, who, &u, &v[i])) != 0) {
            return rc;
        }
    }
    *items = v;
    return 0;
}

/* ---- availability ---------------------------------------------------------- */

struct avail_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t user_id;
    int status;
    const char *reason;
    struct desk_staff_view out;
    struct desk_fail *fail;
};

static int avail_write(struct desk_conn *c, void *arg)
{
    struct avail_job *j = arg;
    struct desk_user u;
    struct desk_staff_profile p;
    bool stored;
    int64_t now = desk_time_now_ms();
    int rc = load_staff(c, j->a, j->user_id, &u);
    if (rc) {
        return rc;
    }
    if (j->who->user_id != u.id && !team_may_manage(j->who, &u)) {
        return DESK_EFORBIDDEN;
    }
    if ((rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0) {
        return rc;
    }
    if (j->status != DESK_AVAIL_OFFLINE &&
        (!u.active || u.suspended || p.state != DESK_STAFF_ACTIVE)) {
        return desk_fail(j->fail, DESK_EINVALID, "status", "InvalidValue",
                         "Status: a suspended, offboarded or invited person can only be offline");
    }
    if (j->status != DESK_AVAIL_OFFLINE && p.auto_offline && !team_on_shift(&u, &p, now)) {
        return desk_fail(j->fail, DESK_EINVALID, "status", "InvalidValue",
                         "Status: outside the working schedule this person is offline "
                         "(auto_offline is on)");
    }
    if (!stored) {
        p.created_at = now;
    }
    if ((rc = team_set_availability(c, &p, j->status, j->who, j->reason, now)) != 0) {
        return rc;
    }
    p.updated_at = now;
    if ((rc = stored ? desk_store_staff_put(c, &p) : team_profile_store(c, &p, now)) != 0) {
        return rc;
    }
    return team_view(c, j->a, j->who, &u, &j->out);
}

int desk_app_staff_availability(struct desk_app *app, const struct desk_actor *who,
                                struct desk_arena *a, int64_t user_id, int status,
                                const char *reason, struct desk_staff_view *out,
                                struct desk_fail *fail)
{
    struct avail_job j = {
        .who = who, .a = a, .user_id = user_id, .status = status, .reason = reason, .fail = fail};
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (!desk_avail_name(status)) {
        return desk_fail(fail, DESK_EINVALID, "status", "InvalidValue",
                         "Status: must be online, away, busy or offline");
    }
    int rc = desk_store_write(desk_app_store(app), avail_write, &j);
    if (rc) {
        return rc;
    }
    if (status == DESK_AVAIL_ONLINE) {
        /* Coming online frees capacity: the waiting tickets are offered before the answer. */
        team_drain_for_agent(app, user_id);
        struct desk_conn *c;
        struct desk_user u = j.out.user;
        if (desk_app_reader(app, &c) == 0) {
            team_view(c, a, who, &u, &j.out);
        }
    }
    *out = j.out;
    return 0;
}

static int staff_reader(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t user_id, struct desk_conn **c)
{
    struct desk_user u;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, c);
    if (rc || (rc = load_staff(*c, a, user_id, &u)) != 0) {
        return rc;
    }
    /* Agents read their own history; supervisors and admins everyone's they manage. */
    if (who->user_id != user_id && !team_may_manage(who, &u)) {
        return DESK_EFORBIDDEN;
    }
    return 0;
}

int desk_app_staff_availability_log(struct desk_app *app, const struct desk_actor *who,
                                    struct desk_arena *a, int64_t user_id,
                                    const struct desk_page *p,
                                    struct desk_staff_avail_change **items,
                                    struct desk_page_out *out)
{
    struct desk_conn *c;
    int rc = staff_reader(app, who, a, user_id, &c);
    return rc ? rc : desk_store_staff_avail_list(c, a, user_id, p, items, out);
}

int desk_app_staff_events(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t user_id, const struct desk_page *p,
                          struct desk_staff_event **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    int rc = staff_reader(app, who, a, user_id, &c);
    return rc ? rc : desk_store_staff_event_list(c, a, user_id, p, items, out);
}

/* ---- automatically offline outside the schedule ------------------------------ */

struct auto_offline_job {
    struct desk_arena *a;
    int64_t *ids;
    size_t n;
    size_t changed;
};

static int auto_offline_write(struct desk_conn *c, void *arg)
{
    struct auto_offline_job *j = arg;
    int64_t now = desk_time_now_ms();
    struct desk_actor system = desk_actor_system;
    j->changed = 0;
    for (size_t i = 0; i < j->n; i++) {
        struct desk_user u;
        struct desk_staff_profile p;
        bool stored;
        int rc = desk_store_user_get(c, j->a, j->ids[i], &u);
        if (rc == DESK_ENOTFOUND) {
            continue;
        }
        if (rc || (rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0) {
            return rc;
        }
        /* Read again inside the write: someone may have changed it since the list was read. */
        if (!stored || !p.auto_offline || p.availability == DESK_AVAIL_OFFLINE ||
            team_on_shift(&u, &p, now)) {
            continue;
        }
        if ((rc = team_set_availability(c, &p, DESK_AVAIL_OFFLINE, &system,
                                        "outside the working schedule", now)) != 0) {
            return rc;
        }
        p.updated_at = now;
        if ((rc = desk_store_staff_put(c, &p)) != 0) {
            return rc;
        }
        j->changed++;
    }
    return 0;
}

int team_auto_offline(struct desk_app *app)
{
    struct desk_conn *c;
    struct desk_arena a;
    struct auto_offline_job j = {.a = &a};
    desk_arena_init(&a);
    int rc = desk_app_reader(app, &c);
    if (!rc) {
        rc = desk_store_staff_auto_offline_due(c, &a, &j.ids, &j.n);
    }
    /* Only when someone is past their shift: most sweeps find nobody and write nothing. */
    bool any = false;
    for (size_t i = 0; !rc && i < j.n && !any; i++) {
        struct desk_user u;
        struct desk_staff_profile p;
        bool stored;
        any = desk_store_user_get(c, &a, j.ids[i], &u) == 0 &&
              team_profile_load(c, &a, u.id, &p, &stored) == 0 &&
              !team_on_shift(&u, &p, desk_time_now_ms());
    }
    if (!rc && any) {
        rc = desk_store_write(desk_app_store(app), auto_offline_write, &j);
        if (!rc && j.changed) {
            desk_log(DESK_LOG_INFO, "event=auto_offline agents=%zu", j.changed);
        }
    }
    desk_arena_release(&a);
    return rc < 0 ? rc : (int)j.changed;
}
