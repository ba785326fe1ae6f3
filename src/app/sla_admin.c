/*
 * Admins' SLA use cases: business-hours schedules with their holidays and
 * attachments, and SLA policies. Every change bumps the rules version in
 * the same transaction; then the open targets it concerns take the new
 * rules from that moment on (time already counted stays, measured under
 * the old hours: see sla_reapply).
 */
#include "app/sla_int.h"
#include "core/log.h"
#include "core/time.h"

#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 255

static int admin_only(const struct desk_actor *who)
{
    return who->role == DESK_ROLE_ADMIN ? 0 : DESK_EFORBIDDEN;
}

/* ---- schedules ------------------------------------------------------------------------- */

int desk_app_schedule_list(struct desk_app *app, struct desk_arena *a, struct desk_schedule **out,
                           size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_schedule_list(c, a, out, n);
}

int desk_app_schedule_get(struct desk_app *app, struct desk_arena *a, int64_t id,
                          struct desk_schedule *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_schedule_get(c, a, id, out);
}

/* Checks that every group and organization named exists. */
static int check_targets(struct desk_conn *c, struct desk_arena *a, const struct desk_schedule *s,
                         struct desk_fail *fail)
{
    for (size_t i = 0; i < s->n_group_ids; i++) {
        struct desk_group g;
        if (desk_store_group_get(c, a, s->group_ids[i], &g) != 0 || g.deleted) {
            return desk_fail(fail, DESK_EINVALID, "group_ids", "InvalidValue",
                             desk_arena_printf(a, "Group ids: group %lld does not exist",
                                               (long long)s->group_ids[i]));
        }
    }
    for (size_t i = 0; i < s->n_organization_ids; i++) {
        struct desk_org o;
        if (desk_store_org_get(c, a, s->organization_ids[i], &o) != 0) {
            return desk_fail(fail, DESK_EINVALID, "organization_ids", "InvalidValue",
                             desk_arena_printf(a,
                                               "Organization ids: organization %lld does not "
                                               "exist",
                                               (long long)s->organization_ids[i]));
        }
    }
    return 0;
}

/* Validates a whole schedule record: name, zone, intervals, holidays. */
static int check_schedule(struct desk_arena *a, const struct desk_schedule *s,
                          struct desk_fail *fail)
{
    if (!s->name || !*s->name) {
        return desk_fail(fail, DESK_EINVALID, "name", "BlankValue", "Name: cannot be blank");
    }
    if (strlen(s->name) > NAME_MAX_LEN) {
        return desk_fail(fail, DESK_EINVALID, "name", "TooLong",
                         "Name: is too long (maximum is 255 characters)");
    }
    struct desk_bh *bh = NULL;
    int rc = desk_schedule_compile(s, a, &bh, fail);
    desk_bh_free(bh);
    return rc;
}

struct schedule_job {
    struct desk_app *app;
    struct desk_arena *a;
    struct desk_schedule s;
    struct desk_schedule old;
    int64_t id;
    bool create;
    bool del;
    const struct desk_schedule_input *in;
    struct desk_fail *fail;
    int64_t now;
    bool hours_changed;   /* zone or intervals: open targets need a checkpoint */
    bool routing_changed; /* default flag or attachments: tickets may change schedule */
};

static void apply_input(struct desk_schedule *s, const struct desk_schedule_input *in)
{
    if (in->has_name) {
        s->name = in->name;
    }
    if (in->has_time_zone) {
        s->time_zone = in->time_zone;
    }
    if (in->has_default) {
        s->is_default = in->is_default;
    }
    if (in->has_intervals) {
        s->intervals = in->intervals;
        s->n_intervals = in->n_intervals;
    }
    if (in->has_group_ids) {
        s->group_ids = in->group_ids;
        s->n_group_ids = in->n_group_ids;
    }
    if (in->has_organization_ids) {
        s->organization_ids = in->organization_ids;
        s->n_organization_ids = in->n_organization_ids;
    }
}

static bool ids_equal(const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t k = 0; k < nb && !found; k++) {
            found = a[i] == b[k];
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static int schedule_write(struct desk_conn *c, void *arg)
{
    struct schedule_job *j = arg;
    int64_t version;
    int rc;
    if (j->del) {
        if ((rc = desk_store_schedule_get(c, j->a, j->id, &j->old)) != 0 ||
            (rc = desk_store_schedule_delete(c, j->id)) != 0) {
            return rc;
        }
        j->hours_changed = true;
        j->routing_changed = j->old.is_default || j->old.n_group_ids || j->old.n_organization_ids;
        return desk_store_sla_bump(c, &version);
    }
    if (j->create) {
        static struct desk_bh_interval office[5];
        memset(&j->s, 0, sizeof(j->s));
        for (int d = 1; d <= 5; d++) {
            office[d - 1] =
                (struct desk_bh_interval){d * DESK_BH_DAY_MIN + 540, d * DESK_BH_DAY_MIN + 1020};
        }
        j->s.intervals = office; /* Monday to Friday, 09:00-17:00, unless given */
        j->s.n_intervals = 5;
        j->s.created_at = j->now;
    } else {
        if ((rc = desk_store_schedule_get(c, j->a, j->id, &j->old)) != 0) {
            return rc;
        }
        j->s = j->old;
    }
    apply_input(&j->s, j->in);
    j->s.updated_at = j->now;
    if ((rc = check_schedule(j->a, &j->s, j->fail)) != 0 ||
        (rc = check_targets(c, j->a, &j->s, j->fail)) != 0) {
        return rc;
    }
    if (j->create) {
        rc = desk_store_schedule_insert(c, &j->s);
        j->routing_changed = j->s.is_default || j->s.n_group_ids || j->s.n_organization_ids;
    } else {
        rc = desk_store_schedule_update(c, &j->s);
        j->hours_changed =
            (j->in->has_time_zone && strcmp(j->old.time_zone, j->s.time_zone) != 0) ||
            j->in->has_intervals;
        j->routing_changed =
            j->old.is_default != j->s.is_default ||
            !ids_equal(j->old.group_ids, j->old.n_group_ids, j->s.group_ids, j->s.n_group_ids) ||
            !ids_equal(j->old.organization_ids, j->old.n_organization_ids, j->s.organization_ids,
                       j->s.n_organization_ids);
    }
    if (!rc) {
        rc = desk_store_sla_bump(c, &version);
    }
    if (!rc) {
        rc = desk_store_schedule_get(c, j->a, j->s.id, &j->s);
    }
    return rc;
}

/* After a schedule changed: its open targets checkpoint; others may change schedule. */
static void schedule_followup(struct desk_app *app, struct schedule_job *j)
{
    struct desk_arena a;
    desk_arena_init(&a);
    int64_t id = j->del ? j->id : j->s.id;
    if (j->hours_changed && (j->del || !j->create)) {
        struct desk_bh *old_bh = NULL;
        desk_schedule_compile(&j->old, &a, &old_bh, NULL);
        const char *why = desk_arena_printf(
            &a, j->del ? "schedule \"%s\" was deleted" : "schedule \"%s\" changed its hours",
            j->old.name);
        sla_reapply(app, id, 0, old_bh, j->now, why);
        desk_bh_free(old_bh);
    }
    if (j->routing_changed) {
        /* Which schedule a ticket is measured in may have changed for any of them. */
        struct desk_schedule *all;
        size_t n;
        if (desk_app_schedule_list(app, &a, &all, &n) == 0) {
            for (size_t i = 0; i < n; i++) {
                sla_reapply(app, all[i].id, 0, NULL, j->now, NULL);
            }
        }
    }
    desk_arena_release(&a);
}

int desk_app_schedule_create(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, const struct desk_schedule_input *in,
                             struct desk_schedule *out, struct desk_fail *fail)
{
    struct schedule_job j = {.app = app, .a = a, .create = true, .in = in, .fail = fail};
    int rc = admin_only(who);
    if (rc) {
        return rc;
    }
    j.now = desk_time_now_ms();
    if ((rc = desk_store_write(app->store, schedule_write, &j)) != 0) {
        return rc;
    }
    schedule_followup(app, &j);
    *out = j.s;
    return 0;
}

int desk_app_schedule_update(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t id, const struct desk_schedule_input *in,
                             struct desk_schedule *out, struct desk_fail *fail)
{
    struct schedule_job j = {.app = app, .a = a, .id = id, .in = in, .fail = fail};
    int rc = admin_only(who);
    if (rc) {
        return rc;
    }
    j.now = desk_time_now_ms();
    if ((rc = desk_store_write(app->store, schedule_write, &j)) != 0) {
        return rc;
    }
    schedule_followup(app, &j);
    *out = j.s;
    return 0;
}

int desk_app_schedule_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    struct desk_arena a;
    struct schedule_job j = {.app = app, .a = &a, .id = id, .del = true};
    int rc = admin_only(who);
    if (rc) {
        return rc;
    }
    desk_arena_init(&a);
    j.now = desk_time_now_ms();
    if ((rc = desk_store_write(app->store, schedule_write, &j)) == 0) {
        schedule_followup(app, &j);
    }
    desk_arena_release(&a);
    return rc;
}

/* ---- holidays ------------------------------------------------------------------------------ */

struct holiday_job {
    struct desk_arena *a;
    int64_t schedule_id;
    int64_t id; /* 0: create */
    bool del;
    const struct desk_holiday_input *in;
    struct desk_holiday h;
    struct desk_schedule old;
    struct desk_fail *fail;
    int64_t now;
};

static int check_holiday(struct desk_arena *a, const struct desk_holiday *h, struct desk_fail *fail)
{
    int32_t s, e;
    if (!h->name || !*h->name) {
        return desk_fail(fail, DESK_EINVALID, "name", "BlankValue", "Name: cannot be blank");
    }
    if (strlen(h->name) > NAME_MAX_LEN) {
        return desk_fail(fail, DESK_EINVALID, "name", "TooLong",
                         "Name: is too long (maximum is 255 characters)");
    }
    if (!h->start_date || desk_bh_date_parse(h->start_date, &s)) {
        return desk_fail(fail, DESK_EINVALID, "start_date", "InvalidValue",
                         "Start date: must be a date YYYY-MM-DD");
    }
    if (!h->end_date || desk_bh_date_parse(h->end_date, &e)) {
        return desk_fail(fail, DESK_EINVALID, "end_date", "InvalidValue",
                         "End date: must be a date YYYY-MM-DD");
    }
    if (e < s) {
        return desk_fail(fail, DESK_EINVALID, "end_date", "InvalidValue",
                         desk_arena_printf(a, "End date: %s is before the start date %s",
                                           h->end_date, h->start_date));
    }
    if (e - s >= DESK_BH_MAX_HOL_LEN) {
        return desk_fail(fail, DESK_EINVALID, "end_date", "InvalidValue",
                         "End date: a holiday may last at most a year");
    }
    return 0;
}

static int holiday_write(struct desk_conn *c, void *arg)
{
    struct holiday_job *j = arg;
    int64_t version;
    int rc = desk_store_schedule_get(c, j->a, j->schedule_id, &j->old);
    if (rc) {
        return rc;
    }
    if (j->del) {
        rc = desk_store_holiday_delete(c, j->schedule_id, j->id);
        return rc ? rc : desk_store_sla_bump(c, &version);
    }
    if (j->id) {
        if ((rc = desk_store_holiday_get(c, j->a, j->schedule_id, j->id, &j->h)) != 0) {
            return rc;
        }
    } else {
        memset(&j->h, 0, sizeof(j->h));
        j->h.schedule_id = j->schedule_id;
        j->h.created_at = j->now;
    }
    const struct desk_holiday_input *in = j->in;
    if (in->has_name) {
        j->h.name = in->name;
    }
    if (in->has_start_date) {
        j->h.start_date = in->start_date;
    }
    if (in->has_end_date) {
        j->h.end_date = in->end_date;
    }
    if (!j->id && in->has_start_date && !in->has_end_date) {
        j->h.end_date = in->start_date; /* a one-day holiday */
    }
    if (in->has_yearly) {
        j->h.yearly = in->yearly;
    }
    j->h.updated_at = j->now;
    if ((rc = check_holiday(j->a, &j->h, j->fail)) != 0) {
        return rc;
    }
    /* The schedule with this holiday must still have working time. */
    struct desk_schedule s = j->old;
    s.holidays = desk_arena_alloc(j->a, (s.n_holidays + 1) * sizeof(*s.holidays));
    size_t n = 0;
    for (size_t i = 0; i < j->old.n_holidays; i++) {
        if (j->old.holidays[i].id != j->id) {
            s.holidays[n++] = j->old.holidays[i];
        }
    }
    s.holidays[n++] = j->h;
    s.n_holidays = n;
    struct desk_bh *bh = NULL;
    if ((rc = desk_schedule_compile(&s, j->a, &bh, j->fail)) != 0) {
        return rc;
    }
    desk_bh_free(bh);
    rc = j->id ? desk_store_holiday_update(c, &j->h) : desk_store_holiday_insert(c, &j->h);
    return rc ? rc : desk_store_sla_bump(c, &version);
}

static int holiday_run(struct desk_app *app, struct holiday_job *j)
{
    j->now = desk_time_now_ms();
    int rc = desk_store_write(app->store, holiday_write, j);
    if (!rc) {
        struct desk_bh *old_bh = NULL;
        desk_schedule_compile(&j->old, j->a, &old_bh, NULL);
        sla_reapply(app, j->schedule_id, 0, old_bh, j->now,
                    desk_arena_printf(j->a, "holidays of schedule \"%s\" changed", j->old.name));
        desk_bh_free(old_bh);
    }
    return rc;
}

int desk_app_holiday_create(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t schedule_id,
                            const struct desk_holiday_input *in, struct desk_holiday *out,
                            struct desk_fail *fail)
{
    struct holiday_job j = {.a = a, .schedule_id = schedule_id, .in = in, .fail = fail};
    int rc = admin_only(who);
    if (!rc && (rc = holiday_run(app, &j)) == 0) {
        *out = j.h;
    }
    return rc;
}

int desk_app_holiday_update(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t schedule_id, int64_t id,
                            const struct desk_holiday_input *in, struct desk_holiday *out,
                            struct desk_fail *fail)
{
    struct holiday_job j = {.a = a, .schedule_id = schedule_id, .id = id, .in = in, .fail = fail};
    int rc = admin_only(who);
    if (!rc && (rc = holiday_run(app, &j)) == 0) {
        *out = j.h;
    }
    return rc;
}

int desk_app_holiday_delete(struct desk_app *app, const struct desk_actor *who, int64_t schedule_id,
                            int64_t id)
{
    struct desk_arena a;
    struct holiday_job j = {.a = &a, .schedule_id = schedule_id, .id = id, .del = true};
    int rc = admin_only(who);
    if (rc) {
        return rc;
    }
    desk_arena_init(&a);
    rc = holiday_run(app, &j);
    desk_arena_release(&a);
    return rc;
}

int desk_app_holiday_get(struct desk_app *app, struct desk_arena *a, int64_t schedule_id,
                         int64_t id, struct desk_holiday *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_holiday_get(c, a, schedule_id, id, out);
}

/* ---- policies ---------------------------------------------------------------------------------
 */

int desk_app_policy_list(struct desk_app *app, struct desk_arena *a, struct desk_sla_policy **out,
                         size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_policy_list(c, a, out, n);
}

int desk_app_policy_get(struct desk_app *app, struct desk_arena *a, int64_t id,
                        struct desk_sla_policy *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_policy_get(c, a, id, out);
}

struct policy_job {
    struct desk_arena *a;
    struct desk_sla_policy *p;
    bool create;
    bool del;
    int64_t id;
    struct desk_fail *fail;
};

static int policy_write(struct desk_conn *c, void *arg)
{
    struct policy_job *j = arg;
    struct desk_sla_policy *p = j->p;
    int64_t version;
    int rc;
    if (j->del) {
        rc = desk_store_policy_delete(c, j->id);
        return rc ? rc : desk_store_sla_bump(c, &version);
    }
    if ((rc = desk_sla_policy_check(p, j->a, j->fail)) != 0) {
        return rc;
    }
    if (p->schedule_id) {
        struct desk_schedule s;
        if (desk_store_schedule_get(c, j->a, p->schedule_id, &s) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "schedule_id", "InvalidValue",
                             "Schedule id: no such schedule");
        }
    }
    for (size_t i = 0; i < p->n_actions; i++) {
        struct desk_group g;
        if (p->actions[i].kind == DESK_SLA_ACT_SET_GROUP &&
            (desk_store_group_get(c, j->a, strtoll(p->actions[i].value, NULL, 10), &g) != 0 ||
             g.deleted)) {
            return desk_fail(
                j->fail, DESK_EINVALID, "actions", "InvalidValue",
                desk_arena_printf(j->a, "Actions: group %s does not exist", p->actions[i].value));
        }
    }
    int64_t now = desk_time_now_ms();
    p->updated_at = now;
    if (j->create) {
        struct desk_sla_policy *all;
        size_t n;
        if ((rc = desk_store_policy_list(c, j->a, &all, &n)) != 0) {
            return rc;
        }
        if (p->position <= 0) {
            p->position = n ? all[n - 1].position + 1 : 1;
        }
        p->created_at = now;
        rc = desk_store_policy_insert(c, p);
    } else {
        struct desk_sla_policy old;
        if ((rc = desk_store_policy_get(c, j->a, p->id, &old)) != 0) {
            return rc;
        }
        p->created_at = old.created_at;
        if (p->position <= 0) {
            p->position = old.position;
        }
        rc = desk_store_policy_update(c, p);
    }
    if (!rc) {
        rc = desk_store_sla_bump(c, &version);
    }
    return rc ? rc : desk_store_policy_get(c, j->a, p->id, p);
}

int desk_app_policy_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_sla_policy *p, bool create, struct desk_fail *fail)
{
    struct policy_job j = {.a = a, .p = p, .create = create, .fail = fail};
    int rc = admin_only(who);
    if (rc || (rc = desk_store_write(app->store, policy_write, &j)) != 0) {
        return rc;
    }
    if (!create) {
        sla_reapply(app, 0, p->id, NULL, 0, NULL);
    }
    return 0;
}

int desk_app_policy_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    struct desk_arena a;
    struct policy_job j = {.a = &a, .del = true, .id = id};
    int rc = admin_only(who);
    if (rc) {
        return rc;
    }
    desk_arena_init(&a);
    if ((rc = desk_store_write(app->store, policy_write, &j)) == 0) {
        sla_reapply(app, 0, id, NULL, 0, NULL);
    }
    desk_arena_release(&a);
    return rc;
}
