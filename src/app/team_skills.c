/*
 * Skills in Zendesk's skill-based routing shape: attributes (skill types)
 * and attribute values (skills), and which skills an agent has and a ticket
 * requires. Deleting keeps the rows for history and takes them out of
 * routing at once; anything that names a deleted skill is refused.
 */
#include "app/team_int.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>
#include <strings.h>

static int reader(struct desk_app *app, const struct desk_actor *who, struct desk_conn **c)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    return desk_app_reader(app, c);
}

/* The live attribute attribute_id, or DESK_ENOTFOUND. */
static int live_attr(struct desk_conn *c, struct desk_arena *a, int64_t id, struct desk_attr *out)
{
    int rc = desk_store_attr_get(c, a, false, id, out);
    return !rc && out->deleted_at ? DESK_ENOTFOUND : rc;
}

int desk_app_skill_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t attribute_id, struct desk_attr **items, size_t *n)
{
    struct desk_conn *c;
    struct desk_attr x;
    int rc = reader(app, who, &c);
    if (rc || (attribute_id && (rc = live_attr(c, a, attribute_id, &x)) != 0)) {
        return rc;
    }
    return desk_store_attr_list(c, a, attribute_id, items, n);
}

int desk_app_skill_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool value, int64_t attribute_id, int64_t id, struct desk_attr *out)
{
    struct desk_conn *c;
    struct desk_attr x;
    int rc = reader(app, who, &c);
    if (rc || (rc = desk_store_attr_get(c, a, value, id, &x)) != 0) {
        return rc;
    }
    if (x.deleted_at || (value && x.attribute_id != attribute_id)) {
        return DESK_ENOTFOUND;
    }
    *out = x;
    return 0;
}

struct skill_job {
    struct desk_arena *a;
    bool value;
    int64_t attribute_id;
    int64_t id;
    const char *name;
    bool delete;
    struct desk_attr out;
    struct desk_fail *fail;
};

static int skill_write(struct desk_conn *c, void *arg)
{
    struct skill_job *j = arg;
    int64_t now = desk_time_now_ms();
    struct desk_attr x = {0}, parent;
    int rc;
    if (j->value && (rc = live_attr(c, j->a, j->attribute_id, &parent)) != 0) {
        return rc;
    }
    if (j->id) {
        if ((rc = desk_store_attr_get(c, j->a, j->value, j->id, &x)) != 0) {
            return rc;
        }
        if (x.deleted_at || (j->value && x.attribute_id != j->attribute_id)) {
            return DESK_ENOTFOUND;
        }
    } else {
        x.attribute_id = j->attribute_id;
        x.created_at = now;
    }
    if (j->delete) {
        x.deleted_at = now;
        x.updated_at = now;
        if ((rc = desk_store_attr_put(c, j->value, &x)) == 0 && !j->value) {
            rc = desk_store_attr_delete_values(c, x.id, now);
        }
        return rc;
    }
    /* Names are unique among live siblings (case-insensitively), as people pick by name. */
    struct desk_attr *sib;
    size_t n;
    if ((rc = desk_store_attr_list(c, j->a, j->value ? j->attribute_id : 0, &sib, &n)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (sib[i].id != x.id && strcasecmp(sib[i].name, j->name) == 0) {
            return desk_fail(j->fail, DESK_EINVALID, "name", "DuplicateValue",
                             desk_arena_printf(j->a, "Name: %s is already taken", j->name));
        }
    }
    x.name = j->name;
    x.updated_at = now;
    if ((rc = desk_store_attr_put(c, j->value, &x)) == 0) {
        j->out = x;
    }
    return rc;
}

int desk_app_skill_put(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool value, int64_t attribute_id, int64_t id, const char *name,
                       struct desk_attr *out, struct desk_fail *fail)
{
    struct skill_job j = {
        .a = a, .value = value, .attribute_id = attribute_id, .id = id, .name = name, .fail = fail};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    if (!name || !*name || desk_str_utf8_len(name, strlen(name)) > 255) {
        return desk_fail(fail, DESK_EINVALID, "name", "BlankValue",
                         "Name: cannot be blank (at most 255 characters)");
    }
    int rc = desk_store_write(desk_app_store(app), skill_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_skill_delete(struct desk_app *app, const struct desk_actor *who, bool value,
                          int64_t attribute_id, int64_t id)
{
    struct desk_arena a;
    desk_arena_init(&a);
    struct skill_job j = {
        .a = &a, .value = value, .attribute_id = attribute_id, .id = id, .delete = true};
    int rc = team_ceiling(who->role) < DESK_ROLE_AGENT
                 ? DESK_EFORBIDDEN
                 : desk_store_write(desk_app_store(app), skill_write, &j);
    desk_arena_release(&a);
    return rc;
}

int desk_app_skill_agent(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t user_id, struct desk_attr **items, size_t *n)
{
    struct desk_conn *c;
    struct desk_user u;
    int rc = reader(app, who, &c);
    if (rc || (rc = desk_store_user_get(c, a, user_id, &u)) != 0) {
        return rc;
    }
    if (!desk_role_is_staff(u.role)) {
        return DESK_ENOTFOUND;
    }
    return desk_store_agent_values(c, a, user_id, items, n);
}

int desk_app_skill_ticket(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, struct desk_attr **items, size_t *n)
{
    struct desk_conn *c;
    struct desk_ticket t;
    int rc = reader(app, who, &c);
    if (rc || (rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0) {
        return rc;
    }
    return desk_store_ticket_values(c, a, ticket_id, items, n);
}

/* Checks every id is a live skill and returns them sorted and unique. */
static int live_values(struct desk_conn *c, struct desk_arena *a, const int64_t *ids, size_t n,
                       int64_t **out, size_t *n_out, struct desk_fail *fail)
{
    if (n > 100) {
        return desk_fail(fail, DESK_EINVALID, "attribute_value_ids", "TooLong",
                         "Skills: at most 100");
    }
    int64_t *v = desk_arena_alloc(a, (n + 1) * sizeof(*v));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct desk_attr x;
        if (desk_store_attr_get(c, a, true, ids[i], &x) != 0 || x.deleted_at) {
            return desk_fail(fail, DESK_EINVALID, "attribute_value_ids", "InvalidValue",
                             desk_arena_printf(a,
                                               "Skills: %lld is not a skill (unknown or deleted)",
                                               (long long)ids[i]));
        }
        bool dup = false;
        for (size_t k = 0; k < m && !dup; k++) {
            dup = v[k] == ids[i];
        }
        if (!dup) {
            size_t k = m++;
            while (k > 0 && v[k - 1] > ids[i]) {
                v[k] = v[k - 1];
                k--;
            }
            v[k] = ids[i];
        }
    }
    *out = v;
    *n_out = m;
    return 0;
}

struct values_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    bool ticket;
    int64_t id;
    const int64_t *ids;
    size_t n;
    struct desk_attr *items;
    size_t n_items;
    bool waiting; /* the ticket waits in a queue: offer it to routing again */
    int64_t group_id;
    struct desk_fail *fail;
};

static int values_write(struct desk_conn *c, void *arg)
{
    struct values_job *j = arg;
    int64_t *v = NULL;
    size_t m = 0;
    int rc;
    if (j->ticket) {
        struct desk_ticket t;
        if ((rc = desk_store_ticket_get(c, j->a, j->id, &t)) != 0) {
            return rc;
        }
        if (t.deleted_at) {
            return DESK_ENOTFOUND;
        }
        j->waiting = !t.assignee_id && t.status <= DESK_STATUS_OPEN;
        j->group_id = t.group_id;
    } else {
        struct desk_user u;
        if ((rc = desk_store_user_get(c, j->a, j->id, &u)) != 0) {
            return rc;
        }
        if (!desk_role_is_staff(u.role)) {
            return DESK_ENOTFOUND;
        }
        if (!team_may_manage(j->who, &u)) {
            return DESK_EFORBIDDEN;
        }
    }
    if ((rc = live_values(c, j->a, j->ids, j->n, &v, &m, j->fail)) != 0) {
        return rc;
    }
    if (j->ticket) {
        rc = desk_store_ticket_values_set(c, j->id, v, m);
    } else {
        /* An agent without a profile gets one, so the skills take effect in routing. */
        struct desk_staff_profile p;
        bool stored;
        int64_t now = desk_time_now_ms();
        if ((rc = team_profile_load(c, j->a, j->id, &p, &stored)) != 0) {
            return rc;
        }
        if (!stored) {
            p.created_at = p.updated_at = now;
            rc = desk_store_staff_put(c, &p);
        }
        if (!rc) {
            rc = desk_store_agent_values_set(c, j->id, v, m);
        }
        if (!rc) {
            rc = team_event(c, j->id, j->who, "profile_updated", "skills", now);
        }
    }
    if (rc) {
        return rc;
    }
    return j->ticket ? desk_store_ticket_values(c, j->a, j->id, &j->items, &j->n_items)
                     : desk_store_agent_values(c, j->a, j->id, &j->items, &j->n_items);
}

static int set_values(struct desk_app *app, struct values_job *j, struct desk_attr **items,
                      size_t *n)
{
    int rc = desk_store_write(desk_app_store(app), values_write, j);
    if (rc) {
        return rc;
    }
    *items = j->items;
    *n = j->n_items;
    return 0;
}

int desk_app_skill_set_agent(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t user_id, const int64_t *ids, size_t n,
                             struct desk_attr **items, size_t *n_out, struct desk_fail *fail)
{
    struct values_job j = {.who = who, .a = a, .id = user_id, .ids = ids, .n = n, .fail = fail};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    int rc = set_values(app, &j, items, n_out);
    if (!rc) {
        team_drain_for_agent(app, user_id);
    }
    return rc;
}

int desk_app_skill_set_ticket(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, const int64_t *ids, size_t n,
                              struct desk_attr **items, size_t *n_out, struct desk_fail *fail)
{
    struct desk_ticket t;
    struct values_job j = {
        .who = who, .a = a, .ticket = true, .id = ticket_id, .ids = ids, .n = n, .fail = fail};
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_ticket_get(app, who, a, ticket_id, &t);
    if (rc || (rc = set_values(app, &j, items, n_out)) != 0) {
        return rc;
    }
    if (j.waiting) {
        desk_app_routing_drain(app, j.group_id);
    }
    return 0;
}
