/*
 * The app object and authentication: API tokens (stored as BLAKE2b hashes),
 * passwords (argon2id through libsodium, with a keyed cache of recent
 * verifications so Basic auth stays fast without weakening the hash).
 */
#include "app/app_int.h"
#include "app/sla.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct desk_actor desk_actor_system = {
    .user_id = 0, .role = DESK_ROLE_ADMIN, .via = DESK_VIA_CLI, .request_id = "cli"};

int desk_app_open(const char *db_path, struct desk_app **out)
{
    if (sodium_init() < 0) {
        desk_log(DESK_LOG_ERROR, "event=sodium_init error=\"cannot initialize libsodium\"");
        return DESK_EINTERNAL;
    }
    struct desk_app *app = calloc(1, sizeof(*app));
    if (!app) {
        abort();
    }
    int rc = desk_store_open(db_path, &app->store);
    if (rc) {
        free(app);
        return rc;
    }
    pthread_mutex_init(&app->pw_lock, NULL);
    randombytes_buf(app->pw_key, sizeof(app->pw_key));
    app->sla = desk_sla_new();
    *out = app;
    return 0;
}

void desk_app_close(struct desk_app *app)
{
    if (!app) {
        return;
    }
    desk_store_close(app->store);
    desk_sla_free(app->sla);
    pthread_mutex_destroy(&app->pw_lock);
    sodium_memzero(app, sizeof(*app));
    free(app);
}

void desk_app_snapshot_begin(struct desk_app *app)
{
    desk_store_snapshot_begin(app->store);
}

void desk_app_snapshot_end(struct desk_app *app)
{
    desk_store_snapshot_end(app->store);
}

struct desk_store *desk_app_store(struct desk_app *app)
{
    return app->store;
}

int desk_app_reader(struct desk_app *app, struct desk_conn **out)
{
    return desk_store_reader(app->store, out);
}

void desk_app_actor_from(struct desk_conn *c, const struct desk_user *u, int via,
                         struct desk_actor *out)
{
    memset(out, 0, sizeof(*out));
    out->user_id = u->id;
    out->role = u->role;
    out->organization_id = u->organization_id;
    out->via = via;
    if (u->organization_id) {
        struct desk_arena a;
        struct desk_org o;
        desk_arena_init(&a);
        if (desk_store_org_get(c, &a, u->organization_id, &o) == 0) {
            out->org_shared = o.shared_tickets;
        }
        desk_arena_release(&a);
    }
}

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int desk_app_auth_token(struct desk_app *app, const char *email, const char *token,
                        struct desk_actor *out)
{
    struct desk_conn *c;
    unsigned char h[32];
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    token_hash(token, h);
    struct desk_arena a;
    struct desk_token_owner o;
    desk_arena_init(&a);
    rc = desk_store_token_owner(c, &a, h, &o);
    if (!rc && email && (!o.email || strcasecmp(o.email, email) != 0)) {
        rc = DESK_EAUTH; /* a real token, presented under someone else's name */
    }
    if (!rc) {
        memset(out, 0, sizeof(*out));
        out->user_id = o.user_id;
        out->role = o.role;
        out->organization_id = o.organization_id;
        out->org_shared = o.org_shared;
        out->via = DESK_VIA_API;
    }
    desk_arena_release(&a);
    return rc == DESK_ENOTFOUND ? DESK_EAUTH : rc;
}

static void pw_mac(struct desk_app *app, const char *password, const char *hash,
                   unsigned char out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, app->pw_key, sizeof(app->pw_key), 32);
    crypto_generichash_update(&st, (const unsigned char *)password, strlen(password) + 1);
    crypto_generichash_update(&st, (const unsigned char *)hash, strlen(hash));
    crypto_generichash_final(&st, out, 32);
}

int desk_app_auth_password(struct desk_app *app, const char *email, const char *password,
                           struct desk_actor *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    struct desk_arena a;
    struct desk_user u;
    const char *hash = NULL;
    desk_arena_init(&a);
    rc = desk_store_user_by_email(c, &a, email, &u);
    if (!rc) {
        rc = desk_store_user_password(c, &a, u.id, &hash);
    }
    if (!rc && (!hash || !u.active || u.suspended)) {
        rc = DESK_EAUTH;
    }
    if (!rc) {
        /* The cache entry binds the password to the stored hash, so a changed
         * password invalidates it without any bookkeeping. */
        unsigned char mac[32];
        pw_mac(app, password, hash, mac);
        struct pw_cache_entry *e = &app->pw_cache[(uint64_t)u.id % PW_CACHE];
        pthread_mutex_lock(&app->pw_lock);
        bool hit = e->user_id == u.id && desk_str_ct_eq(e->mac, mac, 32);
        pthread_mutex_unlock(&app->pw_lock);
        if (!hit) {
            if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0) {
                rc = DESK_EAUTH;
            } else {
                pthread_mutex_lock(&app->pw_lock);
                e->user_id = u.id;
                memcpy(e->mac, mac, 32);
                pthread_mutex_unlock(&app->pw_lock);
            }
        }
        sodium_memzero(mac, sizeof(mac));
    }
    if (!rc) {
        desk_app_actor_from(c, &u, DESK_VIA_API, out);
    }
    desk_arena_release(&a);
    return rc == DESK_ENOTFOUND ? DESK_EAUTH : rc;
}

int desk_app_password_hash(struct desk_arena *a, const char *password, const char **out)
{
    char *h = desk_arena_alloc(a, crypto_pwhash_STRBYTES);
    /* OWASP's argon2id floor (19 MiB, 2 passes): strong, and cheap enough
     * that a burst of logins does not exhaust memory. */
    if (crypto_pwhash_str_alg(h, password, strlen(password), 2, (size_t)19 * 1024 * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return DESK_EINTERNAL;
    }
    *out = h;
    return 0;
}

struct token_job {
    int64_t user_id;
    unsigned char hash[32];
    const char *description;
};

static int token_write(struct desk_conn *c, void *arg)
{
    struct token_job *j = arg;
    return desk_store_token_insert(c, j->user_id, j->hash, j->description);
}

int desk_app_token_create(struct desk_app *app, struct desk_arena *a, const char *email,
                          const char *description, const char **token)
{
    struct desk_conn *c;
    struct desk_user u;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_user_by_email(c, a, email, &u)) != 0) {
        return rc;
    }
    unsigned char raw[30];
    char *text = desk_arena_alloc(
        a, sodium_base64_ENCODED_LEN(30, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, sodium_base64_ENCODED_LEN(30, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    struct token_job j = {.user_id = u.id, .description = description};
    token_hash(text, j.hash);
    rc = desk_store_write(app->store, token_write, &j);
    if (!rc) {
        *token = text;
    }
    return rc;
}

bool desk_app_email_valid(const char *email)
{
    const char *at = strchr(email, '@');
    size_t len = strlen(email);
    if (!at || at == email || strchr(at + 1, '@') || len > 254) {
        return false;
    }
    for (const char *p = email; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == '"') {
            return false;
        }
    }
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0';
}

static int job_write(struct desk_conn *c, void *arg)
{
    return desk_store_job_insert(c, arg);
}

int desk_app_job_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      const char *job_type, int64_t total, const char *results,
                      struct desk_job *out)
{
    unsigned char raw[16];
    char hex[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    int64_t now = desk_time_now_ms();
    char iso[21];
    desk_time_iso(now, iso);
    struct desk_job j = {
        .id = desk_arena_printf(a, "V3-%s", hex),
        .user_id = who->user_id,
        .job_type = job_type,
        .status = "completed",
        .total = total,
        .progress = total,
        .message = desk_arena_printf(a, "Completed at %.10s %.8s +0000", iso, iso + 11),
        .results = results,
        .created_at = now,
        .updated_at = now,
    };
    int rc = desk_store_write(app->store, job_write, &j);
    if (!rc) {
        *out = j;
    }
    return rc;
}

int desk_app_job_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                     const char *id, struct desk_job *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_job_get(c, a, id, out)) != 0) {
        return rc;
    }
    if (!desk_role_is_staff(who->role) && out->user_id != who->user_id) {
        return DESK_ENOTFOUND;
    }
    return 0;
}
