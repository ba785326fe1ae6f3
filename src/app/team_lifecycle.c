/*
 * The staff lifecycle: invitation (an inactive account with its profile and
 * a one-time link), acceptance, suspension and reinstatement, graduation
 * from trainee mode, and offboarding, which locks the person out in one
 * transaction and then hands each of their open tickets on through the
 * ticket update use case so that audits and every hook apply.
 */
#include "app/commitments.h"
#include "app/outbox.h"
#include "app/team_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "model/staff.h"
#include "store/store_outbox.h"

#include <sodium.h>
#include <string.h>

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

static int last_admin(struct desk_conn *c, const struct desk_user *u, struct desk_fail *fail)
{
    int64_t others = 0;
    if (u->role != DESK_ROLE_ADMIN || !u->active || u->suspended) {
        return 0;
    }
    int rc = desk_store_admin_count(c, u->id, &others);
    if (!rc && others == 0) {
        rc = desk_fail(fail, DESK_EINVALID, "user_id", "LastAdmin",
                       "User: the last active admin cannot be offboarded or suspended");
    }
    return rc;
}

/* Common checks before acting on staff member user_id. */
static int lifecycle_target(struct desk_conn *c, struct desk_arena *a, const struct desk_actor *who,
                            int64_t user_id, struct desk_user *u, struct desk_fail *fail)
{
    int rc = desk_store_user_get(c, a, user_id, u);
    if (rc) {
        return rc;
    }
    if (!desk_role_is_staff(u->role)) {
        return desk_fail(fail, DESK_EINVALID, "user_id", "InvalidValue",
                         "User: is not a member of staff");
    }
    if (!team_may_manage(who, u)) {
        return DESK_EFORBIDDEN;
    }
    if (u->id == who->user_id) {
        return desk_fail(fail, DESK_EINVALID, "user_id", "InvalidValue",
                         "User: you cannot do this to yourself");
    }
    return 0;
}

/* ---- offboarding -------------------------------------------------------- */

struct plan {
    int64_t ticket_id;
    int64_t assignee_id;
    int64_t group_id; /* set the group to this (-1: keep) */
};

struct offboard_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t user_id;
    int64_t reassign_to;
    struct desk_user out;
    struct plan *plans;
    size_t n_plans;
    struct desk_fail *fail;
};

/* The first group a person belongs to (their default first), or 0. */
static int first_group(struct desk_conn *c, struct desk_arena *a, int64_t user_id, int64_t *out)
{
    int64_t *ids;
    size_t n;
    int rc = desk_store_user_group_ids(c, a, user_id, &ids, &n);
    if (!rc) {
        *out = n ? ids[0] : 0;
    }
    return rc;
}

static int plan_tickets(struct desk_conn *c, struct offboard_job *j, int64_t fallback_group)
{
    int64_t *ids, to_group = 0;
    size_t n;
    int rc = desk_store_open_assigned(c, j->a, j->user_id, &ids, &n);
    if (rc || (j->reassign_to && (rc = first_group(c, j->a, j->reassign_to, &to_group)) != 0)) {
        return rc;
    }
    j->plans = desk_arena_alloc(j->a, (n + 1) * sizeof(*j->plans));
    for (size_t i = 0; i < n; i++) {
        struct desk_ticket t;
        struct plan *pl = &j->plans[i];
        if ((rc = desk_store_ticket_get(c, j->a, ids[i], &t)) != 0) {
            return rc;
        }
        pl->ticket_id = t.id;
        pl->group_id = -1;
        if (j->reassign_to) {
            bool member = true;
            if (t.group_id &&
                (rc = desk_store_membership_exists(c, j->reassign_to, t.group_id, &member)) != 0) {
                return rc;
            }
            pl->assignee_id = j->reassign_to;
            if (!member) {
                pl->group_id = to_group; /* their own queue; 0 leaves the ticket groupless */
            }
        } else if (!t.group_id) {
            if (!fallback_group) {
                return desk_fail(
                    j->fail, DESK_EINVALID, "reassign_to", "BlankValue",
                    desk_arena_printf(j->a,
                                      "Reassign to: ticket %lld has no group and the person "
                                      "belongs to none; name an agent to take their tickets",
                                      (long long)t.id));
            }
            pl->group_id = fallback_group;
        }
    }
    j->n_plans = n;
    return 0;
}

static int offboard_write(struct desk_conn *c, void *arg)
{
    struct offboard_job *j = arg;
    struct desk_user u;
    struct desk_staff_profile p;
    bool stored;
    int64_t now = desk_time_now_ms(), fallback = 0;
    int rc = lifecycle_target(c, j->a, j->who, j->user_id, &u, j->fail);
    if (rc || (rc = last_admin(c, &u, j->fail)) != 0) {
        return rc;
    }
    if (j->reassign_to) {
        struct desk_user to;
        if (j->reassign_to == u.id || desk_store_user_get(c, j->a, j->reassign_to, &to) != 0 ||
            !to.active || to.suspended || !desk_role_is_staff(to.role)) {
            return desk_fail(j->fail, DESK_EINVALID, "reassign_to", "InvalidValue",
                             "Reassign to: must be another active agent");
        }
    }
    /* Where groupless tickets go: the person's own queue (while they still have one). */
    if ((rc = first_group(c, j->a, u.id, &fallback)) != 0 ||
        (!fallback && (rc = desk_store_default_group(c, &fallback)) != 0) ||
        (rc = plan_tickets(c, j, fallback)) != 0 ||
        (rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0) {
        return rc;
    }
    bool again = p.state == DESK_STAFF_OFFBOARDED && !u.active;
    u.active = false;
    u.updated_at = now;
    if ((rc = desk_store_user_update(c, &u)) != 0 ||
        (rc = desk_store_staff_lock_out(c, u.id)) != 0 ||
        (rc = desk_store_invitation_revoke_user(c, u.id, now)) != 0 ||
        (rc = team_set_availability(c, &p, DESK_AVAIL_OFFLINE, j->who, "offboarded", now)) != 0) {
        return rc;
    }
    p.state = DESK_STAFF_OFFBOARDED;
    p.routing_paused = true;
    if (!stored) {
        p.created_at = now;
    }
    p.updated_at = now;
    if ((rc = stored ? desk_store_staff_put(c, &p) : team_profile_store(c, &p, now)) != 0) {
        return rc;
    }
    const char *detail =
        j->reassign_to
            ? desk_arena_printf(j->a, "%zu open tickets to agent %lld", j->n_plans,
                                (long long)j->reassign_to)
            : desk_arena_printf(j->a, "%zu open tickets to their group queues", j->n_plans);
    if ((rc = team_event(c, u.id, j->who, again ? "offboarding_resumed" : "offboarded", detail,
                         now)) != 0) {
        return rc;
    }
    j->out = u;
    return 0;
}

struct handover_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t user_id;
    int64_t reassign_to;
    int64_t *moved; /* ids, a */
    size_t n_moved;
    struct desk_fail *fail;
};

/* Whether user id can own a commitment: active, unsuspended staff. */
static bool may_own(struct desk_conn *c, struct desk_arena *a, int64_t id)
{
    struct desk_user u;
    return id && desk_store_user_get(c, a, id, &u) == 0 && u.active && !u.suspended &&
           desk_role_is_staff(u.role);
}

/*
 * Step 3 of offboarding, after the tickets moved: each open commitment of
 * the person goes to the named agent, else to whoever now has its ticket,
 * else to a supervisor of the ticket's group, else to an admin; audited.
 */
static int handover_write(struct desk_conn *c, void *arg)
{
    struct handover_job *j = arg;
    struct desk_commitment_filter f = {.owner_id = j->user_id, .state = DESK_CMT_OPEN};
    struct desk_page p = {.limit = 100};
    struct desk_commitment *items;
    struct desk_page_out out;
    int64_t now = desk_time_now_ms();
    size_t cap = 0;
    int rc;
    j->n_moved = 0;
    do {
        size_t moved_now = 0;
        if ((rc = desk_store_commitment_list(c, j->a, &f, &p, &items, &out)) != 0) {
            return rc;
        }
        for (size_t i = 0; i < out.n; i++) {
            struct desk_ticket t;
            int64_t heir = j->reassign_to;
            bool moved;
            if (!heir && desk_store_ticket_get(c, j->a, items[i].ticket_id, &t) == 0) {
                if (t.assignee_id != j->user_id && may_own(c, j->a, t.assignee_id)) {
                    heir = t.assignee_id;
                } else if ((rc = desk_store_commitment_heir(c, t.group_id, j->user_id, &heir)) !=
                           0) {
                    return rc;
                }
            }
            if (!heir && (rc = desk_store_commitment_heir(c, 0, j->user_id, &heir)) != 0) {
                return rc;
            }
            if ((rc = desk_commitment_hand_over_one(c, j->who, j->a, items[i].id, heir, now, &moved,
                                                    j->fail)) != 0) {
                return rc;
            }
            if (moved) {
                if (j->n_moved == cap) {
                    int64_t *grown = desk_arena_alloc(j->a, (cap * 2 + 16) * sizeof(int64_t));
                    if (j->n_moved) {
                        memcpy(grown, j->moved, j->n_moved * sizeof(int64_t));
                    }
                    j->moved = grown;
                    cap = cap * 2 + 16;
                }
                j->moved[j->n_moved++] = items[i].id;
                moved_now++;
            }
        }
        /* The moved ones leave the filter, so the first page is always the next. */
        if (!moved_now) {
            break;
        }
    } while (out.more);
    return 0;
}

int desk_app_staff_offboard(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t user_id, int64_t reassign_to,
                            struct desk_offboard_result *out, struct desk_fail *fail)
{
    struct offboard_job j = {
        .who = who, .a = a, .user_id = user_id, .reassign_to = reassign_to, .fail = fail};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_write(desk_app_store(app), offboard_write, &j);
    if (rc) {
        return rc;
    }
    desk_log(DESK_LOG_INFO, "event=offboarded user=%lld tickets=%zu request=%s", (long long)user_id,
             j.n_plans, who->request_id ? who->request_id : "-");
    /* The person can do nothing any more; now their tickets move, each audited. */
    memset(out, 0, sizeof(*out));
    out->user = j.out;
    out->reassigned_to = reassign_to;
    out->tickets = desk_arena_alloc(a, (j.n_plans + 1) * sizeof(int64_t));
    int first = 0;
    for (size_t i = 0; i < j.n_plans; i++) {
        struct desk_ticket_input in = {0};
        struct desk_ticket t;
        struct desk_audit au;
        struct desk_fail tf = {0};
        in.has_assignee_id = true;
        in.assignee_id = j.plans[i].assignee_id;
        if (j.plans[i].group_id >= 0) {
            in.has_group_id = true;
            in.group_id = j.plans[i].group_id;
        }
        rc = desk_app_ticket_update(app, who, a, j.plans[i].ticket_id, &in, &t, &au, &tf);
        if (rc) {
            desk_log(DESK_LOG_ERROR, "event=offboard_reassign ticket=%lld error=\"%s\"",
                     (long long)j.plans[i].ticket_id,
                     tf.n ? tf.items[0].description : desk_err_msg(rc));
            if (!first) {
                first = rc;
                *fail = tf;
            }
            continue;
        }
        out->tickets[out->n_tickets++] = t.id;
    }
    /* Then their promises: to whoever now has each ticket (or the named agent). */
    struct desk_fail hf = {0};
    struct handover_job h = {
        .who = who, .a = a, .user_id = user_id, .reassign_to = reassign_to, .fail = &hf};
    rc = desk_store_write(desk_app_store(app), handover_write, &h);
    if (rc) {
        desk_log(DESK_LOG_ERROR, "event=offboard_commitments user=%lld error=\"%s\"",
                 (long long)user_id, hf.n ? hf.items[0].description : desk_err_msg(rc));
        if (!first) {
            first = rc;
            *fail = hf;
        }
    } else {
        out->commitments = h.moved;
        out->n_commitments = h.n_moved;
        if (h.n_moved) {
            desk_app_commitments_changed(app);
        }
    }
    return first;
}

/* ---- suspension, graduation --------------------------------------------- */

struct state_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    int64_t user_id;
    int action; /* 0 suspend, 1 reinstate, 2 graduate */
    const char *reason;
    struct desk_staff_view out;
    struct desk_fail *fail;
};

static int state_write(struct desk_conn *c, void *arg)
{
    struct state_job *j = arg;
    struct desk_user u;
    struct desk_staff_profile p;
    bool stored;
    int64_t now = desk_time_now_ms();
    int rc = j->action == 2 ? desk_store_user_get(c, j->a, j->user_id, &u)
                            : lifecycle_target(c, j->a, j->who, j->user_id, &u, j->fail);
    if (rc || (rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0) {
        return rc;
    }
    if (j->action == 2 && (!desk_role_is_staff(u.role) || !team_may_manage(j->who, &u))) {
        return desk_role_is_staff(u.role) ? DESK_EFORBIDDEN : DESK_ENOTFOUND;
    }
    if (!u.active || p.state == DESK_STAFF_OFFBOARDED || p.state == DESK_STAFF_INVITED) {
        return desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue",
                         "User: is not an active member of staff");
    }
    const char *event;
    if (j->action == 0) {
        if (u.suspended) {
            return desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue",
                             "User: is already suspended");
        }
        if ((rc = last_admin(c, &u, j->fail)) != 0 ||
            (rc = team_set_availability(c, &p, DESK_AVAIL_OFFLINE, j->who, "suspended", now)) !=
                0) {
            return rc;
        }
        u.suspended = true;
        p.state = DESK_STAFF_SUSPENDED;
        event = "suspended";
    } else if (j->action == 1) {
        if (!u.suspended && p.state != DESK_STAFF_SUSPENDED) {
            return desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue",
                             "User: is not suspended");
        }
        u.suspended = false;
        p.state = DESK_STAFF_ACTIVE;
        event = "reinstated";
    } else {
        if (!p.trainee) {
            return desk_fail(j->fail, DESK_EINVALID, "user_id", "InvalidValue",
                             "User: is not a trainee");
        }
        p.trainee = false;
        event = "graduated";
    }
    u.updated_at = now;
    if (!stored) {
        p.created_at = now;
    }
    p.updated_at = now;
    if ((j->action < 2 && (rc = desk_store_user_update(c, &u)) != 0) ||
        (rc = stored ? desk_store_staff_put(c, &p) : team_profile_store(c, &p, now)) != 0 ||
        (rc = team_event(c, u.id, j->who, event, j->reason, now)) != 0) {
        return rc;
    }
    return team_view(c, j->a, j->who, &u, &j->out);
}

static int run_state(struct desk_app *app, struct state_job *j, struct desk_staff_view *out)
{
    if (team_ceiling(j->who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_write(desk_app_store(app), state_write, j);
    if (!rc) {
        *out = j->out;
    }
    return rc;
}

int desk_app_staff_suspend(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                           int64_t user_id, bool suspend, const char *reason,
                           struct desk_staff_view *out, struct desk_fail *fail)
{
    struct state_job j = {.who = who,
                          .a = a,
                          .user_id = user_id,
                          .action = suspend ? 0 : 1,
                          .reason = reason,
                          .fail = fail};
    return run_state(app, &j, out);
}

int desk_app_staff_graduate(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t user_id, struct desk_staff_view *out,
                            struct desk_fail *fail)
{
    struct state_job j = {.who = who, .a = a, .user_id = user_id, .action = 2, .fail = fail};
    return run_state(app, &j, out);
}

/* ---- invitations ----------------------------------------------------------- */

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* The public base URL links in mail point to (set once at start; NULL: the request's origin). */
static char public_url[512];

int desk_app_team_set_public_url(const char *url)
{
    if (!url || !*url) {
        public_url[0] = 0;
        return 0;
    }
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') {
        n--;
    }
    const char *host = strncmp(url, "https://", 8) == 0  ? url + 8
                       : strncmp(url, "http://", 7) == 0 ? url + 7
                                                         : NULL;
    if (!host || (size_t)(host - url) >= n || n >= sizeof(public_url)) {
        return DESK_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)url[i];
        if (ch <= ' ' || ch >= 0x7f || strchr("<>\"'\\?#", ch)) {
            return DESK_EINVAL;
        }
    }
    memcpy(public_url, url, n);
    public_url[n] = 0;
    return 0;
}

struct invite_job {
    const struct desk_actor *who;
    struct desk_arena *a;
    const struct desk_invite_input *in;
    unsigned char hash[32];
    const char *link;     /* NULL: no mail */
    const char *language; /* of the mail */
    struct desk_invite_result out;
    struct desk_fail *fail;
};

/* Queues the invitation mail with the link (the payload of invite_mail.h). */
static int invite_mail_queue(struct desk_conn *c, struct invite_job *j, const struct desk_user *u,
                             int64_t now)
{
    struct desk_user inviter;
    const char *inviter_name = NULL;
    if (j->who->user_id && desk_store_user_get(c, j->a, j->who->user_id, &inviter) == 0) {
        /* one line: the payload is line-based */
        char *nm = desk_arena_strdup(j->a, inviter.name ? inviter.name : "");
        for (char *p = nm; *p; p++) {
            if (*p == '\r' || *p == '\n') {
                *p = ' ';
            }
        }
        inviter_name = nm;
    }
    struct desk_outbox_msg m = {0};
    m.kind = "invitation";
    m.user_id = u->id;
    m.to_addr = u->email;
    m.to_name = u->name;
    m.language = j->language;
    m.next_attempt_at = now;
    m.created_at = now;
    m.payload = desk_arena_printf(j->a, "link=%s\ninviter=%s\nexpires_at=%lld\n", j->link,
                                  inviter_name ? inviter_name : "",
                                  (long long)j->out.invitation.expires_at);
    int rc = desk_store_outbox_insert(c, &m);
    if (!rc) {
        j->out.mailed = true;
        j->out.outbox_id = m.id;
    }
    return rc;
}

static int invite_write(struct desk_conn *c, void *arg)
{
    struct invite_job *j = arg;
    const struct desk_invite_input *in = j->in;
    int64_t now = desk_time_now_ms();
    struct desk_user u = {0}, other;
    struct desk_staff_profile p;
    bool stored, graduated, started;
    int rc;
    if (desk_store_user_by_email(c, j->a, in->email, &other) == 0) {
        return desk_fail(
            j->fail, DESK_EINVALID, "email", "DuplicateValue",
            desk_arena_printf(j->a, "Email: %s is already being used by another user", in->email));
    }
    for (size_t i = 0; i < in->n_group_ids; i++) {
        struct desk_group g;
        if (desk_store_group_get(c, j->a, in->group_ids[i], &g) != 0 || g.deleted) {
            return desk_fail(j->fail, DESK_EINVALID, "group_ids", "InvalidValue",
                             desk_arena_printf(j->a, "Groups: group %lld does not exist",
                                               (long long)in->group_ids[i]));
        }
    }
    u.name = in->name;
    u.email = in->email;
    u.role = in->role;
    u.locale = in->locale;
    u.active = false; /* until the invitation is accepted */
    u.created_at = u.updated_at = now;
    if ((rc = desk_store_user_insert(c, &u)) != 0) {
        return rc == DESK_ECONFLICT ? desk_fail(j->fail, DESK_EINVALID, "email", "DuplicateValue",
                                                "Email: is already being used by another user")
                                    : rc;
    }
    for (size_t i = 0; i < in->n_group_ids; i++) {
        struct desk_membership m = {0, u.id, in->group_ids[i], i == 0, now, now};
        if ((rc = desk_store_membership_insert(c, &m)) != 0 && rc != DESK_ECONFLICT) {
            return rc;
        }
    }
    if ((rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0 ||
        (rc = team_profile_apply(c, j->a, &u, &p, &in->staff, &graduated, &started, j->fail)) !=
            0) {
        return rc;
    }
    p.state = DESK_STAFF_INVITED;
    p.created_at = p.updated_at = now;
    struct desk_staff_invitation *inv = &j->out.invitation;
    inv->user_id = u.id;
    inv->invited_by = j->who->user_id;
    inv->created_at = now;
    inv->expires_at = now + DESK_INVITE_TTL_MS;
    if ((rc = team_profile_store(c, &p, now)) != 0 ||
        (rc = desk_store_invitation_insert(c, inv, j->hash)) != 0 ||
        (rc = team_event(c, u.id, j->who, "invited",
                         in->staff.has_trainee && in->staff.trainee ? "as a trainee" : NULL,
                         now)) != 0) {
        return rc;
    }
    j->out.user = u;
    if (j->link) {
        if (!j->language) {
            /* their first language when no locale was given, else English */
            j->language =
                desk_outbox_language(j->a, NULL, in->staff.n_langs ? in->staff.langs[0].tag : NULL);
        }
        if ((rc = invite_mail_queue(c, j, &u, now)) != 0) {
            return rc;
        }
    }
    return 0;
}

int desk_app_staff_invite(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                          const struct desk_invite_input *in, struct desk_invite_result *out,
                          struct desk_fail *fail)
{
    struct invite_job j = {.who = who, .a = a, .in = in, .fail = fail};
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    if (!in->name || !*in->name || desk_str_utf8_len(in->name, strlen(in->name)) > 255) {
        return desk_fail(fail, DESK_EINVALID, "name", "BlankValue",
                         "Name: cannot be blank (at most 255 characters)");
    }
    if (!in->email || !desk_app_email_valid(in->email)) {
        return desk_fail(fail, DESK_EINVALID, "email", "InvalidFormat",
                         "Email: is not properly formatted");
    }
    if (in->role != DESK_ROLE_AGENT && in->role != DESK_ROLE_SUPERVISOR) {
        return desk_fail(fail, DESK_EINVALID, "role", "InvalidValue",
                         "Role: an invitation is for an agent or a supervisor");
    }
    if (in->role > team_ceiling(who->role)) {
        return desk_fail(fail, DESK_EFORBIDDEN, "role", "Forbidden",
                         "Role: you may not grant this role");
    }
    if (in->locale) {
        char canon[64], primary[4];
        if (desk_lang_canon(in->locale, canon, sizeof(canon), primary) != 0) {
            return desk_fail(fail, DESK_EINVALID, "locale", "InvalidValue",
                             "Locale: must be a BCP 47 language tag such as pl or pt-BR");
        }
        j.language = desk_outbox_language(a, NULL, canon);
    }
    unsigned char raw[32];
    size_t len = sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *token = desk_arena_alloc(a, len);
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, len, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    token_hash(token, j.hash);
    const char *origin = public_url[0] ? public_url : in->origin;
    if (origin && *origin) {
        /* The token rides in the fragment: browsers never send it to a server or a log. */
        j.link = desk_arena_printf(a, "%s/console/#/invitation/%s", origin, token);
    }
    int rc = desk_store_write(desk_app_store(app), invite_write, &j);
    if (rc) {
        return rc;
    }
    *out = j.out;
    out->token = token;
    out->link = j.link;
    if (out->mailed) {
        desk_outbox_kick();
        desk_log(DESK_LOG_INFO, "event=invitation_queued user_id=%lld outbox_id=%lld",
                 (long long)out->user.id, (long long)out->outbox_id);
    }
    return 0;
}

struct accept_job {
    struct desk_arena *a;
    unsigned char hash[32];
    const char *pw_hash;
    struct desk_user out;
};

static int accept_write(struct desk_conn *c, void *arg)
{
    struct accept_job *j = arg;
    struct desk_staff_invitation inv;
    struct desk_user u;
    struct desk_staff_profile p;
    bool stored;
    int64_t now = desk_time_now_ms();
    int rc = desk_store_invitation_by_hash(c, j->hash, &inv);
    if (rc || inv.accepted_at || inv.revoked_at || inv.expires_at <= now) {
        return rc && rc != DESK_ENOTFOUND ? rc : DESK_ENOTFOUND;
    }
    if ((rc = desk_store_invitation_accept(c, inv.id, now)) != 0) {
        return rc == DESK_ECONFLICT ? DESK_ENOTFOUND : rc;
    }
    if ((rc = desk_store_user_get(c, j->a, inv.user_id, &u)) != 0 ||
        (rc = team_profile_load(c, j->a, u.id, &p, &stored)) != 0) {
        return rc;
    }
    if (p.state != DESK_STAFF_INVITED) {
        return DESK_ENOTFOUND; /* offboarded meanwhile */
    }
    u.active = true;
    u.verified = true;
    u.updated_at = now;
    p.state = DESK_STAFF_ACTIVE;
    p.updated_at = now;
    struct desk_actor self = {.user_id = u.id, .role = u.role};
    if ((rc = desk_store_user_update(c, &u)) != 0 ||
        (rc = desk_store_user_set_password(c, u.id, j->pw_hash)) != 0 ||
        (rc = desk_store_staff_put(c, &p)) != 0 ||
        (rc = team_event(c, u.id, &self, "accepted", NULL, now)) != 0) {
        return rc;
    }
    j->out = u;
    return 0;
}

int desk_app_staff_invite_accept(struct desk_app *app, struct desk_arena *a, const char *token,
                                 const char *password, struct desk_user *out,
                                 struct desk_fail *fail)
{
    struct accept_job j = {.a = a};
    size_t len = password ? strlen(password) : 0;
    if (!token || !*token) {
        return DESK_ENOTFOUND;
    }
    if (len < PASSWORD_MIN || len > PASSWORD_MAX || !desk_str_utf8_valid(password, len)) {
        return desk_fail(fail, DESK_EINVALID, "password", "TooShort",
                         "Password: must be at least 10 characters");
    }
    token_hash(token, j.hash);
    /* argon2id runs here, on the caller's thread, never inside the writer. */
    int rc = desk_app_password_hash(a, password, &j.pw_hash);
    if (rc) {
        return rc;
    }
    rc = desk_store_write(desk_app_store(app), accept_write, &j);
    if (!rc) {
        *out = j.out;
    }
    return rc;
}

int desk_app_staff_invitations(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, struct desk_staff_invitation **items,
                               size_t *n)
{
    struct desk_conn *c;
    if (team_ceiling(who->role) < DESK_ROLE_AGENT) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_app_reader(app, &c);
    return rc ? rc : desk_store_invitation_open_list(c, a, items, n);
}
