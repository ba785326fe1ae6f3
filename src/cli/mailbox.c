/*
 * desk mailbox add|list|remove: the IMAP mailboxes desk serve polls,
 * managed from the command line as the system actor (the same use cases
 * as /api/v2/mailboxes). A running server picks changes up within its
 * reload interval.
 */
#include "cli/cli_int.h"
#include "app/mailbox.h"
#include "core/str.h"
#include "core/time.h"

#include <stdio.h>
#include <string.h>

static void print_fail(int rc, const struct desk_fail *fail, const char *what)
{
    if (fail && fail->n) {
        for (size_t i = 0; i < fail->n; i++) {
            fprintf(stderr, "desk mailbox %s: %s\n", what, fail->items[i].description);
        }
    } else if (rc == DESK_ENOTFOUND) {
        fprintf(stderr, "desk mailbox %s: no such mailbox\n", what);
    } else {
        fprintf(stderr, "desk mailbox %s: %s\n", what, desk_err_msg(rc));
    }
}

static int mailbox_add(const struct cli_opts *o, struct desk_app *app)
{
    struct desk_mailbox_input in = {0};
    struct desk_mailbox m;
    struct desk_fail fail = {0};
    struct desk_arena a;
    char pw[1100] = "";
    if (o->password_stdin) {
        if (!fgets(pw, (int)sizeof(pw), stdin)) {
            pw[0] = '\0';
        }
        pw[strcspn(pw, "\r\n")] = '\0';
    } else if (o->imap_password) {
        snprintf(pw, sizeof(pw), "%s", o->imap_password);
    }
    if (!pw[0]) {
        fprintf(stderr, "desk mailbox add: give the password on standard input "
                        "(--password-stdin) or in DESK_IMAP_PASSWORD\n");
        return 2;
    }
    in.host = o->imap_host;
    in.has_host = true;
    in.username = o->imap_user;
    in.has_username = true;
    in.password = pw;
    in.has_password = true;
    in.tls = o->imap_tls;
    in.has_tls = o->imap_tls != NULL;
    in.port = o->imap_port;
    in.has_port = o->imap_port != 0;
    in.folder = o->imap_folder;
    in.has_folder = o->imap_folder != NULL;
    in.poll_interval = o->imap_interval;
    in.has_poll_interval = o->imap_interval != 0;
    in.name = o->name;
    in.has_name = o->name != NULL;
    desk_arena_init(&a);
    int rc = desk_app_mailbox_create(app, &desk_actor_system, &a, &in, &m, &fail);
    explicit_bzero(pw, sizeof(pw));
    if (rc) {
        print_fail(rc, &fail, "add");
    } else {
        printf("%lld\n", (long long)m.id);
    }
    desk_arena_release(&a);
    return rc ? 1 : 0;
}

static int mailbox_list(struct desk_app *app)
{
    struct desk_arena a;
    struct desk_page p = {.cursor = true, .limit = 100};
    int rc = 0;
    desk_arena_init(&a);
    for (;;) {
        struct desk_mailbox *items;
        struct desk_page_out out;
        if ((rc = desk_app_mailbox_list(app, &desk_actor_system, &a, &p, &items, &out)) != 0) {
            break;
        }
        for (size_t i = 0; i < out.n; i++) {
            const struct desk_mailbox *m = &items[i];
            char polled[21] = "never";
            if (m->last_poll_at) {
                desk_time_iso(m->last_poll_at, polled);
            }
            printf("%lld\t%s:%lld\t%s\t%s\t%s\t%s\tpolled %s\tstored %lld%s%s\n", (long long)m->id,
                   m->host, (long long)m->port, m->tls, m->username, m->folder,
                   m->active ? "active" : "inactive", polled, (long long)m->messages_stored,
                   m->last_error ? "\terror: " : "", m->last_error ? m->last_error : "");
        }
        if (!out.more || !out.n) {
            break;
        }
        p.after = items[out.n - 1].id;
    }
    if (rc) {
        print_fail(rc, NULL, "list");
    }
    desk_arena_release(&a);
    return rc ? 1 : 0;
}

static int mailbox_remove(struct desk_app *app, const char *arg)
{
    int64_t id;
    if (!arg || desk_str_to_i64(arg, strlen(arg), &id) != 0 || id <= 0) {
        fprintf(stderr, "desk mailbox remove: give the mailbox's id (see desk mailbox list)\n");
        return 2;
    }
    int rc = desk_app_mailbox_delete(app, &desk_actor_system, id);
    if (rc) {
        print_fail(rc, NULL, "remove");
    }
    return rc ? 1 : 0;
}

int desk_cli_mailbox(const struct cli_opts *o, const struct cli_args *a)
{
    const char *verb = a->n_pos ? a->pos[0] : "";
    bool ok = (strcmp(verb, "add") == 0 && a->n_pos == 1) ||
              (strcmp(verb, "list") == 0 && a->n_pos == 1) ||
              (strcmp(verb, "remove") == 0 && a->n_pos == 2);
    if (!ok) {
        fprintf(stderr, "desk mailbox: say 'add --imap-host H --imap-user U --password-stdin', "
                        "'list' or 'remove ID' (see desk --help)\n");
        return 2;
    }
    if (strcmp(verb, "add") == 0 && (!o->imap_host || !o->imap_user)) {
        fprintf(stderr, "desk mailbox add: --imap-host and --imap-user are required\n");
        return 2;
    }
    struct desk_app *app;
    if (desk_app_open(o->db, &app) != 0) {
        fprintf(stderr, "desk mailbox: cannot open database '%s'\n", o->db);
        return 1;
    }
    int rc = strcmp(verb, "add") == 0    ? mailbox_add(o, app)
             : strcmp(verb, "list") == 0 ? mailbox_list(app)
                                         : mailbox_remove(app, a->pos[1]);
    desk_app_close(app);
    return rc;
}
