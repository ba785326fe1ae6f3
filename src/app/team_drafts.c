/*
 * Trainees' held replies: listing them for reviewers, approving (as is or
 * edited: the reply then goes out through the ticket update use case as a
 * public comment authored by the trainee, and the draft is marked approved
 * in the same transaction), and returning them with a comment.
 */
#include "app/team_int.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

/*
 * True when who may review d: an admin, the author's mentor, or a
 * supervisor of the ticket's group (any supervisor for a groupless ticket).
 * Nobody reviews their own draft.
 */
static int may_review(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
                      const struct desk_draft *d, bool *out)
{
    struct desk_ticket t;
    *out = false;
    if (who->user_id == d->author_id || !desk_role_is_staff(who->role)) {
        return 0;
    }
    if (who->role == DESK_ROLE_ADMIN) {
        *out = true;
        return 0;
    }
    int rc = desk_store_staff_is_mentor_of(c, who->user_id, d->author_id, out);
    if (rc || *out || who->role != DESK_ROLE_SUPERVISOR) {
        return rc;
    }
    if ((rc = desk_store_ticket_get(c, a, d->ticket_id, &t)) != 0) {
        return rc;
    }
    if (!t.group_id) {
        *out = true;
        return 0;
    }
    return desk_store_membership_exists(c, who->user_id, t.group_id, out);
}

static int visible(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
                   const struct desk_draft *d)
{
    bool ok = who->user_id == d->author_id;
    int rc = ok ? 0 : may_review(c, a, who, d, &ok);
    return rc ? rc : ok ? 0 : DESK_ENOTFOUND;
}

int desk_app_draft_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *state, int64_t ticket_id, const struct desk_page *p,
                        struct desk_draft **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    struct desk_draft_filter f = {state, ticket_id, DESK_DRAFTS_MENTOR, who->user_id};
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    f.scope = who->role == DESK_ROLE_ADMIN        ? DESK_DRAFTS_ALL
              : who->role == DESK_ROLE_SUPERVISOR ? DESK_DRAFTS_SUPERVISOR
                                                  : DESK_DRAFTS_MENTOR;
    int rc = desk_app_reader(app, &c);
    return rc ? rc : desk_store_draft_list(c, a, &f, p, items, out);
}

int desk_app_draft_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, struct desk_draft *out)
{
    struct desk_conn *c;
    struct desk_draft d;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    if (rc || (rc = desk_store_draft_get(c, a, id, &d)) != 0 ||
        (rc = visible(c, a, who, &d)) != 0) {
        return rc;
    }
    *out = d;
    return 0;
}

/* Loads a pending draft who may review, for approve and return. */
static int reviewable(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
                      int64_t id, struct desk_draft *out)
{
    bool ok;
    int rc = desk_store_draft_get(c, a, id, out);
    if (rc || (rc = visible(c, a, who, out)) != 0 || (rc = may_review(c, a, who, out, &ok)) != 0) {
        return rc;
    }
    if (!ok) {
        return DESK_EFORBIDDEN;
    }
    return strcmp(out->state, "pending") == 0 ? 0 : DESK_ECONFLICT;
}

static int check_body(const char *body, const char *field, const char *label,
                      struct desk_fail *fail, struct desk_arena *a)
{
    if (!body || !*body) {
        return desk_fail(fail, DESK_EINVALID, field, "BlankValue",
                         desk_arena_printf(a, "%s: cannot be blank", label));
    }
    if (strlen(body) > 65536 || !desk_str_utf8_valid(body, strlen(body))) {
        return desk_fail(fail, DESK_EINVALID, field, "TooLong",
                         desk_arena_printf(a, "%s: at most 65536 bytes of UTF-8", label));
    }
    return 0;
}

int desk_app_draft_approve(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const char *edited_body, struct desk_draft *out,
                           struct desk_fail *fail)
{
    struct desk_conn *c;
    struct desk_draft d;
    int rc = desk_app_reader(app, &c);
    if (rc || (rc = reviewable(c, a, who, id, &d)) != 0) {
        return rc;
    }
    if (edited_body && (rc = check_body(edited_body, "body", "Body", fail, a)) != 0) {
        return rc;
    }
    struct desk_ticket_input in = {0};
    struct desk_ticket t;
    struct desk_audit au;
    in.comment_body = edited_body ? edited_body : d.body;
    in.comment_public = true;
    in.comment_author_id = d.author_id;
    if (d.status >= 0) {
        in.has_status = true;
        in.status = d.status;
    }
    struct team_req r = {.in = &in,
                         .kind = TEAM_REQ_APPROVE,
                         .draft_id = d.id,
                         .sent_body = edited_body,
                         .reviewer_id = who->user_id,
                         .outcome = -1};
    team_req_push(&r);
    rc = desk_app_ticket_update(app, who, a, d.ticket_id, &in, &t, &au, fail);
    team_req_pop(&r);
    if (rc) {
        return rc;
    }
    return desk_store_draft_get(c, a, id, out);
}

struct return_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t id;
    const char *comment;
    struct desk_draft out;
};

static int return_write(struct desk_conn *c, void *arg)
{
    struct return_job *j = arg;
    struct desk_draft d;
    int rc = reviewable(c, j->a, j->who, j->id, &d);
    if (rc) {
        return rc;
    }
    d.state = "returned";
    d.reviewer_id = j->who->user_id;
    d.review_comment = j->comment;
    d.reviewed_at = desk_time_now_ms();
    if ((rc = desk_store_draft_review(c, &d)) == 0) {
        j->out = d;
    }
    return rc;
}

int desk_app_draft_return(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, const char *comment, struct desk_draft *out,
                          struct desk_fail *fail)
{
    struct return_job j = {.who = who, .a = a, .id = id, .comment = comment};
    int rc = check_body(comment, "comment", "Comment", fail, a);
    if (rc || (rc = desk_store_write(desk_app_store(app), return_write, &j)) != 0) {
        return rc;
    }
    *out = j.out;
    return 0;
}
