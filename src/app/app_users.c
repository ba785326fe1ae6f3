/*
 * Use cases for people records: creating, changing, reading and
 * deactivating users. Who may touch whom: agents manage end users,
 * supervisors manage staff up to supervisors, admins everyone; end users
 * may change only their own name, locale, time zone and phone.
 */
#include "app/app_int.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store_console.h"

#include <string.h>

#define NAME_MAX_LEN 255

/* The highest role an actor may create or manage. */
static int manage_ceiling(int role)
{
    switch (role) {
    case DESK_ROLE_ADMIN:
        return DESK_ROLE_ADMIN;
    case DESK_ROLE_SUPERVISOR:
        return DESK_ROLE_SUPERVISOR;
    case DESK_ROLE_AGENT:
        return DESK_ROLE_END_USER;
    default:
        return -1;
    }
}

static int apply_input(struct desk_arena *a, struct desk_user *u, const struct desk_user_input *in,
                       struct desk_fail *fail)
{
    if (in->has_name) {
        u->name = in->name;
    }
    if (in->has_email) {
        u->email = in->email && *in->email ? in->email : NULL;
    }
    if (in->has_role) {
        u->role = in->role;
    }
    if (in->has_locale && in->locale) {
        u->locale = in->locale;
    }
    if (in->has_time_zone && in->time_zone) {
        u->time_zone = in->time_zone;
    }
    if (in->has_organization_id) {
        u->organization_id = in->organization_id;
    }
    if (in->has_phone) {
        u->phone = in->phone;
    }
    if (in->has_external_id) {
        u->external_id = in->external_id;
    }
    if (in->has_alias) {
        u->alias = in->alias;
    }
    if (in->has_details) {
        u->details = in->details;
    }
    if (in->has_notes) {
        u->notes = in->notes;
    }
    if (in->has_signature) {
        u->signature = in->signature;
    }
    if (in->has_verified) {
        u->verified = in->verified;
    }
    if (in->has_suspended) {
        u->suspended = in->suspended;
    }
    if (in->has_default_group_id) {
        u->default_group_id = in->default_group_id;
    }
    if (in->has_tags) {
        u->tags = in->tags;
        int rc = desk_tags_normalize(a, &u->tags, fail);
        if (rc) {
            return rc;
        }
    }
    if (!u->name || !*u->name) {
        return desk_fail(fail, DESK_EINVALID, "name", "BlankValue", "Name: cannot be blank");
    }
    if (desk_str_utf8_len(u->name, strlen(u->name)) > NAME_MAX_LEN) {
        return desk_fail(fail, DESK_EINVALID, "name", "TooLong",
                         "Name: is too long (maximum is 255 characters)");
    }
    if (u->email && !desk_app_email_valid(u->email)) {
        return desk_fail(fail, DESK_EINVALID, "email", "InvalidFormat",
                         desk_arena_printf(a, "Email: %s is not properly formatted", u->email));
    }
    return 0;
}

/* Checks references the store cannot (organization and group must exist). */
static int check_refs(struct desk_conn *c, struct desk_arena *a, const struct desk_user *u,
                      struct desk_fail *fail)
{
    if (u->organization_id) {
        struct desk_org o;
        if (desk_store_org_get(c, a, u->organization_id, &o) != 0) {
            return desk_fail(fail, DESK_EINVALID, "organization_id", "InvalidValue",
                             "Organization: does not exist");
        }
    }
    if (u->default_group_id) {
        struct desk_group g;
        if (desk_store_group_get(c, a, u->default_group_id, &g) != 0 || g.deleted) {
            return desk_fail(fail, DESK_EINVALID, "default_group_id", "InvalidValue",
                             "Default group: does not exist");
        }
    }
    return 0;
}

struct user_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    const struct desk_user_input *in;
    int64_t id;  /* update: the target; 0 = create */
    bool upsert; /* create, or update the user with in->email */
    bool created;
    struct desk_user out;
    struct desk_fail *fail;
};

static int email_taken(struct desk_arena *a, const char *email, struct desk_fail *fail)
{
    return desk_fail(
        fail, DESK_EINVALID, "email", "DuplicateValue",
        desk_arena_printf(a, "Email: %s is already being used by another user", email));
}

static int user_write(struct desk_conn *c, void *arg)
{
    struct user_job *j = arg;
    const struct desk_actor *who = j->who;
    int ceiling = manage_ceiling(who->role);
    int64_t now = desk_time_now_ms();
    struct desk_user u;
    int rc;

    if (j->upsert && j->in->email) {
        struct desk_user existing;
        if (desk_store_user_by_email(c, j->a, j->in->email, &existing) == 0) {
            j->id = existing.id;
        }
    }
    if (j->id) {
        if ((rc = desk_store_user_get(c, j->a, j->id, &u)) != 0) {
            return rc;
        }
        bool self = who->user_id == u.id;
        if (who->role == DESK_ROLE_END_USER) {
            const struct desk_user_input *in = j->in;
            if (!self || in->has_role || in->has_email || in->has_organization_id ||
                in->has_external_id || in->has_notes || in->has_details || in->has_tags ||
                in->has_verified || in->has_suspended || in->has_default_group_id ||
                in->has_alias || in->has_signature) {
                return DESK_EFORBIDDEN;
            }
        } else if (!self && u.role > ceiling) {
            return DESK_EFORBIDDEN;
        }
    } else {
        memset(&u, 0, sizeof(u));
        u.active = true;
        u.created_at = now;
        j->created = true;
    }
    const char *old_email = u.email;
    int old_role = u.role;
    bool was_suspended = u.suspended;
    if ((rc = apply_input(j->a, &u, j->in, j->fail)) != 0) {
        return rc;
    }
    if (u.role != old_role || j->created) {
        /* Nobody grants a role above their own ceiling, nor changes their own. */
        if (u.role > ceiling || (!j->created && who->user_id == u.id && u.role != old_role)) {
            return desk_fail(j->fail, DESK_EFORBIDDEN, "role", "Forbidden",
                             "Role: you may not grant this role");
        }
    }
    if ((rc = check_refs(c, j->a, &u, j->fail)) != 0) {
        return rc;
    }
    if (u.email && (!old_email || strcmp(old_email, u.email) != 0)) {
        struct desk_user other;
        if (desk_store_user_by_email(c, j->a, u.email, &other) == 0 && other.id != u.id) {
            return email_taken(j->a, u.email, j->fail);
        }
    }
    u.updated_at = now;
    rc = j->created ? desk_store_user_insert(c, &u) : desk_store_user_update(c, &u);
    if (rc == DESK_ECONFLICT) {
        return email_taken(j->a, u.email ? u.email : "", j->fail);
    }
    if (!rc && !j->created && u.suspended && !was_suspended) {
        rc = desk_store_session_revoke_user(c, u.id); /* a suspension signs them out at once */
    }
    if (!rc && j->in->password) {
        const char *hash;
        if ((rc = desk_app_password_hash(j->a, j->in->password, &hash)) == 0) {
            rc = desk_store_user_set_password(c, u.id, hash);
        }
    }
    if (!rc) {
        j->out = u;
    }
    return rc;
}

static int run_user_job(struct desk_app *app, struct user_job *j, struct desk_user *out)
{
    int rc = desk_store_write(app->store, user_write, j);
    if (!rc) {
        *out = j->out;
    }
    return rc;
}

int desk_app_user_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_user_input *in, struct desk_user *out,
                         struct desk_fail *fail)
{
    struct user_job j = {.who = who, .a = a, .in = in, .fail = fail};
    return run_user_job(app, &j, out);
}

int desk_app_user_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, const struct desk_user_input *in, struct desk_user *out,
                         struct desk_fail *fail)
{
    struct user_job j = {.who = who, .a = a, .in = in, .id = id, .fail = fail};
    return run_user_job(app, &j, out);
}

int desk_app_user_upsert(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_user_input *in, struct desk_user *out, bool *created,
                         struct desk_fail *fail)
{
    struct user_job j = {.who = who, .a = a, .in = in, .upsert = true, .fail = fail};
    int rc = run_user_job(app, &j, out);
    if (!rc) {
        *created = j.created;
    }
    return rc;
}

int desk_app_user_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t id, struct desk_user *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    if (who->role == DESK_ROLE_END_USER && id != who->user_id) {
        return DESK_EFORBIDDEN;
    }
    return desk_store_user_get(c, a, id, out);
}

struct delete_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    struct desk_user out;
    struct desk_fail *fail;
};

static int user_delete_write(struct desk_conn *c, void *arg)
{
    struct delete_job *j = arg;
    struct desk_user u;
    int rc = desk_store_user_get(c, j->a, j->id, &u);
    if (rc) {
        return rc;
    }
    if (u.id == j->who->user_id) {
        return desk_fail(j->fail, DESK_EINVALID, "base", "InvalidValue",
                         "You cannot delete yourself");
    }
    if (u.role > manage_ceiling(j->who->role)) {
        return DESK_EFORBIDDEN;
    }
    u.active = false;
    u.updated_at = desk_time_now_ms();
    if ((rc = desk_store_user_update(c, &u)) != 0 ||
        (rc = desk_store_token_revoke_all(c, u.id)) != 0 ||
        (rc = desk_store_session_revoke_user(c, u.id)) != 0) {
        return rc;
    }
    j->out = u;
    return 0;
}

int desk_app_user_delete(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, struct desk_user *out, struct desk_fail *fail)
{
    struct delete_job j = {.who = who, .a = a, .id = id, .fail = fail};
    int rc = desk_store_write(app->store, user_delete_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}
