/*
 * Macros and saved views, as use cases. Macros: staff list, read and apply
 * them; supervisors and admins create, change and delete them. Applying
 * picks the language variant of the ticket's language (falling back to the
 * default text), fills the placeholders, and returns the result without
 * saving anything. Views: a title and a search query; agents keep personal
 * views, supervisors and admins may share one with every agent.
 */
#ifndef DESK_APP_MACROS_H
#define DESK_APP_MACROS_H

#include "app/app.h"
#include "model/macro.h"
#include "store/store_console.h"

/* A create or update: has_* says which parts were given. */
struct desk_macro_patch {
    const char *title;
    bool has_title;
    const char *description;
    bool has_description;
    bool active;
    bool has_active;
    int64_t position;
    bool has_position;
    /* The actions: given together, they replace the macro's reply and field changes. */
    bool has_actions;
    const char *comment;
    bool comment_public;
    int status, priority, type; /* -1: leave */
    int64_t group_id;
    const char *assignee;
    struct desk_strv add_tags, remove_tags;
    struct desk_macro_variant *variants;
    size_t n_variants;
    bool has_variants;
};

/* Lists macros (active ones only when active_only). Staff only. */
int desk_app_macro_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        bool active_only, const struct desk_page *p, struct desk_macro **items,
                        struct desk_page_out *out);

/* Reads one macro. Staff only; DESK_ENOTFOUND when none. */
int desk_app_macro_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, struct desk_macro *out);

/*
 * Creates (id 0) or updates macro id from p, validated: title present and
 * at most 255 characters, variant languages BCP 47 and unique, texts at most
 * 64 KiB, group and assignee existing. Supervisors and admins only.
 * Returns the stored macro in *out; DESK_EINVALID with fail naming the field.
 */
int desk_app_macro_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        int64_t id, const struct desk_macro_patch *p, struct desk_macro *out,
                        struct desk_fail *fail);

/* Deletes macro id. Supervisors and admins only. */
int desk_app_macro_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

/* What applying a macro would do; nothing is saved. */
struct desk_macro_result {
    const char *comment;  /* rendered reply text, or NULL */
    const char *language; /* the variant's language, or NULL for the default text */
    bool comment_public;
    int status, priority, type; /* -1: unchanged */
    int64_t group_id;           /* 0: unchanged */
    int64_t assignee_id;        /* 0: unchanged */
    struct desk_strv tags;      /* the ticket's tags afterwards (with a ticket) */
    bool has_tags;
};

/*
 * Applies macro macro_id to ticket ticket_id (0: no ticket, placeholders
 * of the ticket render empty and the default text is used) for the actor.
 * DESK_ENOTFOUND for a macro or ticket the actor cannot see.
 */
int desk_app_macro_apply(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         int64_t ticket_id, int64_t macro_id, struct desk_macro_result *out);

/* ---- views ------------------------------------------------------------ */

struct desk_view_patch {
    const char *title;
    bool has_title;
    const char *query;
    bool has_query;
    bool active;
    bool has_active;
    int64_t position;
    bool has_position;
    bool shared; /* restriction null: every agent sees it (supervisors, admins) */
    bool has_shared;
};

/* Views the actor sees: shared ones and their own. Staff only. */
int desk_app_view_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       bool active_only, const struct desk_page *p, struct desk_view **items,
                       struct desk_page_out *out);

/* One view the actor sees; DESK_ENOTFOUND otherwise. */
int desk_app_view_get(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                      int64_t id, struct desk_view *out);

/*
 * Creates (id 0) or updates a view. The query must parse (DESK_EINVALID
 * naming "query" otherwise). Agents keep personal views only; changing a
 * shared view or sharing one needs a supervisor or admin.
 */
int desk_app_view_save(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                       int64_t id, const struct desk_view_patch *p, struct desk_view *out,
                       struct desk_fail *fail);

/* Deletes a view: its owner, or a supervisor or admin. */
int desk_app_view_delete(struct desk_app *app, const struct desk_actor *who, int64_t id);

#endif
