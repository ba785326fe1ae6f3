/*
 * IMAP mailbox use cases (see mailbox.h): validation with errors that name
 * the field, admin-only access, and the poller's reads and records.
 */
#include "app/mailbox.h"
#include "app/app_int.h"
#include "core/time.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

/* ---- waking the poller ----------------------------------------------------- */

static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond = PTHREAD_COND_INITIALIZER;
static uint64_t wake_seq, wake_seen;

void desk_mailbox_kick(void)
{
    pthread_mutex_lock(&wake_lock);
    wake_seq++;
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_lock);
}

void desk_mailbox_wait(int64_t deadline_ms)
{
    struct timespec ts = {.tv_sec = (time_t)(deadline_ms / 1000),
                          .tv_nsec = (long)(deadline_ms % 1000) * 1000000L};
    pthread_mutex_lock(&wake_lock);
    while (wake_seq == wake_seen) {
        if (pthread_cond_timedwait(&wake_cond, &wake_lock, &ts) != 0) {
            break;
        }
    }
    wake_seen = wake_seq;
    pthread_mutex_unlock(&wake_lock);
}

/* ---- validation ------------------------------------------------------------- */

static bool no_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return false;
        }
    }
    return true;
}

static bool host_ok(const char *h)
{
    if (!*h || strlen(h) > 253) {
        return false;
    }
    for (const char *p = h; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-.:[]", *p))) {
            return false;
        }
    }
    return true;
}

/* Applies in onto m (whose fields are the current ones, or defaults) and checks the result. */
static int apply(const struct desk_mailbox_input *in, struct desk_mailbox *m, bool create,
                 struct desk_fail *fail)
{
    if (in->has_name) {
        m->name = in->name ? in->name : "";
    }
    if (in->has_host) {
        m->host = in->host;
    }
    if (in->has_tls) {
        m->tls = in->tls;
    }
    if (in->has_port) {
        m->port = in->port;
    } else if (create) {
        m->port = m->tls && strcmp(m->tls, "imaps") == 0 ? 993 : 143;
    }
    if (in->has_username) {
        m->username = in->username;
    }
    if (in->has_password) {
        m->password = in->password;
    }
    if (in->has_folder) {
        m->folder = in->folder;
    }
    if (in->has_active) {
        m->active = in->active;
    }
    if (in->has_poll_interval) {
        m->poll_interval = in->poll_interval;
    }
    if (!m->host || !host_ok(m->host)) {
        return desk_fail(fail, DESK_EINVALID, "host", "InvalidValue",
                         "Host: must be a host name or IP address");
    }
    if (m->port < 1 || m->port > 65535) {
        return desk_fail(fail, DESK_EINVALID, "port", "InvalidValue",
                         "Port: must be a number from 1 to 65535");
    }
    if (!m->tls || (strcmp(m->tls, "imaps") != 0 && strcmp(m->tls, "starttls") != 0 &&
                    strcmp(m->tls, "none") != 0)) {
        return desk_fail(fail, DESK_EINVALID, "tls", "InvalidValue",
                         "TLS: must be imaps, starttls or none");
    }
    if (!m->username || !*m->username || strlen(m->username) > 255 || !no_controls(m->username)) {
        return desk_fail(fail, DESK_EINVALID, "username", "InvalidValue",
                         "Username: is required (up to 255 characters)");
    }
    if ((create || in->has_password) && (!m->password || !*m->password ||
                                         strlen(m->password) > 1024 || !no_controls(m->password))) {
        return desk_fail(fail, DESK_EINVALID, "password", "InvalidValue",
                         "Password: is required (up to 1024 characters)");
    }
    if (!m->folder || !*m->folder || strlen(m->folder) > 255 || !no_controls(m->folder)) {
        return desk_fail(fail, DESK_EINVALID, "folder", "InvalidValue",
                         "Folder: must be a folder name (up to 255 characters)");
    }
    if (m->poll_interval < 1 || m->poll_interval > 86400) {
        return desk_fail(fail, DESK_EINVALID, "poll_interval", "InvalidValue",
                         "Poll interval: must be from 1 to 86400 seconds");
    }
    if (strlen(m->name) > 255) {
        return desk_fail(fail, DESK_EINVALID, "name", "TooLong",
                         "Name: is too long (maximum is 255 characters)");
    }
    return 0;
}

struct mailbox_job {
    const struct desk_mailbox_input *in;
    struct desk_arena *a;
    int64_t id;
    struct desk_mailbox m;
    struct desk_fail *fail;
    const char *error;
    int64_t stored;
};

static int duplicate(struct mailbox_job *j)
{
    return desk_fail(j->fail, DESK_EINVALID, "username", "DuplicateValue",
                     "Username: this account's folder is polled already");
}

static int create_write(struct desk_conn *c, void *arg)
{
    struct mailbox_job *j = arg;
    int64_t now = desk_time_now_ms();
    memset(&j->m, 0, sizeof(j->m));
    j->m.name = "";
    j->m.tls = "imaps";
    j->m.folder = "INBOX";
    j->m.active = true;
    j->m.poll_interval = 60;
    j->m.created_at = j->m.updated_at = now;
    if (j->in->has_tls) {
        j->m.tls = j->in->tls; /* the default port follows it */
    }
    int rc = apply(j->in, &j->m, true, j->fail);
    if (!rc && (rc = desk_store_mailbox_insert(c, &j->m)) == DESK_ECONFLICT) {
        rc = duplicate(j);
    }
    return rc;
}

static int update_write(struct desk_conn *c, void *arg)
{
    struct mailbox_job *j = arg;
    int rc = desk_store_mailbox_get(c, j->a, j->id, false, &j->m);
    if (rc) {
        return rc;
    }
    j->m.updated_at = desk_time_now_ms();
    if (j->m.updated_at <= j->m.created_at) {
        j->m.updated_at = j->m.created_at + 1;
    }
    if ((rc = apply(j->in, &j->m, false, j->fail)) != 0) {
        return rc;
    }
    rc = desk_store_mailbox_update(c, &j->m);
    return rc == DESK_ECONFLICT ? duplicate(j) : rc;
}

static int delete_write(struct desk_conn *c, void *arg)
{
    struct mailbox_job *j = arg;
    return desk_store_mailbox_delete(c, j->id);
}

static int polled_write(struct desk_conn *c, void *arg)
{
    struct mailbox_job *j = arg;
    return desk_store_mailbox_polled(c, j->id, desk_time_now_ms(), j->error, j->stored);
}

static bool is_admin(const struct desk_actor *who)
{
    return who->role == DESK_ROLE_ADMIN;
}

int desk_app_mailbox_create(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, const struct desk_mailbox_input *in,
                            struct desk_mailbox *out, struct desk_fail *fail)
{
    if (!is_admin(who)) {
        return DESK_EFORBIDDEN;
    }
    struct mailbox_job j = {.in = in, .a = a, .fail = fail};
    int rc = desk_store_write(app->store, create_write, &j);
    if (!rc) {
        j.m.password = NULL;
        *out = j.m;
        desk_mailbox_kick();
    }
    return rc;
}

int desk_app_mailbox_update(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, const struct desk_mailbox_input *in,
                            struct desk_mailbox *out, struct desk_fail *fail)
{
    if (!is_admin(who)) {
        return DESK_EFORBIDDEN;
    }
    struct mailbox_job j = {.in = in, .a = a, .id = id, .fail = fail};
    int rc = desk_store_write(app->store, update_write, &j);
    if (!rc) {
        desk_mailbox_kick();
        rc = desk_app_mailbox_get(app, who, a, id, out);
    }
    return rc;
}

int desk_app_mailbox_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    if (!is_admin(who)) {
        return DESK_EFORBIDDEN;
    }
    struct mailbox_job j = {.id = id};
    int rc = desk_store_write(app->store, delete_write, &j);
    if (!rc) {
        desk_mailbox_kick();
    }
    return rc;
}

int desk_app_mailbox_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, struct desk_mailbox *out)
{
    struct desk_conn *c;
    if (!is_admin(who)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_mailbox_get(c, a, id, false, out);
}

int desk_app_mailbox_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_page *p, struct desk_mailbox **items,
                          struct desk_page_out *out)
{
    struct desk_conn *c;
    if (!is_admin(who)) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_mailbox_list(c, a, p, items, out);
}

int desk_app_mailbox_active(struct desk_app *app, struct desk_arena *a, int limit,
                            struct desk_mailbox **items, size_t *n)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_mailbox_active(c, a, limit, items, n);
}

int desk_app_mailbox_polled(struct desk_app *app, int64_t id, const char *error, int64_t stored)
{
    struct mailbox_job j = {.id = id, .error = error, .stored = stored};
    return desk_store_write(app->store, polled_write, &j);
}
