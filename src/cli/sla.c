/*
 * desk sla: checks a business-hours schedule before an admin uses it.
 * "desk sla due" computes when a target of N business minutes, started at
 * a wall time in the schedule's zone, is due, and prints it in the zone and
 * in UTC with the explanation the API gives for a ticket's clock.
 */
#include "cli/cli_int.h"
#include "core/arena.h"
#include "core/time.h"
#include "model/calendar.h"

#include <stdio.h>
#include <string.h>

static int fail_out(const struct desk_fail *fail)
{
    for (size_t i = 0; i < fail->n; i++) {
        fprintf(stderr, "desk sla due: %s\n", fail->items[i].description);
    }
    return 2;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" into h. */
static int holiday_arg(const char *s, struct desk_bh_holiday *h)
{
    char a[11], b[11];
    size_t n = strlen(s);
    if (n == 10) {
        memcpy(a, s, 11);
        memcpy(b, s, 11);
    } else if (n == 22 && s[10] == '.' && s[11] == '.') {
        memcpy(a, s, 10);
        a[10] = '\0';
        memcpy(b, s + 12, 11);
    } else {
        return DESK_EINVAL;
    }
    h->yearly = false;
    if (desk_bh_date_parse(a, &h->start_day) || desk_bh_date_parse(b, &h->end_day)) {
        return DESK_EINVAL;
    }
    return 0;
}

static int sla_due(const struct cli_opts *o)
{
    struct desk_arena a;
    struct desk_fail fail = {0};
    struct desk_bh_interval iv[DESK_BH_MAX_IVS];
    struct desk_bh_holiday hol[DESK_OPT_LIST_MAX];
    size_t n_iv = 0;
    int64_t start;
    int rc = 2;
    if (!o->sla_tz || !o->sla_hours || !o->sla_start || o->sla_minutes <= 0) {
        fprintf(stderr, "usage: desk sla due --tz ZONE --hours \"mon-fri 09:00-17:00\" "
                        "[--holiday YYYY-MM-DD ...] --start YYYY-MM-DDTHH:MM "
                        "--business-minutes N (N > 0)\n");
        return 2;
    }
    if (!desk_bh_zone_valid(o->sla_tz)) {
        fprintf(stderr, "desk sla due: --tz '%s' is not a known IANA time zone\n", o->sla_tz);
        return 2;
    }
    for (size_t i = 0; i < o->sla_holidays.n; i++) {
        if (holiday_arg(o->sla_holidays.v[i], &hol[i])) {
            fprintf(stderr,
                    "desk sla due: --holiday '%s' is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD\n",
                    o->sla_holidays.v[i]);
            return 2;
        }
    }
    if (desk_bh_local_parse(o->sla_tz, o->sla_start, &start)) {
        fprintf(stderr, "desk sla due: --start '%s' is not YYYY-MM-DDTHH:MM\n", o->sla_start);
        return 2;
    }
    desk_arena_init(&a);
    struct desk_bh *bh = NULL;
    if (desk_bh_hours_parse(&a, o->sla_hours, iv, DESK_BH_MAX_IVS, &n_iv, &fail) == 0) {
        struct desk_bh_spec spec = {o->sla_tz, iv, n_iv, hol, o->sla_holidays.n};
        desk_bh_compile(&spec, &a, &bh, &fail);
    }
    if (!bh) {
        rc = fail_out(&fail);
        desk_arena_release(&a);
        return rc;
    }
    struct desk_bh_explain ex;
    int64_t due = desk_bh_add_explain(bh, start, (int64_t)o->sla_minutes * DESK_BH_MINUTE_MS, &ex);
    if (due == DESK_BH_NEVER) {
        fprintf(stderr, "desk sla due: the schedule has no working time left\n");
        rc = 1;
    } else {
        char local[64], start_local[64], utc[21];
        desk_bh_local_format(o->sla_tz, start, "EEE yyyy-MM-dd'T'HH:mmxxx", start_local,
                             sizeof(start_local));
        desk_bh_local_format(o->sla_tz, due, "EEE yyyy-MM-dd'T'HH:mmxxx", local, sizeof(local));
        desk_time_iso(due, utc);
        printf("start    %s %s\n", start_local, o->sla_tz);
        printf("due      %s %s\n", local, o->sla_tz);
        printf("due_utc  %s\n", utc);
        printf("because  %s\n", desk_bh_explain_text(&a, bh, &ex));
        rc = 0;
    }
    desk_bh_free(bh);
    desk_arena_release(&a);
    return rc;
}

int desk_cli_sla(const struct cli_opts *o, const struct cli_args *a)
{
    if (a->n_pos == 1 && strcmp(a->pos[0], "due") == 0) {
        return sla_due(o);
    }
    fprintf(stderr, "usage: desk sla due --tz ZONE --hours H [--holiday D ...] --start T "
                    "--business-minutes N\n");
    return 2;
}
