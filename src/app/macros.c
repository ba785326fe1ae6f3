/*
 * Macro and view use cases (see macros.h). Writes run in the store's
 * writer so a change is validated against the state it replaces.
 */
#include "app/macros.h"
#include "app/app_int.h"
#include "core/str.h"
#include "core/time.h"
#include "model/staff.h"
#include "model/ticket.h"

#include <string.h>
#include <strings.h>

static bool may_manage(const struct desk_actor *who)
{
    return who->role >= DESK_ROLE_SUPERVISOR;
}

int desk_app_macro_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        bool active_only, const struct desk_page *p, struct desk_macro **items,
                        struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_macro_list(c, a, active_only, p, items, out);
}

int desk_app_macro_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, struct desk_macro *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_macro_get(c, a, id, out);
}

struct macro_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    const struct desk_macro_patch *p;
    struct desk_macro out;
    struct desk_fail *fail;
};

static int text_ok(struct desk_fail *fail, const char *field, const char *label, const char *s)
{
    if (s && strlen(s) > DESK_COMMENT_MAX) {
        return desk_fail(fail, DESK_EINVALID, field, "TooLong",
                         strcmp(label, "Comment") == 0
                             ? "Comment: is too long (maximum is 65536 bytes)"
                             : "Variant: is too long (maximum is 65536 bytes)");
    }
    if (s && !desk_str_utf8_valid(s, strlen(s))) {
        return desk_fail(fail, DESK_EINVALID, field, "InvalidEncoding", "Text: is not valid UTF-8");
    }
    return 0;
}

static int check_macro(struct desk_conn *c, struct macro_job *j, struct desk_macro *m)
{
    int rc;
    if (!m->title || !*m->title) {
        return desk_fail(j->fail, DESK_EINVALID, "title", "BlankValue", "Title: cannot be blank");
    }
    if (desk_str_utf8_len(m->title, strlen(m->title)) > DESK_MACRO_TITLE_MAX) {
        return desk_fail(j->fail, DESK_EINVALID, "title", "TooLong",
                         "Title: is too long (maximum is 255 characters)");
    }
    if ((rc = text_ok(j->fail, "actions", "Comment", m->comment)) != 0) {
        return rc;
    }
    if (m->n_variants > DESK_MACRO_VARIANTS_MAX) {
        return desk_fail(j->fail, DESK_EINVALID, "variants", "TooMany",
                         "Variants: at most 32 languages");
    }
    for (size_t i = 0; i < m->n_variants; i++) {
        struct desk_macro_variant *v = &m->variants[i];
        char canon[64], primary[4];
        if (!v->language || desk_lang_canon(v->language, canon, sizeof(canon), primary) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "variants", "InvalidValue",
                             "Variants: language must be a BCP 47 tag such as cs or pt-BR");
        }
        v->language = desk_arena_strdup(j->a, canon);
        if (!v->comment || !*v->comment) {
            return desk_fail(j->fail, DESK_EINVALID, "variants", "BlankValue",
                             "Variants: comment cannot be blank");
        }
        if ((rc = text_ok(j->fail, "variants", "Variant", v->comment)) != 0) {
            return rc;
        }
        for (size_t k = 0; k < i; k++) {
            if (strcasecmp(m->variants[k].language, v->language) == 0) {
                return desk_fail(j->fail, DESK_EINVALID, "variants", "DuplicateValue",
                                 "Variants: each language may appear once");
            }
        }
    }
    if ((rc = desk_tags_normalize(j->a, &m->add_tags, j->fail)) != 0 ||
        (rc = desk_tags_normalize(j->a, &m->remove_tags, j->fail)) != 0) {
        return rc;
    }
    if (m->group_id) {
        struct desk_group g;
        if (desk_store_group_get(c, j->a, m->group_id, &g) != 0 || g.deleted) {
            return desk_fail(j->fail, DESK_EINVALID, "actions", "InvalidValue",
                             "Group: does not exist");
        }
    }
    if (m->assignee && strcmp(m->assignee, "current_user") != 0) {
        int64_t uid;
        struct desk_user u;
        if (desk_str_to_i64(m->assignee, strlen(m->assignee), &uid) != 0 ||
            desk_store_user_get(c, j->a, uid, &u) != 0 || !u.active ||
            !desk_role_is_staff(u.role)) {
            return desk_fail(j->fail, DESK_EINVALID, "actions", "InvalidValue",
                             "Assignee: must be current_user or the id of an agent");
        }
    }
    return 0;
}

static int macro_write(struct desk_conn *c, void *arg)
{
    struct macro_job *j = arg;
    const struct desk_macro_patch *p = j->p;
    struct desk_macro m;
    int64_t now = desk_time_now_ms();
    int rc;
    if (j->id) {
        if ((rc = desk_store_macro_get(c, j->a, j->id, &m)) != 0) {
            return rc;
        }
    } else {
        memset(&m, 0, sizeof(m));
        m.active = true;
        m.comment_public = true;
        m.status = m.priority = m.type = -1;
        m.created_by = j->who->user_id;
        m.created_at = now;
    }
    if (p->has_title) {
        m.title = p->title;
    }
    if (p->has_description) {
        m.description = p->description;
    }
    if (p->has_active) {
        m.active = p->active;
    }
    if (p->has_position) {
        m.position = p->position;
    }
    if (p->has_actions) {
        m.comment = p->comment;
        m.comment_public = p->comment_public;
        m.status = p->status;
        m.priority = p->priority;
        m.type = p->type;
        m.group_id = p->group_id;
        m.assignee = p->assignee;
        m.add_tags = p->add_tags;
        m.remove_tags = p->remove_tags;
    }
    if (p->has_variants) {
        m.variants = p->variants;
        m.n_variants = p->n_variants;
    }
    m.updated_at = now;
    if ((rc = check_macro(c, j, &m)) != 0) {
        return rc;
    }
    rc = j->id ? desk_store_macro_update(c, &m) : desk_store_macro_insert(c, &m);
    if (!rc) {
        j->out = m;
    }
    return rc;
}

int desk_app_macro_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, const struct desk_macro_patch *p, struct desk_macro *out,
                        struct desk_fail *fail)
{
    if (!may_manage(who)) {
        return DESK_EFORBIDDEN;
    }
    struct macro_job j = {.who = who, .a = a, .id = id, .p = p, .fail = fail};
    int rc = desk_store_write(app->store, macro_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

static int macro_delete_write(struct desk_conn *c, void *arg)
{
    return desk_store_macro_delete(c, *(int64_t *)arg);
}

int desk_app_macro_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    if (!may_manage(who)) {
        return DESK_EFORBIDDEN;
    }
    return desk_store_write(app->store, macro_delete_write, &id);
}

int desk_app_macro_apply(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t ticket_id, int64_t macro_id, struct desk_macro_result *out)
{
    struct desk_conn *c;
    struct desk_macro m;
    struct desk_ticket t = {0};
    struct desk_user agent = {0}, requester = {0};
    int rc = desk_app_macro_get(app, who, a, macro_id, &m);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    if (ticket_id && (rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0) {
        return rc;
    }
    if (ticket_id) {
        desk_store_user_get(c, a, t.requester_id, &requester);
    }
    if (who->user_id) {
        desk_store_user_get(c, a, who->user_id, &agent);
    }
    memset(out, 0, sizeof(*out));
    const char *text = desk_macro_pick(&m, ticket_id ? t.language : NULL, &out->language);
    struct desk_macro_vars vars = {.ticket_id = t.id,
                                   .ticket_subject = t.subject,
                                   .requester_name = requester.name,
                                   .requester_email = requester.email,
                                   .agent_name = agent.name,
                                   .agent_email = agent.email};
    out->comment = text ? desk_macro_render(a, text, &vars) : NULL;
    out->comment_public = m.comment_public;
    out->status = m.status;
    out->priority = m.priority;
    out->type = m.type;
    out->group_id = m.group_id;
    if (m.assignee) {
        int64_t uid = 0;
        if (strcmp(m.assignee, "current_user") == 0) {
            uid = who->user_id;
        } else {
            desk_str_to_i64(m.assignee, strlen(m.assignee), &uid);
        }
        out->assignee_id = uid;
    }
    if (ticket_id) {
        size_t n = t.tags.n + m.add_tags.n, k = 0;
        const char **v = desk_arena_alloc(a, (n ? n : 1) * sizeof(*v));
        for (size_t i = 0; i < t.tags.n + m.add_tags.n; i++) {
            const char *tag = i < t.tags.n ? t.tags.v[i] : m.add_tags.v[i - t.tags.n];
            bool drop = false;
            for (size_t r = 0; r < m.remove_tags.n && !drop; r++) {
                drop = strcmp(tag, m.remove_tags.v[r]) == 0;
            }
            for (size_t d = 0; d < k && !drop; d++) {
                drop = strcmp(tag, v[d]) == 0;
            }
            if (!drop) {
                v[k++] = tag;
            }
        }
        out->tags.v = v;
        out->tags.n = k;
        out->has_tags = true;
    }
    return 0;
}

/* ---- views ------------------------------------------------------------ */

static bool sees_view(const struct desk_actor *who, const struct desk_view *v)
{
    return !v->owner_id || v->owner_id == who->user_id || who->role == DESK_ROLE_ADMIN;
}

int desk_app_view_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool active_only, const struct desk_page *p, struct desk_view **items,
                       struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_view_list(c, a, who->user_id, active_only, p, items, out);
}

int desk_app_view_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t id, struct desk_view *out)
{
    struct desk_conn *c;
    struct desk_view v;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_view_get(c, a, id, &v)) != 0) {
        return rc;
    }
    if (!sees_view(who, &v)) {
        return DESK_ENOTFOUND;
    }
    *out = v;
    return 0;
}

struct view_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    const struct desk_view_patch *p;
    struct desk_view out;
    struct desk_fail *fail;
};

static int view_write(struct desk_conn *c, void *arg)
{
    struct view_job *j = arg;
    const struct desk_view_patch *p = j->p;
    struct desk_view v;
    int64_t now = desk_time_now_ms();
    int rc;
    if (j->id) {
        if ((rc = desk_store_view_get(c, j->a, j->id, &v)) != 0) {
            return rc;
        }
        if (!sees_view(j->who, &v)) {
            return DESK_ENOTFOUND;
        }
        if (v.owner_id != j->who->user_id && !may_manage(j->who)) {
            return DESK_EFORBIDDEN;
        }
    } else {
        memset(&v, 0, sizeof(v));
        v.active = true;
        v.owner_id = j->who->user_id;
        v.created_at = now;
    }
    if (p->has_title) {
        v.title = p->title;
    }
    if (p->has_query) {
        v.query = p->query;
    }
    if (p->has_active) {
        v.active = p->active;
    }
    if (p->has_position) {
        v.position = p->position;
    }
    if (p->has_shared) {
        if (p->shared && !may_manage(j->who)) {
            return desk_fail(j->fail, DESK_EFORBIDDEN, "restriction", "Forbidden",
                             "Restriction: only supervisors and admins share views");
        }
        v.owner_id = p->shared ? 0 : (v.owner_id ? v.owner_id : j->who->user_id);
    }
    if (!v.title || !*v.title) {
        return desk_fail(j->fail, DESK_EINVALID, "title", "BlankValue", "Title: cannot be blank");
    }
    if (desk_str_utf8_len(v.title, strlen(v.title)) > DESK_MACRO_TITLE_MAX) {
        return desk_fail(j->fail, DESK_EINVALID, "title", "TooLong",
                         "Title: is too long (maximum is 255 characters)");
    }
    if (!v.query || !*v.query) {
        return desk_fail(j->fail, DESK_EINVALID, "query", "BlankValue", "Query: cannot be blank");
    }
    struct desk_sq q;
    struct desk_fail qf = {0};
    if (desk_sq_parse(j->a, v.query, strlen(v.query), &q, &qf) != 0) {
        return desk_fail(j->fail, DESK_EINVALID, "query", "InvalidQuery",
                         desk_arena_printf(j->a, "Query: %s",
                                           qf.n ? qf.items[0].description : "cannot be parsed"));
    }
    v.updated_at = now;
    rc = j->id ? desk_store_view_update(c, &v) : desk_store_view_insert(c, &v);
    if (!rc) {
        j->out = v;
    }
    return rc;
}

int desk_app_view_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, const struct desk_view_patch *p, struct desk_view *out,
                       struct desk_fail *fail)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (p->has_query && p->query && *p->query) {
        /* Run it once: an unknown keyword or a bad date is only found by the store. */
        struct desk_search_hit *hits;
        size_t n;
        int64_t total;
        struct desk_fail qf = {0};
        const char *q = desk_arena_printf(a, "type:ticket %s", p->query);
        if (desk_app_search(app, who, a, q, strlen(q), 0, 1, NULL, NULL, &hits, &n, &total, &qf) !=
            0) {
            return desk_fail(fail, DESK_EINVALID, "query", "InvalidQuery",
                             desk_arena_printf(a, "Query: %s",
                                               qf.n ? qf.items[0].description : "cannot be run"));
        }
    }
    struct view_job j = {.who = who, .a = a, .id = id, .p = p, .fail = fail};
    int rc = desk_store_write(app->store, view_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

struct view_delete_job {
    const struct desk_actor *who;
    int64_t id;
};

static int view_delete_write(struct desk_conn *c, void *arg)
{
    struct view_delete_job *j = arg;
    struct desk_arena a;
    struct desk_view v;
    desk_arena_init(&a);
    int rc = desk_store_view_get(c, &a, j->id, &v);
    if (!rc && !sees_view(j->who, &v)) {
        rc = DESK_ENOTFOUND;
    }
    if (!rc && v.owner_id != j->who->user_id && !may_manage(j->who)) {
        rc = DESK_EFORBIDDEN;
    }
    desk_arena_release(&a);
    return rc ? rc : desk_store_view_delete(c, j->id);
}

int desk_app_view_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct view_delete_job j = {who, id};
    return desk_store_write(app->store, view_delete_write, &j);
}
