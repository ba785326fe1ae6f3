/*
 * desk concession-limit list|set: the approval limits, from the command line
 * (as the system actor, with an admin's rights), for setting a desk up
 * before anyone signs in. The same use cases serve /api/v2/concession_limits.
 */
#include "app/concessions.h"
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>

static int limits_list(struct desk_app *app)
{
    struct desk_arena a;
    struct desk_concession_limit *items;
    size_t n = 0;
    desk_arena_init(&a);
    int rc = desk_app_climit_list(app, &desk_actor_system, &a, &items, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct desk_concession_limit *l = &items[i];
        char code[4];
        int digits = 2;
        desk_currency_check(l->currency, code, &digits);
        const char *who = l->user_id ? desk_arena_printf(&a, "user %lld", (long long)l->user_id)
                                     : desk_role_name(l->role);
        printf("%lld\t%s\t%s\t%s\n", (long long)l->id, l->currency, who,
               l->max_minor == DESK_LIMIT_NONE ? "unlimited"
                                               : desk_money_format(&a, l->max_minor, digits));
    }
    desk_arena_release(&a);
    return rc;
}

static int limits_set(struct desk_app *app, const struct cli_opts *o)
{
    struct desk_arena a;
    struct desk_fail fail = {0};
    struct desk_concession_limit l;
    bool created;
    int64_t user_id = 0;
    const char *role = NULL;
    int rc = 0;
    desk_arena_init(&a);
    if (o->email) {
        struct desk_conn *c;
        struct desk_user u;
        if ((rc = desk_app_reader(app, &c)) == 0 &&
            (rc = desk_store_user_by_email(c, &a, o->email, &u)) == 0) {
            user_id = u.id;
        }
    } else if (strcmp(o->role, "end-user") != 0) {
        role = o->role;
    } else {
        fprintf(stderr, "desk concession-limit set: give --role agent|supervisor|admin or "
                        "--email of one person\n");
        desk_arena_release(&a);
        return DESK_EINVAL;
    }
    const char *amount = o->amount && strcmp(o->amount, "unlimited") == 0 ? NULL : o->amount;
    if (!rc && !o->amount) {
        fprintf(stderr, "desk concession-limit set: --amount is required (a decimal amount or "
                        "unlimited)\n");
        rc = DESK_EINVAL;
    } else if (!rc) {
        rc = desk_app_climit_set(app, &desk_actor_system, &a, role, user_id, o->currency, amount,
                                 &l, &created, &fail);
    }
    for (size_t i = 0; i < fail.n; i++) {
        fprintf(stderr, "desk concession-limit set: %s\n", fail.items[i].description);
    }
    if (rc == DESK_ENOTFOUND) {
        fprintf(stderr, "desk concession-limit set: no user has the email %s\n", o->email);
    }
    if (!rc) {
        printf("%s limit %lld\n", created ? "created" : "updated", (long long)l.id);
    }
    desk_arena_release(&a);
    return rc;
}

int desk_cli_concession_limit(const struct cli_opts *o, const struct cli_args *a)
{
    struct desk_app *app;
    const char *verb = a->n_pos ? a->pos[0] : "";
    if (strcmp(verb, "list") != 0 && strcmp(verb, "set") != 0) {
        fprintf(stderr, "usage: desk concession-limit list\n"
                        "       desk concession-limit set --currency EUR --amount 50 "
                        "(--role agent|supervisor|admin | --email E)\n");
        return 2;
    }
    if (desk_app_open(o->db, &app) != 0) {
        fprintf(stderr, "desk concession-limit: cannot open database '%s'\n", o->db);
        return 1;
    }
    int rc = strcmp(verb, "list") == 0 ? limits_list(app) : limits_set(app, o);
    desk_app_close(app);
    return rc ? 1 : 0;
}
