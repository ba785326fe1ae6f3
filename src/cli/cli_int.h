/*
 * Inside cli/: the parsed options every subcommand shares, and the
 * subcommands themselves.
 */
#ifndef DESK_CLI_CLI_INT_H
#define DESK_CLI_CLI_INT_H

#include "cli/cli.h"
#include "core/opt.h"

#include <stddef.h>

struct cli_opts {
    const char *db;
    const char *listen;
    long io_threads;
    long workers;
    long max_body;
    int demo;
    const char *email;
    const char *name;
    const char *role;
    int password_stdin;
    const char *description;
    /* email in */
    long mail_max_size;
    long mail_max_attachment;
    long mail_rate;
    const char *mail_address;
    /* email out */
    const char *smtp;
    const char *smtp_tls;
    const char *smtp_user;
    const char *smtp_password;
    const char *smtp_ca;
    long smtp_timeout_ms;
    const char *mail_from;
    const char *mail_name;
    long mail_retry_ms;
    long mail_retry_max_ms;
    long mail_max_age_ms;
    long mail_poll_ms;
    const char *imap_host;
    long imap_port;
    const char *imap_tls;
    const char *imap_user;
    const char *imap_password;
    const char *imap_folder;
    long imap_interval;
    const char *imap_ca;
    long imap_timeout_ms;
    long imap_reload_ms;
    /* SLA */
    const char *sla_tz;
    const char *sla_hours;
    struct desk_opt_list sla_holidays;
    const char *sla_start;
    long sla_minutes;
    /* commitments */
    long commitment_reminder_lead;
    const char *calendar_key_file;
    /* team */
    const char *public_url;
    const char *reassign_to;
    long routing_interval;
    const char *reason;
    /* supervisor */
    /* concessions */
    long concession_sweep_ms;
    const char *currency;
    const char *amount;
    /* console (public_url: see team) */
    const char *log_level;
    int help;
};

/* Positional words after the subcommand (e.g. "create" in "desk user create"). */
struct cli_args {
    const char *pos[4];
    size_t n_pos;
};

int desk_cli_serve(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_init(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_user(const struct cli_opts *o, const struct cli_args *a);
int desk_cli_token(const struct cli_opts *o, const struct cli_args *a);
/* email in */
int desk_cli_mailgate(const struct cli_opts *o, const struct cli_args *a);
struct desk_mail_limits;
/* The mail limits from the options (mailgate, serve). */
void desk_cli_mail_limits(const struct cli_opts *o, struct desk_mail_limits *lim);
/* email out */
/*
 * Starts outgoing mail for serve when --mail-from (or --smtp) is given:
 * *out is the mail thread (desk_mail_out_stop) or NULL when mail is off.
 * Returns 0, or 1 after printing why the options cannot work.
 */
struct desk_app;
struct desk_mail_out;
int desk_cli_mail_out_start(const struct cli_opts *o, struct desk_app *app,
                            struct desk_mail_out **out);
/*
 * Starts IMAP polling for serve (the mailboxes of desk mailbox / the API):
 * *out is the poller (desk_imap_poll_stop). Returns 0, or 1 after printing
 * why it cannot start.
 */
struct desk_imap_poll;
int desk_cli_imap_poll_start(const struct cli_opts *o, struct desk_app *app,
                             struct desk_imap_poll **out);
/* desk mailbox add|list|remove: the IMAP mailboxes serve polls. */
int desk_cli_mailbox(const struct cli_opts *o, const struct cli_args *a);
/* SLA */
int desk_cli_sla(const struct cli_opts *o, const struct cli_args *a);
/* commitments */
/* team */
/* desk staff offboard|suspend|reinstate --email E; also reached as desk user VERB. */
int desk_cli_staff(const struct cli_opts *o, const struct cli_args *a);
/* supervisor */
/* concessions */
int desk_cli_concession_limit(const struct cli_opts *o, const struct cli_args *a);
/* console */

/* Loads the demo data set into an empty store. Returns 0 or a DESK_E* code. */
struct desk_app;
int desk_cli_demo_load(struct desk_app *app);

#endif
