/*
 * Inside app/: the app struct and helpers shared by the use-case files.
 */
#ifndef DESK_APP_APP_INT_H
#define DESK_APP_APP_INT_H

#include "app/app.h"
#include "model/ticket.h"

#include <pthread.h>

#define PW_CACHE 256

/* A verified password, remembered so Basic email:password need not rerun argon2id each request. */
struct pw_cache_entry {
    int64_t user_id;
    unsigned char mac[32]; /* keyed hash of (password, stored hash) */
};

struct desk_app {
    struct desk_store *store;
    pthread_mutex_t pw_lock;
    unsigned char pw_key[32];
    struct pw_cache_entry pw_cache[PW_CACHE];
    struct desk_sla *sla; /* SLA rules cache and scheduler wake-up (app/sla.h) */
};

/* Fills an actor from a user record. */
void desk_app_actor_from(struct desk_conn *c, const struct desk_user *u, int via,
                         struct desk_actor *out);

/* argon2id hash of password into a (libsodium string form). DESK_EINTERNAL on failure. */
int desk_app_password_hash(struct desk_arena *a, const char *password, const char **out);

/* Validates an email address's shape (one @, no spaces, a dot in the domain). */
bool desk_app_email_valid(const char *email);

struct desk_ticket_change;

/*
 * desk_app_ticket_update inside a write already running on the writer
 * connection c, for use cases that change a ticket together with rows of
 * their own in one transaction. Sets *out to the ticket as stored and *ch
 * to the change (arena) whose committed hooks the caller runs once its
 * write is durable, or NULL when nothing changed.
 */
int desk_app_ticket_update_in(struct desk_conn *c, struct desk_app *app,
                              const struct desk_actor *who, struct desk_arena *a, int64_t id,
                              const struct desk_ticket_input *in, struct desk_ticket *out,
                              struct desk_ticket_change **ch, struct desk_fail *fail);

#endif
