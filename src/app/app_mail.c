/*
 * Email in's use cases besides the ticket write (see app_mail.h): the hook
 * that stores a message with its ticket change, suspended tickets, and
 * reading raw mail and attachments with the actor's rights.
 */
#include "app/app_mail.h"
#include "app/app_int.h"
#include "core/log.h"
#include "core/time.h"

#include <string.h>

int desk_mail_in_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    const struct desk_app_mail_in *m = ch->in->channel_ctx;
    if (!m || ch->who->via != DESK_VIA_EMAIL || m->magic != DESK_APP_MAIL_MAGIC) {
        return 0;
    }
    int64_t ticket = ch->after->id, comment = ch->comment_id;
    int rc = desk_store_mail_id_insert(c, m->message_id, ticket, comment, "in", ch->now);
    if (rc) {
        return rc; /* DESK_ECONFLICT: this message was stored before */
    }
    struct desk_mail_record r = {.ticket_id = ticket,
                                 .comment_id = comment,
                                 .message_id = m->message_id,
                                 .from_address = m->from_address,
                                 .subject = m->subject,
                                 .flags = m->flags,
                                 .charset = m->charset,
                                 .html = m->html,
                                 .source = m->source,
                                 .size = (int64_t)m->raw_len,
                                 .created_at = ch->now};
    if ((rc = desk_store_mail_message_insert(c, &r, m->raw, m->raw_len)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < m->n_attachments && comment; i++) {
        struct desk_attachment at = m->attachments[i];
        at.ticket_id = ticket;
        at.comment_id = comment;
        at.created_at = ch->now;
        if ((rc = desk_store_attachment_insert(c, &at)) != 0) {
            return rc;
        }
    }
    for (size_t i = 0; i < m->n_undeliverable; i++) {
        struct desk_user u;
        int64_t user = desk_store_user_by_email(c, ch->a, m->undeliverable[i], &u) == 0 ? u.id : 0;
        if ((rc = desk_store_mail_undeliverable_set(
                 c, m->undeliverable[i], user, m->undeliverable_status[i], m->undeliverable_diag[i],
                 ticket, ch->now)) != 0) {
            return rc;
        }
    }
    bool cleared = false;
    if (m->sender_reachable && m->from_address &&
        (rc = desk_store_mail_undeliverable_clear(c, m->from_address, &cleared)) != 0) {
        return rc;
    }
    if (cleared) {
        desk_log(DESK_LOG_INFO, "event=mail_undeliverable_cleared ticket=%lld reason=mail_received",
                 (long long)ticket);
    }
    return 0;
}

/* ---- undeliverable addresses ------------------------------------------------------ */

int desk_app_mail_undeliverable_get(struct desk_app *app, const struct desk_actor *who,
                                    struct desk_arena *a, const struct desk_user *u,
                                    struct desk_mail_undeliverable *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    if (!u->email || !*u->email) {
        return DESK_ENOTFOUND;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_mail_undeliverable_get(c, a, u->email, out);
}

struct clear_job {
    int64_t user_id;
    struct desk_arena *a;
};

static int clear_write(struct desk_conn *c, void *arg)
{
    struct clear_job *j = arg;
    struct desk_user u;
    bool cleared = false;
    int rc = desk_store_user_get(c, j->a, j->user_id, &u);
    if (!rc && (!u.email || !*u.email)) {
        rc = DESK_ENOTFOUND;
    }
    if (!rc) {
        rc = desk_store_mail_undeliverable_clear(c, u.email, &cleared);
    }
    return rc ? rc : cleared ? 0 : DESK_ENOTFOUND;
}

int desk_app_mail_undeliverable_clear(struct desk_app *app, const struct desk_actor *who,
                                      int64_t user_id)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    struct desk_arena a;
    desk_arena_init(&a);
    struct clear_job j = {user_id, &a};
    int rc = desk_store_write(app->store, clear_write, &j);
    desk_arena_release(&a);
    if (!rc) {
        desk_log(DESK_LOG_INFO, "event=mail_undeliverable_cleared user=%lld by=%lld",
                 (long long)user_id, (long long)who->user_id);
    }
    return rc;
}

/* ---- suspended tickets ------------------------------------------------------------ */

struct suspend_job {
    struct desk_suspended *s;
    const void *raw;
    size_t raw_len;
};

static int suspend_write(struct desk_conn *c, void *arg)
{
    struct suspend_job *j = arg;
    return desk_store_suspended_insert(c, j->s, j->raw, j->raw_len);
}

int desk_app_mail_suspend(struct desk_app *app, struct desk_suspended *s, const void *raw,
                          size_t raw_len)
{
    struct suspend_job j = {s, raw, raw_len};
    s->created_at = s->updated_at = desk_time_now_ms();
    return desk_store_write(app->store, suspend_write, &j);
}

int desk_app_suspended_list(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, const struct desk_page *p,
                            struct desk_suspended **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_suspended_list(c, a, p, items, out);
}

int desk_app_suspended_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, struct desk_suspended *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_suspended_get(c, a, id, out);
}

int desk_app_suspended_raw(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const void **raw, size_t *len)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_suspended_raw(c, a, id, raw, len);
}

static int delete_write(struct desk_conn *c, void *arg)
{
    return desk_store_suspended_delete(c, *(const int64_t *)arg);
}

int desk_app_suspended_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    return desk_store_write(app->store, delete_write, &id);
}

/* ---- raw mail and attachments -------------------------------------------------------- */

/* The comment is on a ticket the actor sees, and public unless the actor is staff. */
static int comment_visible(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t ticket_id, int64_t comment_id)
{
    struct desk_ticket t;
    struct desk_conn *c;
    bool is_public = false;
    int rc = desk_app_ticket_get(app, who, a, ticket_id, &t);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    if (desk_role_is_staff(who->role)) {
        return 0;
    }
    rc = desk_store_mail_comment_public(c, comment_id, &is_public);
    return rc ? rc : is_public ? 0 : DESK_ENOTFOUND;
}

int desk_app_mail_for_comment(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, int64_t comment_id,
                              struct desk_mail_record *out)
{
    struct desk_conn *c;
    struct desk_mail_record r;
    int rc = comment_visible(app, who, a, ticket_id, comment_id);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0 ||
        (rc = desk_store_mail_message_by_comment(c, a, comment_id, &r)) != 0) {
        return rc;
    }
    if (r.ticket_id != ticket_id) {
        return DESK_ENOTFOUND;
    }
    *out = r;
    return 0;
}

int desk_app_mail_raw(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t ticket_id, int64_t comment_id, const void **raw, size_t *len)
{
    struct desk_mail_record r;
    struct desk_conn *c;
    int rc = desk_app_mail_for_comment(app, who, a, ticket_id, comment_id, &r);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_mail_message_raw(c, a, r.id, raw, len);
}

int desk_app_attachment_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_attachment *out)
{
    struct desk_conn *c;
    struct desk_attachment at;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_attachment_get(c, a, id, &at)) != 0 ||
        (rc = comment_visible(app, who, a, at.ticket_id, at.comment_id)) != 0) {
        return rc;
    }
    *out = at;
    return 0;
}

int desk_app_attachment_content(struct desk_app *app, struct desk_arena *a,
                                const struct desk_attachment *at, const void **data, size_t *len)
{
    if (!at->sha256) {
        return DESK_ENOTFOUND;
    }
    return desk_store_blob_read(app->store, a, at->sha256, data, len);
}

int desk_app_comment_attachments(struct desk_app *app, struct desk_arena *a, int64_t comment_id,
                                 struct desk_attachment **items, size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_attachment_list(c, a, comment_id, items, n);
}
