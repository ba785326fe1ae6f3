/*
 * Subcommand dispatch and the option table shared by every subcommand.
 */
#include "cli/cli_int.h"
#include "core/log.h"
#include "core/opt.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define O(field) offsetof(struct cli_opts, field)

static const struct desk_opt opts[] = {
    {"db", "DESK_DB", "desk.db", DESK_OPT_STR, O(db), "SQLite database file"},
    {"listen", "DESK_LISTEN", "127.0.0.1:8080", DESK_OPT_STR, O(listen),
     "address to serve on (serve); port 0 picks a free one"},
    {"io-threads", "DESK_IO_THREADS", "0", DESK_OPT_INT, O(io_threads),
     "HTTP I/O threads, 0 = one per core (serve)"},
    {"workers", "DESK_WORKERS", "32", DESK_OPT_INT, O(workers), "threads that run writes (serve)"},
    {"max-body", "DESK_MAX_BODY", "1048576", DESK_OPT_INT, O(max_body),
     "largest request body in bytes (serve)"},
    {"demo", NULL, NULL, DESK_OPT_FLAG, O(demo), "load demo data (init)"},
    {"email", NULL, NULL, DESK_OPT_STR, O(email), "user's email (user, token)"},
    {"name", NULL, NULL, DESK_OPT_STR, O(name), "user's name (user create)"},
    {"role", NULL, "end-user", DESK_OPT_STR, O(role),
     "end-user, agent, supervisor or admin (user create)"},
    {"password-stdin", NULL, NULL, DESK_OPT_FLAG, O(password_stdin),
     "read a password from standard input (user create)"},
    {"description", NULL, NULL, DESK_OPT_STR, O(description), "what a token is for (token create)"},
    /* email in */
    {"mail-max-size", "DESK_MAIL_MAX_SIZE", "26214400", DESK_OPT_INT, O(mail_max_size),
     "largest message in bytes; larger ones are suspended (mailgate)"},
    {"mail-max-attachment", "DESK_MAIL_MAX_ATTACHMENT", "10485760", DESK_OPT_INT,
     O(mail_max_attachment), "largest attachment kept as a file; larger stay in the .eml"},
    {"mail-rate", "DESK_MAIL_RATE", "30", DESK_OPT_INT, O(mail_rate),
     "messages one sender may send per hour before they are suspended, 0 = no limit"},
    {"mail-address", "DESK_MAIL_ADDRESS", NULL, DESK_OPT_STR, O(mail_address),
     "desk's own support address (mail from it or naming it in X-Loop is a loop)"},
    /* email out */
    {"smtp", "DESK_SMTP", NULL, DESK_OPT_STR, O(smtp),
     "relay for outgoing mail, smtp://[user:pass@]host:port or smtps:// (serve)"},
    {"smtp-tls", "DESK_SMTP_TLS", "try", DESK_OPT_STR, O(smtp_tls),
     "STARTTLS with smtp://: try (when offered), require or none (serve)"},
    {"smtp-user", "DESK_SMTP_USER", NULL, DESK_OPT_STR, O(smtp_user),
     "relay login, if not in the URL (serve)"},
    {"smtp-password", "DESK_SMTP_PASSWORD", NULL, DESK_OPT_STR, O(smtp_password),
     "relay password; prefer the variable to the flag (serve)"},
    {"smtp-ca", "DESK_SMTP_CA", NULL, DESK_OPT_STR, O(smtp_ca),
     "CA bundle that signs the relay's certificate, if not a system one (serve)"},
    {"smtp-timeout-ms", "DESK_SMTP_TIMEOUT_MS", "60000", DESK_OPT_INT, O(smtp_timeout_ms),
     "longest SMTP transaction (serve)"},
    {"mail-from", "DESK_MAIL_FROM", NULL, DESK_OPT_STR, O(mail_from),
     "support address mail is sent from and replied to; enables outgoing mail (serve)"},
    {"mail-name", "DESK_MAIL_NAME", "Support", DESK_OPT_STR, O(mail_name),
     "display name of the support address (serve)"},
    {"mail-retry-ms", "DESK_MAIL_RETRY_MS", "30000", DESK_OPT_INT, O(mail_retry_ms),
     "first retry delay when the relay fails; doubles each time (serve)"},
    {"mail-retry-max-ms", "DESK_MAIL_RETRY_MAX_MS", "3600000", DESK_OPT_INT, O(mail_retry_max_ms),
     "longest retry delay (serve)"},
    {"mail-max-age-ms", "DESK_MAIL_MAX_AGE_MS", "259200000", DESK_OPT_INT, O(mail_max_age_ms),
     "a message not sent this long after it was queued fails (serve)"},
    {"mail-poll-ms", "DESK_MAIL_POLL_MS", "2000", DESK_OPT_INT, O(mail_poll_ms),
     "how often to look for mail queued by other processes (serve)"},
    {"imap-host", NULL, NULL, DESK_OPT_STR, O(imap_host), "IMAP server (mailbox add)"},
    {"imap-port", NULL, "0", DESK_OPT_INT, O(imap_port),
     "IMAP port, default 993 for imaps, else 143 (mailbox add)"},
    {"imap-tls", NULL, NULL, DESK_OPT_STR, O(imap_tls),
     "imaps (default), starttls or none (mailbox add)"},
    {"imap-user", NULL, NULL, DESK_OPT_STR, O(imap_user), "IMAP login (mailbox add)"},
    {"imap-password", "DESK_IMAP_PASSWORD", NULL, DESK_OPT_STR, O(imap_password),
     "IMAP password; prefer --password-stdin or the variable (mailbox add)"},
    {"imap-folder", NULL, NULL, DESK_OPT_STR, O(imap_folder),
     "folder to poll, default INBOX (mailbox add)"},
    {"imap-interval", NULL, "0", DESK_OPT_INT, O(imap_interval),
     "seconds between polls, default 60 (mailbox add)"},
    {"imap-ca", "DESK_IMAP_CA", NULL, DESK_OPT_STR, O(imap_ca),
     "CA bundle for IMAP servers with a private certificate (serve)"},
    {"imap-timeout-ms", "DESK_IMAP_TIMEOUT_MS", "60000", DESK_OPT_INT, O(imap_timeout_ms),
     "an IMAP server silent this long fails its poll (serve)"},
    {"imap-reload-ms", "DESK_IMAP_RELOAD_MS", "5000", DESK_OPT_INT, O(imap_reload_ms),
     "how often to look for mailboxes changed by other processes (serve)"},
    /* SLA */
    {"tz", NULL, NULL, DESK_OPT_STR, O(sla_tz), "IANA time zone of a schedule (sla due)"},
    {"hours", NULL, NULL, DESK_OPT_STR, O(sla_hours),
     "weekly hours, e.g. \"mon-fri 09:00-17:00,sat 10:00-14:00\" (sla due)"},
    {"holiday", NULL, NULL, DESK_OPT_LIST, O(sla_holidays),
     "a holiday YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD; repeatable (sla due)"},
    {"start", NULL, NULL, DESK_OPT_STR, O(sla_start),
     "when the clock starts, YYYY-MM-DDTHH:MM in --tz (sla due)"},
    {"business-minutes", NULL, NULL, DESK_OPT_INT, O(sla_minutes),
     "the target in business minutes (sla due)"},
    /* commitments */
    {"commitment-reminder-lead", "DESK_COMMITMENT_REMINDER_LEAD", "900", DESK_OPT_INT,
     O(commitment_reminder_lead),
     "seconds before a commitment is due that its owner is reminded, 0 = never (serve)"},
    {"calendar-key-file", "DESK_CALENDAR_KEY_FILE", "", DESK_OPT_STR, O(calendar_key_file),
     "secret key for calendar feed URLs, made if missing; default: the database path + "
     "\".calendar-key\" (serve)"},
    /* team */
    {"public-url", "DESK_PUBLIC_URL", NULL, DESK_OPT_STR, O(public_url),
     "base URL people reach desk at, for links in mail, e.g. https://desk.example.com; default: "
     "the host the request came to (serve)"},
    {"reassign-to", NULL, NULL, DESK_OPT_STR, O(reassign_to),
     "agent who takes an offboarded person's open tickets (user offboard)"},
    {"routing-interval", "DESK_ROUTING_INTERVAL", "30000", DESK_OPT_INT, O(routing_interval),
     "milliseconds between sweeps of the waiting tickets (serve)"},
    {"reason", NULL, NULL, DESK_OPT_STR, O(reason), "why (user suspend)"},
    /* supervisor */
    /* concessions */
    {"concession-sweep-ms", "DESK_CONCESSION_SWEEP_MS", "5000", DESK_OPT_INT,
     O(concession_sweep_ms), "how often expired concession requests are closed (serve)"},
    {"currency", NULL, NULL, DESK_OPT_STR, O(currency), "ISO 4217 code (concession-limit)"},
    {"amount", NULL, NULL, DESK_OPT_STR, O(amount),
     "decimal amount, or \"unlimited\" (concession-limit set)"},
    /* console (public-url: see team) */
    {"log-level", "DESK_LOG_LEVEL", "info", DESK_OPT_STR, O(log_level),
     "debug, info, warn or error"},
    {"help", NULL, NULL, DESK_OPT_FLAG, O(help), "show this help"},
};

static void usage(FILE *out)
{
    fprintf(
        out,
        "desk %s — customer-service desk server\n\n"
        "usage:\n"
        "  desk serve  [--db PATH] [--listen ADDR:PORT]\n"
        "  desk init   [--db PATH] [--demo]\n"
        "  desk user   create --email E --name N --role R [--password-stdin]\n"
        "  desk user   list\n"
        "  desk token  create --email E [--description TEXT]\n"
        "  desk user   offboard|suspend|reinstate --email E [--reassign-to EMAIL] [--reason R]\n"
        "  desk mailgate [--db PATH] < message.eml       one mail from an MTA (exit 75: retry)\n"
        "  desk mailbox add|list|remove ID               IMAP mailboxes the server polls\n"
        "  desk sla    due --tz ZONE --hours SPEC [--holiday D ...] --start T --business-minutes "
        "N\n"
        "  desk concession-limit list|set --currency C --amount A (--role R | --email E)\n"
        "  desk --help | --version\n\n"
        "options (each also from its DESK_* variable):\n",
        DESK_VERSION);
    desk_opt_usage(opts, sizeof(opts) / sizeof(opts[0]), out);
}

int desk_cli_main(int argc, char **argv)
{
    struct cli_opts o;
    struct cli_args a = {0};
    memset(&o, 0, sizeof(o));
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("desk %s\n", DESK_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(const struct cli_opts *, const struct cli_args *);
    } cmds[] = {
        {"serve", desk_cli_serve},
        {"init", desk_cli_init},
        {"user", desk_cli_user},
        {"token", desk_cli_token},
        /* email in */
        {"mailgate", desk_cli_mailgate},
        /* email out */
        {"mailbox", desk_cli_mailbox},
        /* SLA */
        {"sla", desk_cli_sla},
        /* commitments */
        /* team */
        {"staff", desk_cli_staff},
        /* supervisor */
        /* concessions */
        {"concession-limit", desk_cli_concession_limit},
        /* console */
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(argv[1], cmds[i].name) != 0) {
            continue;
        }
        if (desk_opt_parse(opts, sizeof(opts) / sizeof(opts[0]), &o, argc - 2, argv + 2, a.pos, 4,
                           &a.n_pos, stderr)) {
            return 2;
        }
        if (o.help) {
            usage(stdout);
            return 0;
        }
        static const char *levels[] = {"debug", "info", "warn", "error"};
        for (int l = 0; l < 4; l++) {
            if (strcmp(o.log_level, levels[l]) == 0) {
                desk_log_set_level((enum desk_log_level)l);
            }
        }
        return cmds[i].fn(&o, &a);
    }
    fprintf(stderr, "desk: unknown command '%s' (see desk --help)\n", argv[1]);
    return 2;
}
