/*
 * The sign-in link message (see signin.h): text and HTML parts in UTF-8,
 * quoted-printable, marked automatic (RFC 3834) so responders stay quiet.
 */
#include "mail/signin.h"
#include "core/buf.h"
#include "mail/mail_int.h"
#include "mail/notice.h"
#include "mail/templates.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct phrases {
    const char *lang;
    const char *subject;
    const char *hello;  /* {name}: the person's name */
    const char *action; /* the link's label */
    const char *note;   /* {minutes} */
};

static const struct phrases table[] = {
    {"en", "Your sign-in link",
     "Hello {name}, use this link to sign in to your requests:", "Sign in",
     "The link works once and expires in {minutes} minutes. If you did not ask for it, ignore this "
     "message."},
    {"es", "Tu enlace para iniciar sesión",
     "Hola, {name}: usa este enlace para iniciar sesión y ver tus solicitudes:", "Iniciar sesión",
     "El enlace funciona una sola vez y caduca en {minutes} minutos. Si no lo has pedido, ignora "
     "este "
     "mensaje."},
    {"cs", "Váš odkaz pro přihlášení",
     "Dobrý den, {name}, tímto odkazem se přihlásíte ke svým požadavkům:", "Přihlásit se",
     "Odkaz funguje jen jednou a jeho platnost vyprší za {minutes} minut. Pokud jste o něj "
     "nežádali, "
     "zprávu ignorujte."},
    {"pl", "Twój link do logowania",
     "Dzień dobry, {name}! Użyj tego linku, aby zalogować się do swoich zgłoszeń:", "Zaloguj się",
     "Link działa tylko raz i wygasa po {minutes} minutach. Jeśli o niego nie prosiłeś, zignoruj "
     "tę "
     "wiadomość."},
};

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cfg_address, *cfg_name, *cfg_url;

void desk_mail_signin_configure(const char *from_address, const char *from_name,
                                const char *public_url)
{
    pthread_mutex_lock(&cfg_lock);
    free(cfg_address);
    free(cfg_name);
    free(cfg_url);
    cfg_address = from_address && *from_address ? strdup(from_address) : NULL;
    cfg_name = from_name && *from_name ? strdup(from_name) : NULL;
    cfg_url = NULL;
    if (public_url && *public_url) {
        size_t n = strlen(public_url);
        while (n && public_url[n - 1] == '/') {
            n--;
        }
        cfg_url = strndup(public_url, n);
    }
    pthread_mutex_unlock(&cfg_lock);
}

const char *desk_mail_signin_public_url(void)
{
    pthread_mutex_lock(&cfg_lock);
    const char *u = cfg_url;
    pthread_mutex_unlock(&cfg_lock);
    return u;
}

static const struct phrases *phrases_for(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof(table) / sizeof(table[0]); i++) {
        size_t n = strlen(table[i].lang);
        if (strncasecmp(lang, table[i].lang, n) == 0 &&
            (!lang[n] || lang[n] == '-' || lang[n] == '_')) {
            return &table[i];
        }
    }
    return &table[0];
}

/* tmpl with its one placeholder key replaced by value (arena). */
static const char *fill(struct desk_arena *a, const char *tmpl, const char *key, const char *value)
{
    const char *at = strstr(tmpl, key);
    if (!at) {
        return tmpl;
    }
    return desk_arena_printf(a, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + strlen(key));
}

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

int desk_mail_signin_render(struct desk_arena *a, const char *link, int ttl_minutes,
                            struct desk_outbox_msg *msg)
{
    pthread_mutex_lock(&cfg_lock);
    const char *from = cfg_address ? desk_arena_strdup(a, cfg_address) : NULL;
    const char *from_name = cfg_name ? desk_arena_strdup(a, cfg_name) : "Support";
    pthread_mutex_unlock(&cfg_lock);
    if (!addr_ok(from) || !addr_ok(msg->to_addr)) {
        return DESK_EINVAL;
    }
    desk_mail_gmime_init();
    const struct phrases *ph = phrases_for(msg->language);
    const char *name = msg->to_name && *msg->to_name ? msg->to_name : msg->to_addr;
    const char *hello = fill(a, ph->hello, "{name}", name);
    const char *note = fill(a, ph->note, "{minutes}", desk_arena_printf(a, "%d", ttl_minutes));
    const char *text = desk_arena_printf(a, "%s\n\n%s\n\n%s\n", hello, link, note);
    const char *html = desk_arena_printf(
        a,
        "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title>"
        "</head>\n<body style=\"font-family:sans-serif\">\n<p>%s</p>\n<p><a href=\"%s\">%s</a></p>"
        "\n<p style=\"color:#888\">%s</p>\n</body></html>\n",
        ph->lang, desk_mail_html_escape(a, ph->subject), desk_mail_html_escape(a, hello),
        desk_mail_html_escape(a, link), desk_mail_html_escape(a, ph->action),
        desk_mail_html_escape(a, note));
    const char *message_id = desk_notice_message_id(a, from, 0, msg->id);

    GMimeMessage *m = g_mime_message_new(TRUE);
    GMimeObject *obj = GMIME_OBJECT(m);
    mail_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, from_name, from);
    mail_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, msg->to_name, msg->to_addr);
    g_mime_message_set_subject(m, ph->subject, "utf-8");
    GDateTime *date = g_date_time_new_now_utc();
    g_mime_message_set_date(m, date);
    g_date_time_unref(date);
    g_mime_message_set_message_id(m, message_id);
    g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
    g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
    g_mime_object_set_header(obj, "X-Loop", from, NULL);
    g_mime_object_set_header(obj, "Content-Language", ph->lang, NULL);
    size_t raw_len;
    const char *raw = mail_alternative_raw(a, m, text, html, &raw_len);
    g_object_unref(m);
    msg->subject = ph->subject;
    msg->message_id = message_id;
    msg->raw_len = raw_len;
    msg->raw = raw;
    msg->language = ph->lang;
    return 0;
}
