/*
 * Maintenance subcommands: init (create or migrate the store, optionally
 * with demo data), user create/list, token create. They act as the system
 * actor and work while a server runs on the same database.
 */
#include "cli/cli_int.h"
#include "app/app.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

static int open_app(const struct cli_opts *o, const char *cmd, struct desk_app **app)
{
    if (desk_app_open(o->db, app) != 0) {
        fprintf(stderr, "desk %s: cannot open database '%s'\n", cmd, o->db);
        return 1;
    }
    return 0;
}

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

int desk_cli_init(const struct cli_opts *o, const struct cli_args *a)
{
    struct desk_app *app;
    if (a->n_pos) {
        fprintf(stderr, "desk init: unexpected argument '%s'\n", a->pos[0]);
        return 2;
    }
    if (open_app(o, "init", &app)) {
        return 1;
    }
    int rc = o->demo ? desk_cli_demo_load(app) : 0;
    desk_app_close(app);
    if (rc) {
        fprintf(stderr, "desk init: loading demo data failed: %s\n", desk_err_msg(rc));
        return 1;
    }
    printf("desk: database %s is ready%s\n", o->db, o->demo ? " with demo data" : "");
    return 0;
}

/* Reads one line (the password) from stdin into buf; strips the newline. */
static int read_password(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin)) {
        return -1;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] ? 0 : -1;
}

static int user_create(const struct cli_opts *o)
{
    struct desk_app *app;
    struct desk_user_input in = {0};
    struct desk_fail fail = {0};
    struct desk_user u;
    struct desk_arena a;
    char pw[1024];
    if (!o->email || !o->name) {
        fprintf(stderr, "desk user create: --email and --name are required\n");
        return 2;
    }
    if (desk_role_parse(o->role, &in.role) != 0) {
        fprintf(stderr, "desk user create: --role must be end-user, agent, supervisor or admin\n");
        return 2;
    }
    if (o->password_stdin && read_password(pw, sizeof(pw)) != 0) {
        fprintf(stderr, "desk user create: no password on standard input\n");
        return 2;
    }
    in.has_role = true;
    in.email = o->email;
    in.has_email = true;
    in.name = o->name;
    in.has_name = true;
    in.verified = in.has_verified = true;
    in.password = o->password_stdin ? pw : NULL;
    if (open_app(o, "user create", &app)) {
        return 1;
    }
    desk_arena_init(&a);
    int rc = desk_app_user_create(app, &desk_actor_system, &a, &in, &u, &fail);
    explicit_bzero(pw, sizeof(pw));
    if (rc) {
        print_fail("user create", rc, &fail);
    } else {
        printf("%lld\n", (long long)u.id);
    }
    desk_arena_release(&a);
    desk_app_close(app);
    return rc ? 1 : 0;
}

static int user_list(const struct cli_opts *o)
{
    struct desk_app *app;
    struct desk_conn *c;
    struct desk_arena a;
    if (open_app(o, "user list", &app)) {
        return 1;
    }
    desk_arena_init(&a);
    struct desk_page p = {.cursor = true, .limit = 100};
    int rc = desk_app_reader(app, &c);
    for (;;) {
        struct desk_user *items;
        struct desk_page_out out;
        struct desk_user_filter f = {.role = -1};
        if (rc || (rc = desk_store_user_list(c, &a, &f, &p, &items, &out)) != 0) {
            break;
        }
        for (size_t i = 0; i < out.n; i++) {
            printf("%lld\t%s\t%s\t%s%s\n", (long long)items[i].id,
                   items[i].email ? items[i].email : "-", desk_role_name(items[i].role),
                   items[i].name, items[i].active ? "" : "\t(inactive)");
        }
        if (!out.more || !out.n) {
            break;
        }
        p.after = items[out.n - 1].id;
    }
    if (rc) {
        fprintf(stderr, "desk user list: %s\n", desk_err_msg(rc));
    }
    desk_arena_release(&a);
    desk_app_close(app);
    return rc ? 1 : 0;
}

int desk_cli_user(const struct cli_opts *o, const struct cli_args *a)
{
    if (a->n_pos == 1 && strcmp(a->pos[0], "create") == 0) {
        return user_create(o);
    }
    if (a->n_pos == 1 && strcmp(a->pos[0], "list") == 0) {
        return user_list(o);
    }
    if (a->n_pos == 1 && (strcmp(a->pos[0], "offboard") == 0 || strcmp(a->pos[0], "suspend") == 0 ||
                          strcmp(a->pos[0], "reinstate") == 0)) {
        return desk_cli_staff(o, a);
    }
    fprintf(stderr, "desk user: say 'create', 'list', 'offboard', 'suspend' or 'reinstate' (see "
                    "desk --help)\n");
    return 2;
}

int desk_cli_token(const struct cli_opts *o, const struct cli_args *a)
{
    struct desk_app *app;
    struct desk_arena ar;
    const char *token;
    if (a->n_pos != 1 || strcmp(a->pos[0], "create") != 0) {
        fprintf(stderr, "desk token: say 'create --email E' (see desk --help)\n");
        return 2;
    }
    if (!o->email) {
        fprintf(stderr, "desk token create: --email is required\n");
        return 2;
    }
    if (open_app(o, "token create", &app)) {
        return 1;
    }
    desk_arena_init(&ar);
    int rc = desk_app_token_create(app, &ar, o->email, o->description, &token);
    if (rc == DESK_ENOTFOUND) {
        fprintf(stderr, "desk token create: no user has the email %s\n", o->email);
    } else if (rc) {
        fprintf(stderr, "desk token create: %s\n", desk_err_msg(rc));
    } else {
        printf("%s\n", token);
    }
    desk_arena_release(&ar);
    desk_app_close(app);
    return rc ? 1 : 0;
}
