/*
 * Use cases for organizations, groups and group memberships: the
 * structures a supervisor's queues are built from.
 */
#include "app/app_int.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

struct org_job {
    struct desk_arena *a;
    const struct desk_org_input *in;
    int64_t id;
    struct desk_org out;
    struct desk_fail *fail;
};

static int org_write(struct desk_conn *c, void *arg)
{
    struct org_job *j = arg;
    const struct desk_org_input *in = j->in;
    int64_t now = desk_time_now_ms();
    struct desk_org o;
    int rc;
    if (j->id) {
        if ((rc = desk_store_org_get(c, j->a, j->id, &o)) != 0) {
            return rc;
        }
    } else {
        memset(&o, 0, sizeof(o));
        o.created_at = now;
    }
    if (in->has_name) {
        o.name = in->name;
    }
    if (in->has_external_id) {
        o.external_id = in->external_id;
    }
    if (in->has_details) {
        o.details = in->details;
    }
    if (in->has_notes) {
        o.notes = in->notes;
    }
    if (in->has_group_id) {
        o.group_id = in->group_id;
    }
    if (in->has_shared_tickets) {
        o.shared_tickets = in->shared_tickets;
    }
    if (in->has_shared_comments) {
        o.shared_comments = in->shared_comments;
    }
    if (in->has_domain_names) {
        o.domain_names = in->domain_names;
    }
    if (in->has_tags) {
        o.tags = in->tags;
        if ((rc = desk_tags_normalize(j->a, &o.tags, j->fail)) != 0) {
            return rc;
        }
    }
    if (!o.name || !*o.name) {
        return desk_fail(j->fail, DESK_EINVALID, "name", "BlankValue", "Name: cannot be blank");
    }
    if (desk_str_utf8_len(o.name, strlen(o.name)) > 255) {
        return desk_fail(j->fail, DESK_EINVALID, "name", "TooLong",
                         "Name: is too long (maximum is 255 characters)");
    }
    if (o.group_id) {
        struct desk_group g;
        if (desk_store_group_get(c, j->a, o.group_id, &g) != 0 || g.deleted) {
            return desk_fail(j->fail, DESK_EINVALID, "group_id", "InvalidValue",
                             "Group: does not exist");
        }
    }
    o.updated_at = now;
    rc = j->id ? desk_store_org_update(c, &o) : desk_store_org_insert(c, &o);
    if (rc == DESK_ECONFLICT) {
        return desk_fail(j->fail, DESK_EINVALID, "name", "DuplicateValue",
                         "Name: has already been taken");
    }
    if (!rc) {
        j->out = o;
    }
    return rc;
}

static int run_org(struct desk_app *app, struct org_job *j, struct desk_org *out)
{
    int rc = desk_store_write(app->store, org_write, j);
    if (!rc) {
        *out = j->out;
    }
    return rc;
}

int desk_app_org_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const struct desk_org_input *in, struct desk_org *out,
                        struct desk_fail *fail)
{
    (void)who;
    struct org_job j = {.a = a, .in = in, .fail = fail};
    return run_org(app, &j, out);
}

int desk_app_org_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, const struct desk_org_input *in, struct desk_org *out,
                        struct desk_fail *fail)
{
    (void)who;
    struct org_job j = {.a = a, .in = in, .id = id, .fail = fail};
    return run_org(app, &j, out);
}

static int org_delete_write(struct desk_conn *c, void *arg)
{
    return desk_store_org_delete(c, *(int64_t *)arg);
}

int desk_app_org_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    (void)who;
    return desk_store_write(app->store, org_delete_write, &id);
}

struct group_job {
    struct desk_arena *a;
    const struct desk_group_input *in;
    int64_t id;
    bool delete;
    struct desk_group out;
    struct desk_fail *fail;
};

static int group_write(struct desk_conn *c, void *arg)
{
    struct group_job *j = arg;
    int64_t now = desk_time_now_ms();
    struct desk_group g;
    int rc;
    if (j->id) {
        if ((rc = desk_store_group_get(c, j->a, j->id, &g)) != 0) {
            return rc;
        }
        if (g.deleted) {
            return DESK_ENOTFOUND;
        }
    } else {
        memset(&g, 0, sizeof(g));
        g.is_public = true;
        g.created_at = now;
    }
    if (j->delete) {
        g.deleted = true;
    } else {
        if (j->in->has_name) {
            g.name = j->in->name;
        }
        if (j->in->has_description) {
            g.description = j->in->description;
        }
        if (j->in->has_is_public) {
            g.is_public = j->in->is_public;
        }
        if (!g.name || !*g.name) {
            return desk_fail(j->fail, DESK_EINVALID, "name", "BlankValue", "Name: cannot be blank");
        }
        if (desk_str_utf8_len(g.name, strlen(g.name)) > 255) {
            return desk_fail(j->fail, DESK_EINVALID, "name", "TooLong",
                             "Name: is too long (maximum is 255 characters)");
        }
    }
    g.updated_at = now;
    if (j->delete &&(rc = desk_store_membership_delete_group(c, g.id)) != 0) {
        return rc;
    }
    rc = j->id ? desk_store_group_update(c, &g) : desk_store_group_insert(c, &g);
    if (!rc) {
        j->out = g;
    }
    return rc;
}

int desk_app_group_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_group_input *in, struct desk_group *out,
                          struct desk_fail *fail)
{
    (void)who;
    struct group_job j = {.a = a, .in = in, .fail = fail};
    int rc = desk_store_write(app->store, group_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_group_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, const struct desk_group_input *in, struct desk_group *out,
                          struct desk_fail *fail)
{
    (void)who;
    struct group_job j = {.a = a, .in = in, .id = id, .fail = fail};
    int rc = desk_store_write(app->store, group_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_group_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    (void)who;
    struct desk_arena a;
    desk_arena_init(&a);
    struct group_job j = {.a = &a, .id = id, .delete = true};
    int rc = desk_store_write(app->store, group_write, &j);
    desk_arena_release(&a);
    return rc;
}

struct membership_job {
    int64_t user_id;
    int64_t group_id;
    int64_t id;
    bool is_default;
    int op; /* 0 create, 1 delete, 2 make default */
    struct desk_membership out;
    struct desk_fail *fail;
};

static int membership_write(struct desk_conn *c, void *arg)
{
    struct membership_job *j = arg;
    struct desk_arena a;
    int rc;
    if (j->op == 1) {
        return desk_store_membership_delete(c, j->id);
    }
    if (j->op == 2) {
        struct desk_membership m;
        if ((rc = desk_store_membership_get(c, j->id, &m)) != 0) {
            return rc;
        }
        if (m.user_id != j->user_id) {
            return DESK_ENOTFOUND;
        }
        return desk_store_membership_make_default(c, j->user_id, j->id);
    }
    desk_arena_init(&a);
    struct desk_user u;
    struct desk_group g;
    rc = desk_store_user_get(c, &a, j->user_id, &u);
    if (rc == DESK_ENOTFOUND) {
        rc = desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue", "User: does not exist");
    } else if (!rc && !desk_role_is_staff(u.role)) {
        rc = desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue",
                       "User: must be an agent to be added to a group");
    }
    if (!rc) {
        rc = desk_store_group_get(c, &a, j->group_id, &g);
        if (rc == DESK_ENOTFOUND || (!rc && g.deleted)) {
            rc = desk_fail(j->fail, DESK_EINVALID, "group_id", "InvalidValue",
                           "Group: does not exist");
        }
    }
    desk_arena_release(&a);
    if (rc) {
        return rc;
    }
    int64_t now = desk_time_now_ms();
    struct desk_membership m = {0, j->user_id, j->group_id, j->is_default, now, now};
    rc = desk_store_membership_insert(c, &m);
    if (rc == DESK_ECONFLICT) {
        return desk_fail(j->fail, DESK_EINVALID, "user_id", "DuplicateValue",
                         "User: is already a member of this group");
    }
    if (!rc && m.is_default) {
        rc = desk_store_membership_make_default(c, m.user_id, m.id);
    }
    if (!rc) {
        j->out = m;
    }
    return rc;
}

int desk_app_membership_create(struct desk_app *app, const struct desk_actor *who, int64_t user_id,
                               int64_t group_id, bool is_default, struct desk_membership *out,
                               struct desk_fail *fail)
{
    (void)who;
    struct membership_job j = {
        .user_id = user_id, .group_id = group_id, .is_default = is_default, .fail = fail};
    int rc = desk_store_write(app->store, membership_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_membership_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    (void)who;
    struct membership_job j = {.id = id, .op = 1};
    return desk_store_write(app->store, membership_write, &j);
}

int desk_app_membership_make_default(struct desk_app *app, const struct desk_actor *who,
                                     int64_t user_id, int64_t id)
{
    (void)who;
    struct membership_job j = {.user_id = user_id, .id = id, .op = 2};
    return desk_store_write(app->store, membership_write, &j);
}
