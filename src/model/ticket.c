/*
 * Ticket rules and audit diffs (see ticket.h). Everything here is pure and
 * allocation goes to the caller's arena.
 */
#include "model/ticket.h"
#include "core/buf.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_text(const struct desk_ticket *t, struct desk_fail *fail)
{
    if (t->subject && desk_str_utf8_len(t->subject, strlen(t->subject)) > DESK_SUBJECT_MAX) {
        return desk_fail(fail, DESK_EINVALID, "subject", "TooLong",
                         "Subject: is too long (maximum is 255 characters)");
    }
    if (t->external_id && strlen(t->external_id) > DESK_EXTERNAL_ID_MAX) {
        return desk_fail(fail, DESK_EINVALID, "external_id", "TooLong",
                         "External id: is too long (maximum is 255 characters)");
    }
    return 0;
}

int desk_ticket_prepare_new(struct desk_ticket *t, const struct desk_change_ctx *ctx,
                            struct desk_fail *fail)
{
    int rc = check_text(t, fail);
    if (rc) {
        return rc;
    }
    if (t->status == DESK_STATUS_NEW && t->assignee_id) {
        t->status = DESK_STATUS_OPEN;
    }
    if (t->status >= DESK_STATUS_SOLVED && !t->assignee_id) {
        if (!desk_role_is_staff(ctx->actor_role)) {
            return desk_fail(fail, DESK_EINVALID, "status", "InvalidValue",
                             "Status: solved tickets need an assignee");
        }
        t->assignee_id = ctx->actor_id;
    }
    if (t->status >= DESK_STATUS_SOLVED) {
        t->solved_at = ctx->now_ms;
    }
    if (t->type != DESK_TTYPE_INCIDENT) {
        t->problem_id = 0;
    }
    t->created_at = ctx->now_ms;
    t->updated_at = ctx->now_ms;
    return 0;
}

int desk_ticket_prepare_update(const struct desk_ticket *cur, struct desk_ticket *next,
                               const struct desk_change_ctx *ctx, struct desk_fail *fail)
{
    if (cur->status == DESK_STATUS_CLOSED) {
        return desk_fail(fail, DESK_EINVALID, "status", "ClosedTicket",
                         "Status: closed prevents ticket update");
    }
    if (next->status == DESK_STATUS_NEW && cur->status != DESK_STATUS_NEW) {
        return desk_fail(fail, DESK_EINVALID, "status", "InvalidValue",
                         "Status: a ticket cannot go back to new");
    }
    int rc = check_text(next, fail);
    if (rc) {
        return rc;
    }
    /* A customer writing again on a waiting or solved ticket wants an answer. */
    if (ctx->comment_by_requester && ctx->public_comment && next->status == cur->status &&
        (cur->status == DESK_STATUS_PENDING || cur->status == DESK_STATUS_HOLD ||
         cur->status == DESK_STATUS_SOLVED)) {
        next->status = DESK_STATUS_OPEN;
    }
    if (next->status == DESK_STATUS_NEW && next->assignee_id) {
        next->status = DESK_STATUS_OPEN;
    }
    if (next->status >= DESK_STATUS_SOLVED && !next->assignee_id) {
        if (!desk_role_is_staff(ctx->actor_role)) {
            return desk_fail(fail, DESK_EINVALID, "status", "InvalidValue",
                             "Status: solved tickets need an assignee");
        }
        next->assignee_id = ctx->actor_id;
        if (next->status == DESK_STATUS_NEW) {
            next->status = DESK_STATUS_OPEN;
        }
    }
    if (next->status >= DESK_STATUS_SOLVED && cur->status < DESK_STATUS_SOLVED) {
        next->solved_at = ctx->now_ms;
    } else if (next->status < DESK_STATUS_SOLVED) {
        next->solved_at = 0;
    }
    if (next->type != DESK_TTYPE_INCIDENT) {
        next->problem_id = 0;
    }
    int64_t floor_next = (cur->updated_at / 1000 + 1) * 1000;
    next->updated_at = ctx->now_ms > floor_next ? ctx->now_ms : floor_next;
    return 0;
}

static char *id_text(struct desk_arena *a, int64_t id)
{
    return id ? desk_arena_printf(a, "%lld", (long long)id) : NULL;
}

static const char *opt_str(const char *s)
{
    return s && *s ? s : NULL;
}

static bool same(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

struct diff {
    struct desk_arena *a;
    bool create;
    struct desk_audit_event *ev;
    size_t n;
};

static void add(struct diff *d, const char *field, const char *old, const char *new)
{
    if (d->create ? !new : same(old, new)) {
        return;
    }
    struct desk_audit_event *e = &d->ev[d->n++];
    e->type = d->create ? "Create" : "Change";
    e->field = field;
    e->old_value = d->create ? NULL : old;
    e->new_value = new;
}

size_t desk_ticket_diff(struct desk_arena *a, const struct desk_ticket *cur,
                        const struct desk_ticket *next, struct desk_audit_event **out)
{
    static const struct desk_ticket empty;
    struct diff d = {a, cur == NULL, desk_arena_alloc(a, 16 * sizeof(struct desk_audit_event)), 0};
    const struct desk_ticket *o = cur ? cur : &empty;
    add(&d, "subject", opt_str(o->subject), opt_str(next->subject));
    add(&d, "status", cur ? desk_status_name(o->status) : NULL, desk_status_name(next->status));
    add(&d, "priority", desk_priority_name(o->priority), desk_priority_name(next->priority));
    add(&d, "type", desk_ttype_name(o->type), desk_ttype_name(next->type));
    add(&d, "requester_id", id_text(a, o->requester_id), id_text(a, next->requester_id));
    add(&d, "assignee_id", id_text(a, o->assignee_id), id_text(a, next->assignee_id));
    add(&d, "group_id", id_text(a, o->group_id), id_text(a, next->group_id));
    add(&d, "organization_id", id_text(a, o->organization_id), id_text(a, next->organization_id));
    add(&d, "problem_id", id_text(a, o->problem_id), id_text(a, next->problem_id));
    add(&d, "external_id", opt_str(o->external_id), opt_str(next->external_id));
    add(&d, "language", opt_str(o->language), opt_str(next->language));
    add(&d, "due_at", id_text(a, o->due_at), id_text(a, next->due_at));
    char *ot = desk_strv_join(a, &o->tags), *nt = desk_strv_join(a, &next->tags);
    add(&d, "tags", opt_str(ot), opt_str(nt));
    *out = d.ev;
    return d.n;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int desk_tags_normalize(struct desk_arena *a, struct desk_strv *tags, struct desk_fail *fail)
{
    if (tags->n > DESK_TAGS_MAX) {
        return desk_fail(fail, DESK_EINVALID, "tags", "TooMany",
                         "Tags: at most 100 tags per record");
    }
    const char **v = desk_arena_alloc(a, (tags->n ? tags->n : 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < tags->n; i++) {
        size_t len = strlen(tags->v[i]);
        if (len > DESK_TAG_MAX) {
            return desk_fail(fail, DESK_EINVALID, "tags", "TooLong",
                             "Tags: a tag is too long (maximum is 80 bytes)");
        }
        char *t = desk_arena_alloc(a, len + 1);
        size_t k = 0;
        for (size_t j = 0; j < len; j++) {
            char ch = tags->v[i][j];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ',') {
                continue; /* Zendesk tags are single words */
            }
            t[k++] = (char)((ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch);
        }
        t[k] = '\0';
        if (k) {
            v[n++] = t;
        }
    }
    qsort(v, n, sizeof(*v), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0) {
            v[u++] = v[i];
        }
    }
    tags->v = v;
    tags->n = u;
    return 0;
}

char *desk_comment_html(struct desk_arena *a, const char *body)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "<div class=\"zd-comment\" dir=\"auto\"><p>");
    for (const char *p = body; *p; p++) {
        size_t plain = strcspn(p, "<>&\"'\r\n"); /* copied as they are, in one go */
        if (plain) {
            desk_buf_add(&b, p, plain);
            p += plain;
            if (!*p) {
                break;
            }
        }
        switch (*p) {
        case '<':
            desk_buf_adds(&b, "&lt;");
            break;
        case '>':
            desk_buf_adds(&b, "&gt;");
            break;
        case '&':
            desk_buf_adds(&b, "&amp;");
            break;
        case '"':
            desk_buf_adds(&b, "&quot;");
            break;
        case '\'':
            desk_buf_adds(&b, "&#39;");
            break;
        case '\r':
            break;
        case '\n':
            if (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')) {
                while (p[1] == '\n' || p[1] == '\r') {
                    p++;
                }
                desk_buf_adds(&b, "</p><p>");
            } else {
                desk_buf_adds(&b, "<br>");
            }
            break;
        default:
            desk_buf_add(&b, p, 1);
        }
    }
    desk_buf_adds(&b, "</p></div>");
    char *out = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    return out;
}
