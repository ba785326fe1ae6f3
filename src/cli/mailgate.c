/*
 * desk mailgate: one RFC 5322 message on standard input (an MTA's pipe,
 * e.g. Postfix's mailbox_command or an alias "|desk mailgate --db ..."),
 * stored through mail/'s ingest. Exits 0 once the message is durably a
 * ticket, a comment, a bounce note or a suspended ticket (or was stored
 * before); exits 75 (EX_TEMPFAIL) whenever it was not, so the MTA keeps
 * the message and retries: nothing is ever dropped silently.
 */
#include "cli/cli_int.h"
#include "app/app.h"
#include "core/log.h"
#include "mail/mail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EX_TEMPFAIL 75

/* Fills lim from the options (0 keeps a default). */
void desk_cli_mail_limits(const struct cli_opts *o, struct desk_mail_limits *lim)
{
    desk_mail_limits_default(lim);
    if (o->mail_max_size > 0) {
        lim->max_message = (size_t)o->mail_max_size;
    }
    if (o->mail_max_attachment > 0) {
        lim->max_attachment = (size_t)o->mail_max_attachment;
    }
    if (o->mail_rate >= 0) {
        lim->rate_per_hour = (int)o->mail_rate;
    }
}

int desk_cli_mailgate(const struct cli_opts *o, const struct cli_args *a)
{
    struct desk_mail_limits lim;
    struct desk_app *app;
    if (a->n_pos) {
        fprintf(stderr, "desk mailgate: unexpected argument '%s'\n", a->pos[0]);
        return EX_TEMPFAIL; /* a configuration mistake must not bounce mail */
    }
    desk_cli_mail_limits(o, &lim);
    /* Read it all: up to twice the limit is kept (a larger message is suspended with
     * its start), the rest is counted so the record says how large it was. */
    size_t keep = lim.max_message * 2, cap = 64 << 10, len = 0, total = 0;
    char *buf = malloc(cap);
    if (!buf) {
        return EX_TEMPFAIL;
    }
    for (;;) {
        if (len == cap && cap < keep) {
            cap = cap * 2 < keep ? cap * 2 : keep;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return EX_TEMPFAIL;
            }
            buf = nb;
        }
        char sink[65536];
        char *dst = len < cap ? buf + len : sink;
        size_t room = len < cap ? cap - len : sizeof(sink);
        ssize_t n = read(STDIN_FILENO, dst, room);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fprintf(stderr, "desk mailgate: cannot read the message: %s\n", strerror(errno));
            free(buf);
            return EX_TEMPFAIL;
        }
        if (n == 0) {
            break;
        }
        total += (size_t)n;
        if (dst == buf + len) {
            len += (size_t)n;
        }
    }
    if (desk_app_open(o->db, &app) != 0) {
        fprintf(stderr, "desk mailgate: cannot open database '%s'\n", o->db);
        free(buf);
        return EX_TEMPFAIL;
    }
    struct desk_mail_source src = {"mailgate", o->mail_address};
    struct desk_mail_result res;
    /* A message cut at the read cap is reported at its full size, so it is suspended. */
    if (total > len && lim.max_message >= len) {
        lim.max_message = len - 1;
    }
    int rc = desk_mail_ingest(app, buf, len, &src, &lim, &res);
    desk_app_close(app);
    free(buf);
    if (rc) {
        fprintf(stderr, "desk mailgate: message not stored, try again later: %s\n",
                desk_err_msg(rc));
        return EX_TEMPFAIL;
    }
    printf("%s ticket=%lld%s%s\n", desk_mail_outcome_name(res.outcome), (long long)res.ticket_id,
           res.reason[0] ? " reason=" : "", res.reason);
    return 0;
}
