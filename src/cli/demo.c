/*
 * Demo data for `desk init --demo` (and `make run`): a company with its
 * queues, an admin, a supervisor, agents, customers writing in English,
 * Spanish, Czech and Polish, and a few tickets with replies and an internal
 * note. Everything goes through the same use cases as the API.
 */
#include "cli/cli_int.h"
#include "app/app.h"

#include <stdio.h>
#include <string.h>

#define DEMO_PASSWORD "desk-demo"

struct demo_user {
    const char *name;
    const char *email;
    int role;
    const char *locale;
    const char *tz;
};

static const struct demo_user users[] = {
    {"Alex Admin", "admin@desk.test", DESK_ROLE_ADMIN, "en-US", "Europe/Prague"},
    {"Sam Supervisor", "supervisor@desk.test", DESK_ROLE_SUPERVISOR, "en-US", "Europe/Prague"},
    {"Ana García", "ana@desk.test", DESK_ROLE_AGENT, "es-ES", "Europe/Madrid"},
    {"Petr Novák", "petr@desk.test", DESK_ROLE_AGENT, "cs-CZ", "Europe/Prague"},
    {"Ola Kowalska", "ola@desk.test", DESK_ROLE_AGENT, "pl-PL", "Europe/Warsaw"},
    {"Jordan Lee", "jordan@example.com", DESK_ROLE_END_USER, "en-US", "America/New_York"},
    {"María López", "maria@example.es", DESK_ROLE_END_USER, "es-ES", "Europe/Madrid"},
    {"Jana Dvořáková", "jana@example.cz", DESK_ROLE_END_USER, "cs-CZ", "Europe/Prague"},
    {"Piotr Wiśniewski", "piotr@example.pl", DESK_ROLE_END_USER, "pl-PL", "Europe/Warsaw"},
};

struct demo_ticket {
    int requester; /* index into users */
    const char *subject;
    const char *body;
    const char *language;
    int priority;
    int assignee; /* index or -1 */
    const char *reply;
    const char *note;
};

static const struct demo_ticket tickets[] = {
    {5, "Order #4411 arrived damaged",
     "The tent I ordered arrived with a torn rain fly. Can I get a replacement before my trip on "
     "Friday?",
     "en", DESK_PRIORITY_HIGH, 3,
     "Sorry about that! A replacement rain fly ships today by express courier.",
     "Courier damage; claim filed with the carrier."},
    {6, "No puedo acceder a mi cuenta",
     "Hola, desde ayer no puedo iniciar sesión. El sistema dice que mi contraseña es incorrecta, "
     "pero no la he cambiado. ¿Me pueden ayudar, señor?",
     "es", DESK_PRIORITY_NORMAL, 2, "Hola María, le hemos enviado un enlace para restablecerla.",
     NULL},
    {7, "Reklamace: příliš malé boty",
     "Dobrý den, objednala jsem boty velikosti 39, ale jsou příliš malé. Jak je mohu vrátit a "
     "vyměnit za větší?",
     "cs", DESK_PRIORITY_NORMAL, -1, NULL, NULL},
    {8, "Zwrot pieniędzy za zamówienie",
     "Dzień dobry, zwróciłem plecak dwa tygodnie temu i nadal nie otrzymałem zwrotu pieniędzy. "
     "Chcę rozmawiać z kierownikiem.",
     "pl", DESK_PRIORITY_URGENT, 4, NULL,
     "Customer asks for a supervisor; refund batch delayed by the bank."},
    {5, "Question about warranty",
     "How long is the warranty on the Trail 2 stove, and does it cover the igniter?", "en",
     DESK_PRIORITY_LOW, -1, NULL, NULL},
};

int desk_cli_demo_load(struct desk_app *app)
{
    struct desk_arena a;
    struct desk_fail fail = {0};
    int64_t ids[sizeof(users) / sizeof(users[0])];
    int rc = 0;
    desk_arena_init(&a);

    struct desk_org org;
    struct desk_org_input oin = {.name = "Acme Outdoor",
                                 .has_name = true,
                                 .details = "Demo customer organization",
                                 .has_details = true};
    rc = desk_app_org_create(app, &desk_actor_system, &a, &oin, &org, &fail);
    if (rc == DESK_EINVALID) {
        /* Already loaded: demo data goes into an empty store only once. */
        printf("desk: demo data already present\n");
        desk_arena_release(&a);
        return 0;
    }
    static const char *group_names[] = {"Support", "Escalations", "Billing"};
    int64_t groups[3];
    for (int i = 0; !rc && i < 3; i++) {
        struct desk_group g;
        struct desk_group_input gin = {.name = group_names[i], .has_name = true};
        rc = desk_app_group_create(app, &desk_actor_system, &a, &gin, &g, &fail);
        groups[i] = g.id;
    }
    for (size_t i = 0; !rc && i < sizeof(users) / sizeof(users[0]); i++) {
        struct desk_user u;
        struct desk_user_input in = {0};
        in.name = users[i].name;
        in.has_name = true;
        in.email = users[i].email;
        in.has_email = true;
        in.role = users[i].role;
        in.has_role = true;
        in.locale = users[i].locale;
        in.has_locale = true;
        in.time_zone = users[i].tz;
        in.has_time_zone = true;
        in.verified = in.has_verified = true;
        in.password = DEMO_PASSWORD;
        if (users[i].role == DESK_ROLE_END_USER && i == 5) {
            in.organization_id = org.id;
            in.has_organization_id = true;
        }
        rc = desk_app_user_create(app, &desk_actor_system, &a, &in, &u, &fail);
        ids[i] = u.id;
        if (!rc && desk_role_is_staff(users[i].role)) {
            struct desk_membership m;
            rc = desk_app_membership_create(app, &desk_actor_system, u.id, groups[0], true, &m,
                                            &fail);
            if (!rc && users[i].role >= DESK_ROLE_SUPERVISOR) {
                rc = desk_app_membership_create(app, &desk_actor_system, u.id, groups[1], false, &m,
                                                &fail);
            }
        }
    }
    for (size_t i = 0; !rc && i < sizeof(tickets) / sizeof(tickets[0]); i++) {
        const struct demo_ticket *d = &tickets[i];
        struct desk_actor customer = {.user_id = ids[d->requester],
                                      .role = DESK_ROLE_END_USER,
                                      .via = DESK_VIA_EMAIL,
                                      .request_id = "demo"};
        struct desk_ticket_input in = {0};
        struct desk_ticket t;
        struct desk_audit au;
        in.subject = d->subject;
        in.has_subject = true;
        in.comment_body = d->body;
        in.comment_public = true;
        in.language = d->language;
        in.has_language = true;
        rc = desk_app_ticket_create(app, &customer, &a, &in, &t, &au, &fail);
        if (rc) {
            break;
        }
        struct desk_actor agent = {.user_id = d->assignee >= 0 ? ids[d->assignee] : ids[1],
                                   .role = DESK_ROLE_AGENT,
                                   .via = DESK_VIA_WEB,
                                   .request_id = "demo"};
        struct desk_ticket_input up = {0};
        up.priority = d->priority;
        up.has_priority = true;
        up.group_id = groups[0];
        up.has_group_id = true;
        if (d->assignee >= 0) {
            up.assignee_id = ids[d->assignee];
            up.has_assignee_id = true;
        }
        up.comment_body = d->note;
        up.comment_public = false;
        rc = desk_app_ticket_update(app, &agent, &a, t.id, &up, &t, &au, &fail);
        if (!rc && d->reply) {
            struct desk_ticket_input rep = {0};
            rep.comment_body = d->reply;
            rep.comment_public = true;
            rep.status = DESK_STATUS_PENDING;
            rep.has_status = true;
            rc = desk_app_ticket_update(app, &agent, &a, t.id, &rep, &t, &au, &fail);
        }
    }
    if (!rc) {
        printf("desk: demo logins (password \"%s\"):\n", DEMO_PASSWORD);
        for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
            printf("  %-22s %-11s %s\n", users[i].email, desk_role_name(users[i].role),
                   users[i].name);
        }
    } else if (fail.n) {
        fprintf(stderr, "desk: demo: %s\n", fail.items[0].description);
    }
    desk_arena_release(&a);
    return rc;
}
