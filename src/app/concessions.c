/*
 * Concessions, held replies and resolutions: the use cases and the ticket
 * hook that does their part of each ticket write (see concessions.h). A
 * use case validates what a person gave, then asks desk_app_ticket_update
 * to carry a concession operation; the hook re-reads the concession on the
 * writer, checks the rules against the stored state (so two approvers can
 * never both win), changes it and adds audit events, all in the ticket
 * write's transaction.
 */
#include "app/concessions.h"
#include "app/app_int.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "model/similar.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers --------------------------------------------------------------- */

static bool blank(const char *s)
{
    for (; s && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return false;
        }
    }
    return true;
}

/* "300.00 EUR" for minor units in currency. */
static const char *money(struct desk_arena *a, int64_t minor, const char *currency)
{
    char code[4];
    int digits = 2;
    if (desk_currency_check(currency, code, &digits) != 0) {
        digits = 2;
    }
    return desk_arena_printf(a, "%s %s", desk_money_format(a, minor, digits), currency);
}

static const char *user_name(struct desk_conn *c, struct desk_arena *a, int64_t id)
{
    struct desk_user u;
    if (id && desk_store_user_get(c, a, id, &u) == 0 && u.name) {
        return u.name;
    }
    return desk_arena_printf(a, "user %lld", (long long)id);
}

static const char *level_name(int level)
{
    return level == DESK_ROLE_SUPERVISOR ? "a supervisor" : "an admin (manager)";
}

/* Appends an audit event to the write (hooks.h: ch->events). */
static void add_event(struct desk_ticket_change *ch, const char *field, const char *old_value,
                      const char *new_value)
{
    struct desk_audit_event *ev = desk_arena_alloc(ch->a, (ch->n_events + 1) * sizeof(*ev));
    if (ch->n_events) {
        memcpy(ev, ch->events, ch->n_events * sizeof(*ev));
    }
    memset(&ev[ch->n_events], 0, sizeof(*ev));
    ev[ch->n_events].type = ch->before ? "Change" : "Create";
    ev[ch->n_events].field = field;
    ev[ch->n_events].old_value = old_value;
    ev[ch->n_events].new_value = new_value;
    ch->events = ev;
    ch->n_events++;
}

/* A pending concession whose time has passed reads as expired everywhere. */
static void effective_state(struct desk_concession *k, int64_t now)
{
    if (k->state == DESK_CSTATE_PENDING && k->expires_at && k->expires_at <= now) {
        k->state = DESK_CSTATE_EXPIRED;
    }
}

int desk_app_climit_effective(struct desk_conn *c, int64_t user_id, int role, const char *currency,
                              int64_t *out)
{
    bool found = false;
    int64_t max = 0;
    int rc = 0;
    if (user_id && (rc = desk_store_climit_find(c, 0, user_id, currency, &found, &max)) != 0) {
        return rc;
    }
    if (!found && (rc = desk_store_climit_find(c, role, 0, currency, &found, &max)) != 0) {
        return rc;
    }
    /* Without a row, admins (the managers at the top of the chain) have no limit and
     * everyone else may grant nothing on their own. */
    *out = found ? max : role == DESK_ROLE_ADMIN ? DESK_LIMIT_NONE : 0;
    return 0;
}

/* A role's own limit (no per-person rows), with the same defaults. */
static int role_limit(struct desk_conn *c, int role, const char *currency, int64_t *out)
{
    return desk_app_climit_effective(c, 0, role, currency, out);
}

/* ---- hook: concession operations ---------------------------------------------- */

static int alert(struct desk_conn *c, struct desk_ticket_change *ch,
                 const struct desk_concession *k, int64_t user_id, const char *kind,
                 const char *message)
{
    struct desk_concession_alert al = {0};
    al.user_id = user_id;
    al.concession_id = k->id;
    al.ticket_id = k->ticket_id;
    al.kind = kind;
    al.message = message;
    al.created_at = ch->now;
    return desk_store_calert_insert(c, &al);
}

static int op_propose(struct desk_conn *c, struct desk_ticket_change *ch,
                      struct desk_concession_op *op)
{
    struct desk_concession *k = &op->new_;
    const struct desk_actor *who = ch->who;
    int64_t own, sup, adm;
    int rc;
    k->ticket_id = ch->before->id;
    k->proposed_by = who->user_id;
    k->created_at = k->updated_at = ch->now;
    if ((rc = desk_app_climit_effective(c, who->user_id, who->role, k->currency, &own)) != 0 ||
        (rc = role_limit(c, DESK_ROLE_SUPERVISOR, k->currency, &sup)) != 0 ||
        (rc = role_limit(c, DESK_ROLE_ADMIN, k->currency, &adm)) != 0) {
        return rc;
    }
    const char *amount = money(ch->a, k->amount_minor, k->currency);
    const char *what;
    if (desk_limit_covers(own, k->amount_minor)) {
        k->state = DESK_CSTATE_GRANTED;
        k->granted_minor = k->amount_minor;
        k->decided_by = who->user_id;
        k->decided_at = ch->now;
        k->expires_at = 0;
        what = "granted within the proposer's limit";
    } else {
        int level = desk_concession_level(k->amount_minor, sup, adm);
        if (level < 0) {
            return desk_fail(ch->fail, DESK_EINVALID, "amount", "AboveLimits",
                             desk_arena_printf(ch->a,
                                               "Amount: %s is above every approval limit "
                                               "for %s; nobody may approve it",
                                               amount, k->currency));
        }
        k->state = DESK_CSTATE_PENDING;
        k->level = level;
        k->expires_at = ch->now + op->wait_ms;
        char iso[21];
        desk_time_iso(k->expires_at, iso);
        what = desk_arena_printf(ch->a, "waiting for %s until %s", level_name(level), iso);
    }
    if ((rc = desk_store_concession_insert(c, k)) != 0) {
        return rc;
    }
    op->id = k->id;
    add_event(ch, "concession", NULL,
              desk_arena_printf(ch->a, "#%lld %s %s (%s): %s", (long long)k->id,
                                desk_ctype_name(k->type), amount, k->reason, what));
    return 0;
}

static int op_decide(struct desk_conn *c, struct desk_ticket_change *ch,
                     struct desk_concession_op *op)
{
    const struct desk_actor *who = ch->who;
    struct desk_concession k;
    int rc = desk_store_concession_get(c, ch->a, op->id, &k);
    if (rc) {
        return rc;
    }
    if (k.ticket_id != ch->before->id) {
        return DESK_EINTERNAL;
    }
    char iso[21];
    desk_time_iso(k.expires_at, iso);
    if (k.state != DESK_CSTATE_PENDING) {
        return desk_fail(ch->fail, DESK_ECONFLICT, "base", "AlreadyDecided",
                         desk_arena_printf(ch->a, "concession %lld is already %s", (long long)k.id,
                                           desk_cstate_name(k.state)));
    }
    bool expired = k.expires_at <= ch->now;
    if (op->action == DESK_COP_EXPIRE) {
        if (!expired) {
            return desk_fail(ch->fail, DESK_ECONFLICT, "base", "NotExpired",
                             "the concession has not expired yet");
        }
    } else {
        if (expired) {
            return desk_fail(ch->fail, DESK_ECONFLICT, "base", "Expired",
                             desk_arena_printf(ch->a,
                                               "concession %lld expired at %s without a "
                                               "decision; propose it again",
                                               (long long)k.id, iso));
        }
        if (who->user_id == k.proposed_by) {
            return desk_fail(ch->fail, DESK_EFORBIDDEN, "base", "SelfApproval",
                             "you cannot decide a concession you proposed yourself");
        }
        if (who->role < k.level) {
            return desk_fail(ch->fail, DESK_EFORBIDDEN, "base", "ApprovalLevel",
                             desk_arena_printf(ch->a, "concession %lld must be decided by %s",
                                               (long long)k.id, level_name(k.level)));
        }
    }
    int64_t grant = op->action == DESK_COP_APPROVE   ? k.amount_minor
                    : op->action == DESK_COP_COUNTER ? op->counter_minor
                                                     : 0;
    if (op->action == DESK_COP_COUNTER && grant == k.amount_minor) {
        return desk_fail(ch->fail, DESK_EINVALID, "amount", "SameAmount",
                         "Amount: a counter-offer must differ from the proposed amount (approve "
                         "it instead)");
    }
    if (grant) {
        int64_t own;
        if ((rc = desk_app_climit_effective(c, who->user_id, who->role, k.currency, &own)) != 0) {
            return rc;
        }
        if (!desk_limit_covers(own, grant)) {
            return desk_fail(ch->fail, DESK_EFORBIDDEN, "amount", "AboveOwnLimit",
                             desk_arena_printf(ch->a, "%s is above your own approval limit of %s",
                                               money(ch->a, grant, k.currency),
                                               money(ch->a, own, k.currency)));
        }
    }
    static const int next_state[] = {[DESK_COP_APPROVE] = DESK_CSTATE_APPROVED,
                                     [DESK_COP_DENY] = DESK_CSTATE_DENIED,
                                     [DESK_COP_COUNTER] = DESK_CSTATE_COUNTERED,
                                     [DESK_COP_EXPIRE] = DESK_CSTATE_EXPIRED};
    k.state = next_state[op->action];
    k.granted_minor = grant;
    k.decided_by = op->action == DESK_COP_EXPIRE ? 0 : who->user_id;
    k.decision_note = op->note && *op->note ? op->note : NULL;
    k.decided_at = ch->now;
    k.updated_at = ch->now;
    if ((rc = desk_store_concession_update(c, &k)) != 0) {
        return rc;
    }

    /* What happened, in one sentence for the note, the alert and the audit. */
    const char *amount = money(ch->a, k.amount_minor, k.currency);
    const char *by = user_name(c, ch->a, who->user_id);
    const char *said;
    switch (op->action) {
    case DESK_COP_APPROVE:
        said = desk_arena_printf(ch->a, "Concession #%lld (%s %s) approved by %s", (long long)k.id,
                                 desk_ctype_name(k.type), amount, by);
        break;
    case DESK_COP_DENY:
        said = desk_arena_printf(ch->a, "Concession #%lld (%s %s) denied by %s", (long long)k.id,
                                 desk_ctype_name(k.type), amount, by);
        break;
    case DESK_COP_COUNTER:
        said = desk_arena_printf(ch->a, "Concession #%lld (%s %s) countered by %s with %s",
                                 (long long)k.id, desk_ctype_name(k.type), amount, by,
                                 money(ch->a, grant, k.currency));
        break;
    default:
        said = desk_arena_printf(ch->a, "Concession #%lld (%s %s) expired without a decision",
                                 (long long)k.id, desk_ctype_name(k.type), amount);
        break;
    }
    if (k.decision_note) {
        said = desk_arena_printf(ch->a, "%s: %s", said, k.decision_note);
    }

    /* A held reply goes out when approved, else back to its author, never to the customer. */
    struct desk_held_reply h;
    bool held = desk_store_held_by_concession(c, ch->a, k.id, &h) == 0 && h.state == DESK_HOLD_HELD;
    const char *note = desk_arena_printf(ch->a, "%s.", said);
    if (held) {
        h.updated_at = ch->now;
        if (op->action == DESK_COP_APPROVE) {
            h.state = DESK_HOLD_SENT;
            op->held_reply_id = h.id;
            ch->comment = h.body;
            ch->comment_public = true;
            ch->comment_author = h.author_id;
        } else {
            h.state = DESK_HOLD_RETURNED;
            note = desk_arena_printf(ch->a,
                                     "%s.\n\nThe reply held for it was not sent to the customer "
                                     "and is returned to %s:\n\n%s",
                                     said, user_name(c, ch->a, h.author_id), h.body);
        }
        if ((rc = desk_store_held_update(c, &h)) != 0) {
            return rc;
        }
        add_event(
            ch, "held_reply", "held",
            desk_arena_printf(ch->a, "#%lld %s", (long long)h.id, desk_hold_state_name(h.state)));
    }
    if (!held || op->action != DESK_COP_APPROVE) {
        ch->comment = note;
        ch->comment_public = false;
        ch->comment_author = who->user_id;
    }
    const char *kind = desk_cstate_name(k.state);
    const char *msg = desk_arena_printf(
        ch->a, "%s on ticket #%lld.%s", said, (long long)k.ticket_id,
        !held                            ? ""
        : op->action == DESK_COP_APPROVE ? " The held reply was sent to the customer."
                                         : " The held reply was not sent; it is returned to you.");
    if ((rc = alert(c, ch, &k, k.proposed_by, kind, msg)) != 0) {
        return rc;
    }
    if (held && h.author_id != k.proposed_by && (rc = alert(c, ch, &k, h.author_id, kind, msg))) {
        return rc;
    }
    add_event(ch, "concession", "pending",
              desk_arena_printf(ch->a, "#%lld %s", (long long)k.id, desk_cstate_name(k.state)));
    return 0;
}

/* ---- hook: held replies ------------------------------------------------------------ */

static int hold_fail(struct desk_ticket_change *ch, const char *error, const char *why)
{
    return desk_fail(ch->fail, DESK_EINVALID, "hold_for_concession_id", error,
                     desk_arena_printf(ch->a, "comment.hold_for_concession_id: %s", why));
}

static int hold_reply(struct desk_conn *c, struct desk_ticket_change *ch)
{
    int64_t kid = ch->in->hold_for_concession_id;
    struct desk_concession k;
    if (!ch->before) {
        return hold_fail(ch, "InvalidValue", "a new ticket's first comment cannot be held");
    }
    if (!ch->comment) {
        return hold_fail(ch, "BlankValue", "give the reply to hold in comment.body");
    }
    if (!ch->comment_public) {
        return hold_fail(ch, "InvalidValue",
                         "only a public reply is held; an internal note never reaches the "
                         "customer");
    }
    int rc = desk_store_concession_get(c, ch->a, kid, &k);
    if (rc == DESK_ENOTFOUND || (!rc && k.ticket_id != ch->before->id)) {
        return hold_fail(ch, "InvalidValue",
                         desk_arena_printf(ch->a, "concession %lld does not exist on this ticket",
                                           (long long)kid));
    }
    if (rc) {
        return rc;
    }
    effective_state(&k, ch->now);
    if (k.state != DESK_CSTATE_PENDING) {
        return hold_fail(ch, "InvalidValue",
                         desk_arena_printf(ch->a,
                                           "concession %lld is %s; only a pending concession "
                                           "holds a reply",
                                           (long long)kid, desk_cstate_name(k.state)));
    }
    struct desk_held_reply h = {0};
    h.concession_id = kid;
    h.ticket_id = k.ticket_id;
    h.author_id = ch->comment_author;
    h.body = ch->comment;
    h.state = DESK_HOLD_HELD;
    h.created_at = h.updated_at = ch->now;
    rc = desk_store_held_insert(c, &h);
    if (rc == DESK_ECONFLICT) {
        return hold_fail(
            ch, "Taken",
            desk_arena_printf(ch->a, "concession %lld already holds a reply", (long long)kid));
    }
    if (rc) {
        return rc;
    }
    /* Off the write: nothing reaches the customer (or later hooks) until approval. */
    ch->comment = NULL;
    add_event(ch, "held_reply", NULL,
              desk_arena_printf(ch->a, "#%lld held until concession #%lld is approved",
                                (long long)h.id, (long long)kid));
    return 0;
}

/* ---- hook: resolutions ------------------------------------------------------------- */

static int res_cmp(const void *x, const void *y)
{
    return strcmp(((const struct desk_resolution_field *)x)->name,
                  ((const struct desk_resolution_field *)y)->name);
}

/*
 * The resolution as it will be after this write: ticket_id's stored one (0: a new ticket
 * has none) with in applied (NULL: unchanged).
 */
static int res_merged(struct desk_conn *c, struct desk_arena *a, int64_t ticket_id,
                      const struct desk_resolution_input *in, struct desk_resolution *out)
{
    bool found = false;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    if (ticket_id && (rc = desk_store_resolution_get(c, a, ticket_id, out, &found)) != 0) {
        return rc;
    }
    if (!in) {
        return 0;
    }
    if (in->clear) {
        memset(out, 0, sizeof(*out));
    }
    if (in->has_category) {
        out->category = in->category;
    }
    if (in->has_note) {
        out->note = in->note && *in->note ? in->note : NULL;
    }
    if (in->n_fields) {
        size_t cap = out->n_fields + in->n_fields, n = 0;
        struct desk_resolution_field *f = desk_arena_alloc(a, cap * sizeof(*f));
        for (size_t i = 0; i < out->n_fields; i++) {
            f[n++] = out->fields[i];
        }
        for (size_t i = 0; i < in->n_fields; i++) {
            size_t k = 0;
            while (k < n && strcmp(f[k].name, in->fields[i].name) != 0) {
                k++;
            }
            if (k == n) {
                f[n++] = in->fields[i];
            } else {
                f[k].value = in->fields[i].value;
            }
        }
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            if (f[i].value) {
                f[kept++] = f[i];
            }
        }
        qsort(f, kept, sizeof(*f), res_cmp);
        out->fields = f;
        out->n_fields = kept;
    }
    return 0;
}

static const char *field_label(struct desk_arena *a, const char *name)
{
    if (strcmp(name, DESK_RES_CATEGORY) == 0) {
        return "Resolution category";
    }
    if (strcmp(name, DESK_RES_NOTE) == 0) {
        return "Resolution note";
    }
    return desk_arena_printf(a, "Resolution field %s", name);
}

static bool str_eq(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* Checks the input, then records one audit event per changed piece. */
static int res_prepare(struct desk_conn *c, struct desk_ticket_change *ch,
                       const struct desk_resolution *merged)
{
    const struct desk_resolution_input *in = ch->in->resolution;
    struct desk_resolution_policy pol = {0};
    bool found = false;
    int rc;
    if (in->has_category && in->category && !desk_resolution_name_valid(in->category)) {
        return desk_fail(ch->fail, DESK_EINVALID, DESK_RES_CATEGORY, "InvalidValue",
                         "Resolution category: must be a name of lower-case letters, digits, _ "
                         "and - (up to 64)");
    }
    if (in->has_note && in->note && strlen(in->note) > DESK_RES_NOTE_MAX) {
        return desk_fail(ch->fail, DESK_EINVALID, DESK_RES_NOTE, "TooLong",
                         "Resolution note: is too long (maximum is 65536 bytes)");
    }
    for (size_t i = 0; i < in->n_fields; i++) {
        const struct desk_resolution_field *f = &in->fields[i];
        if (!desk_resolution_name_valid(f->name)) {
            return desk_fail(ch->fail, DESK_EINVALID, "resolution", "InvalidValue",
                             desk_arena_printf(ch->a,
                                               "Resolution: custom field \"%.64s\" is not a "
                                               "name (lower-case letters, digits, _ and -)",
                                               f->name));
        }
        if (f->value && strlen(f->value) > DESK_RES_VALUE_MAX) {
            return desk_fail(ch->fail, DESK_EINVALID, f->name, "TooLong",
                             desk_arena_printf(ch->a,
                                               "Resolution field %s: is too long (maximum is "
                                               "1024 bytes)",
                                               f->name));
        }
    }
    if (ch->after->group_id &&
        (rc = desk_store_rpolicy_get(c, ch->a, ch->after->group_id, &pol, &found)) != 0) {
        return rc;
    }
    if (in->has_category && in->category && !desk_resolution_category_allowed(&pol, in->category)) {
        return desk_fail(ch->fail, DESK_EINVALID, DESK_RES_CATEGORY, "InvalidValue",
                         desk_arena_printf(ch->a,
                                           "Resolution category: must be one of %s in this group",
                                           desk_strv_join(ch->a, &pol.categories)));
    }
    if (merged->n_fields > DESK_RES_FIELDS_MAX) {
        return desk_fail(ch->fail, DESK_EINVALID, "resolution", "TooMany",
                         "Resolution: at most 50 custom fields");
    }
    struct desk_resolution old;
    memset(&old, 0, sizeof(old));
    if (ch->before && (rc = desk_store_resolution_get(c, ch->a, ch->before->id, &old, &found))) {
        return rc;
    }
    if (!str_eq(old.category, merged->category)) {
        add_event(ch, DESK_RES_CATEGORY, old.category, merged->category);
    }
    if (!str_eq(old.note, merged->note)) {
        add_event(ch, DESK_RES_NOTE, old.note, merged->note);
    }
    for (size_t i = 0; i < old.n_fields; i++) {
        const char *now = desk_resolution_field(merged, old.fields[i].name);
        if (!str_eq(old.fields[i].value, now)) {
            add_event(ch, desk_arena_printf(ch->a, "resolution.%s", old.fields[i].name),
                      old.fields[i].value, now);
        }
    }
    for (size_t i = 0; i < merged->n_fields; i++) {
        if (!desk_resolution_field(&old, merged->fields[i].name)) {
            add_event(ch, desk_arena_printf(ch->a, "resolution.%s", merged->fields[i].name), NULL,
                      merged->fields[i].value);
        }
    }
    return 0;
}

/* Solving (from below solved to solved or closed) needs what the group's policy requires. */
static int solve_check(struct desk_conn *c, struct desk_ticket_change *ch,
                       const struct desk_resolution *merged)
{
    const struct desk_ticket *t = ch->after;
    struct desk_resolution_policy pol;
    bool found;
    int rc = desk_store_rpolicy_get(c, ch->a, t->group_id, &pol, &found);
    if (rc || !found) {
        return rc;
    }
    const char *missing[DESK_FAIL_MAX];
    size_t n = desk_resolution_missing(&pol, merged, missing, DESK_FAIL_MAX);
    for (size_t i = 0; i < n && i < DESK_FAIL_MAX; i++) {
        desk_fail(ch->fail, DESK_EINVALID, missing[i], "BlankValue",
                  desk_arena_printf(ch->a, "%s: is required to solve a ticket in this group",
                                    field_label(ch->a, missing[i])));
    }
    return n ? DESK_EINVALID : 0;
}

int desk_concessions_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    bool staff = desk_role_is_staff(ch->who->role);
    struct desk_concession_op *op = ch->in->concession_op;
    int rc = 0;
    if (op && ch->before) {
        rc = op->action == DESK_COP_PROPOSE ? op_propose(c, ch, op) : op_decide(c, ch, op);
    }
    if (!rc && staff && ch->in->hold_for_concession_id) {
        rc = hold_reply(c, ch);
    }
    /* Only staff are held to the policy: a customer marking their own request solved
     * is not documenting a solution. Solving means moving from below solved to solved or
     * closed. */
    const struct desk_ticket *t = ch->after;
    bool given = staff && ch->in->resolution;
    bool solving = staff && t->status >= DESK_STATUS_SOLVED && t->group_id &&
                   (!ch->before || ch->before->status < DESK_STATUS_SOLVED);
    if (!rc && (given || solving)) {
        struct desk_resolution merged;
        rc = res_merged(c, ch->a, ch->before ? ch->before->id : 0,
                        given ? ch->in->resolution : NULL, &merged);
        if (!rc && given) {
            rc = res_prepare(c, ch, &merged);
        }
        if (!rc && solving) {
            rc = solve_check(c, ch, &merged);
        }
    }
    return rc;
}

int desk_concessions_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    struct desk_concession_op *op = ch->in->concession_op;
    int rc = 0;
    if (op && op->held_reply_id && ch->comment_id) {
        struct desk_held_reply h;
        if ((rc = desk_store_held_by_concession(c, ch->a, op->id, &h)) != 0) {
            return rc;
        }
        h.comment_id = ch->comment_id;
        if ((rc = desk_store_held_update(c, &h)) != 0) {
            return rc;
        }
    }
    if (desk_role_is_staff(ch->who->role) && ch->in->resolution) {
        struct desk_resolution r;
        if ((rc = res_merged(c, ch->a, ch->before ? ch->after->id : 0, ch->in->resolution, &r)) !=
            0) {
            return rc;
        }
        r.ticket_id = ch->after->id;
        r.updated_by = ch->who->user_id;
        r.updated_at = ch->now;
        rc = desk_store_resolution_put(c, &r);
    }
    return rc;
}

/* ---- use cases: concessions ----------------------------------------------------------- */

static int need_staff(const struct desk_actor *who)
{
    return desk_role_is_staff(who->role) && who->user_id ? 0 : DESK_EFORBIDDEN;
}

static int read_back(struct desk_app *app, struct desk_arena *a, int64_t id,
                     struct desk_concession *out)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    if (!rc) {
        rc = desk_store_concession_get(c, a, id, out);
    }
    if (!rc) {
        effective_state(out, desk_time_now_ms());
    }
    return rc;
}

int desk_app_concession_propose(struct desk_app *app, const struct desk_actor *who,
                                struct desk_arena *a, int64_t ticket_id,
                                const struct desk_concession_input *in, struct desk_concession *out,
                                struct desk_fail *fail)
{
    struct desk_concession_op op;
    int rc = need_staff(who), digits = 2;
    const char *why;
    if (rc) {
        return rc;
    }
    memset(&op, 0, sizeof(op));
    op.action = DESK_COP_PROPOSE;
    struct desk_concession *k = &op.new_;
    size_t before = fail->n;
    if (!in->type) {
        desk_fail(fail, DESK_EINVALID, "type", "BlankValue", "Type: is required");
    } else if (desk_ctype_parse(in->type, &k->type) != 0) {
        desk_fail(fail, DESK_EINVALID, "type", "InvalidValue",
                  "Type: must be refund, credit, replacement, fee_waiver or policy_exception");
    }
    bool currency_ok = false;
    if (!in->currency) {
        desk_fail(fail, DESK_EINVALID, "currency", "BlankValue", "Currency: is required");
    } else if (desk_currency_check(in->currency, k->currency, &digits) != 0) {
        desk_fail(
            fail, DESK_EINVALID, "currency", "InvalidValue",
            desk_arena_printf(a, "Currency: %.16s is not an ISO 4217 currency code", in->currency));
    } else {
        currency_ok = true;
    }
    if (!in->amount) {
        desk_fail(fail, DESK_EINVALID, "amount", "BlankValue", "Amount: is required");
    } else if (desk_money_parse(in->amount, currency_ok ? digits : 4, &k->amount_minor, &why)) {
        desk_fail(fail, DESK_EINVALID, "amount", "InvalidValue",
                  desk_arena_printf(a, "Amount: %s", why));
    }
    if (blank(in->reason)) {
        desk_fail(fail, DESK_EINVALID, "reason", "BlankValue", "Reason: is required");
    } else if (strlen(in->reason) > DESK_CONCESSION_REASON_MAX) {
        desk_fail(fail, DESK_EINVALID, "reason", "TooLong",
                  "Reason: is too long (maximum is 200 bytes)");
    }
    if (in->note && strlen(in->note) > DESK_CONCESSION_NOTE_MAX) {
        desk_fail(fail, DESK_EINVALID, "note", "TooLong",
                  "Note: is too long (maximum is 4096 bytes)");
    }
    if (in->expires_in_s < 0 || in->expires_in_s > (int64_t)DESK_CONCESSION_EXPIRY_MAX_S) {
        desk_fail(fail, DESK_EINVALID, "expires_in", "InvalidValue",
                  "Expires in: must be from 1 to 2592000 seconds (30 days)");
    }
    if (fail->n > before) {
        return DESK_EINVALID;
    }
    k->reason = in->reason;
    k->note = in->note && *in->note ? in->note : NULL;
    op.wait_ms = (in->expires_in_s ? in->expires_in_s : (int64_t)DESK_CONCESSION_EXPIRY_S) * 1000;
    struct desk_ticket_input tin = {0};
    struct desk_ticket t;
    struct desk_audit au;
    tin.concession_op = &op;
    rc = desk_app_ticket_update(app, who, a, ticket_id, &tin, &t, &au, fail);
    return rc ? rc : read_back(app, a, op.id, out);
}

int desk_app_concession_decide(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int64_t id, int action, const char *amount,
                               const char *note, struct desk_concession *out,
                               struct desk_fail *fail)
{
    struct desk_concession k;
    struct desk_concession_op op;
    int rc = need_staff(who);
    if (rc || (rc = read_back(app, a, id, &k)) != 0) {
        return rc;
    }
    memset(&op, 0, sizeof(op));
    op.action = action;
    op.id = id;
    op.note = note;
    if (action == DESK_COP_DENY && blank(note)) {
        return desk_fail(fail, DESK_EINVALID, "reason", "BlankValue",
                         "Reason: a denial needs a reason the agent can act on");
    }
    if (note && strlen(note) > DESK_CONCESSION_NOTE_MAX) {
        return desk_fail(fail, DESK_EINVALID, action == DESK_COP_DENY ? "reason" : "note",
                         "TooLong", "is too long (maximum is 4096 bytes)");
    }
    if (action == DESK_COP_COUNTER) {
        char code[4];
        int digits = 2;
        const char *why;
        desk_currency_check(k.currency, code, &digits);
        if (!amount) {
            return desk_fail(fail, DESK_EINVALID, "amount", "BlankValue",
                             "Amount: a counter-offer needs an amount");
        }
        if (desk_money_parse(amount, digits, &op.counter_minor, &why) != 0) {
            return desk_fail(fail, DESK_EINVALID, "amount", "InvalidValue",
                             desk_arena_printf(a, "Amount: %s", why));
        }
    }
    struct desk_ticket_input tin = {0};
    struct desk_ticket t;
    struct desk_audit au;
    tin.concession_op = &op;
    rc = desk_app_ticket_update(app, who, a, k.ticket_id, &tin, &t, &au, fail);
    return rc ? rc : read_back(app, a, id, out);
}

int desk_app_concession_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t id, struct desk_concession *out)
{
    int rc = need_staff(who);
    return rc ? rc : read_back(app, a, id, out);
}

int desk_app_concession_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, struct desk_concession_filter *f,
                             bool awaiting_me, const struct desk_page *p,
                             struct desk_concession **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    int64_t now = desk_time_now_ms();
    int rc = need_staff(who);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    if (awaiting_me) {
        f->max_level = who->role;
        f->not_proposed_by = who->user_id;
        f->now = now;
    }
    if ((rc = desk_store_concession_list(c, a, f, p, items, out)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < out->n; i++) {
        effective_state(&(*items)[i], now);
    }
    return 0;
}

int desk_app_concession_report(struct desk_app *app, const struct desk_actor *who,
                               struct desk_arena *a, int by, int64_t from, int64_t to,
                               struct desk_concession_report_row **rows, size_t *n)
{
    struct desk_conn *c;
    if (who->role < DESK_ROLE_SUPERVISOR) {
        return DESK_EFORBIDDEN;
    }
    int rc = desk_store_reader(app->store, &c);
    return rc ? rc : desk_store_concession_report(c, a, by, from, to, rows, n);
}

int desk_app_held_reply_of(struct desk_app *app, struct desk_arena *a, int64_t concession_id,
                           struct desk_held_reply *out, bool *found)
{
    struct desk_conn *c;
    int rc = desk_store_reader(app->store, &c);
    if (rc) {
        return rc;
    }
    rc = desk_store_held_by_concession(c, a, concession_id, out);
    *found = rc == 0;
    return rc == DESK_ENOTFOUND ? 0 : rc;
}

int desk_app_held_reply_list(struct desk_app *app, const struct desk_actor *who,
                             struct desk_arena *a, int64_t ticket_id,
                             struct desk_held_reply **items, size_t *n)
{
    struct desk_ticket t;
    struct desk_conn *c;
    int rc = need_staff(who);
    if (rc || (rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0 ||
        (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_held_list(c, a, ticket_id, items, n);
}

/* Expires one request without its ticket (closed or deleted tickets take no change). */
struct expire_direct {
    int64_t id;
    int64_t now;
};

static int expire_direct_write(struct desk_conn *c, void *arg)
{
    struct expire_direct *x = arg;
    struct desk_arena a;
    struct desk_concession k;
    desk_arena_init(&a);
    int rc = desk_store_concession_get(c, &a, x->id, &k);
    if (!rc && k.state == DESK_CSTATE_PENDING) {
        k.state = DESK_CSTATE_EXPIRED;
        k.decided_at = k.updated_at = x->now;
        rc = desk_store_concession_update(c, &k);
        struct desk_held_reply h;
        bool held =
            !rc && desk_store_held_by_concession(c, &a, k.id, &h) == 0 && h.state == DESK_HOLD_HELD;
        if (held) {
            h.state = DESK_HOLD_RETURNED;
            h.updated_at = x->now;
            rc = desk_store_held_update(c, &h);
        }
        struct desk_concession_alert al = {0};
        al.user_id = k.proposed_by;
        al.concession_id = k.id;
        al.ticket_id = k.ticket_id;
        al.kind = "expired";
        al.message = desk_arena_printf(
            &a,
            "Concession #%lld (%s %s) on ticket #%lld expired without "
            "a decision.%s",
            (long long)k.id, desk_ctype_name(k.type), money(&a, k.amount_minor, k.currency),
            (long long)k.ticket_id, held ? " The held reply was not sent." : "");
        al.created_at = x->now;
        if (!rc) {
            rc = desk_store_calert_insert(c, &al);
        }
    }
    desk_arena_release(&a);
    return rc;
}

int desk_app_concession_expire_due(struct desk_app *app, int64_t now, size_t *n)
{
    struct desk_arena a;
    struct desk_conn *c;
    struct desk_concession *due;
    size_t n_due = 0;
    desk_arena_init(&a);
    *n = 0;
    int rc = desk_store_reader(app->store, &c);
    if (!rc) {
        rc = desk_store_concession_due(c, &a, now, 100, &due, &n_due);
    }
    for (size_t i = 0; !rc && i < n_due; i++) {
        struct desk_user u;
        struct desk_actor who;
        struct desk_fail fail = {0};
        struct desk_concession_op op = {.action = DESK_COP_EXPIRE, .id = due[i].id};
        struct desk_ticket_input tin = {0};
        struct desk_ticket t;
        struct desk_audit au;
        tin.concession_op = &op;
        /* The note is the proposer's own, via "rule": it is about their request. */
        int urc = desk_store_user_get(c, &a, due[i].proposed_by, &u);
        int wrc = DESK_EFORBIDDEN;
        if (!urc && desk_role_is_staff(u.role) && u.active) {
            desk_app_actor_from(c, &u, DESK_VIA_RULE, &who);
            who.request_id = "concession-expiry";
            wrc = desk_app_ticket_update(app, &who, &a, due[i].ticket_id, &tin, &t, &au, &fail);
        }
        if (wrc && wrc != DESK_ECONFLICT) {
            struct expire_direct x = {due[i].id, now};
            wrc = desk_store_write(app->store, expire_direct_write, &x);
        }
        if (!wrc) {
            (*n)++;
            desk_log(DESK_LOG_INFO, "event=concession_expired concession=%lld ticket=%lld",
                     (long long)due[i].id, (long long)due[i].ticket_id);
        } else if (wrc != DESK_ECONFLICT) {
            rc = wrc;
        }
    }
    desk_arena_release(&a);
    return rc;
}

/* ---- use cases: limits ------------------------------------------------------------------ */

struct limit_write {
    struct desk_concession_limit *l;
    bool created;
    int64_t id; /* delete */
};

static int limit_put_write(struct desk_conn *c, void *arg)
{
    struct limit_write *w = arg;
    return desk_store_climit_put(c, w->l, &w->created);
}

static int limit_delete_write(struct desk_conn *c, void *arg)
{
    struct limit_write *w = arg;
    return desk_store_climit_delete(c, w->id);
}

int desk_app_climit_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_concession_limit **items, size_t *n)
{
    struct desk_conn *c;
    int rc = desk_role_is_staff(who->role) ? 0 : DESK_EFORBIDDEN;
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_climit_list(c, a, items, n);
}

int desk_app_climit_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *role, int64_t user_id, const char *currency, const char *amount,
                        struct desk_concession_limit *out, bool *created, struct desk_fail *fail)
{
    struct desk_concession_limit l;
    struct desk_conn *c;
    int digits = 2, rc;
    const char *why;
    if (who->role != DESK_ROLE_ADMIN) {
        return DESK_EFORBIDDEN;
    }
    if ((rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    memset(&l, 0, sizeof(l));
    l.role = -1;
    size_t before = fail->n;
    if (!role == !user_id) {
        desk_fail(fail, DESK_EINVALID, "role", "InvalidValue",
                  "Role: give either a role (agent, supervisor, admin) or a user_id");
    } else if (role) {
        if (desk_role_parse(role, &l.role) != 0 || !desk_role_is_staff(l.role)) {
            desk_fail(fail, DESK_EINVALID, "role", "InvalidValue",
                      "Role: must be agent, supervisor or admin");
        }
    } else {
        struct desk_user u;
        if (desk_store_user_get(c, a, user_id, &u) != 0 || !u.active ||
            !desk_role_is_staff(u.role)) {
            desk_fail(fail, DESK_EINVALID, "user_id", "InvalidValue",
                      "User: must be an active agent, supervisor or admin");
        }
        l.user_id = user_id;
    }
    if (!currency) {
        desk_fail(fail, DESK_EINVALID, "currency", "BlankValue", "Currency: is required");
    } else if (desk_currency_check(currency, l.currency, &digits) != 0) {
        desk_fail(
            fail, DESK_EINVALID, "currency", "InvalidValue",
            desk_arena_printf(a, "Currency: %.16s is not an ISO 4217 currency code", currency));
    }
    l.max_minor = DESK_LIMIT_NONE;
    if (amount && strcmp(amount, "0") != 0 &&
        desk_money_parse(amount, digits, &l.max_minor, &why) != 0) {
        desk_fail(fail, DESK_EINVALID, "amount", "InvalidValue",
                  desk_arena_printf(a, "Amount: %s (or null for no limit)", why));
    } else if (amount && strcmp(amount, "0") == 0) {
        l.max_minor = 0; /* may grant nothing alone */
    }
    if (fail->n > before) {
        return DESK_EINVALID;
    }
    l.updated_by = who->user_id;
    l.updated_at = desk_time_now_ms();
    struct limit_write w = {.l = &l};
    if ((rc = desk_store_write(app->store, limit_put_write, &w)) != 0) {
        return rc;
    }
    desk_log(DESK_LOG_INFO, "event=concession_limit id=%lld currency=%s by=%lld", (long long)l.id,
             l.currency, (long long)who->user_id);
    *out = l;
    *created = w.created;
    return 0;
}

int desk_app_climit_delete(struct desk_app *app, const struct desk_actor *who, int64_t id)
{
    if (who->role != DESK_ROLE_ADMIN) {
        return DESK_EFORBIDDEN;
    }
    struct limit_write w = {.id = id};
    return desk_store_write(app->store, limit_delete_write, &w);
}

/* ---- use cases: alerts --------------------------------------------------------------------- */

struct alert_read {
    int64_t user_id;
    int64_t n;
};

static int alert_read_write(struct desk_conn *c, void *arg)
{
    struct alert_read *r = arg;
    return desk_store_calert_read(c, r->user_id, desk_time_now_ms(), &r->n);
}

int desk_app_calert_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         bool unread_only, struct desk_page *p,
                         struct desk_concession_alert **items, struct desk_page_out *out)
{
    struct desk_conn *c;
    int rc = need_staff(who);
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    p->desc = true;
    return desk_store_calert_list(c, a, who->user_id, unread_only, p, items, out);
}

int desk_app_calert_read(struct desk_app *app, const struct desk_actor *who, int64_t *n)
{
    int rc = need_staff(who);
    struct alert_read r = {who->user_id, 0};
    if (rc || (rc = desk_store_write(app->store, alert_read_write, &r)) != 0) {
        return rc;
    }
    *n = r.n;
    return 0;
}

/* ---- background expiry ------------------------------------------------------------------------
 */

struct desk_concession_sweeper {
    struct desk_app *app;
    int64_t period_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
};

static void *sweeper_main(void *arg)
{
    struct desk_concession_sweeper *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->period_ms / 1000;
        until.tv_nsec += (long)(s->period_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->wake, &s->lock, &until);
        if (s->stop) {
            break;
        }
        pthread_mutex_unlock(&s->lock);
        size_t n = 0;
        int rc = desk_app_concession_expire_due(s->app, desk_time_now_ms(), &n);
        if (rc) {
            desk_log(DESK_LOG_WARN, "event=concession_sweep error=\"%s\"", desk_err_msg(rc));
        }
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int desk_concession_sweeper_start(struct desk_app *app, int64_t period_ms,
                                  struct desk_concession_sweeper **out)
{
    struct desk_concession_sweeper *s = calloc(1, sizeof(*s));
    if (!s) {
        abort();
    }
    s->app = app;
    s->period_ms = period_ms > 0 ? period_ms : 1000;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, sweeper_main, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s);
        return DESK_EINTERNAL;
    }
    *out = s;
    return 0;
}

void desk_concession_sweeper_stop(struct desk_concession_sweeper *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
}

/* ---- use cases: resolutions -------------------------------------------------------------------
 */

int desk_app_resolution_get(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, struct desk_resolution *out,
                            bool *found)
{
    struct desk_conn *c;
    int rc = desk_role_is_staff(who->role) ? 0 : DESK_EFORBIDDEN;
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    return desk_store_resolution_get(c, a, ticket_id, out, found);
}

static int group_live(struct desk_conn *c, struct desk_arena *a, int64_t group_id)
{
    struct desk_group g;
    int rc = desk_store_group_get(c, a, group_id, &g);
    return rc ? rc : g.deleted ? DESK_ENOTFOUND : 0;
}

int desk_app_rpolicy_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t group_id, struct desk_resolution_policy *out)
{
    struct desk_conn *c;
    bool found;
    int rc = desk_role_is_staff(who->role) ? 0 : DESK_EFORBIDDEN;
    if (rc || (rc = desk_store_reader(app->store, &c)) != 0 || (rc = group_live(c, a, group_id))) {
        return rc;
    }
    return desk_store_rpolicy_get(c, a, group_id, out, &found);
}

struct rpolicy_write {
    struct desk_arena *a;
    struct desk_resolution_policy *p;
};

static int rpolicy_write_fn(struct desk_conn *c, void *arg)
{
    struct rpolicy_write *w = arg;
    int rc = group_live(c, w->a, w->p->group_id);
    return rc ? rc : desk_store_rpolicy_put(c, w->a, w->p);
}

/* Checks and deduplicates a list of names in place (order kept). */
static int names_check(struct desk_arena *a, struct desk_strv *v, const char *field,
                       struct desk_fail *fail)
{
    size_t k = 0;
    if (v->n > DESK_RES_FIELDS_MAX) {
        return desk_fail(fail, DESK_EINVALID, field, "TooMany",
                         desk_arena_printf(a, "%s: at most 50 names", field));
    }
    for (size_t i = 0; i < v->n; i++) {
        if (!desk_resolution_name_valid(v->v[i])) {
            return desk_fail(fail, DESK_EINVALID, field, "InvalidValue",
                             desk_arena_printf(a,
                                               "%s: \"%.64s\" is not a name (lower-case letters, "
                                               "digits, _ and -, up to 64)",
                                               field, v->v[i]));
        }
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++) {
            dup = strcmp(v->v[j], v->v[i]) == 0;
        }
        if (!dup) {
            v->v[k++] = v->v[i];
        }
    }
    v->n = k;
    return 0;
}

int desk_app_rpolicy_set(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         struct desk_resolution_policy *p, struct desk_fail *fail)
{
    int rc;
    if (who->role < DESK_ROLE_SUPERVISOR) {
        return DESK_EFORBIDDEN;
    }
    if ((rc = names_check(a, &p->required, "required_fields", fail)) != 0 ||
        (rc = names_check(a, &p->categories, "categories", fail)) != 0) {
        return rc;
    }
    p->updated_by = who->user_id;
    p->updated_at = desk_time_now_ms();
    struct rpolicy_write w = {a, p};
    return desk_store_write(app->store, rpolicy_write_fn, &w);
}

/* ---- use cases: similar tickets -----------------------------------------------------------------
 */

static bool res_empty(const struct desk_resolution *r)
{
    return !r->category && !r->note && !r->n_fields;
}

int desk_app_ticket_similar(struct desk_app *app, const struct desk_actor *who,
                            struct desk_arena *a, int64_t ticket_id, int limit,
                            struct desk_similar **items, size_t *n)
{
    struct desk_ticket t;
    struct desk_conn *c;
    struct desk_similar_hit *hits;
    size_t n_hits = 0, n_terms = 0;
    const char *terms[DESK_SIMILAR_TERMS_MAX];
    int rc = need_staff(who);
    if (rc || (rc = desk_app_ticket_get(app, who, a, ticket_id, &t)) != 0 ||
        (rc = desk_store_reader(app->store, &c)) != 0) {
        return rc;
    }
    int64_t docs[DESK_SIMILAR_TERMS_MAX], total = 0;
    desk_similar_terms(a, t.subject, terms, &n_terms, DESK_SIMILAR_TERMS_MAX);
    desk_similar_terms(a, t.description, terms, &n_terms, DESK_SIMILAR_TERMS_MAX);
    /* The telling words: the rarest in the index, not the ones every ticket has. */
    if ((rc = desk_store_term_docs(c, terms, n_terms, docs, &total)) != 0) {
        return rc;
    }
    n_terms = desk_similar_pick(terms, docs, n_terms, total, DESK_SIMILAR_QUERY_TERMS);
    if ((rc = desk_store_similar(c, a, terms, n_terms, t.language, t.id, limit, &hits, &n_hits)) !=
        0) {
        return rc;
    }
    struct desk_similar *out = desk_arena_alloc(a, (n_hits ? n_hits : 1) * sizeof(*out));
    size_t k = 0;
    for (size_t i = 0; i < n_hits; i++) {
        struct desk_similar *s = &out[k];
        bool found = false;
        memset(s, 0, sizeof(*s));
        if (desk_store_ticket_get(c, a, hits[i].ticket_id, &s->ticket) != 0) {
            continue;
        }
        s->score = hits[i].score;
        s->same_language = hits[i].same_language;
        if ((rc = desk_store_resolution_get(c, a, s->ticket.id, &s->resolution, &found)) != 0) {
            return rc;
        }
        s->has_resolution = found && !res_empty(&s->resolution);
        if (!s->has_resolution &&
            (rc = desk_store_last_staff_reply(c, a, s->ticket.id, &s->reply, &s->has_reply))) {
            return rc;
        }
        k++;
    }
    *items = out;
    *n = k;
    return 0;
}
