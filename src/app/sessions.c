/*
 * Browser sessions (see sessions.h). A session token is 32 random bytes,
 * base64url; the store keeps its BLAKE2b hash. The CSRF token is a keyed
 * hash of the session token, so it needs no storage and cannot be derived
 * without the cookie. The login limiter is one per process: it guards the
 * password check of whatever store the process serves.
 */
#include "app/sessions.h"
#include "app/app_int.h"
#include "app/outbox.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "model/ratelimit.h"
#include "store/store_console.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define TOKEN_BYTES 32
#define B64_LEN     sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)

static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t limit_once = PTHREAD_ONCE_INIT;
static struct desk_ratelimit by_account, by_peer, links_by_account, links_by_peer;
static unsigned char limit_key[crypto_shorthash_KEYBYTES];

static void limits_init(void)
{
    desk_rl_init(&by_account, DESK_LOGIN_FAILS_PER_ACCOUNT, DESK_LOGIN_WINDOW_MS);
    desk_rl_init(&by_peer, DESK_LOGIN_FAILS_PER_PEER, DESK_LOGIN_WINDOW_MS);
    desk_rl_init(&links_by_account, DESK_SIGNIN_LINKS_PER_ACCOUNT, DESK_LOGIN_WINDOW_MS);
    desk_rl_init(&links_by_peer, DESK_SIGNIN_LINKS_PER_PEER, DESK_LOGIN_WINDOW_MS);
    randombytes_buf(limit_key, sizeof(limit_key));
}

/* A keyed 64-bit hash of s, lower-cased, so the table holds no emails or addresses. */
static uint64_t limit_hash(const char *s)
{
    unsigned char out[crypto_shorthash_BYTES];
    char buf[256];
    size_t n = strlen(s);
    if (n >= sizeof(buf)) {
        n = sizeof(buf) - 1;
    }
    for (size_t i = 0; i < n; i++) {
        buf[i] = (char)tolower((unsigned char)s[i]);
    }
    crypto_shorthash(out, (const unsigned char *)buf, n, limit_key);
    uint64_t v;
    memcpy(&v, out, sizeof(v));
    return v;
}

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

const char *desk_app_session_csrf(struct desk_arena *a, const char *token)
{
    static const unsigned char label[] = "desk csrf token v1";
    unsigned char mac[TOKEN_BYTES];
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)token, strlen(token), label,
                       sizeof(label) - 1);
    char *text = desk_arena_alloc(a, B64_LEN);
    sodium_bin2base64(text, B64_LEN, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
}

bool desk_app_session_csrf_ok(const char *token, const char *csrf)
{
    if (!token || !csrf) {
        return false;
    }
    struct desk_arena a;
    desk_arena_init(&a);
    const char *want = desk_app_session_csrf(&a, token);
    bool ok = strlen(csrf) == strlen(want) && desk_str_ct_eq(csrf, want, strlen(want));
    desk_arena_release(&a);
    return ok;
}

struct login_job {
    struct desk_session s;
    unsigned char hash[32];
    const char *user_agent;
    const char *peer;
};

static int login_write(struct desk_conn *c, void *arg)
{
    struct login_job *j = arg;
    int rc = desk_store_session_purge(c, j->s.created_at);
    if (!rc) {
        rc = desk_store_session_insert(c, &j->s, j->hash, j->user_agent, j->peer);
    }
    if (!rc) {
        rc = desk_store_user_touch_login(c, j->s.user_id, j->s.created_at);
    }
    return rc;
}

int desk_app_session_login(struct desk_app *app, struct desk_arena *a, const char *email,
                           const char *password, const char *peer, const char *user_agent,
                           struct desk_session_new *out, int64_t *retry_ms)
{
    pthread_once(&limit_once, limits_init);
    int64_t now = desk_time_now_ms();
    uint64_t ka = limit_hash(email), kp = limit_hash(peer ? peer : "");
    pthread_mutex_lock(&limit_lock);
    int64_t wa = desk_rl_wait(&by_account, ka, now), wp = desk_rl_wait(&by_peer, kp, now);
    pthread_mutex_unlock(&limit_lock);
    if (wa || wp) {
        *retry_ms = wa > wp ? wa : wp;
        desk_log(DESK_LOG_WARN, "event=login_limited by=%s retry_ms=%lld", wa ? "account" : "peer",
                 (long long)*retry_ms);
        return DESK_ERATE;
    }
    struct desk_actor who;
    int rc = desk_app_auth_password(app, email, password, &who);
    pthread_mutex_lock(&limit_lock);
    if (rc == DESK_EAUTH) {
        desk_rl_fail(&by_account, ka, now);
        desk_rl_fail(&by_peer, kp, now);
    } else if (!rc) {
        desk_rl_reset(&by_account, ka);
    }
    pthread_mutex_unlock(&limit_lock);
    if (rc) {
        return rc;
    }
    unsigned char raw[TOKEN_BYTES];
    char *token = desk_arena_alloc(a, B64_LEN);
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, B64_LEN, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    struct login_job j = {
        .s = {.user_id = who.user_id, .created_at = now, .expires_at = now + DESK_SESSION_TTL_MS},
        .user_agent =
            user_agent ? desk_arena_strndup(a, user_agent, strnlen(user_agent, 200)) : NULL,
        .peer = peer};
    token_hash(token, j.hash);
    if ((rc = desk_store_write(app->store, login_write, &j)) != 0) {
        return rc;
    }
    who.via = DESK_VIA_WEB;
    out->token = token;
    out->csrf_token = desk_app_session_csrf(a, token);
    out->expires_at = j.s.expires_at;
    out->who = who;
    return 0;
}

int desk_app_session_auth(struct desk_app *app, const char *token, struct desk_actor *out)
{
    struct desk_conn *c;
    struct desk_session s;
    unsigned char h[32];
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    token_hash(token, h);
    if ((rc = desk_store_session_get(c, h, desk_time_now_ms(), &s)) != 0) {
        return rc == DESK_ENOTFOUND ? DESK_EAUTH : rc;
    }
    struct desk_arena a;
    struct desk_user u;
    desk_arena_init(&a);
    rc = desk_store_user_get(c, &a, s.user_id, &u);
    if (!rc) {
        desk_app_actor_from(c, &u, DESK_VIA_WEB, out);
    }
    desk_arena_release(&a);
    return rc == DESK_ENOTFOUND ? DESK_EAUTH : rc;
}

static int logout_write(struct desk_conn *c, void *arg)
{
    return desk_store_session_delete(c, arg);
}

int desk_app_session_logout(struct desk_app *app, const char *token)
{
    unsigned char h[32];
    token_hash(token, h);
    return desk_store_write(app->store, logout_write, h);
}

static int revoke_write(struct desk_conn *c, void *arg)
{
    return desk_store_session_revoke_user(c, *(int64_t *)arg);
}

int desk_app_sessions_revoke_user(struct desk_app *app, int64_t user_id)
{
    return desk_store_write(app->store, revoke_write, &user_id);
}

/* ---- one-time sign-in links ---------------------------------------------------- */

static const char *new_token(struct desk_arena *a)
{
    unsigned char raw[TOKEN_BYTES];
    char *token = desk_arena_alloc(a, B64_LEN);
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, B64_LEN, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    return token;
}

int desk_app_signin_link_request(struct desk_app *app, struct desk_arena *a, const char *email,
                                 const char *peer, struct desk_signin_link *out, int64_t *retry_ms)
{
    pthread_once(&limit_once, limits_init);
    int64_t now = desk_time_now_ms();
    uint64_t ka = limit_hash(email), kp = limit_hash(peer ? peer : "");
    pthread_mutex_lock(&limit_lock);
    int64_t wa = desk_rl_wait(&links_by_account, ka, now),
            wp = desk_rl_wait(&links_by_peer, kp, now);
    if (!wa && !wp) {
        desk_rl_fail(&links_by_account, ka, now);
        desk_rl_fail(&links_by_peer, kp, now);
    }
    pthread_mutex_unlock(&limit_lock);
    if (wa || wp) {
        *retry_ms = wa > wp ? wa : wp;
        desk_log(DESK_LOG_WARN, "event=signin_link_limited by=%s retry_ms=%lld",
                 wa ? "account" : "peer", (long long)*retry_ms);
        return DESK_ERATE;
    }
    struct desk_conn *c;
    struct desk_user u;
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    *out = (struct desk_signin_link){0};
    rc = desk_store_user_by_email(c, a, email, &u);
    if (rc == DESK_ENOTFOUND ||
        (!rc && (u.role != DESK_ROLE_END_USER || !u.active || u.suspended || !u.email))) {
        return 0;
    }
    if (rc) {
        return rc;
    }
    out->user_id = u.id;
    out->to_addr = u.email;
    out->to_name = u.name;
    out->language = u.locale;
    out->token = new_token(a);
    return 0;
}

struct link_job {
    int64_t user_id;
    unsigned char hash[32];
    int64_t now;
    struct desk_outbox_msg *msg;
};

static int link_write(struct desk_conn *c, void *arg)
{
    struct link_job *j = arg;
    return desk_store_signin_link_insert(c, j->user_id, j->hash, j->now,
                                         j->now + DESK_SIGNIN_LINK_TTL_MS, j->msg);
}

int desk_app_signin_link_queue(struct desk_app *app, const struct desk_signin_link *l,
                               struct desk_outbox_msg *msg)
{
    struct link_job j = {.user_id = l->user_id, .now = desk_time_now_ms(), .msg = msg};
    token_hash(l->token, j.hash);
    int rc = desk_store_write(app->store, link_write, &j);
    if (!rc) {
        desk_outbox_kick();
    }
    return rc;
}

struct link_login_job {
    unsigned char link_hash[32];
    struct login_job login;
};

static int link_login_write(struct desk_conn *c, void *arg)
{
    struct link_login_job *j = arg;
    int rc =
        desk_store_signin_link_use(c, j->link_hash, j->login.s.created_at, &j->login.s.user_id);
    return rc ? rc : login_write(c, &j->login);
}

int desk_app_session_login_link(struct desk_app *app, struct desk_arena *a, const char *token,
                                const char *peer, const char *user_agent,
                                struct desk_session_new *out, int64_t *retry_ms)
{
    pthread_once(&limit_once, limits_init);
    int64_t now = desk_time_now_ms();
    uint64_t kp = limit_hash(peer ? peer : "");
    pthread_mutex_lock(&limit_lock);
    int64_t wp = desk_rl_wait(&by_peer, kp, now);
    pthread_mutex_unlock(&limit_lock);
    if (wp) {
        *retry_ms = wp;
        return DESK_ERATE;
    }
    const char *session_token = new_token(a);
    struct link_login_job j = {
        .login = {.s = {.created_at = now, .expires_at = now + DESK_SESSION_TTL_MS},
                  .user_agent = user_agent
                                    ? desk_arena_strndup(a, user_agent, strnlen(user_agent, 200))
                                    : NULL,
                  .peer = peer}};
    token_hash(token, j.link_hash);
    token_hash(session_token, j.login.hash);
    int rc = desk_store_write(app->store, link_login_write, &j);
    if (rc == DESK_ENOTFOUND) {
        pthread_mutex_lock(&limit_lock);
        desk_rl_fail(&by_peer, kp, now);
        pthread_mutex_unlock(&limit_lock);
        desk_log(DESK_LOG_INFO, "event=signin_link_rejected");
        return DESK_EAUTH;
    }
    if (rc) {
        return rc;
    }
    struct desk_conn *c;
    struct desk_user u;
    if ((rc = desk_store_reader(app->store, &c)) != 0 ||
        (rc = desk_store_user_get(c, a, j.login.s.user_id, &u)) != 0) {
        return rc;
    }
    desk_app_actor_from(c, &u, DESK_VIA_WEB, &out->who);
    out->token = session_token;
    out->csrf_token = desk_app_session_csrf(a, session_token);
    out->expires_at = j.login.s.expires_at;
    return 0;
}
