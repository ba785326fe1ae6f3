/*
 * Outgoing mail use cases (see outbox.h): who is told about a ticket
 * change, and the outbox's state changes. The notices are rows queued in
 * the ticket's own transaction, so a reply is never stored without its
 * notices nor a notice without its reply.
 */
#include "app/outbox.h"
#include "app/app_int.h"
#include "app/escalations.h"
#include "core/time.h"
#include "store/store_mail.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

/* ---- waking the mail thread ----------------------------------------------- */

static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond = PTHREAD_COND_INITIALIZER;
static uint64_t wake_seq, wake_seen;

void desk_outbox_kick(void)
{
    pthread_mutex_lock(&wake_lock);
    wake_seq++;
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_lock);
}

void desk_outbox_wait(int64_t deadline_ms)
{
    struct timespec ts = {.tv_sec = (time_t)(deadline_ms / 1000),
                          .tv_nsec = (long)(deadline_ms % 1000) * 1000000L};
    pthread_mutex_lock(&wake_lock);
    while (wake_seq == wake_seen) {
        /* The condition variable uses CLOCK_REALTIME, the clock deadline_ms is in. */
        if (pthread_cond_timedwait(&wake_cond, &wake_lock, &ts) != 0) {
            break;
        }
    }
    wake_seen = wake_seq;
    pthread_mutex_unlock(&wake_lock);
}

/* ---- the ticket hook -------------------------------------------------------- */

const char *desk_outbox_language(struct desk_arena *a, const char *ticket_language,
                                 const char *locale)
{
    const char *src = ticket_language && *ticket_language ? ticket_language
                      : locale && *locale                 ? locale
                                                          : "en";
    size_t n = strcspn(src, "-_");
    char *out = desk_arena_strndup(a, src, n < 8 ? n : 8);
    for (char *p = out; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
        if (*p < 'a' || *p > 'z') {
            return "en";
        }
    }
    return *out ? out : "en";
}

/*
 * True when mail may go to u: an active, unsuspended person with an
 * address that has not bounced for good (mail_undeliverable, kept by
 * inbound mail from delivery status notifications).
 */
static bool deliverable(struct desk_conn *c, const struct desk_user *u)
{
    bool bounced = false;
    if (!u->active || u->suspended || !u->email || !*u->email) {
        return false;
    }
    return desk_store_mail_undeliverable(c, u->email, &bounced) == 0 && !bounced;
}

struct notice_batch {
    int64_t ids[64]; /* recipients already queued, so nobody gets the same notice twice */
    size_t n;
};

static int queue_notice(struct desk_conn *c, struct desk_ticket_change *ch, struct notice_batch *b,
                        const char *kind, int64_t user_id)
{
    struct desk_user u;
    bool to_author = strcmp(kind, "received") == 0; /* an acknowledgement answers its author */
    if (!user_id || (user_id == ch->comment_author && !to_author) ||
        b->n == sizeof(b->ids) / sizeof(b->ids[0])) {
        return 0;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->ids[i] == user_id) {
            return 0;
        }
    }
    b->ids[b->n++] = user_id;
    if (desk_store_user_get(c, ch->a, user_id, &u) != 0 || !deliverable(c, &u)) {
        return 0;
    }
    struct desk_outbox_msg m = {0};
    m.kind = kind;
    m.ticket_id = ch->after->id;
    m.comment_id = ch->comment_id;
    m.user_id = u.id;
    m.to_addr = u.email;
    m.to_name = u.name;
    m.language = desk_outbox_language(ch->a, ch->after->language, u.locale);
    m.next_attempt_at = ch->now;
    m.created_at = ch->now;
    return desk_store_outbox_insert(c, &m);
}

/*
 * A request a customer opened by email is acknowledged ("request
 * received"), unless the message was automatic or bulk mail (an
 * out-of-office reply, a newsletter: inbound mail flags its comment), so
 * two auto-responders can never answer each other.
 */
static int acknowledge(struct desk_conn *c, struct desk_ticket_change *ch,
                       const struct desk_user *author)
{
    bool automatic = true;
    if (ch->before || ch->after->via != DESK_VIA_EMAIL || desk_role_is_staff(author->role) ||
        author->id != ch->after->requester_id) {
        return 0;
    }
    int rc = desk_store_mail_comment_is_auto(c, ch->comment_id, &automatic);
    if (rc || automatic) {
        return rc;
    }
    struct notice_batch b = {.n = 0};
    return queue_notice(c, ch, &b, "received", author->id);
}

/*
 * A public comment written by staff is a reply: the requester and every
 * follower hear of it, except its author. Internal notes and the
 * customer's own messages notify nobody (but a new request by email is
 * acknowledged).
 */
int desk_outbox_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    struct desk_user author;
    if (!ch->comment || !ch->comment_public || !ch->comment_id || ch->after->deleted_at) {
        return 0;
    }
    if (desk_store_user_get(c, ch->a, ch->comment_author, &author) != 0) {
        return 0;
    }
    if (!desk_role_is_staff(author.role)) {
        return acknowledge(c, ch, &author);
    }
    struct notice_batch b = {.n = 0};
    int rc = queue_notice(c, ch, &b, "reply", ch->after->requester_id);
    for (size_t i = 0; !rc && i < ch->after->n_collaborator_ids; i++) {
        rc = queue_notice(c, ch, &b, "reply", ch->after->collaborator_ids[i]);
    }
    return rc;
}

void desk_outbox_committed(const struct desk_ticket_change *ch)
{
    if (ch->comment && ch->comment_public) {
        desk_outbox_kick();
    }
}

/* ---- the mail thread's steps ------------------------------------------------ */

struct outbox_job {
    const struct desk_outbox_msg *m;
    size_t n;
    int64_t id;
    bool skip_gone; /* outcomes: a message no longer queued is skipped, not an error */
};

static int rendered_write(struct desk_conn *c, void *arg)
{
    struct outbox_job *j = arg;
    int64_t now = desk_time_now_ms();
    for (size_t i = 0; i < j->n; i++) {
        int rc = desk_store_outbox_rendered(c, &j->m[i], now);
        if (rc && (rc != DESK_ENOTFOUND || j->n == 1)) {
            return rc;
        }
    }
    return 0;
}

static int outcome_write(struct desk_conn *c, void *arg)
{
    struct outbox_job *j = arg;
    int64_t now = desk_time_now_ms();
    for (size_t i = 0; i < j->n; i++) {
        int rc = desk_store_outbox_outcome(c, &j->m[i], now);
        if (rc && (rc != DESK_ENOTFOUND || !j->skip_gone)) {
            return rc;
        }
    }
    return 0;
}

int desk_app_outbox_rendered(struct desk_app *app, const struct desk_outbox_msg *m)
{
    struct outbox_job j = {.m = m, .n = 1};
    return desk_store_write(app->store, rendered_write, &j);
}

int desk_app_outbox_rendered_many(struct desk_app *app, const struct desk_outbox_msg *m, size_t n)
{
    struct outbox_job j = {.m = m, .n = n};
    return n ? desk_store_write(app->store, rendered_write, &j) : 0;
}

int desk_app_outbox_outcome(struct desk_app *app, const struct desk_outbox_msg *m)
{
    struct outbox_job j = {.m = m, .n = 1};
    return desk_store_write(app->store, outcome_write, &j);
}

int desk_app_outbox_outcomes(struct desk_app *app, const struct desk_outbox_msg *m, size_t n)
{
    /* Skipped, even alone: a message revoked or cancelled while it was being tried has no
     * outcome to keep, and refusing it would hold every later one back (mail_out.c). */
    struct outbox_job j = {.m = m, .n = n, .skip_gone = true};
    return n ? desk_store_write(app->store, outcome_write, &j) : 0;
}

/* ---- staff -------------------------------------------------------------------- */

int desk_app_outbox_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_outbox_filter *f, const struct desk_page *p,
                         struct desk_outbox_msg **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_outbox_list(c, a, f, p, items, out)) != 0) {
        return rc;
    }
    /* Mail about a complaint never shows to the member of staff it names. */
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        bool hidden = false;
        if ((*items)[i].ticket_id &&
            (rc = desk_app_ticket_hidden(c, who, (*items)[i].ticket_id, &hidden)) != 0) {
            return rc;
        }
        if (!hidden) {
            (*items)[k++] = (*items)[i];
        } else if (out->total > 0) {
            out->total--;
        }
    }
    out->n = k;
    return 0;
}

int desk_app_outbox_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, struct desk_outbox_msg *out)
{
    struct desk_conn *c;
    if (!desk_role_is_staff(who->role)) {
        return DESK_EFORBIDDEN;
    }
    bool hidden = false;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_outbox_get(c, a, id, out)) != 0 ||
        (out->ticket_id && (rc = desk_app_ticket_hidden(c, who, out->ticket_id, &hidden)) != 0)) {
        return rc;
    }
    if (hidden) {
        return DESK_ENOTFOUND;
    }
    if (out->kind && strcmp(out->kind, "invitation") == 0) {
        /* It carries someone's password link: nobody reads it but its recipient. */
        out->raw = NULL;
        out->raw_len = 0;
        out->payload = NULL;
    }
    return 0;
}

static int requeue_write(struct desk_conn *c, void *arg)
{
    struct outbox_job *j = arg;
    return desk_store_outbox_requeue(c, j->id, desk_time_now_ms());
}

int desk_app_outbox_retry(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, struct desk_outbox_msg *out, struct desk_fail *fail)
{
    if (who->role != DESK_ROLE_SUPERVISOR && who->role != DESK_ROLE_ADMIN) {
        return DESK_EFORBIDDEN;
    }
    struct outbox_job j = {.id = id};
    int rc = desk_store_write(app->store, requeue_write, &j);
    if (rc == DESK_ECONFLICT) {
        return desk_fail(fail, DESK_EINVALID, "state", "InvalidValue",
                         "State: only a failed message can be retried");
    }
    if (rc) {
        return rc;
    }
    desk_outbox_kick();
    return desk_app_outbox_get(app, who, a, id, out);
}
