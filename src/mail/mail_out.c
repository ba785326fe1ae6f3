/*
 * The outbound mail thread (see mail_out.h). One pass renders what the
 * ticket hook queued, then sends what is due; between passes the thread
 * sleeps until the hook wakes it, the next retry is due, or the poll
 * interval passes (other processes, such as mailgate, queue mail too).
 * When the relay cannot be reached the whole queue pauses with the same
 * backoff instead of trying every message in turn.
 */
#include "mail/mail_out.h"
#include "app/outbox.h"
#include "core/log.h"
#include "core/time.h"
#include "mail/invite_mail.h"
#include "mail/notice.h"
#include "store/store_outbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_BATCH 32
#define SEND_BATCH   16
#define N_REFS       20
#define N_UNRECORDED SEND_BATCH

struct desk_mail_out {
    struct desk_app *app;
    struct desk_mail_out_config cfg;
    char *from_address;
    char *from_name;
    struct desk_smtp *smtp; /* NULL: render only */
    pthread_t thread;
    _Atomic bool stop;
    int64_t relay_pause_until; /* thread only */
    int64_t relay_failures;    /* consecutive, thread only */
    /* Outcomes the store could not take yet (thread only): recorded before anything else is
     * sent, so a message the relay accepted is never sent again because its state was lost. */
    struct desk_outbox_msg unrecorded[N_UNRECORDED];
    char unrecorded_error[N_UNRECORDED][512];
    size_t n_unrecorded;
};

/* Process-wide counters for /metrics. */
static _Atomic uint64_t n_sent, n_temporary, n_permanent, n_relay, n_expired, n_render_failed;
static _Atomic int relay_up = -1; /* -1 no relay configured, 0 down, 1 up */

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        abort();
    }
    return d;
}

/* The delay before attempt n + 1 after n failures: retry_ms doubling, capped. */
static int64_t backoff(const struct desk_mail_out_config *cfg, int64_t failures)
{
    int64_t d = cfg->retry_ms > 0 ? cfg->retry_ms : 1000;
    int64_t cap = cfg->retry_max_ms > d ? cfg->retry_max_ms : d;
    for (int64_t i = 1; i < failures && d < cap; i++) {
        d *= 2;
    }
    return d < cap ? d : cap;
}

/* A failed outcome for queued message m: nothing will be sent, for reason why. */
static struct desk_outbox_msg failed(const struct desk_outbox_msg *m, const char *why)
{
    struct desk_outbox_msg f = *m;
    f.state = DESK_OUTBOX_FAILED;
    f.last_error = why;
    desk_log(DESK_LOG_WARN, "event=mail_failed outbox_id=%lld ticket_id=%lld error=\"%s\"",
             (long long)m->id, (long long)m->ticket_id, why);
    return f;
}

/* The Message-IDs rendered earlier in this batch, newer than what the store holds. */
struct batch_ids {
    struct desk_mail_id ids[RENDER_BATCH];
    size_t n;
};

/*
 * Renders queued notice m into *out (a rendered message, or a failed
 * outcome when *failed_out). Returns 0, or a store error to stop the pass.
 */
static int render_one(struct desk_mail_out *mo, struct desk_conn *c, struct desk_arena *a,
                      const struct desk_outbox_msg *m, const struct batch_ids *b,
                      struct desk_outbox_msg *out, bool *failed_out)
{
    struct desk_ticket t;
    struct desk_comment cm;
    struct desk_user author, requester;
    struct desk_mail_id *refs = NULL;
    size_t n_refs = 0;
    *failed_out = false;
    if (m->kind && strcmp(m->kind, "invitation") == 0) {
        /* Mail of no ticket: everything it says is in the row. */
        struct desk_notice_sender from = {mo->from_address, mo->from_name};
        if (desk_invite_mail_render(a, &from, m, desk_time_now_ms(), out) != 0) {
            atomic_fetch_add(&n_render_failed, 1);
            *out = failed(m, "the invitation or the recipient's address cannot be used");
            *failed_out = true;
        }
        return 0;
    }
    if (desk_store_ticket_get(c, a, m->ticket_id, &t) != 0 || t.deleted_at ||
        desk_store_outbox_comment(c, a, m->comment_id, &cm) != 0) {
        atomic_fetch_add(&n_render_failed, 1);
        *out = failed(m, "the ticket or its comment no longer exists");
        *failed_out = true;
        return 0;
    }
    int rc = desk_store_mail_ids_of_ticket(c, a, t.id, m->comment_id, N_REFS, &refs, &n_refs);
    if (rc) {
        return rc;
    }
    /* Add this batch's earlier notices on the ticket (not yet stored), keeping the root. */
    struct desk_mail_id *all = desk_arena_alloc(a, (n_refs + b->n + 1) * sizeof(*all));
    memcpy(all, refs, n_refs * sizeof(*refs));
    for (size_t i = 0; i < b->n; i++) {
        if (b->ids[i].ticket_id == t.id && b->ids[i].comment_id != m->comment_id) {
            all[n_refs++] = b->ids[i];
        }
    }
    if (n_refs > N_REFS) {
        memmove(all + 1, all + 1 + (n_refs - N_REFS), (N_REFS - 1) * sizeof(*all));
        n_refs = N_REFS;
    }
    struct desk_notice_in in = {.msg = m,
                                .ticket = &t,
                                .comment = &cm,
                                .refs = all,
                                .n_refs = n_refs,
                                .now = desk_time_now_ms()};
    if (desk_store_user_get(c, a, cm.author_id, &author) == 0) {
        in.author_name = author.name;
    }
    if (desk_store_user_get(c, a, t.requester_id, &requester) == 0) {
        in.requester_name = requester.name;
    }
    struct desk_notice_sender from = {mo->from_address, mo->from_name};
    if (desk_notice_render(a, &from, &in, out) != 0) {
        atomic_fetch_add(&n_render_failed, 1);
        *out = failed(m, "the recipient's address cannot be used");
        *failed_out = true;
    }
    return 0;
}

/* Renders every unrendered notice, a batch at a time, each batch stored in one write. */
static int render_pass(struct desk_mail_out *mo, struct desk_conn *c)
{
    for (;;) {
        struct desk_arena a;
        struct desk_outbox_msg *items, rendered[RENDER_BATCH], gave_up[RENDER_BATCH];
        size_t n = 0, n_rendered = 0, n_gave_up = 0;
        struct batch_ids b = {.n = 0};
        desk_arena_init(&a);
        int rc = desk_store_outbox_unrendered(c, &a, RENDER_BATCH, &items, &n);
        for (size_t i = 0; !rc && i < n && !atomic_load(&mo->stop); i++) {
            struct desk_outbox_msg r;
            bool bad;
            if ((rc = render_one(mo, c, &a, &items[i], &b, &r, &bad)) != 0) {
                break;
            }
            if (bad) {
                gave_up[n_gave_up++] = r;
                continue;
            }
            rendered[n_rendered++] = r;
            b.ids[b.n++] = (struct desk_mail_id){.message_id = r.message_id,
                                                 .ticket_id = r.ticket_id,
                                                 .comment_id = r.comment_id,
                                                 .created_at = r.created_at};
        }
        if (!rc && n_rendered) {
            rc = desk_app_outbox_rendered_many(mo->app, rendered, n_rendered);
        }
        if (!rc && n_gave_up) {
            rc = desk_app_outbox_outcomes(mo->app, gave_up, n_gave_up);
        }
        desk_arena_release(&a);
        if (rc || n < RENDER_BATCH || atomic_load(&mo->stop)) {
            return rc;
        }
    }
}

/*
 * Tries message m once and returns its outcome in *o. Returns false when
 * the relay is unreachable (stop this pass).
 */
static bool send_one(struct desk_mail_out *mo, struct desk_arena *a,
                     const struct desk_outbox_msg *m, struct desk_outbox_msg *o)
{
    int64_t now = desk_time_now_ms();
    *o = *m;
    o->raw = NULL; /* the outcome does not carry the message */
    o->raw_len = 0;
    if (mo->cfg.max_age_ms > 0 && now - m->created_at > mo->cfg.max_age_ms) {
        atomic_fetch_add(&n_expired, 1);
        *o = failed(m, desk_arena_printf(a, "not sent within %lld s of being queued%s%s",
                                         (long long)(mo->cfg.max_age_ms / 1000),
                                         m->last_error ? "; last error: " : "",
                                         m->last_error ? m->last_error : ""));
        return true;
    }
    char err[512] = "";
    int res = desk_smtp_send(mo->smtp, mo->from_address, m->to_addr, m->raw, m->raw_len, &mo->stop,
                             err, sizeof(err));
    now = desk_time_now_ms();
    o->attempts = m->attempts + 1;
    o->last_error = res == DESK_SMTP_SENT ? NULL : desk_arena_strdup(a, err);
    switch (res) {
    case DESK_SMTP_SENT:
        o->state = DESK_OUTBOX_SENT;
        o->sent_at = now;
        atomic_fetch_add(&n_sent, 1);
        desk_log(DESK_LOG_INFO, "event=mail_sent outbox_id=%lld ticket_id=%lld attempts=%lld",
                 (long long)m->id, (long long)m->ticket_id, (long long)o->attempts);
        break;
    case DESK_SMTP_PERMANENT:
        o->state = DESK_OUTBOX_FAILED;
        atomic_fetch_add(&n_permanent, 1);
        break;
    case DESK_SMTP_RELAY:
        atomic_fetch_add(&n_relay, 1);
        o->next_attempt_at = now + backoff(&mo->cfg, o->attempts);
        break;
    default:
        atomic_fetch_add(&n_temporary, 1);
        o->next_attempt_at = now + backoff(&mo->cfg, o->attempts);
        break;
    }
    if (res != DESK_SMTP_SENT) {
        desk_log(res == DESK_SMTP_PERMANENT ? DESK_LOG_WARN : DESK_LOG_INFO,
                 "event=mail_%s outbox_id=%lld ticket_id=%lld attempts=%lld error=\"%s\"",
                 res == DESK_SMTP_PERMANENT ? "refused" : "deferred", (long long)m->id,
                 (long long)m->ticket_id, (long long)o->attempts, err);
    }
    if (res == DESK_SMTP_RELAY) {
        mo->relay_failures++;
        mo->relay_pause_until = now + backoff(&mo->cfg, mo->relay_failures);
        atomic_store(&relay_up, 0);
        return false;
    }
    if (res != DESK_SMTP_TEMPORARY) {
        mo->relay_failures = 0;
        atomic_store(&relay_up, 1);
    }
    return true;
}

/* Keeps outcomes the store did not take (their strings copied) for flush_unrecorded. */
static void keep_unrecorded(struct desk_mail_out *mo, const struct desk_outbox_msg *o, size_t n)
{
    for (size_t i = 0; i < n && mo->n_unrecorded < N_UNRECORDED; i++) {
        struct desk_outbox_msg *u = &mo->unrecorded[mo->n_unrecorded];
        char *e = mo->unrecorded_error[mo->n_unrecorded];
        *u = o[i];
        snprintf(e, sizeof(mo->unrecorded_error[0]), "%s", o[i].last_error ? o[i].last_error : "");
        u->last_error = o[i].last_error ? e : NULL;
        u->kind = u->to_addr = u->to_name = u->language = u->subject = u->message_id = NULL;
        mo->n_unrecorded++;
        desk_log(DESK_LOG_ERROR, "event=mail_outcome_deferred outbox_id=%lld state=%s",
                 (long long)o[i].id, desk_outbox_state_name(o[i].state));
    }
}

/* Records the outcomes the store refused earlier. Returns 0 once none is left. */
static int flush_unrecorded(struct desk_mail_out *mo)
{
    if (!mo->n_unrecorded) {
        return 0;
    }
    int rc = desk_app_outbox_outcomes(mo->app, mo->unrecorded, mo->n_unrecorded);
    if (!rc) {
        mo->n_unrecorded = 0;
    }
    return rc;
}

/*
 * Sends what is due, a batch at a time; each batch's outcomes are stored in
 * one write. Nothing is sent while an earlier outcome is unrecorded, so a
 * message the relay accepted is never sent again because its state was lost.
 */
static int send_pass(struct desk_mail_out *mo, struct desk_conn *c)
{
    int rc = flush_unrecorded(mo);
    while (!rc) {
        struct desk_arena a;
        struct desk_outbox_msg *items, outcomes[SEND_BATCH];
        size_t n = 0, n_out = 0;
        bool relay_ok = true;
        desk_arena_init(&a);
        rc = desk_store_outbox_due(c, &a, desk_time_now_ms(), SEND_BATCH, &items, &n);
        for (size_t i = 0; !rc && relay_ok && i < n && !atomic_load(&mo->stop); i++) {
            relay_ok = send_one(mo, &a, &items[i], &outcomes[n_out++]);
        }
        if (n_out && (rc = desk_app_outbox_outcomes(mo->app, outcomes, n_out)) != 0) {
            keep_unrecorded(mo, outcomes, n_out);
        }
        desk_arena_release(&a);
        if (!relay_ok || n < SEND_BATCH || atomic_load(&mo->stop)) {
            break;
        }
    }
    return rc;
}

static void *run(void *arg)
{
    struct desk_mail_out *mo = arg;
    struct desk_conn *c;
    if (desk_app_reader(mo->app, &c) != 0) {
        desk_log(DESK_LOG_ERROR, "event=mail_out_stopped error=\"cannot open the store\"");
        return NULL;
    }
    while (!atomic_load(&mo->stop)) {
        int rc = render_pass(mo, c);
        int64_t now = desk_time_now_ms();
        int64_t deadline = now + mo->cfg.poll_ms;
        if (!rc && mo->smtp) {
            if (now >= mo->relay_pause_until) {
                rc = send_pass(mo, c);
            }
            int64_t next = 0;
            if (!rc && desk_store_outbox_next_due(c, &next) == 0 && next) {
                next = next > mo->relay_pause_until ? next : mo->relay_pause_until;
                deadline = next < deadline ? next : deadline;
            }
        }
        if (rc) {
            desk_log(DESK_LOG_WARN, "event=mail_out_pass error=\"%s\"", desk_err_msg(rc));
        }
        if (!atomic_load(&mo->stop)) {
            desk_outbox_wait(deadline);
        }
    }
    return NULL;
}

int desk_mail_out_start(struct desk_app *app, const struct desk_mail_out_config *cfg,
                        struct desk_mail_out **out)
{
    const char *at = cfg->from_address ? strchr(cfg->from_address, '@') : NULL;
    if (!at || at == cfg->from_address || !at[1] || strpbrk(cfg->from_address, " <>\r\n")) {
        desk_log(DESK_LOG_ERROR, "event=mail_out_config error=\"the support address (--mail-from) "
                                 "must be an address like support@example.com\"");
        return DESK_EINVAL;
    }
    desk_mail_gmime_init();
    struct desk_mail_out *mo = calloc(1, sizeof(*mo));
    if (!mo) {
        abort();
    }
    mo->app = app;
    mo->cfg = *cfg;
    mo->from_address = xstrdup(cfg->from_address);
    mo->from_name = xstrdup(cfg->from_name && *cfg->from_name ? cfg->from_name : "Support");
    if (mo->cfg.poll_ms <= 0) {
        mo->cfg.poll_ms = 2000;
    }
    if (cfg->smtp.url && *cfg->smtp.url) {
        if (desk_smtp_new(&cfg->smtp, &mo->smtp) != 0) {
            desk_log(DESK_LOG_ERROR, "event=mail_out_config error=\"the relay (--smtp) must be "
                                     "an smtp:// or smtps:// URL\"");
            free(mo->from_address);
            free(mo->from_name);
            free(mo);
            return DESK_EINVAL;
        }
        desk_log(DESK_LOG_INFO, "event=mail_out relay=\"%s\" from=\"%s\"",
                 desk_smtp_url_safe(mo->smtp), mo->from_address);
    }
    mo->cfg.smtp = (struct desk_smtp_config){0}; /* the client holds its own copies */
    atomic_store(&relay_up, mo->smtp ? 1 : -1);
    if (pthread_create(&mo->thread, NULL, run, mo) != 0) {
        desk_smtp_free(mo->smtp);
        free(mo->from_address);
        free(mo->from_name);
        free(mo);
        return DESK_EINTERNAL;
    }
    *out = mo;
    return 0;
}

void desk_mail_out_stop(struct desk_mail_out *mo)
{
    if (!mo) {
        return;
    }
    atomic_store(&mo->stop, true);
    desk_outbox_kick();
    pthread_join(mo->thread, NULL);
    desk_smtp_free(mo->smtp);
    free(mo->from_address);
    free(mo->from_name);
    free(mo);
}

void desk_mail_out_metrics(struct desk_app *app, struct desk_buf *out)
{
    desk_buf_addf(
        out,
        "# HELP desk_mail_sent_total Messages the relay accepted.\n"
        "# TYPE desk_mail_sent_total counter\n"
        "desk_mail_sent_total %llu\n"
        "# HELP desk_mail_send_failures_total Failed attempts and given-up messages.\n"
        "# TYPE desk_mail_send_failures_total counter\n"
        "desk_mail_send_failures_total{reason=\"temporary\"} %llu\n"
        "desk_mail_send_failures_total{reason=\"relay_unreachable\"} %llu\n"
        "desk_mail_send_failures_total{reason=\"refused\"} %llu\n"
        "desk_mail_send_failures_total{reason=\"expired\"} %llu\n"
        "desk_mail_send_failures_total{reason=\"unrenderable\"} %llu\n",
        (unsigned long long)atomic_load(&n_sent), (unsigned long long)atomic_load(&n_temporary),
        (unsigned long long)atomic_load(&n_relay), (unsigned long long)atomic_load(&n_permanent),
        (unsigned long long)atomic_load(&n_expired),
        (unsigned long long)atomic_load(&n_render_failed));
    int up = atomic_load(&relay_up);
    if (up >= 0) {
        desk_buf_addf(out,
                      "# HELP desk_mail_relay_up Whether the last attempt reached the relay.\n"
                      "# TYPE desk_mail_relay_up gauge\n"
                      "desk_mail_relay_up %d\n",
                      up);
    }
    struct desk_conn *c;
    int64_t queued, failed;
    if (desk_app_reader(app, &c) == 0 && desk_store_outbox_pending(c, &queued, &failed) == 0) {
        desk_buf_addf(out,
                      "# HELP desk_mail_outbox Messages waiting in the outbox, or failed.\n"
                      "# TYPE desk_mail_outbox gauge\n"
                      "desk_mail_outbox{state=\"queued\"} %lld\n"
                      "desk_mail_outbox{state=\"failed\"} %lld\n",
                      (long long)queued, (long long)failed);
    }
}
