/*
 * Concessions as the domain sees them: what an agent may offer a customer
 * (refund, credit, replacement, fee waiver, policy exception), its amount
 * in a currency's minor units, its states, and the approval rules (which
 * level must approve an amount, whether a limit covers it). Money is exact:
 * decimal strings to integers, never floating point. Currencies are ISO
 * 4217 codes as ICU lists them. Pure functions, no I/O.
 */
#ifndef DESK_MODEL_CONCESSION_H
#define DESK_MODEL_CONCESSION_H

#include "core/arena.h"
#include "core/error.h"
#include "model/records.h"

#include <stdbool.h>
#include <stdint.h>

enum desk_ctype {
    DESK_CTYPE_REFUND,
    DESK_CTYPE_CREDIT,
    DESK_CTYPE_REPLACEMENT,
    DESK_CTYPE_FEE_WAIVER,
    DESK_CTYPE_POLICY_EXCEPTION,
    DESK_CTYPE__COUNT
};

/*
 * Pending waits for an approver until expires_at; granted was within the
 * proposer's own limit; approved, denied and countered are decisions;
 * expired means nobody decided in time.
 */
enum desk_cstate {
    DESK_CSTATE_PENDING,
    DESK_CSTATE_GRANTED,
    DESK_CSTATE_APPROVED,
    DESK_CSTATE_DENIED,
    DESK_CSTATE_COUNTERED,
    DESK_CSTATE_EXPIRED,
    DESK_CSTATE__COUNT
};

/* A reply held until its concession is decided: held, then sent or returned to its author. */
enum desk_hold_state { DESK_HOLD_HELD, DESK_HOLD_SENT, DESK_HOLD_RETURNED };

/* Wire names ("refund", "fee_waiver", "pending", ...). Static strings; NULL when out of range. */
const char *desk_ctype_name(int type);
const char *desk_cstate_name(int state);
const char *desk_hold_state_name(int state);

/* Parses a wire name (exact, lower case). 0 and *out, or DESK_EINVAL. */
int desk_ctype_parse(const char *s, int *out);
int desk_cstate_parse(const char *s, int *out);

/* Largest amount desk accepts, in minor units (10^12: sums of many stay within int64). */
#define DESK_MONEY_MAX 1000000000000LL

/* No limit (a limit row whose amount is null, or an admin without a row). */
#define DESK_LIMIT_NONE (-1)

/*
 * Checks code against ICU's list of current ISO 4217 currencies (common,
 * not deprecated), case-insensitively. On success writes the upper-case
 * code to out (4 bytes with the NUL) and the currency's minor digits (2 for
 * EUR, 0 for JPY, 3 for BHD) to *digits. DESK_EINVAL when unknown.
 * Thread-safe.
 */
int desk_currency_check(const char *code, char out[4], int *digits);

/*
 * Parses a plain decimal amount ("300", "300.5", "0.99") into minor units
 * with the currency's digits, exactly. Rejects signs, exponents, spaces,
 * thousands separators, more decimals than the currency has, zero, and
 * amounts above DESK_MONEY_MAX. Returns 0 and *minor, or DESK_EINVAL with
 * *why (a static reason) set.
 */
int desk_money_parse(const char *s, int digits, int64_t *minor, const char **why);

/* Formats minor units as a decimal string with digits decimals ("300.00"). Owned by a. */
char *desk_money_format(struct desk_arena *a, int64_t minor, int digits);

/* True when amount is within limit (DESK_LIMIT_NONE covers everything). */
bool desk_limit_covers(int64_t limit, int64_t amount);

/*
 * The approval chain: the lowest level whose role limit covers amount —
 * DESK_ROLE_SUPERVISOR within supervisor_limit, else DESK_ROLE_ADMIN (the
 * manager) within admin_limit — or -1 when no level may approve it.
 */
int desk_concession_level(int64_t amount, int64_t supervisor_limit, int64_t admin_limit);

/* A concession as stored. Strings borrowed from whoever filled it. */
struct desk_concession {
    int64_t id;
    int64_t ticket_id;
    int type;
    int64_t amount_minor;
    char currency[4];
    const char *reason;
    const char *note;
    int state;
    int level; /* role that must approve while pending; 0 when granted outright */
    int64_t proposed_by;
    int64_t granted_minor; /* what was granted: the amount, or the counter-offer; 0 otherwise */
    int64_t decided_by;
    const char *decision_note;
    int64_t expires_at;
    int64_t decided_at;
    int64_t created_at;
    int64_t updated_at;
};

/* A public reply held until a concession is decided. */
struct desk_held_reply {
    int64_t id;
    int64_t concession_id;
    int64_t ticket_id;
    int64_t author_id;
    const char *body;
    int state;
    int64_t comment_id; /* the public comment once sent */
    int64_t created_at;
    int64_t updated_at;
};

/* An approval limit: for a role (user_id 0) or one person (role -1), in one currency. */
struct desk_concession_limit {
    int64_t id;
    int role;
    int64_t user_id;
    char currency[4];
    int64_t max_minor; /* DESK_LIMIT_NONE: unlimited */
    int64_t updated_by;
    int64_t created_at;
    int64_t updated_at;
};

/* A note for an agent about one of their concessions or held replies. */
struct desk_concession_alert {
    int64_t id;
    int64_t user_id;
    int64_t concession_id;
    int64_t ticket_id;
    const char *kind;
    const char *message;
    int64_t created_at;
    int64_t read_at;
};

#endif
