/*
 * Ticket use cases: open, change, read, delete, list comments, search.
 * Each write is one store transaction holding the ticket, its comment, its
 * audit and its full-text row, so nothing changes without its audit event.
 */
#include "app/app_int.h"
#include "app/escalations.h"
#include "app/hooks.h"
#include "app/live_events.h"
#include "core/str.h"
#include "core/time.h"
#include "model/staff.h"
#include "model/ticket.h"

#include <string.h>

/* True when the actor may see ticket t at all. */
static bool can_see(const struct desk_actor *who, const struct desk_ticket *t)
{
    if (t->deleted_at) {
        return false;
    }
    if (desk_role_is_staff(who->role)) {
        return true;
    }
    return t->requester_id == who->user_id ||
           (who->org_shared && who->organization_id && t->organization_id == who->organization_id);
}

void desk_app_ticket_scope(const struct desk_actor *who, struct desk_ticket_filter *f)
{
    if (!desk_role_is_staff(who->role)) {
        f->visible_to_user = who->user_id;
        f->visible_org = who->org_shared ? who->organization_id : 0;
    } else {
        f->hidden_from = who->user_id; /* complaints about them (app/escalations.h) */
    }
}

struct ticket_job {
    struct desk_app *app;
    const struct desk_actor *who;
    struct desk_arena *a;
    const struct desk_ticket_input *in;
    int64_t id; /* update/delete target */
    bool delete;
    struct desk_ticket before; /* the stored ticket an update started from */
    struct desk_ticket out;
    struct desk_audit audit;
    struct desk_fail *fail;
    struct desk_ticket_change ch;         /* what the hooks see */
    struct desk_ticket_analysis analysis; /* the analyzers' results, before the write */
    bool analyzed;
    bool changed; /* the write stored something: run the committed hooks */
};

/* Finds or creates the end user a ticket is requested by (Zendesk's requester object). */
static int requester_by_email(struct desk_conn *c, struct ticket_job *j, int64_t now, int64_t *id)
{
    const struct desk_ticket_input *in = j->in;
    struct desk_user u;
    if (!desk_app_email_valid(in->requester_email)) {
        return desk_fail(j->fail, DESK_EINVALID, "requester", "InvalidFormat",
                         "Requester: email is not properly formatted");
    }
    if (desk_store_user_by_email(c, j->a, in->requester_email, &u) == 0) {
        *id = u.id;
        return 0;
    }
    memset(&u, 0, sizeof(u));
    u.email = in->requester_email;
    u.name = in->requester_name && *in->requester_name ? in->requester_name : NULL;
    if (!u.name) {
        const char *at = strchr(in->requester_email, '@');
        u.name = desk_arena_strndup(j->a, in->requester_email, (size_t)(at - in->requester_email));
    }
    u.locale = in->requester_locale;
    u.role = DESK_ROLE_END_USER;
    u.active = true;
    u.created_at = u.updated_at = now;
    int rc = desk_store_user_insert(c, &u);
    if (!rc) {
        *id = u.id;
    }
    return rc;
}

static int check_user(struct desk_conn *c, struct ticket_job *j, int64_t id, bool staff,
                      const char *field, const char *label)
{
    struct desk_user u;
    if (desk_store_user_get(c, j->a, id, &u) != 0 || !u.active) {
        return desk_fail(
            j->fail, DESK_EINVALID, field, "InvalidValue",
            desk_arena_printf(j->a, "%s: user %lld does not exist", label, (long long)id));
    }
    if (staff && !desk_role_is_staff(u.role)) {
        return desk_fail(
            j->fail, DESK_EINVALID, field, "InvalidValue",
            desk_arena_printf(j->a, "%s: user %lld is not an agent", label, (long long)id));
    }
    return 0;
}

/* Applies the fields common to create and update onto t. */
static int apply_fields(struct desk_conn *c, struct ticket_job *j, struct desk_ticket *t)
{
    const struct desk_ticket_input *in = j->in;
    int rc;
    if (in->has_subject) {
        t->subject = in->subject ? in->subject : "";
    }
    if (in->has_status) {
        t->status = in->status;
    }
    if (in->has_priority) {
        t->priority = in->priority;
    }
    if (in->has_type) {
        t->type = in->type;
    }
    if (in->has_external_id) {
        t->external_id = in->external_id;
    }
    if (in->has_due_at) {
        t->due_at = in->due_at;
    }
    if (in->has_problem_id) {
        t->problem_id = in->problem_id;
    }
    if (in->has_language) {
        t->language = NULL;
        if (in->language) {
            char canon[64], primary[4];
            if (desk_lang_canon(in->language, canon, sizeof(canon), primary) != 0) {
                return desk_fail(j->fail, DESK_EINVALID, "language", "InvalidValue",
                                 "Language: must be a BCP 47 language tag such as cs or pt-BR");
            }
            t->language = desk_arena_strdup(j->a, canon);
        }
    }
    if (in->assignee_email) {
        struct desk_user u;
        if (desk_store_user_by_email(c, j->a, in->assignee_email, &u) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "assignee_email", "InvalidValue",
                             "Assignee: no user has this email");
        }
        t->assignee_id = u.id;
    } else if (in->has_assignee_id) {
        t->assignee_id = in->assignee_id;
    }
    if (in->has_group_id) {
        t->group_id = in->group_id;
    }
    if (in->has_organization_id) {
        t->organization_id = in->organization_id;
    }
    if (in->has_tags) {
        t->tags = in->tags;
    }
    if (in->additional_tags.n || in->remove_tags.n) {
        size_t n = t->tags.n + in->additional_tags.n;
        const char **v = desk_arena_alloc(j->a, (n ? n : 1) * sizeof(*v));
        size_t k = 0;
        struct desk_strv rm = in->remove_tags;
        if ((rc = desk_tags_normalize(j->a, &rm, j->fail)) != 0) {
            return rc;
        }
        struct desk_strv all = {v, 0};
        for (size_t i = 0; i < t->tags.n; i++) {
            v[i] = t->tags.v[i];
        }
        for (size_t i = 0; i < in->additional_tags.n; i++) {
            v[t->tags.n + i] = in->additional_tags.v[i];
        }
        all.n = n;
        if ((rc = desk_tags_normalize(j->a, &all, j->fail)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < all.n; i++) {
            bool drop = false;
            for (size_t r = 0; r < rm.n && !drop; r++) {
                drop = strcmp(all.v[i], rm.v[r]) == 0;
            }
            if (!drop) {
                v[k++] = all.v[i];
            }
        }
        t->tags.v = v;
        t->tags.n = k;
    }
    if ((rc = desk_tags_normalize(j->a, &t->tags, j->fail)) != 0) {
        return rc;
    }
    if (in->has_collaborator_ids) {
        for (size_t i = 0; i < in->n_collaborator_ids; i++) {
            if ((rc = check_user(c, j, in->collaborator_ids[i], false, "collaborator_ids",
                                 "Collaborator")) != 0) {
                return rc;
            }
        }
        t->collaborator_ids = in->collaborator_ids;
        t->n_collaborator_ids = in->n_collaborator_ids;
    }
    /* Only what this change sets is checked: a ticket whose assignee has since left, or
     * whose group was deleted, stays workable until someone reassigns it. */
    bool assignee_set = in->has_assignee_id || in->assignee_email;
    if (assignee_set && t->assignee_id &&
        (rc = check_user(c, j, t->assignee_id, true, "assignee_id", "Assignee")) != 0) {
        return rc;
    }
    if (t->group_id && (in->has_group_id || assignee_set)) {
        struct desk_group g;
        if (desk_store_group_get(c, j->a, t->group_id, &g) != 0 || g.deleted) {
            return desk_fail(j->fail, DESK_EINVALID, "group_id", "InvalidValue",
                             "Group: does not exist");
        }
        bool member = true;
        if (t->assignee_id &&
            (rc = desk_store_membership_exists(c, t->assignee_id, t->group_id, &member)) != 0) {
            return rc;
        }
        if (!member) {
            return desk_fail(j->fail, DESK_EINVALID, "assignee_id", "InvalidValue",
                             "Assignee: is not a member of the ticket's group");
        }
    }
    if (t->organization_id && in->has_organization_id) {
        struct desk_org o;
        if (desk_store_org_get(c, j->a, t->organization_id, &o) != 0) {
            return desk_fail(j->fail, DESK_EINVALID, "organization_id", "InvalidValue",
                             "Organization: does not exist");
        }
    }
    if (t->problem_id && t->type == DESK_TTYPE_INCIDENT && (in->has_problem_id || in->has_type)) {
        struct desk_ticket p;
        if (desk_store_ticket_get(c, j->a, t->problem_id, &p) != 0 || p.deleted_at ||
            p.type != DESK_TTYPE_PROBLEM) {
            return desk_fail(j->fail, DESK_EINVALID, "problem_id", "InvalidValue",
                             "Problem: must be a ticket of type problem");
        }
    }
    return 0;
}

/* Writes the audit (header, comment, events) for a change to t. */
static int write_audit(struct desk_conn *c, struct ticket_job *j, const struct desk_ticket *cur,
                       const struct desk_ticket *t)
{
    const char *body = j->ch.comment;
    bool is_public = j->ch.comment_public;
    struct desk_audit *au = &j->audit;
    struct desk_audit_event *ev;
    size_t n = desk_ticket_diff(j->a, cur, t, &ev);
    int rc;
    au->ticket_id = t->id;
    au->author_id = j->who->user_id ? j->who->user_id : t->requester_id;
    au->via = j->who->via;
    au->created_at = t->updated_at;
    au->events = desk_arena_alloc(j->a, (n + j->ch.n_events + 1) * sizeof(*au->events));
    memcpy(au->events, ev, n * sizeof(*ev));
    if (j->ch.n_events) { /* the hooks' own events follow the field changes */
        memcpy(au->events + n, j->ch.events, j->ch.n_events * sizeof(*ev));
    }
    au->n_events = n + j->ch.n_events;
    if ((rc = desk_store_audit_insert(c, au)) != 0) {
        return rc;
    }
    if (body) {
        struct desk_comment cm = {0};
        cm.ticket_id = t->id;
        cm.audit_id = au->id;
        cm.author_id = j->ch.comment_author;
        cm.public = is_public;
        cm.body = body;
        cm.html_body = j->in->comment_html_body && body == j->in->comment_body
                           ? j->in->comment_html_body
                           : desk_comment_html(j->a, body);
        cm.via = j->who->via;
        cm.created_at = t->updated_at;
        /* A new ticket's first comment was indexed with the ticket itself. */
        if ((rc = desk_store_comment_insert(c, &cm, cur != NULL)) != 0) {
            return rc;
        }
        struct desk_audit_event *e = &au->events[au->n_events++];
        memset(e, 0, sizeof(*e));
        e->type = "Comment";
        e->comment_id = cm.id;
        e->body = body;
        e->new_value = is_public ? "public" : "private";
        j->ch.comment_id = cm.id;
    }
    return desk_store_audit_events_insert(c, au);
}

/*
 * Who a comment is from: staff may write on someone's behalf (comment.author_id,
 * e.g. logging a phone call); anyone else always writes as themselves.
 */
static int comment_author(struct desk_conn *c, struct ticket_job *j, int64_t fallback, int64_t *out)
{
    int64_t given = j->in->comment_author_id;
    *out = fallback;
    if (!given || !desk_role_is_staff(j->who->role)) {
        return 0;
    }
    int rc = check_user(c, j, given, false, "comment", "Comment author");
    if (!rc) {
        *out = given;
    }
    return rc;
}

static int check_comment(struct ticket_job *j)
{
    const char *body = j->in->comment_body;
    if (body && strlen(body) > DESK_COMMENT_MAX) {
        return desk_fail(j->fail, DESK_EINVALID, "comment", "TooLong",
                         "Comment: is too long (maximum is 65536 bytes)");
    }
    return 0;
}

static int create_write(struct desk_conn *c, void *arg)
{
    struct ticket_job *j = arg;
    const struct desk_ticket_input *in = j->in;
    const struct desk_actor *who = j->who;
    int64_t now = desk_time_now_ms();
    struct desk_ticket t = {0};
    int rc;

    if (!in->comment_body || !*in->comment_body) {
        return desk_fail(j->fail, DESK_EINVALID, "base", "BlankValue",
                         "Description: cannot be blank");
    }
    if ((rc = check_comment(j)) != 0) {
        return rc;
    }
    if (desk_role_is_staff(who->role) && in->requester_email) {
        if ((rc = requester_by_email(c, j, now, &t.requester_id)) != 0) {
            return rc;
        }
    } else if (desk_role_is_staff(who->role) && in->has_requester_id && in->requester_id) {
        if ((rc = check_user(c, j, in->requester_id, false, "requester_id", "Requester")) != 0) {
            return rc;
        }
        t.requester_id = in->requester_id;
    } else {
        t.requester_id = who->user_id;
    }
    if (!t.requester_id) {
        return desk_fail(j->fail, DESK_EINVALID, "requester_id", "BlankValue",
                         "Requester: cannot be blank");
    }
    t.submitter_id = who->user_id ? who->user_id : t.requester_id;
    t.via = who->via;
    t.recipient = in->recipient;
    t.is_public = in->comment_public || !desk_role_is_staff(who->role);
    t.description = in->comment_body;
    if (!desk_role_is_staff(who->role)) {
        /* Customers describe their problem; queue fields are the team's to set. */
        struct desk_ticket_input limited = {0};
        limited.subject = in->subject;
        limited.has_subject = in->has_subject;
        limited.comment_body = in->comment_body;
        limited.has_language = in->has_language;
        limited.language = in->language;
        j->in = &limited;
        rc = apply_fields(c, j, &t);
        j->in = in;
    } else {
        rc = apply_fields(c, j, &t);
    }
    if (rc) {
        return rc;
    }
    if (!t.subject || !*t.subject) {
        /* No subject: the first line of the description, as the web form would show it. */
        const char *body = in->comment_body, *eol = strchr(body, '\n');
        size_t len = eol ? (size_t)(eol - body) : strlen(body), cps = 0, k = 0;
        while (k < len && cps < 80) {
            k++;
            while (k < len && ((unsigned char)body[k] & 0xC0) == 0x80) {
                k++;
            }
            cps++;
        }
        t.subject = desk_arena_strndup(j->a, body, k);
    }
    if (!t.organization_id) {
        struct desk_user r;
        if (desk_store_user_get(c, j->a, t.requester_id, &r) == 0) {
            t.organization_id = r.organization_id;
        }
    }
    struct desk_change_ctx ctx = {who->user_id, who->role, t.is_public, false, now};
    if ((rc = desk_ticket_prepare_new(&t, &ctx, j->fail)) != 0) {
        return rc;
    }
    struct desk_ticket_change *ch = &j->ch;
    *ch = (struct desk_ticket_change){.app = j->app,
                                      .who = who,
                                      .a = j->a,
                                      .in = in,
                                      .after = &t,
                                      .comment = in->comment_body,
                                      .comment_public = t.is_public,
                                      .now = now,
                                      .fail = j->fail,
                                      .analysis = j->analyzed ? &j->analysis : NULL};
    if ((rc = comment_author(c, j, t.submitter_id, &ch->comment_author)) != 0 ||
        (rc = desk_ticket_hooks_prepare(c, ch)) != 0) {
        return rc;
    }
    ch->comment = in->comment_body; /* a new ticket's first comment is its description */
    if ((rc = desk_store_ticket_insert(c, &t)) != 0 || (rc = write_audit(c, j, NULL, &t)) != 0) {
        return rc;
    }
    j->out = t;
    ch->after = &j->out;
    ch->audit = &j->audit;
    j->changed = true;
    return desk_ticket_hooks_written(c, ch);
}

int desk_app_ticket_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           const struct desk_ticket_input *in, struct desk_ticket *out,
                           struct desk_audit *audit, struct desk_fail *fail)
{
    struct ticket_job j = {
        .app = app, .who = who, .a = a, .in = in, .fail = fail, .analyzed = true};
    desk_ticket_analyze(who, in, true, &j.analysis);
    int rc = desk_store_write(app->store, create_write, &j);
    if (!rc) {
        *out = j.out;
        *audit = j.audit;
        desk_ticket_hooks_committed(&j.ch);
    }
    return rc;
}

/* What an end user may change on their own request: a public comment, or solving it. */
static bool end_user_change_allowed(const struct desk_ticket_input *in)
{
    return !(in->has_subject || in->has_priority || in->has_type || in->has_requester_id ||
             in->requester_email || in->has_assignee_id || in->assignee_email || in->has_group_id ||
             in->has_organization_id || in->has_problem_id || in->has_external_id ||
             in->has_due_at || in->has_tags || in->additional_tags.n || in->remove_tags.n ||
             in->has_collaborator_ids || (in->has_status && in->status != DESK_STATUS_SOLVED));
}

static int update_write(struct desk_conn *c, void *arg)
{
    struct ticket_job *j = arg;
    const struct desk_ticket_input *in = j->in;
    const struct desk_actor *who = j->who;
    int64_t now = desk_time_now_ms();
    struct desk_ticket cur, t;
    int rc = desk_store_ticket_get(c, j->a, j->id, &cur);
    if (rc) {
        return rc;
    }
    bool hidden;
    if (!can_see(who, &cur)) {
        return DESK_ENOTFOUND;
    }
    if ((rc = desk_app_ticket_hidden(c, who, cur.id, &hidden)) != 0) {
        return rc;
    }
    if (hidden) {
        return DESK_ENOTFOUND;
    }
    bool staff = desk_role_is_staff(who->role);
    if (!staff && !end_user_change_allowed(in)) {
        return DESK_EFORBIDDEN;
    }
    if (in->safe_update && in->updated_stamp / 1000 != cur.updated_at / 1000) {
        j->out = cur;
        return DESK_ECONFLICT;
    }
    if ((rc = check_comment(j)) != 0) {
        return rc;
    }
    t = cur;
    if (j->delete) {
        t.deleted_at = now;
        t.updated_at = now > cur.updated_at ? now : cur.updated_at + 1;
    } else {
        if ((rc = apply_fields(c, j, &t)) != 0) {
            return rc;
        }
        bool is_public = staff ? in->comment_public : true;
        int64_t author;
        if ((rc = comment_author(c, j, who->user_id, &author)) != 0) {
            return rc;
        }
        /* Only the customer writing again reopens; staff replying keep the status. */
        struct desk_change_ctx ctx = {who->user_id, who->role, in->comment_body && is_public,
                                      author == cur.requester_id && !staff, now};
        if ((rc = desk_ticket_prepare_update(&cur, &t, &ctx, j->fail)) != 0) {
            return rc;
        }
        struct desk_ticket_change *ch = &j->ch;
        *ch = (struct desk_ticket_change){.app = j->app,
                                          .who = who,
                                          .a = j->a,
                                          .in = in,
                                          .before = &cur,
                                          .after = &t,
                                          .comment = in->comment_body,
                                          .comment_public = is_public,
                                          .comment_author = author,
                                          .now = now,
                                          .fail = j->fail,
                                          .analysis = j->analyzed ? &j->analysis : NULL};
        if ((rc = desk_ticket_hooks_prepare(c, ch)) != 0) {
            return rc;
        }
        if (ch->comment && ch->comment_public) {
            t.is_public = true;
        }
        struct desk_audit_event *ev;
        if (!ch->comment && !ch->n_events && desk_ticket_diff(j->a, &cur, &t, &ev) == 0 &&
            (!in->has_collaborator_ids || in->n_collaborator_ids == cur.n_collaborator_ids)) {
            j->out = cur; /* nothing changed: no audit, no new version */
            return 0;
        }
        if ((rc = desk_store_ticket_update(c, &t)) != 0) {
            return rc;
        }
        t.version = cur.version + 1;
        if ((rc = write_audit(c, j, &cur, &t)) != 0) {
            return rc;
        }
        j->before = cur;
        j->out = t;
        ch->before = &j->before;
        ch->after = &j->out;
        ch->audit = &j->audit;
        j->changed = true;
        return desk_ticket_hooks_written(c, ch);
    }
    if ((rc = desk_store_ticket_update(c, &t)) != 0) {
        return rc;
    }
    struct desk_audit *au = &j->audit;
    static struct desk_audit_event deleted = {0, "Change", "deleted", "false", "true", 0, NULL};
    au->ticket_id = t.id;
    au->author_id = who->user_id ? who->user_id : cur.requester_id;
    au->via = who->via;
    au->created_at = now;
    au->events = &deleted;
    au->n_events = 1;
    if ((rc = desk_store_audit_insert(c, au)) != 0 ||
        (rc = desk_store_audit_events_insert(c, au)) != 0) {
        return rc;
    }
    j->before = cur;
    j->out = t;
    return 0;
}

int desk_app_ticket_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const struct desk_ticket_input *in, struct desk_ticket *out,
                           struct desk_audit *audit, struct desk_fail *fail)
{
    struct ticket_job j = {
        .app = app, .who = who, .a = a, .in = in, .id = id, .fail = fail, .analyzed = true};
    desk_ticket_analyze(who, in, false, &j.analysis);
    int rc = desk_store_write(app->store, update_write, &j);
    if (!rc || rc == DESK_ECONFLICT) {
        *out = j.out;
        *audit = j.audit;
    }
    if (!rc && j.changed) {
        desk_ticket_hooks_committed(&j.ch);
    }
    return rc;
}

int desk_app_ticket_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, struct desk_ticket *out)
{
    struct desk_conn *c;
    struct desk_ticket t;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_ticket_get(c, a, id, &t)) != 0) {
        return rc;
    }
    bool hidden;
    if (!can_see(who, &t)) {
        return DESK_ENOTFOUND;
    }
    if ((rc = desk_app_ticket_hidden(c, who, t.id, &hidden)) != 0) {
        return rc;
    }
    if (hidden) {
        return DESK_ENOTFOUND;
    }
    *out = t;
    return 0;
}

int desk_app_ticket_update_in(struct desk_conn *c, struct desk_app *app,
                              const struct desk_actor *who, struct desk_arena *a, int64_t id,
                              const struct desk_ticket_input *in, struct desk_ticket *out,
                              struct desk_ticket_change **ch, struct desk_fail *fail)
{
    struct ticket_job *j = desk_arena_alloc(a, sizeof(*j));
    *j = (struct ticket_job){.app = app, .who = who, .a = a, .in = in, .id = id, .fail = fail};
    int rc = update_write(c, j);
    if (!rc) {
        *out = j->out;
        *ch = j->changed ? &j->ch : NULL;
    }
    return rc;
}

int desk_app_ticket_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    struct desk_arena a;
    struct desk_ticket_input in = {0};
    desk_arena_init(&a);
    struct ticket_job j = {.who = who, .a = &a, .in = &in, .id = id, .delete = true};
    int rc = desk_store_write(app->store, update_write, &j);
    if (!rc) {
        desk_app_live_deleted(app, who, &a, &j.before, &j.out);
    }
    desk_arena_release(&a);
    return rc;
}

int desk_app_comment_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, const struct desk_page *p, struct desk_comment **items,
                          struct desk_page_out *out)
{
    struct desk_ticket t;
    struct desk_conn *c;
    int rc = desk_app_ticket_get(app, who, a, ticket_id, &t);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_comment_list(c, a, ticket_id, !desk_role_is_staff(who->role), p, items, out);
}

int desk_app_search(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                    const char *query, size_t query_len, int64_t offset, int limit,
                    const char *sort_by, const char *sort_order, struct desk_search_hit **hits,
                    size_t *n, int64_t *total, struct desk_fail *fail)
{
    struct desk_sq q;
    struct desk_conn *c;
    int rc = desk_sq_parse(a, query, query_len, &q, fail);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    if (sort_by && !q.order_by) {
        /* The sort_by parameter names the same orders as order_by: in the query. */
        q.order_by = strcmp(sort_by, "created_at") == 0   ? "created"
                     : strcmp(sort_by, "updated_at") == 0 ? "updated"
                                                          : sort_by;
    }
    if (sort_order) {
        q.desc = strcmp(sort_order, "asc") != 0;
    }
    if (!desk_role_is_staff(who->role)) {
        q.type = DESK_SQ_TICKET;
    }
    struct desk_search_scope scope = {.viewer_id = who->user_id,
                                      .viewer_role = who->role,
                                      .viewer_org = who->org_shared ? who->organization_id : 0,
                                      .hidden_from =
                                          desk_role_is_staff(who->role) ? who->user_id : 0};
    return desk_store_search(c, a, &q, &scope, desk_time_now_ms(), offset, limit, hits, n, total,
                             fail);
}
