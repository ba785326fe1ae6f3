/*
 * Outgoing mail's part of desk serve: turns the options into the mail
 * thread's configuration and starts it (see mail/mail_out.h).
 */
#include "cli/cli_int.h"
#include "mail/imap_poll.h"
#include "mail/mail_out.h"

#include <stdio.h>

int desk_cli_mail_out_start(const struct cli_opts *o, struct desk_app *app,
                            struct desk_mail_out **out)
{
    *out = NULL;
    bool relay = o->smtp && *o->smtp;
    if (!o->mail_from || !*o->mail_from) {
        if (relay) {
            fprintf(stderr, "desk serve: --smtp needs --mail-from (the support address)\n");
            return 1;
        }
        return 0;
    }
    struct desk_mail_out_config cfg = {
        .smtp = {.url = relay ? o->smtp : NULL,
                 .user = o->smtp_user,
                 .password = o->smtp_password,
                 .ca_file = o->smtp_ca,
                 .timeout_ms = o->smtp_timeout_ms},
        .from_address = o->mail_from,
        .from_name = o->mail_name,
        .retry_ms = o->mail_retry_ms,
        .retry_max_ms = o->mail_retry_max_ms,
        .max_age_ms = o->mail_max_age_ms,
        .poll_ms = o->mail_poll_ms,
    };
    if (desk_smtp_tls_parse(o->smtp_tls, &cfg.smtp.tls) != 0) {
        fprintf(stderr, "desk serve: --smtp-tls must be try, require or none\n");
        return 1;
    }
    if (o->mail_retry_ms <= 0 || o->mail_retry_max_ms <= 0 || o->mail_poll_ms <= 0 ||
        o->smtp_timeout_ms <= 0 || o->mail_max_age_ms < 0) {
        fprintf(stderr, "desk serve: mail delays and timeouts must be positive\n");
        return 1;
    }
    if (desk_mail_out_start(app, &cfg, out) != 0) {
        fprintf(stderr, "desk serve: cannot start outgoing mail (--smtp '%s', --mail-from '%s')\n",
                relay ? "set" : "unset", o->mail_from);
        return 1;
    }
    return 0;
}

int desk_cli_imap_poll_start(const struct cli_opts *o, struct desk_app *app,
                             struct desk_imap_poll **out)
{
    struct desk_imap_poll_config cfg = {
        .ca_file = o->imap_ca,
        .timeout_ms = o->imap_timeout_ms,
        .our_address = o->mail_address && *o->mail_address ? o->mail_address : o->mail_from,
        .reload_ms = o->imap_reload_ms,
    };
    desk_cli_mail_limits(o, &cfg.limits);
    if (o->imap_timeout_ms <= 0 || o->imap_reload_ms <= 0) {
        fprintf(stderr, "desk serve: --imap-timeout-ms and --imap-reload-ms must be positive\n");
        return 1;
    }
    if (desk_imap_poll_start(app, &cfg, out) != 0) {
        fprintf(stderr, "desk serve: cannot start IMAP polling\n");
        return 1;
    }
    return 0;
}
