/*
 * Inside the team's use cases (team_*.c): who may manage whom, profile
 * loading and validation shared by profile changes and invitations, the
 * registry through which a use case tells the ticket hook what a ticket
 * write is for (a routing offer, a draft approval), and the router's wake-up.
 */
#ifndef DESK_APP_TEAM_INT_H
#define DESK_APP_TEAM_INT_H

#include "app/app_int.h"
#include "app/team.h"

/* The actor routing writes as: the system, via a rule. */
extern const struct desk_actor team_router_actor;

/* The highest role who may manage (agents: none of the staff). */
int team_ceiling(int role);

/* True when who may manage staff member target (supervisors up to supervisors, admins all). */
bool team_may_manage(const struct desk_actor *who, const struct desk_user *target);

/*
 * Loads user_id's profile, or fills defaults (active, offline, no lists)
 * when none is stored; *stored says which. Errors other than "none" pass.
 */
int team_profile_load(struct desk_conn *c, struct desk_arena *a, int64_t user_id,
                      struct desk_staff_profile *out, bool *stored);

/*
 * Validates in against the store and applies it to p (lists too), for
 * user u (whose own id may not be their mentor). Sets *graduated when
 * trainee mode ends, *trainee_started when it begins. 422 naming the field.
 */
int team_profile_apply(struct desk_conn *c, struct desk_arena *a, const struct desk_user *u,
                       struct desk_staff_profile *p, const struct desk_staff_input *in,
                       bool *graduated, bool *trainee_started, struct desk_fail *fail);

/* Writer only. Stores p and its lists. */
int team_profile_store(struct desk_conn *c, const struct desk_staff_profile *p, int64_t now);

/* Fills a view of u for who (reader or writer). */
int team_view(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
              const struct desk_user *u, struct desk_staff_view *out);

/* Writer only. Appends a lifecycle event. */
int team_event(struct desk_conn *c, int64_t user_id, const struct desk_actor *who, const char *type,
               const char *detail, int64_t now);

/* Writer only. Sets p's availability to status (logging the change when it is one). */
int team_set_availability(struct desk_conn *c, struct desk_staff_profile *p, int status,
                          const struct desk_actor *who, const char *reason, int64_t now);

/* What a ticket write is for, looked up by the hook through the write's input. */
enum team_req_kind { TEAM_REQ_ROUTE, TEAM_REQ_APPROVE };

struct team_req {
    const struct desk_ticket_input *in;
    int kind;
    int64_t draft_id;      /* TEAM_REQ_APPROVE */
    const char *sent_body; /* the edited body, or NULL */
    int64_t reviewer_id;
    int outcome; /* set by the hook: enum desk_route_outcome, or -1 when not routed */
    struct team_req *next;
};

/*
 * Registers r (the caller's) for the duration of one ticket write;
 * unregister once the use case returned. While registered, the hook finds
 * r by the write's input pointer and may write r->outcome: the caller is
 * blocked in the write meanwhile, so r stays valid.
 */
void team_req_push(struct team_req *r);
void team_req_pop(struct team_req *r);
/* The registered request for this input, or NULL. */
struct team_req *team_req_find(const struct desk_ticket_input *in);

/* Asks the background router (when running) to drain group_id's queue soon. */
void team_router_kick(int64_t group_id);

/* Routes the waiting tickets of every group user_id belongs to (and groupless ones). */
void team_drain_for_agent(struct desk_app *app, int64_t user_id);

/* True when p's schedule puts u on shift at now (ms UTC); no schedule: always. */
bool team_on_shift(const struct desk_user *u, const struct desk_staff_profile *p, int64_t now);

/*
 * Sets offline (logged as by the system, "outside the working schedule")
 * everyone with auto_offline whose shift is over. Returns how many, or a
 * store error.
 */
int team_auto_offline(struct desk_app *app);

#endif
