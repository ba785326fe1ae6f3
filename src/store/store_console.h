/*
 * Persistence for the web console: browser sessions (token hashes only),
 * macros with their language variants, saved views, and the live wall's
 * maintained queue counters. Backend-neutral declarations; the SQLite
 * implementation is store_console.c. Functions marked "writer only" run
 * inside desk_store_write.
 */
#ifndef DESK_STORE_STORE_CONSOLE_H
#define DESK_STORE_STORE_CONSOLE_H

#include "model/macro.h"
#include "store/store.h"
#include "store/store_mail.h"
#include "store/store_outbox.h"

/* ---- sessions ---------------------------------------------------------- */

struct desk_session {
    int64_t id;
    int64_t user_id;
    int64_t created_at;
    int64_t expires_at;
};

/* Writer only. Stores a session for user_id under the token's hash; sets s->id. */
int desk_store_session_insert(struct desk_conn *c, struct desk_session *s,
                              const unsigned char hash[32], const char *user_agent,
                              const char *peer);

/*
 * The unexpired session with this token hash whose user is active and not
 * suspended. DESK_ENOTFOUND otherwise.
 */
int desk_store_session_get(struct desk_conn *c, const unsigned char hash[32], int64_t now,
                           struct desk_session *out);

/* Writer only. Deletes the session with this token hash (no error when none). */
int desk_store_session_delete(struct desk_conn *c, const unsigned char hash[32]);

/* Writer only. Deletes every session of user_id. */
int desk_store_session_revoke_user(struct desk_conn *c, int64_t user_id);

/* Writer only. Deletes sessions that expired before now. */
int desk_store_session_purge(struct desk_conn *c, int64_t now);

/* Writer only. Records a sign-in time on the user. */
int desk_store_user_touch_login(struct desk_conn *c, int64_t user_id, int64_t now);

/* ---- macros ------------------------------------------------------------ */

/* Reads macro id with its variants (arena). DESK_ENOTFOUND when none. */
int desk_store_macro_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_macro *out);

/* Writer only. Inserts m and its variants; sets m->id. */
int desk_store_macro_insert(struct desk_conn *c, struct desk_macro *m);

/* Writer only. Replaces every field and the variants of macro m->id. */
int desk_store_macro_update(struct desk_conn *c, const struct desk_macro *m);

/* Writer only. Deletes macro id and its variants; DESK_ENOTFOUND when none. */
int desk_store_macro_delete(struct desk_conn *c, int64_t id);

/* Lists macros by position then id (only active ones when active_only), with variants. */
int desk_store_macro_list(struct desk_conn *c, struct desk_arena *a, bool active_only,
                          const struct desk_page *p, struct desk_macro **items,
                          struct desk_page_out *out);

/* ---- views ------------------------------------------------------------- */

struct desk_view {
    int64_t id;
    const char *title;
    const char *query; /* the search query language */
    int64_t owner_id;  /* 0: shared with all staff */
    bool active;
    int64_t position;
    int64_t created_at;
    int64_t updated_at;
};

int desk_store_view_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                        struct desk_view *out);
/* Writer only. Sets v->id. */
int desk_store_view_insert(struct desk_conn *c, struct desk_view *v);
/* Writer only. */
int desk_store_view_update(struct desk_conn *c, const struct desk_view *v);
/* Writer only. DESK_ENOTFOUND when none. */
int desk_store_view_delete(struct desk_conn *c, int64_t id);
/* Views visible to user_id (shared ones and theirs), by position then id. */
int desk_store_view_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                         bool active_only, const struct desk_page *p, struct desk_view **items,
                         struct desk_page_out *out);

/* ---- live counters ----------------------------------------------------- */

/* One queue: a dimension ("group", "language", "channel") and its key. */
struct desk_live_count {
    const char *dim;
    const char *key;   /* group id, BCP 47 tag, or channel number, as text; "" / "0" for none */
    int64_t waiting;   /* new or open, unassigned */
    int64_t open;      /* all unsolved */
    int64_t oldest_at; /* creation of the oldest waiting ticket, 0 when none waits */
};

/* Every queue with unsolved tickets, from the maintained counters (arena). */
int desk_store_live_counts(struct desk_conn *c, struct desk_arena *a,
                           struct desk_live_count **items, size_t *n);

/* One queue's counters and oldest waiting ticket (zeros when it has none). */
int desk_store_live_count(struct desk_conn *c, struct desk_arena *a, const char *dim,
                          const char *key, struct desk_live_count *out);

/* One agent's unsolved load, by status, from the maintained queue counters. */
struct desk_live_load {
    int64_t assignee_id;
    int64_t open;    /* new + open */
    int64_t pending; /* pending + on-hold */
};

/* One assignee's load (zeros when none). */
int desk_store_live_load(struct desk_conn *c, int64_t assignee_id, struct desk_live_load *out);

/* Every assignee with unsolved tickets (arena). */
int desk_store_live_loads(struct desk_conn *c, struct desk_arena *a, struct desk_live_load **items,
                          size_t *n);

/* The wall's "needs attention" counters (migration 0009_console_4.sql's triggers keep them). */
struct desk_live_attention {
    int64_t sla_at_risk;  /* running SLA targets past their at-risk share, not breached */
    int64_t sla_breached; /* running SLA targets past their deadline */
    int64_t escalations;  /* escalations waiting to be accepted */
    int64_t approvals;    /* concessions waiting for approval */
    int64_t drafts;       /* trainee drafts waiting for review */
    int64_t irate;        /* unsolved tickets whose customer's latest message was irate */
};

/* Reads the six counters (zeros for any missing). */
int desk_store_live_attention(struct desk_conn *c, struct desk_live_attention *out);

/* ---- uploads ------------------------------------------------------------ */

/*
 * Writer only. Drops uploads that expired before at->created_at (their
 * pending attachment rows too), then stores at as a pending attachment
 * (ticket and comment 0; sets at->id) under token for user_id until
 * expires_at.
 */
int desk_store_upload_insert(struct desk_conn *c, struct desk_attachment *at, const char *token,
                             int64_t user_id, int64_t expires_at);

/* The owner of an unexpired upload token in *user_id. DESK_ENOTFOUND when none. */
int desk_store_upload_owner(struct desk_conn *c, const char *token, int64_t now, int64_t *user_id);

/* The pending attachments of token, oldest first (arena). */
int desk_store_upload_list(struct desk_conn *c, struct desk_arena *a, const char *token,
                           struct desk_attachment **items, size_t *n);

/* Writer only. Gives token's attachments to the comment and forgets the token. */
int desk_store_upload_attach(struct desk_conn *c, const char *token, int64_t ticket_id,
                             int64_t comment_id);

/* Writer only. Deletes token's pending attachments and the token (no error when none). */
int desk_store_upload_discard(struct desk_conn *c, const char *token);

/* ---- one-time sign-in links ------------------------------------------------ */

/*
 * Writer only. Stores a sign-in link for user_id under the token's hash,
 * valid until expires_at, and queues its message in the outbox already
 * rendered (msg: kind "signin", to_addr, to_name, language, subject,
 * message_id, raw; sets msg->id). Drops links that expired before now.
 */
int desk_store_signin_link_insert(struct desk_conn *c, int64_t user_id,
                                  const unsigned char hash[32], int64_t now, int64_t expires_at,
                                  struct desk_outbox_msg *msg);

/*
 * Writer only. Marks the unused, unexpired link with this hash used and
 * sets *user_id (its user must be active and not suspended).
 * DESK_ENOTFOUND otherwise (used, expired, unknown).
 */
int desk_store_signin_link_use(struct desk_conn *c, const unsigned char hash[32], int64_t now,
                               int64_t *user_id);

#endif
