/*
 * The domain's plain records: users, organizations, groups, memberships,
 * tickets, comments and audits, and the enumerations with their wire names.
 * Records are visible structs; their strings are borrowed from whoever
 * filled them (usually a request arena). An id of 0 means "none" (JSON null).
 */
#ifndef DESK_MODEL_RECORDS_H
#define DESK_MODEL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum desk_role { DESK_ROLE_END_USER, DESK_ROLE_AGENT, DESK_ROLE_SUPERVISOR, DESK_ROLE_ADMIN };

enum desk_status {
    DESK_STATUS_NEW,
    DESK_STATUS_OPEN,
    DESK_STATUS_PENDING,
    DESK_STATUS_HOLD,
    DESK_STATUS_SOLVED,
    DESK_STATUS_CLOSED,
    DESK_STATUS_DELETED /* only on the wire of incremental exports */
};

enum desk_priority {
    DESK_PRIORITY_NONE,
    DESK_PRIORITY_LOW,
    DESK_PRIORITY_NORMAL,
    DESK_PRIORITY_HIGH,
    DESK_PRIORITY_URGENT
};

enum desk_ttype {
    DESK_TTYPE_NONE,
    DESK_TTYPE_QUESTION,
    DESK_TTYPE_INCIDENT,
    DESK_TTYPE_PROBLEM,
    DESK_TTYPE_TASK,
    DESK_TTYPE_COMPLAINT /* about a member of staff (app/escalations.h) */
};

/* Channels a change can come through (Zendesk's via.channel names). */
enum desk_via {
    DESK_VIA_API,
    DESK_VIA_WEB,
    DESK_VIA_EMAIL,
    DESK_VIA_CHAT,
    DESK_VIA_VOICE,
    DESK_VIA_PORTAL,
    DESK_VIA_RULE,
    DESK_VIA_CLI
};

/*
 * Wire names and their inverses. The *_name functions return static
 * strings (NULL for "none" values, which are JSON null). The *_parse
 * functions match case-insensitively, set *out and return 0, or return
 * DESK_EINVAL.
 */
const char *desk_role_name(int role);
int desk_role_parse(const char *s, int *out);
const char *desk_status_name(int status);
int desk_status_parse(const char *s, int *out);
const char *desk_priority_name(int priority);
int desk_priority_parse(const char *s, int *out);
const char *desk_ttype_name(int type);
int desk_ttype_parse(const char *s, int *out);
const char *desk_via_name(int via);
int desk_via_parse(const char *s, int *out);

/* True for agents, supervisors and admins. */
bool desk_role_is_staff(int role);

/* A list of words (tags, domain names); strings borrowed like the record's. */
struct desk_strv {
    const char **v;
    size_t n;
};

struct desk_arena;

/* Splits space-separated words; the vector and words are allocated in a. NULL gives none. */
struct desk_strv desk_strv_split(struct desk_arena *a, const char *s);

/* Joins words with single spaces. Returns a string owned by a ("" for none). */
char *desk_strv_join(struct desk_arena *a, const struct desk_strv *v);

struct desk_user {
    int64_t id;
    const char *name;
    const char *email; /* primary email or NULL */
    int role;
    const char *locale;
    const char *time_zone; /* IANA */
    int64_t organization_id;
    int64_t default_group_id;
    const char *phone;
    const char *external_id;
    const char *alias;
    const char *details;
    const char *notes;
    const char *signature;
    struct desk_strv tags;
    bool verified;
    bool active;
    bool suspended;
    bool only_private_comments;
    int64_t last_login_at;
    int64_t created_at;
    int64_t updated_at;
};

struct desk_org {
    int64_t id;
    const char *name;
    const char *external_id;
    const char *details;
    const char *notes;
    int64_t group_id;
    bool shared_tickets;
    bool shared_comments;
    struct desk_strv domain_names;
    struct desk_strv tags;
    int64_t created_at;
    int64_t updated_at;
};

struct desk_group {
    int64_t id;
    const char *name;
    const char *description;
    bool is_public;
    bool is_default;
    bool deleted;
    int64_t created_at;
    int64_t updated_at;
};

struct desk_membership {
    int64_t id;
    int64_t user_id;
    int64_t group_id;
    bool is_default;
    int64_t created_at;
    int64_t updated_at;
};

struct desk_ticket {
    int64_t id;
    const char *subject;
    const char *description;
    int status;
    int priority;
    int type;
    int64_t requester_id;
    int64_t submitter_id;
    int64_t assignee_id;
    int64_t group_id;
    int64_t organization_id;
    int64_t problem_id;
    const char *external_id;
    const char *recipient;
    int via;
    const char *language; /* BCP 47 or NULL */
    struct desk_strv tags;
    int64_t *collaborator_ids;
    size_t n_collaborator_ids;
    bool is_public;
    int64_t due_at;
    int64_t created_at;
    int64_t updated_at;
    int64_t solved_at;
    int64_t deleted_at;
    int64_t version;
};

struct desk_comment {
    int64_t id;
    int64_t ticket_id;
    int64_t audit_id;
    int64_t author_id;
    bool public;
    const char *body;
    const char *html_body;
    int via;
    int64_t created_at;
};

struct desk_audit_event {
    int64_t id;
    const char *type; /* "Create", "Change", "Comment" */
    const char *field;
    const char *old_value;
    const char *new_value;
    int64_t comment_id;
    const char *body; /* Comment events: the comment's text */
};

struct desk_audit {
    int64_t id;
    int64_t ticket_id;
    int64_t author_id;
    int via;
    int64_t created_at;
    struct desk_audit_event *events;
    size_t n_events;
};

#endif
