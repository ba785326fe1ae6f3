/*
 * The ticket hook table (see hooks.h). A capability joins the ticket write
 * path with one line here; order matters where one hook reads what an
 * earlier one set (language before routing, routing before SLA clocks).
 */
#include "app/hooks.h"

#include <stddef.h>
#include <string.h>

/* Each capability declares its hook in its own header, included here. */
#include "app/commitments.h"
#include "app/concessions.h"
#include "app/live_events.h"
#include "app/uploads.h"
#include "app/outbox.h"
#include "app/app_language.h"
#include "app/app_mail.h"
#include "app/sla.h"
#include "app/team.h"
#include "app/escalations.h"

const struct desk_ticket_hook desk_ticket_hooks[] = {
    /* email in: language */
    DESK_LANGUAGE_HOOK,
    DESK_MAIL_IN_HOOK,
    /* team: routing */
    DESK_TEAM_HOOK,
    /* supervisor: sentiment, escalations */
    DESK_SUPERVISOR_HOOK,
    /* concessions: held replies, resolutions */
    {"concessions", desk_concessions_prepare, desk_concessions_written, NULL},
    /* SLA: clocks */
    DESK_SLA_HOOK,
    /* commitments */
    {"commitments", NULL, desk_commitments_hook_written, desk_commitments_hook_committed},
    /* email out: notifications */
    DESK_OUTBOX_HOOK,
    /* console: live events */
    {"uploads", NULL, desk_uploads_written, NULL},
    {"live events", NULL, NULL, desk_app_live_committed},
    {NULL, NULL, NULL, NULL},
};

const struct desk_ticket_analyzer desk_ticket_analyzers[] = {
    {"language", desk_language_analyze},
    {NULL, NULL},
};

void desk_ticket_analyze(const struct desk_actor *who, const struct desk_ticket_input *in,
                         bool create, struct desk_ticket_analysis *out)
{
    memset(out, 0, sizeof(*out));
    for (const struct desk_ticket_analyzer *z = desk_ticket_analyzers; z->name; z++) {
        z->analyze(who, in, create, out);
    }
}

int desk_ticket_hooks_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    for (const struct desk_ticket_hook *h = desk_ticket_hooks; h->name; h++) {
        int rc = h->prepare ? h->prepare(c, ch) : 0;
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int desk_ticket_hooks_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    for (const struct desk_ticket_hook *h = desk_ticket_hooks; h->name; h++) {
        int rc = h->written ? h->written(c, ch) : 0;
        if (rc) {
            return rc;
        }
    }
    return 0;
}

void desk_ticket_hooks_committed(const struct desk_ticket_change *ch)
{
    for (const struct desk_ticket_hook *h = desk_ticket_hooks; h->name; h++) {
        if (h->committed) {
            h->committed(ch);
        }
    }
}
