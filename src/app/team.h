/*
 * The team's use cases: staff profiles and availability, the staff
 * lifecycle (invitation, suspension, graduation, offboarding), skills in
 * Zendesk's routing-attribute shape, fair routing by language and skill
 * (a ticket hook plus the queue drain when an agent frees capacity), and
 * trainees' held replies. Same conventions as app.h: the acting person, a
 * request arena, and a desk_fail naming the field for 422s.
 */
#ifndef DESK_APP_TEAM_H
#define DESK_APP_TEAM_H

#include "app/app.h"
#include "app/hooks.h"
#include "model/staff.h"
#include "store/store_team.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- staff profiles ---------------------------------------------------- */

/* A profile change; has_* says which parts were given. Lists replace the stored ones. */
struct desk_staff_input {
    const char *hire_date; /* YYYY-MM-DD or NULL */
    bool has_hire_date;
    const char *schedule_zone; /* IANA or NULL */
    bool has_schedule_zone;
    struct desk_shift *shifts; /* NULL with has_schedule: always on shift */
    size_t n_shifts;
    bool has_schedule;
    int64_t mentor_id;
    bool has_mentor_id;
    bool trainee;
    bool has_trainee;
    const char *supervisor_notes;
    bool has_supervisor_notes;
    bool routing_paused;
    bool has_routing_paused;
    bool auto_offline; /* offline outside the schedule, automatically */
    bool has_auto_offline;
    struct desk_staff_lang *langs; /* tags as given; canonicalized on the way in */
    size_t n_langs;
    bool has_langs;
    struct desk_staff_capacity *caps;
    size_t n_caps;
    bool has_caps;
    struct desk_staff_training *training;
    size_t n_training;
    bool has_training;
    int64_t *skills; /* attribute value ids */
    size_t n_skills;
    bool has_skills;
};

/* What a viewer gets: the user, the profile (defaults when none is stored), and derived facts. */
struct desk_staff_view {
    struct desk_user user;
    struct desk_staff_profile profile;
    bool show_notes; /* the viewer is a supervisor or admin */
    bool on_shift;   /* now, by the schedule */
    int64_t load;    /* new and open tickets assigned */
};

/*
 * Reads the staff profile of user_id for a staff viewer (supervisor-only
 * notes only for supervisors and admins). DESK_ENOTFOUND when user_id is
 * not staff; DESK_EFORBIDDEN for end users.
 */
int desk_app_staff_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t user_id, struct desk_staff_view *out);

/*
 * Changes a profile (supervisors and admins, on staff up to their own
 * role). 422 naming the field for an unknown language (not BCP 47), a
 * capacity not above 0 or an unknown channel, a mentor who is not an
 * active agent (or the person themselves), an unknown time zone or
 * malformed schedule, a bad hire date, or a deleted or unknown skill.
 * Ending trainee mode here counts as graduation (audited). Returns the
 * new view.
 */
int desk_app_staff_put(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t user_id, const struct desk_staff_input *in,
                       struct desk_staff_view *out, struct desk_fail *fail);

/* Lists staff profiles (state < 0: any) for staff viewers, in user id order. */
int desk_app_staff_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int state, const struct desk_page *p, struct desk_staff_view **items,
                        struct desk_page_out *out);

/*
 * Sets availability (an agent for themselves, supervisors and admins for
 * staff up to their role), recording the change with its time and
 * reason. Coming online routes the waiting tickets of the agent's groups
 * before returning. 422 for an offboarded or suspended person going online.
 */
int desk_app_staff_availability(struct desk_app *app, const struct desk_actor *who,
                                struct desk_arena *a, int64_t user_id, int status,
                                const char *reason, struct desk_staff_view *out,
                                struct desk_fail *fail);

/* The availability history (oldest first) and lifecycle events of a staff member. */
int desk_app_staff_availability_log(struct desk_app *app, const struct desk_actor *who,
                                    struct desk_arena *a, int64_t user_id,
                                    const struct desk_page *p,
                                    struct desk_staff_avail_change **items,
                                    struct desk_page_out *out);
int desk_app_staff_events(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t user_id, const struct desk_page *p,
                          struct desk_staff_event **items, struct desk_page_out *out);

/* ---- lifecycle ---------------------------------------------------------- */

struct desk_offboard_result {
    struct desk_user user;
    int64_t *tickets; /* the open tickets moved */
    size_t n_tickets;
    int64_t reassigned_to; /* 0: returned to their group queues */
    int64_t *commitments;  /* the open commitments handed over */
    size_t n_commitments;
};

/*
 * Offboards staff member user_id at once: in one transaction the user is
 * deactivated, every API token revoked, the password cleared, sessions
 * ended, group memberships and routing ended, and the change audited. Then
 * each unsolved ticket assigned to them goes, through the ticket update use
 * case (audited, hooks run), to reassign_to (an active agent; the ticket
 * moves to that agent's default group when they are not in its group) or
 * back to its group's queue with the assignee cleared (a ticket without a
 * group takes the person's default group, else the account's default
 * group). History and authorship stay. Run again on an offboarded person,
 * it finishes a reassignment that was interrupted. 422 for the last admin,
 * oneself, a non-staff user, an unusable reassign_to, or a groupless ticket
 * with nowhere to go; 403 above the actor's role.
 */
int desk_app_staff_offboard(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t user_id, int64_t reassign_to,
                            struct desk_offboard_result *out, struct desk_fail *fail);

/*
 * Suspends (temporarily: no sign-in, no routing, availability offline) or
 * reinstates a staff member, audited. Tickets stay assigned. 422 for the
 * last admin, oneself, or an offboarded person.
 */
int desk_app_staff_suspend(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t user_id, bool suspend, const char *reason,
                           struct desk_staff_view *out, struct desk_fail *fail);

/* Ends trainee mode (audited). 422 when the person is not a trainee. */
int desk_app_staff_graduate(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t user_id, struct desk_staff_view *out,
                            struct desk_fail *fail);

/* An invitation: the new agent's account and profile. */
struct desk_invite_input {
    const char *email;
    const char *name;
    int role; /* agent or supervisor */
    int64_t *group_ids;
    size_t n_group_ids;
    struct desk_staff_input staff;
    const char *locale; /* optional BCP 47 tag: the user's locale and the mail's language */
    /* Where the link points when no public URL is configured (desk_app_team_set_public_url):
     * the origin the inviter used, e.g. "https://desk.example.com"; NULL: no mail. */
    const char *origin;
};

struct desk_invite_result {
    struct desk_user user;
    struct desk_staff_invitation invitation;
    const char *token; /* shown once; the accept link carries it */
    const char *link;  /* the page to set the password: <origin>/console/#/invitation/<token> */
    bool mailed;       /* the link was queued in the outbox to the invitee */
    int64_t outbox_id; /* that message, or 0 */
};

/*
 * The public base URL of the server ("https://desk.example.com", no
 * trailing slash) that links in mail point to; NULL or "" unsets it.
 * Returns DESK_EINVAL (nothing changed) unless it is an absolute http(s)
 * URL of printable ASCII without a query or fragment. Set once at start,
 * before requests are served.
 */
int desk_app_team_set_public_url(const char *url);

/* How long an invitation link stays valid. */
#define DESK_INVITE_TTL_MS (7LL * 24 * 3600 * 1000)

/*
 * Invites a new agent (supervisors and admins): creates the user inactive
 * until accepted, with groups, skills, languages, mentor and the rest of
 * the profile, and a one-time token valid DESK_INVITE_TTL_MS (only its
 * hash is stored). In the same transaction the link (on the public URL,
 * else in->origin) is queued in the outbox as an "invitation" mail to the
 * invitee, in the language of in->locale, else of their first language,
 * else English. 422 for a taken email, a bad locale, a role above the
 * actor's, unknown groups, or any profile field desk_app_staff_put would
 * refuse.
 */
int desk_app_staff_invite(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_invite_input *in, struct desk_invite_result *out,
                          struct desk_fail *fail);

/*
 * Accepts an invitation by its token (no sign-in needed): sets the password
 * (at least 10 characters) and activates the user, once. DESK_ENOTFOUND for
 * an unknown, used, revoked or expired token (no hint which); 422 for a weak
 * password.
 */
int desk_app_staff_invite_accept(struct desk_app *app, struct desk_arena *a, const char *token,
                                 const char *password, struct desk_user *out,
                                 struct desk_fail *fail);

/* Open invitations (supervisors and admins), newest first. */
int desk_app_staff_invitations(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, struct desk_staff_invitation **items,
                               size_t *n);

/* ---- skills (Zendesk routing attributes) ------------------------------ */

/* Attributes (attribute_id 0) or the values of an attribute (404 when it does not exist). */
int desk_app_skill_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t attribute_id, struct desk_attr **items, size_t *n);
/* One live attribute (value false) or value of attribute_id (value true); 404 otherwise. */
int desk_app_skill_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool value, int64_t attribute_id, int64_t id, struct desk_attr *out);
/*
 * Creates (id 0) or renames an attribute or a value (supervisors and
 * admins). 422 for a blank or too long name or a duplicate name among
 * the live siblings.
 */
int desk_app_skill_put(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool value, int64_t attribute_id, int64_t id, const char *name,
                       struct desk_attr *out, struct desk_fail *fail);
/* Deletes an attribute (with its values) or a value; kept for history, gone from routing. */
int desk_app_skill_delete(struct desk_app *app, const struct desk_actor *who, bool value,
                          int64_t attribute_id, int64_t id);

/* The live skills of an agent (staff viewers) or a ticket (who may see it). */
int desk_app_skill_agent(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t user_id, struct desk_attr **items, size_t *n);
int desk_app_skill_ticket(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t ticket_id, struct desk_attr **items, size_t *n);
/*
 * Replaces an agent's skills (supervisors and admins) or a ticket's
 * required skills (staff; the ticket is routed again when waiting). 422
 * naming attribute_value_ids for an unknown or deleted skill.
 */
int desk_app_skill_set_agent(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t user_id, const int64_t *ids, size_t n,
                             struct desk_attr **items, size_t *n_out, struct desk_fail *fail);
int desk_app_skill_set_ticket(struct desk_app *app, const struct desk_actor *who,
                              struct desk_arena *a, int64_t ticket_id, const int64_t *ids, size_t n,
                              struct desk_attr **items, size_t *n_out, struct desk_fail *fail);

/* ---- routing ------------------------------------------------------------ */

/*
 * The ticket hook (an entry of hooks.c's table): prepare holds trainees'
 * public replies as drafts and routes tickets that are created, reopened,
 * unassigned, moved to another group or offered by a queue drain; written
 * records the decision; committed wakes the router when capacity frees.
 */
int desk_team_prepare(struct desk_conn *c, struct desk_ticket_change *ch);
int desk_team_written(struct desk_conn *c, struct desk_ticket_change *ch);
void desk_team_committed(const struct desk_ticket_change *ch);
#define DESK_TEAM_HOOK                                                                             \
    {                                                                                              \
        "routing", desk_team_prepare, desk_team_written, desk_team_committed                       \
    }

/* A group's routing settings (staff read, supervisors and admins write; 404 for no group). */
int desk_app_routing_group_get(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                               struct desk_route_group *out);
/* fallback_seconds: -1 never, else seconds; has_* says which were given. 422 below -1. */
int desk_app_routing_group_put(struct desk_app *app, const struct desk_actor *who, int64_t group_id,
                               bool paused, bool has_paused, int fallback_seconds,
                               bool has_fallback, struct desk_route_group *out,
                               struct desk_fail *fail);

/* A ticket's routing state and decisions (staff). state->state is NULL when never routed. */
int desk_app_routing_ticket(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, const struct desk_page *p,
                            struct desk_route_state *state, struct desk_route_decision **items,
                            struct desk_page_out *out);

/*
 * Offers the waiting tickets of group_id (0: tickets without a group), most
 * urgent first, to routing, each in its own write through the ticket
 * update use case; stops early once a decision finds no agent with free
 * capacity. Returns the number assigned (>= 0) or a DESK_E* code.
 */
int desk_app_routing_drain(struct desk_app *app, int64_t group_id);

/*
 * Starts and stops the background router: it drains the queues whose
 * agents freed capacity (signalled by the hook), and every interval_ms
 * all queues with waiting tickets (shifts starting, language fallbacks
 * coming due). Start returns 0 or DESK_EINTERNAL; stop is a no-op when
 * not started and returns once the thread is gone.
 */
int desk_app_router_start(struct desk_app *app, int64_t interval_ms);
void desk_app_router_stop(void);

/* ---- drafts ------------------------------------------------------------- */

/* Lists drafts the viewer may review or wrote (admins all; state NULL: any). */
int desk_app_draft_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *state, int64_t ticket_id, const struct desk_page *p,
                        struct desk_draft **items, struct desk_page_out *out);
/* One draft the viewer may see (its author, their mentor, supervisors of the group, admins). */
int desk_app_draft_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, struct desk_draft *out);
/*
 * Approves a pending draft (the author's mentor, a supervisor of the
 * ticket's group, or an admin), optionally with an edited body: the reply
 * goes out through the ticket update use case as a public comment
 * authored by the trainee, with the status the trainee asked for, and the
 * draft is marked in the same transaction. DESK_ECONFLICT when it is no
 * longer pending.
 */
int desk_app_draft_approve(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t id, const char *edited_body, struct desk_draft *out,
                           struct desk_fail *fail);
/* Returns a pending draft to its author with a comment (required, 422 when blank). */
int desk_app_draft_return(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          int64_t id, const char *comment, struct desk_draft *out,
                          struct desk_fail *fail);

#endif
