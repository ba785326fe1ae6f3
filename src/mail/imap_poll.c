/*
 * IMAP polling threads (see imap_poll.h). The manager compares the active
 * mailboxes with its workers every reload_ms (or at once when a mailbox
 * changes in this process) and starts, restarts or stops workers. A
 * worker owns one mailbox: connect, find unseen, fetch read-only, ingest,
 * mark seen, record the poll, sleep — doubling the sleep (up to 15
 * minutes) while polls fail.
 */
#include "mail/imap_poll.h"
#include "app/mailbox.h"
#include "core/log.h"
#include "core/time.h"
#include "mail/imap.h"
#include "mail/mail.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MAILBOXES  64
#define BATCH          50 /* messages taken per poll */
#define FAILS_TO_SKIP  3  /* a message whose fetch failed this often is passed over */
#define MAX_BACKOFF_MS 900000

static _Atomic uint64_t n_stored, n_polls, n_poll_failures, n_skipped;

struct worker {
    struct desk_imap_poll *poll;
    int64_t id;
    int64_t updated_at; /* the settings it runs with */
    int64_t interval_ms;
    char *host, *user, *password, *folder, *source;
    int tls;
    int port;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    _Atomic bool stop;
    /* UIDs whose fetch failed, with counts, so one bad message cannot stall the
     * mailbox. */
    uint64_t bad_uid[16];
    int bad_count[16];
    struct worker *next;
};

struct desk_imap_poll {
    struct desk_app *app;
    char *ca_file;
    char *our_address;
    long timeout_ms;
    long reload_ms;
    struct desk_mail_limits limits;
    pthread_t thread;
    _Atomic bool stop;
    struct worker *workers; /* manager thread only */
};

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        abort();
    }
    return d;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

/* Sleeps until ms have passed or the worker is told to stop. */
static void worker_sleep(struct worker *w, int64_t ms)
{
    int64_t deadline = desk_time_now_ms() + ms;
    struct timespec ts = {.tv_sec = (time_t)(deadline / 1000),
                          .tv_nsec = (long)(deadline % 1000) * 1000000L};
    pthread_mutex_lock(&w->lock);
    while (!atomic_load(&w->stop)) {
        if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) != 0) {
            break;
        }
    }
    pthread_mutex_unlock(&w->lock);
}

static int bad_slot(struct worker *w, uint64_t uid)
{
    for (int i = 0; i < 16; i++) {
        if (w->bad_uid[i] == uid) {
            return i;
        }
    }
    return -1;
}

static void note_bad(struct worker *w, uint64_t uid)
{
    int i = bad_slot(w, uid);
    if (i < 0) {
        i = 0;
        for (int k = 1; k < 16; k++) {
            i = w->bad_count[k] < w->bad_count[i] ? k : i; /* forget the least failed */
        }
        w->bad_uid[i] = uid;
        w->bad_count[i] = 0;
    }
    w->bad_count[i]++;
}

/*
 * One poll. Returns NULL on success or the reason it failed (static or in
 * err); *stored counts the messages stored.
 */
static const char *poll_once(struct worker *w, struct desk_imap *im, char *err, size_t err_len,
                             int64_t *stored)
{
    uint64_t uids[BATCH], done[BATCH];
    size_t n = 0, n_done = 0;
    const char *why = NULL;
    const struct desk_mail_limits *lim = &w->poll->limits;
    *stored = 0;
    if (desk_imap_unseen(im, uids, BATCH, &n, err, err_len) != 0) {
        return err;
    }
    struct desk_buf msg;
    desk_buf_init(&msg, 0);
    struct desk_mail_source src = {w->source, w->poll->our_address};
    int fetch_errors = 0;
    for (size_t i = 0; i < n && !atomic_load(&w->stop); i++) {
        int slot = bad_slot(w, uids[i]);
        if (slot >= 0 && w->bad_count[slot] >= FAILS_TO_SKIP) {
            continue;
        }
        bool truncated = false;
        if (desk_imap_fetch(im, uids[i], &msg, &truncated, err, err_len) != 0) {
            note_bad(w, uids[i]);
            slot = bad_slot(w, uids[i]);
            if (w->bad_count[slot] >= FAILS_TO_SKIP) {
                atomic_fetch_add(&n_skipped, 1);
                desk_log(DESK_LOG_WARN,
                         "event=imap_skip mailbox_id=%lld uid=%llu error=\"%s\" "
                         "note=\"fetch failed %d times; left unseen on the server\"",
                         (long long)w->id, (unsigned long long)uids[i], err, FAILS_TO_SKIP);
            }
            why = err;
            if (++fetch_errors >= 2) {
                break; /* the connection is likely gone: try again next poll */
            }
            continue;
        }
        fetch_errors = 0;
        desk_log(DESK_LOG_INFO, "event=imap_fetched mailbox_id=%lld uid=%llu bytes=%zu",
                 (long long)w->id, (unsigned long long)uids[i], msg.len);
        struct desk_mail_result res;
        int rc = desk_mail_ingest(w->poll->app, msg.data, msg.len, &src, lim, &res);
        if (rc) {
            /* Not stored: the message stays unseen for the next poll. */
            snprintf(err, err_len, "cannot store message %llu: %s", (unsigned long long)uids[i],
                     desk_err_msg(rc));
            why = err;
            if (rc == DESK_EBUSY || rc == DESK_EIO) {
                break; /* the store's trouble, not the message's: try them all later */
            }
            note_bad(w, uids[i]); /* this message's: do not let it stall the others */
            continue;
        }
        done[n_done++] = uids[i];
        (*stored)++;
        desk_log(DESK_LOG_INFO,
                 "event=imap_stored mailbox_id=%lld uid=%llu outcome=%s "
                 "ticket_id=%lld%s",
                 (long long)w->id, (unsigned long long)uids[i], desk_mail_outcome_name(res.outcome),
                 (long long)res.ticket_id, truncated ? " truncated=1" : "");
    }
    desk_buf_release(&msg);
    /* Only now, with every one of them durably stored, are they marked seen. */
    char mark_err[256];
    if (n_done && desk_imap_mark_seen(im, done, n_done, mark_err, sizeof(mark_err)) != 0) {
        /* They will come again and be recognized as stored (same Message-ID). */
        snprintf(err, err_len, "stored but not marked seen: %s", mark_err);
        why = err;
    }
    atomic_fetch_add(&n_stored, (uint64_t)*stored);
    return why;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct desk_imap *im = NULL;
    int64_t failures = 0, last_recorded = 0;
    bool last_failed = false;
    struct desk_imap_config cfg = {.host = w->host,
                                   .port = w->port,
                                   .tls = w->tls,
                                   .user = w->user,
                                   .password = w->password,
                                   .folder = w->folder,
                                   .ca_file = w->poll->ca_file,
                                   .timeout_ms = w->poll->timeout_ms,
                                   .stop = &w->stop};
    /* One byte more than the limit: the ingest sees the message is too large and suspends it. */
    cfg.max_message = w->poll->limits.max_message + 1;
    while (!atomic_load(&w->stop)) {
        char err[512] = "";
        int64_t stored = 0;
        const char *why = NULL;
        if (!im && desk_imap_new(&cfg, &im) != 0) {
            why = "the host or folder cannot be used";
        }
        if (!why) {
            why = poll_once(w, im, err, sizeof(err), &stored);
        }
        if (atomic_load(&w->stop)) {
            break;
        }
        atomic_fetch_add(&n_polls, 1);
        if (why) {
            atomic_fetch_add(&n_poll_failures, 1);
            failures++;
            /* Start the next poll on a fresh connection. */
            desk_imap_free(im);
            im = NULL;
            desk_log(DESK_LOG_WARN, "event=imap_poll mailbox_id=%lld stored=%lld error=\"%s\"",
                     (long long)w->id, (long long)stored, why);
        } else {
            failures = 0;
        }
        /* A quiet, healthy mailbox records its state once a minute, not at every poll: the
         * store has one writer, and a 1 s interval on many mailboxes would keep it busy. */
        int64_t now = desk_time_now_ms();
        if (why || stored || last_failed || now - last_recorded >= 60000) {
            if (desk_app_mailbox_polled(w->poll->app, w->id, why, stored) == 0) {
                last_recorded = now;
                last_failed = why != NULL;
            }
        }
        int64_t delay = w->interval_ms;
        for (int64_t i = 1; i < failures && delay < MAX_BACKOFF_MS; i++) {
            delay *= 2;
        }
        if (failures && delay > MAX_BACKOFF_MS) {
            delay = MAX_BACKOFF_MS > w->interval_ms ? MAX_BACKOFF_MS : w->interval_ms;
        }
        worker_sleep(w, delay);
    }
    desk_imap_free(im);
    return NULL;
}

static void worker_free(struct worker *w)
{
    free(w->host);
    free(w->user);
    wipe_free(w->password);
    free(w->folder);
    free(w->source);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    free(w);
}

static void worker_stop(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->stop, true);
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    worker_free(w);
}

static struct worker *worker_start(struct desk_imap_poll *p, const struct desk_mailbox *m)
{
    struct worker *w = calloc(1, sizeof(*w));
    if (!w) {
        abort();
    }
    w->poll = p;
    w->id = m->id;
    w->updated_at = m->updated_at;
    w->interval_ms = m->poll_interval * 1000;
    w->host = xstrdup(m->host);
    w->user = xstrdup(m->username);
    w->password = xstrdup(m->password);
    w->folder = xstrdup(m->folder);
    w->port = (int)m->port;
    w->tls = DESK_IMAP_TLS_IMAPS;
    desk_imap_tls_parse(m->tls, &w->tls);
    size_t n = strlen(m->username) + strlen(m->host) + strlen(m->folder) + 32;
    w->source = malloc(n);
    if (!w->source) {
        abort();
    }
    snprintf(w->source, n, "%s://%s@%s/%s", w->tls == DESK_IMAP_TLS_IMAPS ? "imaps" : "imap",
             m->username, m->host, m->folder);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        worker_free(w);
        return NULL;
    }
    desk_log(DESK_LOG_INFO, "event=imap_start mailbox_id=%lld host=%s port=%d folder=\"%s\"",
             (long long)m->id, m->host, (int)m->port, m->folder);
    return w;
}

/* Brings the workers in line with the active mailboxes. */
static void reconcile(struct desk_imap_poll *p)
{
    struct desk_arena a;
    struct desk_mailbox *boxes;
    size_t n = 0;
    desk_arena_init(&a);
    if (desk_app_mailbox_active(p->app, &a, MAX_MAILBOXES, &boxes, &n) != 0) {
        desk_arena_release(&a);
        return; /* keep what runs; try again at the next reload */
    }
    struct worker **pw = &p->workers;
    while (*pw) {
        struct worker *w = *pw;
        bool keep = false;
        for (size_t i = 0; i < n && !keep; i++) {
            keep = boxes[i].id == w->id && boxes[i].updated_at == w->updated_at;
        }
        if (!keep) {
            *pw = w->next;
            desk_log(DESK_LOG_INFO, "event=imap_stop mailbox_id=%lld", (long long)w->id);
            worker_stop(w);
        } else {
            pw = &w->next;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool running = false;
        for (struct worker *w = p->workers; w && !running; w = w->next) {
            running = w->id == boxes[i].id;
        }
        if (!running) {
            struct worker *w = worker_start(p, &boxes[i]);
            if (w) {
                w->next = p->workers;
                p->workers = w;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (boxes[i].password) {
            explicit_bzero((char *)boxes[i].password, strlen(boxes[i].password));
        }
    }
    desk_arena_release(&a);
}

static void *manager_main(void *arg)
{
    struct desk_imap_poll *p = arg;
    while (!atomic_load(&p->stop)) {
        reconcile(p);
        if (!atomic_load(&p->stop)) {
            desk_mailbox_wait(desk_time_now_ms() + p->reload_ms);
        }
    }
    while (p->workers) {
        struct worker *w = p->workers;
        p->workers = w->next;
        worker_stop(w);
    }
    return NULL;
}

int desk_imap_poll_start(struct desk_app *app, const struct desk_imap_poll_config *cfg,
                         struct desk_imap_poll **out)
{
    struct desk_imap_poll *p = calloc(1, sizeof(*p));
    if (!p) {
        abort();
    }
    p->app = app;
    p->ca_file = cfg->ca_file && *cfg->ca_file ? xstrdup(cfg->ca_file) : NULL;
    p->our_address = cfg->our_address && *cfg->our_address ? xstrdup(cfg->our_address) : NULL;
    p->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
    p->reload_ms = cfg->reload_ms > 0 ? cfg->reload_ms : 5000;
    p->limits = cfg->limits;
    if (!p->limits.max_message) {
        desk_mail_limits_default(&p->limits);
    }
    if (pthread_create(&p->thread, NULL, manager_main, p) != 0) {
        free(p->ca_file);
        free(p->our_address);
        free(p);
        return DESK_EINTERNAL;
    }
    *out = p;
    return 0;
}

void desk_imap_poll_stop(struct desk_imap_poll *p)
{
    if (!p) {
        return;
    }
    atomic_store(&p->stop, true);
    desk_mailbox_kick();
    pthread_join(p->thread, NULL);
    free(p->ca_file);
    free(p->our_address);
    free(p);
}

void desk_imap_poll_metrics(struct desk_buf *out)
{
    desk_buf_addf(out,
                  "# HELP desk_imap_polls_total IMAP polls, and those that failed.\n"
                  "# TYPE desk_imap_polls_total counter\n"
                  "desk_imap_polls_total{result=\"ok\"} %llu\n"
                  "desk_imap_polls_total{result=\"failed\"} %llu\n"
                  "# HELP desk_imap_messages_stored_total Messages taken from IMAP and "
                  "stored.\n"
                  "# TYPE desk_imap_messages_stored_total counter\n"
                  "desk_imap_messages_stored_total %llu\n"
                  "# HELP desk_imap_messages_skipped_total Messages left unseen after "
                  "failed "
                  "fetches.\n"
                  "# TYPE desk_imap_messages_skipped_total counter\n"
                  "desk_imap_messages_skipped_total %llu\n",
                  (unsigned long long)(atomic_load(&n_polls) - atomic_load(&n_poll_failures)),
                  (unsigned long long)atomic_load(&n_poll_failures),
                  (unsigned long long)atomic_load(&n_stored),
                  (unsigned long long)atomic_load(&n_skipped));
}
