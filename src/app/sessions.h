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
#include "store/store_outbox.h"

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

/* ---- one-time sign-in links (customer portal) ---------------------------- */

#define DESK_SIGNIN_LINK_TTL_MS       (15LL * 60 * 1000)
#define DESK_SIGNIN_LINKS_PER_ACCOUNT 3  /* requests per address in DESK_LOGIN_WINDOW_MS */
#define DESK_SIGNIN_LINKS_PER_PEER    20 /* requests per client address in the window */

struct desk_signin_link {
    int64_t user_id;     /* 0: no customer with that address (nothing is sent) */
    const char *to_addr; /* the customer's address */
    const char *to_name;
    const char *language; /* the customer's locale, or NULL */
    const char *token;    /* the link's secret, base64url (arena) */
};

/*
 * Starts a sign-in link for the active, unsuspended end user with this
 * email: a new token in out (arena). A request for any other address
 * succeeds the same way with out->user_id 0, so the answer tells nobody
 * which addresses have accounts. Every request counts against per-address
 * and per-client limits: DESK_ERATE with *retry_ms past them.
 */
int desk_app_signin_link_request(struct desk_app *app, struct desk_arena *a, const char *email,
                                 const char *peer, struct desk_signin_link *out, int64_t *retry_ms);

/*
 * Stores the link (its token's hash, expiring after DESK_SIGNIN_LINK_TTL_MS)
 * with the rendered message msg (kind, to, language, subject, message_id,
 * raw) in the outbox, in one write, and wakes the mail thread. Sets msg->id.
 */
int desk_app_signin_link_queue(struct desk_app *app, const struct desk_signin_link *l,
                               struct desk_outbox_msg *msg);

/*
 * Signs in with a link's token: once, before it expires, while its user is
 * active. Fills out like desk_app_session_login. DESK_EAUTH for a used,
 * expired or unknown link (each counts against the client's sign-in
 * limit); DESK_ERATE with *retry_ms when that limit is reached.
 */
int desk_app_session_login_link(struct desk_app *app, struct desk_arena *a, const char *token,
                                const char *peer, const char *user_agent,
                                struct desk_session_new *out, int64_t *retry_ms);

#endif
