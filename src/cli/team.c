/*
 * desk user offboard|suspend|reinstate (also desk staff ...): the staff
 * lifecycle from the command line, acting as the system, so an admin can
 * let someone go even when nobody can sign in to the API.
 */
#include "app/team.h"
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>

static void print_fail(const char *cmd, int rc, const struct desk_fail *fail)
{
    if (fail->n) {
        for (size_t i = 0; i < fail->n; i++) {
            fprintf(stderr, "desk %s: %s\n", cmd, fail->items[i].description);
        }
    } else {
        fprintf(stderr, "desk %s: %s\n", cmd, desk_err_msg(rc));
    }
}

/* The id of the user with this email, or 0 after saying so. */
static int64_t user_id(struct desk_app *app, struct desk_arena *a, const char *cmd,
                       const char *option, const char *email)
{
    struct desk_conn *c;
    struct desk_user u;
    if (desk_app_reader(app, &c) != 0 || desk_store_user_by_email(c, a, email, &u) != 0) {
        fprintf(stderr, "desk %s: no user has the email %s (%s)\n", cmd, email, option);
        return 0;
    }
    return u.id;
}

int desk_cli_staff(const struct cli_opts *o, const struct cli_args *a)
{
    const char *verb = a->n_pos == 1 ? a->pos[0] : "";
    bool offboard = strcmp(verb, "offboard") == 0, suspend = strcmp(verb, "suspend") == 0;
    if (!offboard && !suspend && strcmp(verb, "reinstate") != 0) {
        fprintf(stderr, "desk staff: say 'offboard', 'suspend' or 'reinstate' (see desk --help)\n");
        return 2;
    }
    char cmd[32];
    snprintf(cmd, sizeof(cmd), "user %s", verb);
    if (!o->email) {
        fprintf(stderr, "desk %s: --email is required\n", cmd);
        return 2;
    }
    if (o->reassign_to && !offboard) {
        fprintf(stderr, "desk %s: --reassign-to is for offboard only\n", cmd);
        return 2;
    }
    struct desk_app *app;
    if (desk_app_open(o->db, &app) != 0) {
        fprintf(stderr, "desk %s: cannot open database '%s'\n", cmd, o->db);
        return 1;
    }
    struct desk_arena ar;
    struct desk_fail fail = {0};
    int rc = 1;
    desk_arena_init(&ar);
    int64_t id = user_id(app, &ar, cmd, "--email", o->email), to = 0;
    if (id && o->reassign_to) {
        to = user_id(app, &ar, cmd, "--reassign-to", o->reassign_to);
    }
    if (id && (!o->reassign_to || to)) {
        if (offboard) {
            struct desk_offboard_result res;
            rc = desk_app_staff_offboard(app, &desk_actor_system, &ar, id, to, &res, &fail);
            if (!rc || res.user.id) {
                printf("%s offboarded: sign-in revoked, %zu open ticket%s %s, %zu open "
                       "commitment%s handed over\n",
                       o->email, res.n_tickets, res.n_tickets == 1 ? "" : "s",
                       to ? "reassigned" : "returned to their group queues", res.n_commitments,
                       res.n_commitments == 1 ? "" : "s");
            }
        } else {
            struct desk_staff_view v;
            rc = desk_app_staff_suspend(app, &desk_actor_system, &ar, id, suspend, o->reason, &v,
                                        &fail);
            if (!rc) {
                printf("%s %s\n", o->email, suspend ? "suspended" : "reinstated");
            }
        }
        if (rc) {
            print_fail(cmd, rc, &fail);
        }
    }
    desk_arena_release(&ar);
    desk_app_close(app);
    return rc ? 1 : 0;
}
