/*
 * Browser sessions for the console and the portal: signing in with email
 * and password (rate limited per account and per client address), the
 * session a cookie names, its CSRF token, signing out, and revoking every
 * session of a user at once (offboarding, suspension). Only hashes of the
 * session tokens are stored.
 */
#ifndef DESK_APP_SESSIONS_H
#define DESK_APP_SESSIONS_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>

/* How long a session lasts from sign-in. */
#define DESK_SESSION_TTL_MS (12LL * 3600 * 1000)

/* Login limits: failures allowed per window, per account and per client address. */
#define DESK_LOGIN_FAILS_PER_ACCOUNT 5
#define DESK_LOGIN_FAILS_PER_PEER    20
#define DESK_LOGIN_WINDOW_MS         (15LL * 60 * 1000)

/* A new session, as handed to the browser once. Strings are in the caller's arena. */
struct desk_session_new {
    const char *token;      /* the cookie value */
    const char *csrf_token; /* to send back as X-CSRF-Token on writes */
    int64_t expires_at;
    struct desk_actor who;
};

/*
 * Signs in: checks the rate limits for email and peer (an address text,
 * may be NULL), verifies the password, stores a new session. Returns 0 and
 * *out (strings in a); DESK_EAUTH for any wrong credential (no hint which);
 * DESK_ERATE with *retry_ms when too many attempts failed recently.
 * Runs argon2id: call it off the I/O threads.
 */
int desk_app_session_login(struct desk_app *app, struct desk_arena *a, const char *email,
                           const char *password, const char *peer, const char *user_agent,
                           struct desk_session_new *out, int64_t *retry_ms);

/*
 * The actor signed in by session token (the cookie's value), with via set
 * to web. DESK_EAUTH when the session is unknown, expired, revoked, or its
 * user inactive or suspended.
 */
int desk_app_session_auth(struct desk_app *app, const char *token, struct desk_actor *out);

/* The CSRF token that belongs to session token (allocated in a). */
const char *desk_app_session_csrf(struct desk_arena *a, const char *token);

/* True when csrf is the CSRF token of session token (constant time). */
bool desk_app_session_csrf_ok(const char *token, const char *csrf);

/* Ends the session named by token. No error when it is already gone. */
int desk_app_session_logout(struct desk_app *app, const char *token);

/*
 * Revokes every session of user_id at once (offboarding, suspension,
 * deactivation). Returns 0 or the store's error.
 */
int desk_app_sessions_revoke_user(struct desk_app *app, int64_t user_id);

#endif
