/*
 * Persistence for the team: staff profiles with their languages, capacity,
 * training and skills; availability history; lifecycle events;
 * invitations; routing attributes (skills) and their assignment to agents
 * and tickets; routing settings, state and decisions; trainees' drafts.
 * Backend-neutral like store.h; records' strings live in the caller's
 * arena. "Writer only" functions run inside desk_store_write.
 */
#ifndef DESK_STORE_STORE_TEAM_H
#define DESK_STORE_STORE_TEAM_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- staff profiles --------------------------------------------------- */

struct desk_staff_lang {
    const char *tag;     /* canonical BCP 47 */
    const char *primary; /* language subtag */
    int proficiency;     /* enum desk_proficiency */
};

struct desk_staff_capacity {
    const char *channel; /* via name or "default" */
    int capacity;        /* > 0 */
};

struct desk_staff_training {
    int64_t id;
    const char *course;
    int64_t completed_at; /* 0: not yet */
    int64_t created_at;
};

struct desk_staff_profile {
    int64_t user_id;
    int state; /* enum desk_staff_state */
    const char *hire_date;
    const char *schedule_zone;
    const char *schedule; /* text form (model/staff.h); NULL: always on shift */
    int64_t mentor_id;
    bool trainee;
    const char *supervisor_notes;
    bool routing_paused;
    int availability; /* enum desk_avail */
    int64_t availability_at;
    int64_t last_assigned_at;
    int64_t created_at;
    int64_t updated_at;
    bool auto_offline; /* set offline by the router outside the schedule */
    struct desk_staff_lang *langs;
    size_t n_langs;
    struct desk_staff_capacity *caps;
    size_t n_caps;
    struct desk_staff_training *training;
    size_t n_training;
    int64_t *skills; /* live attribute value ids, ascending */
    size_t n_skills;
};

/* Reads user_id's profile with its lists. DESK_ENOTFOUND when the user has none. */
int desk_store_staff_get(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                         struct desk_staff_profile *out);

/* Writer only. Inserts or replaces the profile row (not the lists) of p->user_id. */
int desk_store_staff_put(struct desk_conn *c, const struct desk_staff_profile *p);

/* Writer only. Replace the profile's languages / capacities / training records / skills. */
int desk_store_staff_langs_set(struct desk_conn *c, int64_t user_id,
                               const struct desk_staff_lang *v, size_t n);
int desk_store_staff_caps_set(struct desk_conn *c, int64_t user_id,
                              const struct desk_staff_capacity *v, size_t n);
int desk_store_staff_training_set(struct desk_conn *c, int64_t user_id,
                                  const struct desk_staff_training *v, size_t n, int64_t now);
int desk_store_agent_values_set(struct desk_conn *c, int64_t user_id, const int64_t *ids, size_t n);

/* Writer only. Records that user_id was just assigned a ticket (fair round robin). */
int desk_store_staff_assigned(struct desk_conn *c, int64_t user_id, int64_t at);

/* Lists profiles (rows only, no lists) in user id order; state < 0 means any. */
int desk_store_staff_list(struct desk_conn *c, struct desk_arena *a, int state,
                          const struct desk_page *p, struct desk_staff_profile **items,
                          struct desk_page_out *out);

/* New and open tickets assigned to user_id. */
int desk_store_staff_load(struct desk_conn *c, int64_t user_id, int64_t *out);

/* Active trainees whose mentor is mentor_id (for drafts). Sets *out true when user is one. */
int desk_store_staff_is_mentor_of(struct desk_conn *c, int64_t mentor_id, int64_t trainee_id,
                                  bool *out);

/* ---- availability history and lifecycle events ---------------------- */

struct desk_staff_avail_change {
    int64_t id;
    int64_t user_id;
    int status;
    int previous; /* -1: none */
    int64_t actor_id;
    const char *reason;
    int64_t created_at;
};

/*
 * The changes after id after (oldest first), at most max, into out[0..*n);
 * reason is not read. Returns 0 or a DESK_E* code.
 */
int desk_store_staff_avail_since(struct desk_conn *c, int64_t after,
                                 struct desk_staff_avail_change *out, size_t max, size_t *n);

/* The id of the newest change (0 when none) into *out. */
int desk_store_staff_avail_last(struct desk_conn *c, int64_t *out);

/* Writer only. Appends one change (sets ch->id). */
int desk_store_staff_avail_log(struct desk_conn *c, struct desk_staff_avail_change *ch);
int desk_store_staff_avail_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                                const struct desk_page *p, struct desk_staff_avail_change **items,
                                struct desk_page_out *out);

struct desk_staff_event {
    int64_t id;
    int64_t user_id;
    int64_t actor_id;
    const char *type;
    const char *detail;
    int64_t created_at;
};

int desk_store_staff_event_add(struct desk_conn *c, struct desk_staff_event *e);
int desk_store_staff_event_list(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                                const struct desk_page *p, struct desk_staff_event **items,
                                struct desk_page_out *out);

/* ---- invitations ------------------------------------------------------ */

struct desk_staff_invitation {
    int64_t id;
    int64_t user_id;
    int64_t invited_by;
    int64_t created_at;
    int64_t expires_at;
    int64_t accepted_at;
    int64_t revoked_at;
};

/* Writer only. Stores an invitation by its token hash (sets inv->id). */
int desk_store_invitation_insert(struct desk_conn *c, struct desk_staff_invitation *inv,
                                 const unsigned char hash[32]);
/* Finds the invitation with this token hash. DESK_ENOTFOUND when none. */
int desk_store_invitation_by_hash(struct desk_conn *c, const unsigned char hash[32],
                                  struct desk_staff_invitation *out);
/* Writer only. Marks it accepted; DESK_ECONFLICT when it was already used or revoked. */
int desk_store_invitation_accept(struct desk_conn *c, int64_t id, int64_t at);
/*
 * Writer only. Revokes every open invitation of user_id; their invitation
 * mail still queued in the outbox fails ("the invitation was revoked") and
 * loses its link.
 */
int desk_store_invitation_revoke_user(struct desk_conn *c, int64_t user_id, int64_t at);
/* Lists invitations not yet accepted nor revoked, newest first (at most 100). */
int desk_store_invitation_open_list(struct desk_conn *c, struct desk_arena *a,
                                    struct desk_staff_invitation **items, size_t *n);

/* ---- skills: routing attributes and values --------------------------- */

struct desk_attr {
    int64_t id;
    int64_t attribute_id; /* values only */
    const char *name;
    int64_t created_at;
    int64_t updated_at;
    int64_t deleted_at;
};

/* Attributes (attribute_id = 0) or the values of one attribute, live ones, in id order. */
int desk_store_attr_list(struct desk_conn *c, struct desk_arena *a, int64_t attribute_id,
                         struct desk_attr **items, size_t *n);
/* One attribute (value = false) or value (value = true), deleted ones included. */
int desk_store_attr_get(struct desk_conn *c, struct desk_arena *a, bool value, int64_t id,
                        struct desk_attr *out);
/* Writer only. Inserts (id 0: sets it) or updates name/updated_at/deleted_at. */
int desk_store_attr_put(struct desk_conn *c, bool value, struct desk_attr *x);
/* Writer only. Soft-deletes every value of attribute_id at `at`. */
int desk_store_attr_delete_values(struct desk_conn *c, int64_t attribute_id, int64_t at);

/* The live values (skills) assigned to an agent or a ticket, in id order. */
int desk_store_agent_values(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                            struct desk_attr **items, size_t *n);
int desk_store_ticket_values(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                             struct desk_attr **items, size_t *n);
/* Writer only. Replaces a ticket's required skills. */
int desk_store_ticket_values_set(struct desk_conn *c, int64_t ticket_id, const int64_t *ids,
                                 size_t n);

/* ---- routing ---------------------------------------------------------- */

struct desk_route_group {
    int64_t group_id;
    bool paused;
    int fallback_seconds; /* -1: never */
    int64_t updated_at;
};

/* The group's settings (defaults when never set: not paused, no fallback). */
int desk_store_route_group_get(struct desk_conn *c, int64_t group_id, struct desk_route_group *out);
int desk_store_route_group_put(struct desk_conn *c, const struct desk_route_group *g);

/* An agent who may be routed to, as stored: the caller adds load, capacity and skills. */
struct desk_route_row {
    int64_t user_id;
    const char *name;
    const char *time_zone;     /* the user's */
    const char *schedule_zone; /* the profile's, or NULL */
    const char *schedule;
    int availability;
    bool paused;
    int64_t last_assigned_at;
};

struct desk_route_pair {
    int64_t user_id;
    int64_t value; /* a skill id, a via, or a count, by list */
    const char *text;
    int64_t n;
};

/*
 * The routing pool of group_id (0: every group): active, unsuspended staff
 * with a profile in the active state who are members of the group, in id
 * order; their routable languages (text = primary subtag, proficiency at
 * least min_prof); their live skills (value); and their capacities (text =
 * channel, n = capacity). Lists are ordered by user id. Loads and last
 * assignments change with every ticket: desk_store_route_loads reads them.
 */
struct desk_route_pool {
    struct desk_route_row *agents;
    size_t n_agents;
    struct desk_route_pair *langs, *skills, *caps;
    size_t n_langs, n_skills, n_caps;
};
int desk_store_route_pool(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int min_prof,
                          struct desk_route_pool *out);

/*
 * The pool's generation: a value that changes whenever anything
 * desk_store_route_pool reads may have changed (maintained by triggers), so
 * a pool read at one generation stays right while it is unchanged.
 */
int desk_store_route_generation(struct desk_conn *c, int64_t *out);

/* Per decision: a pool member's last assignment and new/open tickets of one channel. */
struct desk_route_load {
    int64_t user_id;
    int64_t last_assigned_at;
    int via;   /* -1: no active tickets (n is 0) */
    int64_t n; /* tickets */
};

/* The loads of group_id's pool members (0: all staff with a profile), ordered by user id. */
int desk_store_route_loads(struct desk_conn *c, struct desk_arena *a, int64_t group_id,
                           struct desk_route_load **items, size_t *n);

struct desk_route_state {
    int64_t ticket_id;
    const char *state;
    int64_t unmatched_since;
    int64_t decision_id;
    int64_t updated_at;
};

/* The ticket's routing state; DESK_ENOTFOUND when it was never routed. */
int desk_store_route_state_get(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                               struct desk_route_state *out);
int desk_store_route_state_put(struct desk_conn *c, const struct desk_route_state *s);

struct desk_route_decision {
    int64_t id;
    int64_t ticket_id;
    const char *trigger;
    const char *outcome;
    int64_t agent_id;
    const char *reason;
    int64_t created_at;
};

/* Writer only. Appends a decision (sets d->id). */
int desk_store_route_decision_add(struct desk_conn *c, struct desk_route_decision *d);
/* A ticket's decisions, oldest first. */
int desk_store_route_decision_list(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                                   const struct desk_page *p, struct desk_route_decision **items,
                                   struct desk_page_out *out);
int desk_store_route_decision_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                                  struct desk_route_decision *out);

/*
 * Tickets waiting in group_id's queue (0: tickets without a group):
 * unassigned, new or open, not deleted; most urgent first: priority, then
 * the earliest due time (its running SLA targets' and its own due date),
 * then the oldest. At most limit ids.
 */
int desk_store_route_waiting(struct desk_conn *c, struct desk_arena *a, int64_t group_id, int limit,
                             int64_t **ids, size_t *n);
/* Groups that have waiting tickets (0 stands for tickets without a group), at most 1000. */
int desk_store_route_waiting_groups(struct desk_conn *c, struct desk_arena *a, int64_t **ids,
                                    size_t *n);
/* The groups user_id is a member of. */
int desk_store_user_group_ids(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                              int64_t **ids, size_t *n);

/* ---- offboarding ------------------------------------------------------ */

/* Ids of unsolved, undeleted tickets assigned to user_id. */
int desk_store_open_assigned(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                             int64_t **ids, size_t *n);
/* Active, unsuspended admins other than except_id. */
int desk_store_admin_count(struct desk_conn *c, int64_t except_id, int64_t *out);
/* The account's default group (groups.is_default), or 0. */
int desk_store_default_group(struct desk_conn *c, int64_t *out);
/* People with auto_offline set who are not offline (at most 1000), by id. */
int desk_store_staff_auto_offline_due(struct desk_conn *c, struct desk_arena *a, int64_t **ids,
                                      size_t *n);
/*
 * Who holds an offboarded person's promise on a ticket when nobody is
 * named: the lowest-id active, unsuspended supervisor in group_id (0: none),
 * else the lowest-id active, unsuspended admin; never except_id. *out is 0
 * when there is nobody.
 */
int desk_store_commitment_heir(struct desk_conn *c, int64_t group_id, int64_t except_id,
                               int64_t *out);
/*
 * Writer only. Ends every way user_id could still sign in or be routed to:
 * API tokens revoked, password cleared, rows of any table named like
 * "%session%" with a user_id column deleted, group memberships removed.
 */
int desk_store_staff_lock_out(struct desk_conn *c, int64_t user_id);

/* ---- drafts ------------------------------------------------------------ */

struct desk_draft {
    int64_t id;
    int64_t ticket_id;
    int64_t author_id;
    const char *body;
    int status; /* -1: none asked for */
    const char *state;
    const char *sent_body;
    int64_t reviewer_id;
    const char *review_comment;
    int64_t comment_id;
    int64_t created_at;
    int64_t reviewed_at;
};

/* Which drafts a viewer may list. */
enum desk_draft_scope {
    DESK_DRAFTS_ALL,        /* admins */
    DESK_DRAFTS_SUPERVISOR, /* own, their trainees', and those on tickets of their groups */
    DESK_DRAFTS_MENTOR      /* own and their trainees' */
};

struct desk_draft_filter {
    const char *state; /* NULL: any */
    int64_t ticket_id; /* 0: any */
    int scope;         /* enum desk_draft_scope */
    int64_t viewer_id;
};

int desk_store_draft_insert(struct desk_conn *c, struct desk_draft *d);
int desk_store_draft_get(struct desk_conn *c, struct desk_arena *a, int64_t id,
                         struct desk_draft *out);
/* Writer only. Sets the review fields of d->id; DESK_ECONFLICT unless it was still pending. */
int desk_store_draft_review(struct desk_conn *c, const struct desk_draft *d);
int desk_store_draft_list(struct desk_conn *c, struct desk_arena *a,
                          const struct desk_draft_filter *f, const struct desk_page *p,
                          struct desk_draft **items, struct desk_page_out *out);
/* Number of pending drafts on a ticket. */
int desk_store_draft_pending_count(struct desk_conn *c, int64_t ticket_id, int64_t *out);

#endif
