/*
 * desk_mail_ingest: one received message to a ticket, a comment, a bounce
 * note or a suspended ticket. Decides the checks (size, readability,
 * loops, bounces, rate), the sender and followers (found or created as
 * end users), the ticket it threads into (In-Reply-To/References against
 * every Message-ID desk received or sent, else a "[#123]" subject tag),
 * and then makes one ticket write through app/'s use cases, carrying the
 * raw message and attachments to the "email in" hook so they commit with
 * the comment.
 */
#include "mail/mail_int.h"
#include "app/app_mail.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "model/lang.h"
#include "model/signals.h"
#include "model/ticket.h"

#include <glib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Suspension causes (cause_id on the wire). */
enum cause {
    CAUSE_UNREADABLE = 1,
    CAUSE_TOO_LARGE = 2,
    CAUSE_LOOP = 3,
    CAUSE_BOUNCE = 4,
    CAUSE_RATE = 5,
    CAUSE_NO_SENDER = 6,
    CAUSE_REJECTED = 7,
    CAUSE_SENDER_SUSPENDED = 8,
};

#define FOLLOWERS_MAX   20
#define CONTENT_PREVIEW 300

void desk_mail_limits_default(struct desk_mail_limits *out)
{
    out->max_message = 25u << 20;
    out->max_attachment = 10u << 20;
    out->rate_per_hour = 30;
}

const char *desk_mail_outcome_name(int outcome)
{
    static const char *const names[] = {"created", "updated", "bounce", "suspended", "duplicate"};
    return outcome >= 0 && outcome <= DESK_MAIL_DUPLICATE ? names[outcome] : "?";
}

struct ingest {
    struct desk_app *app;
    struct desk_arena *a;
    const char *raw;
    size_t len;
    const struct desk_mail_source *src;
    const struct desk_mail_limits *lim;
    struct desk_mail_msg m;
    bool parsed;
    const char *message_id;
    struct desk_mail_result *out;
    struct desk_conn *c;
    bool force; /* recovering a suspended ticket: suspend nothing on purpose */
};

/* The first n code points of s (a copy in a). */
static const char *cut(struct desk_arena *a, const char *s, size_t max_cps)
{
    size_t i = 0, cps = 0;
    if (!s) {
        return NULL;
    }
    while (s[i] && cps < max_cps) {
        i++;
        while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) {
            i++;
        }
        cps++;
    }
    return desk_arena_strndup(a, s, i);
}

static int suspend(struct ingest *g, int cause_id, const char *cause, int64_t ticket_id)
{
    struct desk_suspended s = {0};
    if (g->force) {
        snprintf(g->out->reason, sizeof(g->out->reason), "%s", cause);
        return DESK_EINVALID;
    }
    const struct desk_mail_msg *m = &g->m;
    size_t keep = g->len;
    if (g->parsed) {
        s.subject = cut(g->a, m->subject, DESK_SUBJECT_MAX);
        s.from_address = m->from.email;
        s.from_name = m->from.name ? cut(g->a, m->from.name, 255) : NULL;
        s.message_id = g->message_id;
        s.recipient = m->n_to ? m->to[0].email : NULL;
        s.content = cut(g->a, m->text, CONTENT_PREVIEW);
    }
    /* Kept whole up to a bound: a message larger than twice the limit keeps its start. */
    if (keep > g->lim->max_message * 2) {
        keep = g->lim->max_message * 2;
        s.truncated = true;
    }
    s.cause = cause;
    s.cause_id = cause_id;
    s.ticket_id = ticket_id;
    s.source = g->src ? g->src->name : NULL;
    s.size = (int64_t)g->len;
    int rc = desk_app_mail_suspend(g->app, &s, g->raw, keep);
    if (rc) {
        return rc;
    }
    g->out->outcome = DESK_MAIL_SUSPENDED;
    g->out->suspended_id = s.id;
    g->out->ticket_id = ticket_id;
    snprintf(g->out->reason, sizeof(g->out->reason), "%s", cause);
    return 0;
}

/* Reads only the header block of a message too large to parse whole. */
static void parse_headers_only(struct ingest *g)
{
    size_t n = g->len < (256u << 10) ? g->len : (256u << 10);
    const char *end = memmem(g->raw, n, "\r\n\r\n", 4);
    const char *end2 = memmem(g->raw, n, "\n\n", 2);
    if (!end || (end2 && end2 < end)) {
        end = end2;
    }
    if (!end) {
        return;
    }
    const char *reason;
    size_t hl = (size_t)(end - g->raw) + 1;
    if (desk_mail_parse(g->a, g->raw, hl, &g->m, &reason) == 0) {
        g->parsed = true;
        g->message_id = g->m.message_id;
    }
}

/* The ticket a Message-ID names, 0 when none; *own when desk sent it. */
static int64_t ticket_by_id(struct ingest *g, const char *id, bool *own)
{
    int64_t t;
    const char *dir;
    if (id && desk_store_mail_id_find(g->c, id, &t, &dir) == 0) {
        *own = strcmp(dir, "out") == 0;
        return t;
    }
    return 0;
}

/* "[#123]" in a subject, 0 when none. */
static int64_t ticket_by_tag(const char *subject)
{
    for (const char *p = subject; (p = strstr(p, "[#")) != NULL; p += 2) {
        int64_t v;
        const char *q = p + 2, *close = strchr(q, ']');
        if (close && close - q <= 18 && desk_str_to_i64(q, (size_t)(close - q), &v) == 0 && v > 0) {
            return v;
        }
    }
    return 0;
}

/* A live ticket by id into *t, or false. */
static bool live_ticket(struct ingest *g, int64_t id, struct desk_ticket *t)
{
    return id > 0 && desk_store_ticket_get(g->c, g->a, id, t) == 0 && !t->deleted_at;
}

/* Finds or creates the (end) user with this address. */
static int person(struct ingest *g, const struct desk_mail_addr *addr, struct desk_user *u)
{
    if (desk_store_user_by_email(g->c, g->a, addr->email, u) == 0) {
        return 0;
    }
    struct desk_user_input in = {0};
    struct desk_fail fail = {0};
    const char *at = strchr(addr->email, '@');
    in.email = addr->email;
    in.has_email = true;
    in.name = addr->name && *addr->name
                  ? cut(g->a, addr->name, 255)
                  : desk_arena_strndup(g->a, addr->email, (size_t)(at - addr->email));
    in.has_name = true;
    in.role = DESK_ROLE_END_USER;
    in.has_role = true;
    int rc = desk_app_user_create(g->app, &desk_actor_system, g->a, &in, u, &fail);
    if (rc == DESK_ECONFLICT || rc == DESK_EINVALID) {
        /* Created meanwhile by another message, or an address desk cannot keep. */
        return desk_store_user_by_email(g->c, g->a, addr->email, u) == 0 ? 0 : rc;
    }
    return rc;
}

/* The text a comment gets: capped, never empty. */
static const char *comment_text(struct ingest *g, const char *text)
{
    const struct desk_mail_msg *m = &g->m;
    if (!text || !*text) {
        if (!m->n_attachments) {
            return "(empty message)";
        }
        struct desk_buf b;
        desk_buf_init(&b, 0);
        desk_buf_adds(&b, "(no text; attached:");
        for (size_t i = 0; i < m->n_attachments && b.len < 4000; i++) {
            desk_buf_addf(&b, "%s %s", i ? "," : "", m->attachments[i].file_name);
        }
        desk_buf_adds(&b, ")");
        const char *r = desk_arena_strndup(g->a, b.data, b.len);
        desk_buf_release(&b);
        return r;
    }
    size_t len = strlen(text), max = DESK_COMMENT_MAX - 200;
    if (len <= max) {
        return text;
    }
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80) {
        max--;
    }
    return desk_arena_printf(g->a, "%.*s\n\n[… the message continues in the original email]",
                             (int)max, text);
}

/*
 * Lists the attachments for the hook: a small one's bytes go with the ticket's write
 * (stored in the database in the same transaction), a larger one is stored first as a
 * content-addressed file.
 */
static int store_attachments(struct ingest *g, struct desk_attachment **out, size_t *n)
{
    const struct desk_mail_msg *m = &g->m;
    struct desk_attachment *v = desk_arena_alloc(g->a, (m->n_attachments + 1) * sizeof(*v));
    for (size_t i = 0; i < m->n_attachments; i++) {
        const struct desk_mail_attachment *at = &m->attachments[i];
        v[i].file_name = at->file_name;
        v[i].content_type = at->content_type;
        v[i].size = (int64_t)at->size;
        v[i].is_inline = at->is_inline;
        v[i].content_id = at->content_id;
        if (at->size <= g->lim->max_attachment) {
            char *hex = desk_arena_alloc(g->a, 65);
            if (at->size <= DESK_BLOB_INLINE_MAX) {
                desk_store_blob_digest(at->data, at->size, hex);
                v[i].data = at->data;
            } else {
                int rc = desk_store_blob_put(desk_app_store(g->app), at->data, at->size, hex);
                if (rc) {
                    return rc;
                }
            }
            v[i].sha256 = hex;
        }
    }
    *out = v;
    *n = m->n_attachments;
    return 0;
}

/*
 * The supervisor's text signals of a public comment, analyzed here on the caller's thread
 * rather than on the store's single writer thread (the hook uses them when the comment is
 * a customer's). Left NULL when the analysis fails: the write then tries again itself.
 */
static void analyze_signals(struct ingest *g, struct desk_ticket_input *in,
                            struct desk_signals *sig)
{
    in->comment_signals = NULL;
    if (in->comment_public && in->comment_body &&
        desk_signals_analyze(g->a, in->comment_body, strlen(in->comment_body), sig) == 0) {
        in->comment_signals = sig;
    }
}

/*
 * The comment's html_body, made here rather than on the store's writer thread: the
 * mail's sanitized HTML when the comment is the whole of the mail's text (a new ticket,
 * or a reply with no quoted history cut and nothing cut for length), since it then says
 * the same as the body; otherwise the body rendered as every comment's is.
 */
static const char *comment_html(struct ingest *g, const char *body, const char *whole)
{
    const char *html = g->m.html;
    if (html && *html && body == whole) {
        return desk_arena_printf(g->a, "<div class=\"zd-comment\" dir=\"auto\">%s</div>", html);
    }
    return desk_comment_html(g->a, body);
}

static int64_t comment_of(const struct desk_audit *au)
{
    for (size_t i = 0; i < au->n_events; i++) {
        if (strcmp(au->events[i].type, "Comment") == 0) {
            return au->events[i].comment_id;
        }
    }
    return 0;
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            return true;
        }
    }
    return false;
}

static bool ours(const struct ingest *g, const char *email)
{
    return g->src && g->src->our_address && strcasecmp(email, g->src->our_address) == 0;
}

/* Outcome of the one ticket write: map what cannot be retried to a suspension. */
static int finish(struct ingest *g, int rc, const struct desk_fail *fail, int64_t ticket)
{
    if (rc == DESK_EINVALID || rc == DESK_EFORBIDDEN) {
        const char *why = fail && fail->n ? fail->items[0].description : desk_err_msg(rc);
        return suspend(g, CAUSE_REJECTED,
                       desk_arena_printf(g->a, "rejected by the ticket rules: %s", why), ticket);
    }
    if (rc == DESK_ECONFLICT) {
        int64_t t;
        const char *dir;
        if (desk_store_mail_id_find(g->c, g->message_id, &t, &dir) == 0) {
            g->out->outcome = DESK_MAIL_DUPLICATE;
            g->out->ticket_id = t;
            return 0;
        }
        return DESK_EBUSY;
    }
    return rc;
}

static int ingest(struct ingest *g)
{
    const struct desk_mail_limits *lim = g->lim;
    struct desk_mail_msg *m = &g->m;
    const char *reason;
    int rc = desk_app_reader(g->app, &g->c);
    if (rc) {
        return rc;
    }
    if (g->len > lim->max_message && !g->force) {
        parse_headers_only(g);
        return suspend(g, CAUSE_TOO_LARGE,
                       desk_arena_printf(g->a, "message too large (%zu bytes, the limit is %zu)",
                                         g->len, lim->max_message),
                       0);
    }
    if (desk_mail_parse(g->a, g->raw, g->len, m, &reason) != 0) {
        return suspend(g, CAUSE_UNREADABLE, desk_arena_printf(g->a, "unreadable: %s", reason), 0);
    }
    g->parsed = true;
    g->message_id = m->message_id;
    if (!g->message_id) {
        /* No Message-ID: one made from the bytes, so a redelivery is still recognized. */
        gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)g->raw, g->len);
        g->message_id = desk_arena_printf(g->a, "sha256-%.32s@desk.invalid", hex);
        g_free(hex);
    }
    int64_t t_id;
    const char *dir;
    if (desk_store_mail_id_find(g->c, g->message_id, &t_id, &dir) == 0) {
        if (strcmp(dir, "out") == 0 && !g->force) {
            return suspend(g, CAUSE_LOOP, "mail loop: a message desk sent came back", t_id);
        }
        g->out->outcome = DESK_MAIL_DUPLICATE;
        g->out->ticket_id = t_id;
        return 0;
    }
    /* A loop is flagged also when recovered on purpose: nothing automatic may answer it. */
    if (m->x_loop &&
        ((g->src && g->src->our_address && strcasestr(m->x_loop, g->src->our_address)) ||
         strcasestr(m->x_loop, "desk"))) {
        m->flags |= DESK_MAIL_LOOP;
        if (!g->force) {
            return suspend(g, CAUSE_LOOP, "mail loop: X-Loop names desk", 0);
        }
    }
    if (m->flags & DESK_MAIL_NOFROM) {
        return suspend(g, CAUSE_NO_SENDER, "no sender address", 0);
    }
    if (ours(g, m->from.email)) {
        m->flags |= DESK_MAIL_LOOP;
        if (!g->force) {
            return suspend(g, CAUSE_LOOP, "mail loop: sent from desk's own address", 0);
        }
    }

    /* The ticket it belongs to: a Message-ID desk knows, newest first, then the tag. */
    bool own = false, by_header = false;
    int64_t target = ticket_by_id(g, m->in_reply_to, &own);
    for (size_t i = m->n_references; !target && i > 0; i--) {
        target = ticket_by_id(g, m->references[i - 1], &own);
    }
    if ((m->flags & DESK_MAIL_DSN) && m->dsn_message_id) {
        int64_t t = ticket_by_id(g, m->dsn_message_id, &own);
        target = t ? t : target;
    }
    by_header = target != 0;
    if (!target) {
        target = ticket_by_tag(m->subject);
    }
    struct desk_ticket cur;
    bool have = live_ticket(g, target, &cur);

    if (g->force && !have && (m->flags & DESK_MAIL_DSN)) {
        /* A recovered bounce: a ticket of its own, still automatic mail (RFC 3834). */
        m->flags = (m->flags & ~(unsigned)DESK_MAIL_DSN) | DESK_MAIL_AUTO;
    }
    if (m->flags & DESK_MAIL_DSN) {
        if (!have) {
            return suspend(g, CAUSE_BOUNCE, "delivery status notification about no known message",
                           0);
        }
    } else {
        int64_t n = 0;
        if (!g->force && lim->rate_per_hour > 0 &&
            desk_store_mail_sender_count(g->c, m->from.email, desk_time_now_ms() - 3600000, &n) ==
                0 &&
            n >= lim->rate_per_hour) {
            return suspend(g, CAUSE_RATE,
                           desk_arena_printf(g->a, "sender sent more than %d messages in an hour",
                                             lim->rate_per_hour),
                           have ? cur.id : 0);
        }
    }

    /* The sender: known, or created — by the ticket write itself for a new ticket (one
     * durable write instead of two), else now, since a comment needs its author. */
    struct desk_user sender;
    memset(&sender, 0, sizeof(sender));
    bool known = desk_store_user_by_email(g->c, g->a, m->from.email, &sender) == 0;
    bool new_ticket = !(m->flags & DESK_MAIL_DSN) && !(have && cur.status != DESK_STATUS_CLOSED);
    if (!known && !new_ticket) {
        if ((rc = person(g, &m->from, &sender)) != 0) {
            return rc == DESK_EINVALID ? suspend(g, CAUSE_NO_SENDER, "sender address not usable", 0)
                                       : rc;
        }
        known = true;
    }
    if (known && (!sender.active || sender.suspended)) {
        return suspend(g, CAUSE_SENDER_SUSPENDED, "sender is suspended or deleted", 0);
    }
    struct desk_attachment *atts;
    size_t n_atts;
    if ((rc = store_attachments(g, &atts, &n_atts)) != 0) {
        return rc;
    }
    bool automatic = (m->flags & (DESK_MAIL_AUTO | DESK_MAIL_BULK | DESK_MAIL_DSN)) != 0;
    struct desk_app_mail_in ctx = {
        .magic = DESK_APP_MAIL_MAGIC,
        .message_id = g->message_id,
        .from_address = m->from.email,
        .subject = cut(g->a, m->subject, DESK_SUBJECT_MAX),
        .flags = m->flags,
        .charset = m->charset,
        .html = m->html,
        .source = g->src ? g->src->name : NULL,
        .raw = g->raw,
        .raw_len = g->len,
        .attachments = atts,
        .n_attachments = n_atts,
        .sender_reachable =
            !(m->flags & (DESK_MAIL_AUTO | DESK_MAIL_BULK | DESK_MAIL_DSN | DESK_MAIL_LOOP))};
    struct desk_ticket_input in = {0};
    struct desk_actor actor = desk_actor_system;
    struct desk_fail fail = {0};
    struct desk_ticket t;
    struct desk_audit au = {0};
    struct desk_signals sig;
    actor.via = DESK_VIA_EMAIL;
    actor.request_id = "mail";
    in.channel_ctx = &ctx;
    in.comment_author_id = sender.id;

    /* Followers: the Cc'd people (never desk itself or the sender). */
    int64_t *follow = desk_arena_alloc(g->a, (FOLLOWERS_MAX + 64) * sizeof(int64_t));
    size_t n_follow = 0;
    if (have) {
        for (size_t i = 0; i < cur.n_collaborator_ids && n_follow < 64; i++) {
            follow[n_follow++] = cur.collaborator_ids[i];
        }
    }
    size_t had = n_follow;
    for (size_t i = 0; i < m->n_cc && !automatic && n_follow < had + FOLLOWERS_MAX; i++) {
        struct desk_user u;
        if (ours(g, m->cc[i].email) || strcmp(m->cc[i].email, m->from.email) == 0 ||
            person(g, &m->cc[i], &u) != 0 || !u.active || has_id(follow, n_follow, u.id) ||
            (have && u.id == cur.requester_id)) {
            continue;
        }
        follow[n_follow++] = u.id;
    }

    if (m->flags & DESK_MAIL_DSN) {
        /* A bounce: an internal note on the ticket, and the address marked undeliverable. */
        const char **addr = desk_arena_alloc(g->a, (m->n_dsn + 1) * sizeof(char *));
        const char **st = desk_arena_alloc(g->a, (m->n_dsn + 1) * sizeof(char *));
        const char **dg = desk_arena_alloc(g->a, (m->n_dsn + 1) * sizeof(char *));
        struct desk_buf b;
        desk_buf_init(&b, 0);
        desk_buf_adds(&b, "Email could not be delivered");
        for (size_t i = 0; i < m->n_dsn; i++) {
            const struct desk_mail_dsn *d = &m->dsn[i];
            bool failed = (d->action && strcmp(d->action, "failed") == 0) ||
                          (d->status && d->status[0] == '5');
            desk_buf_addf(&b, "%s %s (%s%s%s)%s%s", i ? ";" : ":", d->recipient,
                          d->action ? d->action : "?", d->status ? ", status " : "",
                          d->status ? d->status : "", d->diagnostic ? ": " : "",
                          d->diagnostic ? d->diagnostic : "");
            if (failed) {
                addr[ctx.n_undeliverable] = d->recipient;
                st[ctx.n_undeliverable] = d->status;
                dg[ctx.n_undeliverable] = d->diagnostic;
                ctx.n_undeliverable++;
            }
        }
        if (!m->n_dsn) {
            desk_buf_addf(&b, ": %s", cut(g->a, m->new_text, 500));
        }
        in.comment_body = cut(g->a, b.data, 4000);
        desk_buf_release(&b);
        ctx.undeliverable = addr;
        ctx.undeliverable_status = st;
        ctx.undeliverable_diag = dg;
        in.comment_public = false;
        rc = desk_app_ticket_update(g->app, &actor, g->a, cur.id, &in, &t, &au, &fail);
        if (rc) {
            return finish(g, rc, &fail, cur.id);
        }
        g->out->outcome = DESK_MAIL_BOUNCE;
        g->out->ticket_id = t.id;
        g->out->comment_id = comment_of(&au);
        return 0;
    }

    if (have && cur.status != DESK_STATUS_CLOSED) {
        bool requester = sender.id == cur.requester_id;
        bool follower = has_id(follow, had, sender.id);
        bool staff = desk_role_is_staff(sender.role);
        /* Someone new on the thread (a reply to desk's own mail) joins it; a stranger who
         * only knows the ticket number writes a note the team reads first. */
        if (!requester && !follower && !staff && by_header && !automatic &&
            n_follow < had + FOLLOWERS_MAX + 1) {
            follow[n_follow++] = sender.id;
            follower = true;
        }
        in.comment_body = comment_text(g, m->new_text);
        in.comment_html_body = comment_html(g, in.comment_body,
                                            strcmp(m->new_text, m->text) == 0 ? m->new_text : NULL);
        in.comment_public = !automatic && (requester || follower || staff);
        if (in.comment_public && requester &&
            (cur.status == DESK_STATUS_PENDING || cur.status == DESK_STATUS_HOLD ||
             cur.status == DESK_STATUS_SOLVED)) {
            in.status = DESK_STATUS_OPEN; /* the requester wrote again: reopen */
            in.has_status = true;
        }
        if (n_follow != had) {
            in.collaborator_ids = follow;
            in.n_collaborator_ids = n_follow;
            in.has_collaborator_ids = true;
        }
        analyze_signals(g, &in, &sig);
        rc = desk_app_ticket_update(g->app, &actor, g->a, cur.id, &in, &t, &au, &fail);
        if (rc != DESK_ENOTFOUND) {
            if (rc) {
                return finish(g, rc, &fail, cur.id);
            }
            g->out->outcome = DESK_MAIL_UPDATED;
            g->out->ticket_id = t.id;
            g->out->comment_id = comment_of(&au);
            return 0;
        }
        memset(&in, 0, sizeof(in));
        in.channel_ctx = &ctx;
        in.comment_author_id = sender.id;
        n_follow = 0; /* the ticket vanished meanwhile: a new one */
        fail.n = 0;
    }

    /* A new ticket (also for a reply to a closed one: Zendesk's follow-up). */
    in.subject = cut(g->a, m->subject, DESK_SUBJECT_MAX);
    in.has_subject = in.subject && *in.subject;
    in.comment_body = comment_text(g, m->text);
    in.comment_html_body = comment_html(g, in.comment_body, m->text);
    in.comment_public = true;
    if (known) {
        in.requester_id = sender.id;
        in.has_requester_id = true;
    } else {
        in.requester_email = m->from.email;
        in.requester_name = m->from.name ? cut(g->a, m->from.name, 255) : NULL;
        in.comment_author_id = 0; /* the requester the write creates */
    }
    in.recipient = m->n_to ? m->to[0].email : NULL;
    for (size_t i = 0; i < m->n_to && g->src && g->src->our_address; i++) {
        if (ours(g, m->to[i].email)) {
            in.recipient = m->to[i].email;
        }
    }
    if (n_follow) {
        in.collaborator_ids = follow;
        in.n_collaborator_ids = n_follow;
        in.has_collaborator_ids = true;
    }
    analyze_signals(g, &in, &sig);
    rc = desk_app_ticket_create(g->app, &actor, g->a, &in, &t, &au, &fail);
    if (rc) {
        return finish(g, rc, &fail, 0);
    }
    g->out->outcome = DESK_MAIL_CREATED;
    g->out->ticket_id = t.id;
    g->out->comment_id = comment_of(&au);
    return 0;
}

static int ingest_raw(struct desk_app *app, const char *raw, size_t len,
                      const struct desk_mail_source *src, const struct desk_mail_limits *lim,
                      bool force, struct desk_mail_result *out)
{
    struct desk_mail_limits def;
    struct desk_arena a;
    struct desk_mail_result res = {0};
    if (!lim) {
        desk_mail_limits_default(&def);
        lim = &def;
    }
    desk_arena_init(&a);
    struct ingest g = {.app = app,
                       .a = &a,
                       .raw = raw,
                       .len = len,
                       .src = src,
                       .lim = lim,
                       .out = &res,
                       .force = force};
    int rc = ingest(&g);
    const char *source = src && src->name ? src->name : "-";
    if (rc) {
        desk_log(DESK_LOG_WARN, "event=mail_in source=\"%s\" bytes=%zu error=\"%s\"%s%s%s", source,
                 len, desk_err_msg(rc), res.reason[0] ? " reason=\"" : "", res.reason,
                 res.reason[0] ? "\"" : "");
        if (rc == DESK_EINVALID) {
            *out = res;
        }
    } else {
        desk_log(DESK_LOG_INFO,
                 "event=mail_in source=\"%s\" bytes=%zu outcome=%s ticket=%lld comment=%lld "
                 "suspended=%lld%s%s%s",
                 source, len, desk_mail_outcome_name(res.outcome), (long long)res.ticket_id,
                 (long long)res.comment_id, (long long)res.suspended_id,
                 res.reason[0] ? " reason=\"" : "", res.reason, res.reason[0] ? "\"" : "");
        *out = res;
    }
    desk_arena_release(&a);
    return rc;
}

int desk_mail_ingest(struct desk_app *app, const char *raw, size_t len,
                     const struct desk_mail_source *src, const struct desk_mail_limits *lim,
                     struct desk_mail_result *out)
{
    return ingest_raw(app, raw, len, src, lim, false, out);
}

int desk_mail_recover(struct desk_app *app, const struct desk_actor *who, int64_t id,
                      const struct desk_mail_limits *lim, struct desk_mail_result *out,
                      struct desk_fail *fail)
{
    struct desk_arena a;
    struct desk_suspended s;
    const void *raw;
    size_t len;
    desk_arena_init(&a);
    memset(out, 0, sizeof(*out));
    int rc = desk_app_suspended_get(app, who, &a, id, &s);
    if (!rc) {
        rc = desk_app_suspended_raw(app, who, &a, id, &raw, &len);
    }
    if (!rc && s.truncated) {
        snprintf(out->reason, sizeof(out->reason),
                 "only the start of this message was kept (%lld bytes received)",
                 (long long)s.size);
        rc = DESK_EINVALID;
    }
    if (!rc) {
        struct desk_mail_source src = {s.source ? s.source : "recovered", NULL};
        rc = ingest_raw(app, raw, len, &src, lim, true, out);
    }
    if (!rc) {
        rc = desk_app_suspended_delete(app, who, id);
        rc = rc == DESK_ENOTFOUND ? 0 : rc; /* recovered twice at once: one delete wins */
    }
    if (rc == DESK_EINVALID) {
        desk_fail(fail, DESK_EINVALID, "base", "Unrecoverable",
                  out->reason[0] ? out->reason : "the message cannot become a ticket");
    }
    desk_arena_release(&a);
    return rc;
}
