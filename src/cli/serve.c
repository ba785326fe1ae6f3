/*
 * desk serve: opens the store, starts the background work, then HTTP, and
 * runs until SIGTERM or SIGINT, then drains requests in flight and closes
 * the store cleanly.
 */
#include "cli/cli_int.h"
#include "app/app.h"
#include "app/live_events.h"
#include "app/team.h"
#include "app/concessions.h"
#include "core/log.h"
#include "http/http.h"
#include "jobs/sla_scheduler.h"
#include "jobs/commitments.h"
#include "app/calendar.h"
#include "app/commitments.h"
#include "live/bus.h"
#include "mail/imap_poll.h"
#include "mail/mail_out.h"
#include "mail/signin.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

int desk_cli_serve(const struct cli_opts *o, const struct cli_args *a)
{
    struct desk_app *app;
    struct desk_http *http;
    sigset_t set;
    int sig = 0;
    if (a->n_pos) {
        fprintf(stderr, "desk serve: unexpected argument '%s'\n", a->pos[0]);
        return 2;
    }
    /* Block the signals before any thread starts, so only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (desk_app_open(o->db, &app) != 0) {
        fprintf(stderr, "desk serve: cannot open database '%s'\n", o->db);
        return 1;
    }
    /* Background threads start and settings are made here (each stops below, in reverse
     * order); HTTP starts last, so the first request finds everything configured. */
    /* email in */
    /* email out */
    struct desk_mail_out *mail_out = NULL;
    struct desk_imap_poll *imap_poll = NULL;
    if (desk_cli_mail_out_start(o, app, &mail_out) != 0 ||
        desk_cli_imap_poll_start(o, app, &imap_poll) != 0) {
        desk_mail_out_stop(mail_out);
        desk_app_close(app);
        return 1;
    }
    /* SLA */
    struct desk_sla_sched *sla_sched = NULL;
    if (desk_sla_sched_new(app, NULL, 0, &sla_sched) != 0 || desk_sla_sched_start(sla_sched) != 0) {
        fprintf(stderr, "desk serve: cannot start the SLA scheduler\n");
        desk_sla_sched_free(sla_sched);
        desk_mail_out_stop(mail_out);
        desk_app_close(app);
        return 1;
    }
    /* commitments */
    struct desk_commitments_config commitments_cfg = {o->commitment_reminder_lead * 1000};
    struct desk_commitment_jobs *commitment_jobs = NULL;
    desk_app_commitments_configure(app, &commitments_cfg);
    char key_file[4096];
    snprintf(key_file, sizeof(key_file), "%s%s",
             o->calendar_key_file && *o->calendar_key_file ? o->calendar_key_file : o->db,
             o->calendar_key_file && *o->calendar_key_file ? "" : ".calendar-key");
    unsigned char calendar_key[32];
    if (desk_app_calendar_load_key(key_file, calendar_key) == 0) {
        desk_app_calendar_set_key(app, calendar_key);
        explicit_bzero(calendar_key, sizeof(calendar_key));
    }
    if (desk_jobs_commitments_start(app, &commitment_jobs) != 0) {
        desk_log(DESK_LOG_ERROR, "event=start what=commitments error=\"cannot start thread\"");
    }
    /* team */
    if (desk_app_team_set_public_url(o->public_url) != 0) {
        fprintf(stderr, "desk serve: --public-url must be an http:// or https:// URL such as "
                        "https://desk.example.com\n");
    }
    if (desk_app_router_start(app, o->routing_interval) != 0) {
        desk_log(DESK_LOG_ERROR, "event=router_start error=\"cannot start the router\"");
    }
    /* supervisor */
    /* concessions */
    struct desk_concession_sweeper *sweeper = NULL;
    if (desk_concession_sweeper_start(app, o->concession_sweep_ms, &sweeper) != 0) {
        fprintf(stderr, "desk serve: cannot start the concession expiry thread\n");
    }
    /* console */
    desk_mail_signin_configure(o->mail_from && *o->mail_from ? o->mail_from : o->mail_address,
                               o->mail_name, o->public_url);
    if (desk_live_start() != 0) {
        fprintf(stderr, "desk serve: cannot start live events\n");
    }
    desk_app_live_watch(app);

    int rc = 0;
    struct desk_http_config cfg = {o->listen, o->io_threads, o->workers, o->max_body};
    if (desk_http_start(app, &cfg, &http) != 0) {
        fprintf(stderr, "desk serve: cannot listen on '%s'\n", o->listen);
        http = NULL;
        rc = 1;
    } else {
        sigwait(&set, &sig);
        desk_log(DESK_LOG_INFO, "event=shutdown signal=%d", sig);
    }
    /* Background threads stop here. */
    /* console */
    desk_live_stop();
    /* concessions */
    desk_concession_sweeper_stop(sweeper);
    /* supervisor */
    /* team */
    desk_app_router_stop();
    /* commitments */
    desk_jobs_commitments_stop(commitment_jobs);
    desk_app_commitments_release(app);
    /* SLA */
    desk_sla_sched_free(sla_sched);
    /* email out */
    desk_imap_poll_stop(imap_poll);
    desk_mail_out_stop(mail_out);
    /* email in */

    if (http) {
        desk_http_stop(http);
    }
    desk_app_close(app);
    return rc;
}
