/*
 * Use cases: one function per thing a person does. Every channel (API,
 * console, email, CLI) calls these, so validation, permissions on records,
 * audits and counters apply the same way everywhere. Functions take the
 * acting person, a request arena for the records they return, and a
 * desk_fail for reasons a person must act on.
 */
#ifndef DESK_APP_APP_H
#define DESK_APP_APP_H

#include "core/arena.h"
#include "core/error.h"
#include "model/records.h"
#include "model/search.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct desk_app;
struct desk_resolution_input;
struct desk_concession_op;

/* Who acts, through which channel. */
struct desk_actor {
    int64_t user_id; /* 0 for the system (CLI maintenance) */
    int role;
    int64_t organization_id;
    bool org_shared; /* the user's organization shares tickets */
    int via;
    const char *request_id;
};

/* The system actor used by maintenance commands: admin rights, via cli. */
extern const struct desk_actor desk_actor_system;

/*
 * Opens the store at db_path and prepares the use cases. Returns 0 and
 * *out (owned; desk_app_close), or the store's error.
 */
int desk_app_open(const char *db_path, struct desk_app **out);

/* Closes the store. NULL is a no-op. */
void desk_app_close(struct desk_app *app);

/*
 * One request's reads on the calling thread share one consistent snapshot
 * between these two calls (desk_store_snapshot_begin); a write the thread
 * makes meanwhile ends it, so later reads see the write.
 */
void desk_app_snapshot_begin(struct desk_app *app);
void desk_app_snapshot_end(struct desk_app *app);

/* The store, borrowed, for readers that need no rule (metrics). */
struct desk_store *desk_app_store(struct desk_app *app);

/* This thread's read connection; DESK_EIO when it cannot open. */
int desk_app_reader(struct desk_app *app, struct desk_conn **out);

/* ---- authentication -------------------------------------------------- */

/*
 * API token (or bearer token) → actor. With email (Basic "email/token:T"),
 * the token must belong to that user. DESK_EAUTH when unknown, revoked,
 * someone else's, or the user inactive.
 */
int desk_app_auth_token(struct desk_app *app, const char *email, const char *token,
                        struct desk_actor *out);

/* Email and password → actor. DESK_EAUTH on any mismatch (no hint which). */
int desk_app_auth_password(struct desk_app *app, const char *email, const char *password,
                           struct desk_actor *out);

/*
 * Issues a new API token for the user with this email: writes its hash,
 * and returns the token text (allocated in a, shown once). DESK_ENOTFOUND
 * for an unknown email.
 */
int desk_app_token_create(struct desk_app *app, struct desk_arena *a, const char *email,
                          const char *description, const char **token);

/* ---- users ------------------------------------------------------------ */

/* A create or update request; has_* says which fields were given. */
struct desk_user_input {
    const char *name;
    bool has_name;
    const char *email;
    bool has_email;
    int role;
    bool has_role;
    const char *locale;
    bool has_locale;
    const char *time_zone;
    bool has_time_zone;
    int64_t organization_id;
    bool has_organization_id;
    const char *phone;
    bool has_phone;
    const char *external_id;
    bool has_external_id;
    const char *alias;
    bool has_alias;
    const char *details;
    bool has_details;
    const char *notes;
    bool has_notes;
    const char *signature;
    bool has_signature;
    struct desk_strv tags;
    bool has_tags;
    bool verified;
    bool has_verified;
    bool suspended;
    bool has_suspended;
    int64_t default_group_id;
    bool has_default_group_id;
    const char *password; /* set a password (CLI, admin) */
};

/* Creates a user. Agents create end users only, supervisors up to supervisors. */
int desk_app_user_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_user_input *in, struct desk_user *out,
                         struct desk_fail *fail);

/* Updates user id with the given fields; same role limits as create. */
int desk_app_user_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, const struct desk_user_input *in, struct desk_user *out,
                         struct desk_fail *fail);

/*
 * Creates the user with in->email, or updates the existing one. Sets
 * *created. Same rules as create/update.
 */
int desk_app_user_upsert(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const struct desk_user_input *in, struct desk_user *out, bool *created,
                         struct desk_fail *fail);

/* Reads a user the actor may see (end users: only themselves). */
int desk_app_user_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t id, struct desk_user *out);

/* Deactivates user id (kept for history), revoking tokens. Admins only. */
int desk_app_user_delete(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t id, struct desk_user *out, struct desk_fail *fail);

/* ---- organizations, groups, memberships -------------------------------- */

struct desk_org_input {
    const char *name;
    bool has_name;
    const char *external_id;
    bool has_external_id;
    const char *details;
    bool has_details;
    const char *notes;
    bool has_notes;
    int64_t group_id;
    bool has_group_id;
    bool shared_tickets;
    bool has_shared_tickets;
    bool shared_comments;
    bool has_shared_comments;
    struct desk_strv domain_names;
    bool has_domain_names;
    struct desk_strv tags;
    bool has_tags;
};

int desk_app_org_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const struct desk_org_input *in, struct desk_org *out,
                        struct desk_fail *fail);
int desk_app_org_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, const struct desk_org_input *in, struct desk_org *out,
                        struct desk_fail *fail);
int desk_app_org_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

struct desk_group_input {
    const char *name;
    bool has_name;
    const char *description;
    bool has_description;
    bool is_public;
    bool has_is_public;
};

int desk_app_group_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_group_input *in, struct desk_group *out,
                          struct desk_fail *fail);
int desk_app_group_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, const struct desk_group_input *in, struct desk_group *out,
                          struct desk_fail *fail);
/* Marks the group deleted; its tickets keep their history. */
int desk_app_group_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* Adds user to group; the user must be staff (422 otherwise). */
int desk_app_membership_create(struct desk_app *app, const struct desk_actor *who, int64_t user_id,
                               int64_t group_id, bool is_default, struct desk_membership *out,
                               struct desk_fail *fail);
int desk_app_membership_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);
int desk_app_membership_make_default(struct desk_app *app, const struct desk_actor *who,
                                     int64_t user_id, int64_t id);

/* ---- tickets ---------------------------------------------------------- */

struct desk_ticket_input {
    const char *subject;
    bool has_subject;
    const char *comment_body; /* NULL: no comment */
    bool comment_public;
    int64_t comment_author_id; /* 0: the actor */
    int status;
    bool has_status;
    int priority;
    bool has_priority;
    int type;
    bool has_type;
    int64_t requester_id;
    bool has_requester_id;
    const char *requester_email; /* find or create the requester by email */
    const char *requester_name;
    const char *requester_locale;
    int64_t assignee_id;
    bool has_assignee_id;
    const char *assignee_email;
    int64_t group_id;
    bool has_group_id;
    int64_t organization_id;
    bool has_organization_id;
    int64_t problem_id;
    bool has_problem_id;
    const char *external_id;
    bool has_external_id;
    const char *language;
    bool has_language;
    int64_t due_at;
    bool has_due_at;
    struct desk_strv tags;
    bool has_tags;
    struct desk_strv additional_tags;
    struct desk_strv remove_tags;
    int64_t *collaborator_ids;
    size_t n_collaborator_ids;
    bool has_collaborator_ids;
    const char *recipient;
    bool safe_update;
    int64_t updated_stamp; /* ms; compared at second resolution */
    /* What the channel that made this write knows beyond the fields (email: the received
     * message), for that channel's hook; NULL from every other caller. */
    const void *channel_ctx;
    /* The member of staff a complaint is about (set by staff only; app/escalations.h). */
    int64_t complaint_agent_id;
    bool has_complaint_agent_id;
    /* Held replies and resolutions (app/concessions.h, docs/concessions.md). */
    int64_t hold_for_concession_id;                 /* comment.hold_for_concession_id; 0: none */
    const struct desk_resolution_input *resolution; /* ticket.resolution; NULL: unchanged */
    struct desk_concession_op *concession_op;       /* set by the concession use cases only */
    /* comment.uploads: upload tokens whose files the comment carries (app/uploads.h). */
    struct desk_strv comment_uploads;
};

/*
 * Opens a ticket with its first comment (required). The requester defaults
 * to the actor; end users always request for themselves. Writes the
 * ticket, the comment, the audit with one Create event per field and the
 * full-text row in one transaction. Returns the stored ticket and audit.
 */
int desk_app_ticket_create(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           const struct desk_ticket_input *in, struct desk_ticket *out,
                           struct desk_audit *audit, struct desk_fail *fail);

/*
 * Applies a change to ticket id under the ticket rules (model/ticket.h), in
 * one transaction with its audit. DESK_ECONFLICT when safe_update's stamp
 * is stale (out then holds the current ticket). End users may only add
 * public comments (and mark solved) on tickets they can see.
 */
int desk_app_ticket_update(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const struct desk_ticket_input *in, struct desk_ticket *out,
                           struct desk_audit *audit, struct desk_fail *fail);

/* Reads a ticket the actor may see: DESK_ENOTFOUND otherwise (no existence leak). */
int desk_app_ticket_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, struct desk_ticket *out);

/* Soft-deletes a ticket (it leaves lists, stays in exports as deleted), audited. */
int desk_app_ticket_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* Adds the actor's visibility limits to a ticket filter (end users: own and shared org). */
void desk_app_ticket_scope(const struct desk_actor *who, struct desk_ticket_filter *f);

/* Comments of a ticket the actor may see; end users never get internal notes. */
int desk_app_comment_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, const struct desk_page *p, struct desk_comment **items,
                          struct desk_page_out *out);

/* ---- job statuses ------------------------------------------------------ */

/*
 * Records the outcome of a bulk request as a completed job status readable
 * for a day: results is the JSON array text of per-item outcomes. Returns
 * the new job id (allocated in a).
 */
int desk_app_job_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      const char *job_type, int64_t total, const char *results,
                      struct desk_job *out);

/* Reads a job status the actor started (staff may read any). */
int desk_app_job_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                     const char *id, struct desk_job *out);

/* ---- search ------------------------------------------------------------ */

/* Parses and runs a query within the actor's scope. */
int desk_app_search(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                    const char *query, size_t query_len, int64_t offset, int limit,
                    const char *sort_by, const char *sort_order, struct desk_search_hit **hits,
                    size_t *n, int64_t *total, struct desk_fail *fail);

#endif
