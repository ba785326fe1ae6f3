/*
 * desk serve: opens the store, starts HTTP, and runs until SIGTERM or
 * SIGINT, then drains requests in flight and closes the store cleanly.
 */
#include "cli/cli_int.h"
#include "app/app.h"
#include "core/log.h"
#include "http/http.h"
#include "live/bus.h"
#include "mail/mail_out.h"

#include <signal.h>
#include <stdio.h>

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
    struct desk_http_config cfg = {o->listen, o->io_threads, o->workers, o->max_body};
    if (desk_http_start(app, &cfg, &http) != 0) {
        fprintf(stderr, "desk serve: cannot listen on '%s'\n", o->listen);
        desk_app_close(app);
        return 1;
    }
    /* Background threads start here (each stops below, in reverse order). */
    /* email in */
    /* email out */
    struct desk_mail_out *mail_out = NULL;
    if (desk_cli_mail_out_start(o, app, &mail_out) != 0) {
        desk_http_stop(http);
        desk_app_close(app);
        return 1;
    }
    /* SLA */
    /* commitments */
    /* team */
    /* supervisor */
    /* concessions */
    /* console */
    if (desk_live_start() != 0) {
        fprintf(stderr, "desk serve: cannot start live events\n");
    }

    sigwait(&set, &sig);
    desk_log(DESK_LOG_INFO, "event=shutdown signal=%d", sig);
    /* Background threads stop here. */
    /* console */
    desk_live_stop();
    /* concessions */
    /* supervisor */
    /* team */
    /* commitments */
    /* SLA */
    /* email out */
    desk_mail_out_stop(mail_out);
    /* email in */

    desk_http_stop(http);
    desk_app_close(app);
    return 0;
}
