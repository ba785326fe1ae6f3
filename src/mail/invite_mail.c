/*
 * Invitation mail with GMime (see invite_mail.h). Same conventions as the
 * ticket notices: UTF-8 throughout, RFC 2047 headers, quoted-printable
 * bodies, multipart/alternative, CRLF line ends. Phrases are one row per
 * language; {{inviter}}, {{team}} and {{expires}} are filled in.
 */
#include "mail/invite_mail.h"
#include "core/buf.h"
#include "mail/mail_int.h"
#include "core/error.h"
#include "mail/templates.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct invite_phrases {
    const char *lang;
    const char *subject; /* "Invitation to {{team}}" */
    const char *intro;   /* "{{inviter}} invited you to join {{team}}." */
    const char *action;  /* before the link */
    const char *button;  /* the link's text in HTML */
    const char *ignore;  /* after the link */
};

static const struct invite_phrases phrases[] = {
    {"en", "Invitation to {{team}}", "{{inviter}} invited you to join {{team}}.",
     "Choose your password here. The link works once and expires on {{expires}}:",
     "Set your password", "If you did not expect this invitation, you can ignore this message."},
    {"es", "Invitación a {{team}}", "{{inviter}} te ha invitado a unirte a {{team}}.",
     "Elige tu contraseña aquí. El enlace funciona una sola vez y caduca el {{expires}}:",
     "Establecer la contraseña", "Si no esperabas esta invitación, puedes ignorar este mensaje."},
    {"cs", "Pozvánka do týmu {{team}}", "{{inviter}} vás zve do týmu {{team}}.",
     "Zde si nastavte heslo. Odkaz funguje jen jednou a platí do {{expires}}:", "Nastavit heslo",
     "Pokud jste pozvánku nečekali, můžete tuto zprávu ignorovat."},
    {"pl", "Zaproszenie do zespołu {{team}}", "{{inviter}} zaprasza Cię do zespołu {{team}}.",
     "Ustaw tutaj swoje hasło. Link działa tylko raz i wygasa {{expires}}:", "Ustaw hasło",
     "Jeśli nie spodziewasz się tego zaproszenia, zignoruj tę wiadomość."},
    {"sk", "Pozvánka do tímu {{team}}", "{{inviter}} vás pozýva do tímu {{team}}.",
     "Tu si nastavte heslo. Odkaz funguje iba raz a platí do {{expires}}:", "Nastaviť heslo",
     "Ak ste pozvánku nečakali, môžete túto správu ignorovať."},
    {"de", "Einladung zu {{team}}", "{{inviter}} hat Sie eingeladen, {{team}} beizutreten.",
     "Legen Sie hier Ihr Passwort fest. Der Link funktioniert einmal und läuft am {{expires}} ab:",
     "Passwort festlegen",
     "Wenn Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht ignorieren."},
    {"fr", "Invitation à rejoindre {{team}}", "{{inviter}} vous invite à rejoindre {{team}}.",
     "Choisissez votre mot de passe ici. Le lien ne fonctionne qu'une fois et expire le "
     "{{expires}} :",
     "Choisir mon mot de passe",
     "Si vous n'attendiez pas cette invitation, vous pouvez ignorer ce message."},
};

static const struct invite_phrases *phrases_for(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof(phrases) / sizeof(phrases[0]); i++) {
        size_t n = strlen(phrases[i].lang);
        if (strncasecmp(lang, phrases[i].lang, n) == 0 && (lang[n] == 0 || lang[n] == '-')) {
            return &phrases[i];
        }
    }
    return &phrases[0];
}

struct vars {
    const char *inviter, *team, *expires;
};

/* Fills {{inviter}}, {{team}}, {{expires}} in tmpl (HTML-escaped with html). */
static char *fill(struct desk_arena *a, const char *tmpl, const struct vars *v, bool html)
{
    static const char *const names[] = {"{{inviter}}", "{{team}}", "{{expires}}"};
    const char *vals[] = {v->inviter, v->team, v->expires};
    struct desk_buf b;
    desk_buf_init(&b, 0);
    for (const char *p = tmpl; *p;) {
        size_t k = 0;
        while (k < 3 && strncmp(p, names[k], strlen(names[k])) != 0) {
            k++;
        }
        if (k == 3) {
            desk_buf_add(&b, p, 1);
            p++;
            continue;
        }
        desk_buf_adds(&b, html ? desk_mail_html_escape(a, vals[k]) : vals[k]);
        p += strlen(names[k]);
    }
    char *s = desk_arena_strndup(a, b.data ? b.data : "", b.len);
    desk_buf_release(&b);
    return s;
}

/* The same test the notices apply: a bare addr-spec, no spaces, controls or brackets. */
static bool addr_ok(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p)) {
            return false;
        }
    }
    return true;
}

/* The link goes into the mail as is: an absolute http(s) URL of printable ASCII only. */
static bool link_ok(const char *s)
{
    if (!s || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) ||
        strlen(s) > 2000) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f || strchr("<>\"'\\", *p)) {
            return false;
        }
    }
    return true;
}

/* The value of "key=" in payload (a copy in a), or NULL. */
static const char *payload_get(struct desk_arena *a, const char *payload, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = payload; p && *p;) {
        size_t n = strcspn(p, "\n");
        if (n > k && strncmp(p, key, k) == 0 && p[k] == '=') {
            return desk_arena_strndup(a, p + k + 1, n - k - 1);
        }
        p += n + (p[n] ? 1 : 0);
    }
    return NULL;
}

int desk_invite_mail_render(struct desk_arena *a, const struct desk_notice_sender *from,
                            const struct desk_outbox_msg *m, int64_t now,
                            struct desk_outbox_msg *out)
{
    if (!addr_ok(from->address) || !addr_ok(m->to_addr) || !m->payload) {
        return DESK_EINVAL;
    }
    const char *link = payload_get(a, m->payload, "link");
    const char *inviter = payload_get(a, m->payload, "inviter");
    const char *exp = payload_get(a, m->payload, "expires_at");
    char *end = NULL;
    long long exp_ms = exp ? strtoll(exp, &end, 10) : 0;
    if (!link_ok(link) || !exp || end == exp || *end || exp_ms <= 0) {
        return DESK_EINVAL;
    }
    if (!inviter || !*inviter) {
        inviter = from->name ? from->name : "";
    }
    time_t t = (time_t)(exp_ms / 1000);
    struct tm tm;
    char expires[32];
    gmtime_r(&t, &tm);
    strftime(expires, sizeof(expires), "%Y-%m-%d %H:%M UTC", &tm);
    desk_mail_gmime_init();
    const struct invite_phrases *ph = phrases_for(m->language);
    struct vars v = {inviter, from->name && *from->name ? from->name : "desk", expires};
    const char *subject = fill(a, ph->subject, &v, false);
    const char *message_id = desk_notice_message_id(a, from->address, 0, m->id);

    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_addf(&b, "%s\n\n%s\n\n%s\n\n%s\n", fill(a, ph->intro, &v, false),
                  fill(a, ph->action, &v, false), link, fill(a, ph->ignore, &v, false));
    char *text = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    desk_buf_init(&b, 0);
    desk_buf_addf(&b,
                  "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=utf-8\"><title>%s</title></head>\n"
                  "<body style=\"font-family:sans-serif;font-size:14px\">\n<p>%s</p>\n<p>%s</p>\n"
                  "<p><a href=\"%s\">%s</a></p>\n<p style=\"color:#888\">%s</p>\n</body></html>\n",
                  ph->lang, desk_mail_html_escape(a, subject), fill(a, ph->intro, &v, true),
                  fill(a, ph->action, &v, true), link, desk_mail_html_escape(a, ph->button),
                  fill(a, ph->ignore, &v, true));
    char *html = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);

    GMimeMessage *msg = g_mime_message_new(TRUE);
    GMimeObject *obj = GMIME_OBJECT(msg);
    mail_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from->name, from->address);
    mail_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m->to_name, m->to_addr);
    g_mime_message_set_subject(msg, subject, "utf-8");
    GDateTime *date = g_date_time_new_from_unix_utc(now / 1000);
    g_mime_message_set_date(msg, date);
    g_date_time_unref(date);
    g_mime_message_set_message_id(msg, message_id);
    g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
    g_mime_object_set_header(obj, "X-Loop", from->address, NULL);
    g_mime_object_set_header(obj, "Content-Language", ph->lang, NULL);
    size_t raw_len;
    const char *raw = mail_alternative_raw(a, msg, text, html, &raw_len);
    g_object_unref(msg);

    *out = *m;
    out->subject = subject;
    out->message_id = message_id;
    out->raw_len = raw_len;
    out->raw = raw;
    out->language = ph->lang;
    return 0;
}
