/*
 * Notification phrases in each language desk writes to customers, and the
 * placeholder filling. English is the fallback and the first row. The
 * phrases avoid grammatical gender where the language marks it ("{{author}}
 * vám odpovídá", not "odpověděl(a)").
 */
#include "mail/templates.h"
#include "core/buf.h"

#include <string.h>

static const struct desk_mail_phrases rows[] = {
    {
        .lang = "en",
        .marker = "##- Please type your reply above this line -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} replied to your request #{{ticket_id}}:",
        .received_subject = "[#{{ticket_id}}] Request received: {{subject}}",
        .received_intro = "Your request #{{ticket_id}} has been received and is being reviewed "
                          "by our support team.",
        .you_wrote = "You wrote:",
        .footer = "Reply to this email to add a comment to request #{{ticket_id}}.",
    },
    {
        .lang = "es",
        .marker = "##- Escriba su respuesta por encima de esta línea -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} ha respondido a su solicitud n.º {{ticket_id}}:",
        .received_subject = "[#{{ticket_id}}] Solicitud recibida: {{subject}}",
        .received_intro = "Hemos recibido su solicitud n.º {{ticket_id}}; nuestro equipo de "
                          "soporte ya la está revisando.",
        .you_wrote = "Su mensaje:",
        .footer = "Responda a este correo para añadir un comentario a la solicitud n.º "
                  "{{ticket_id}}.",
    },
    {
        .lang = "cs",
        .marker = "##- Odpověď pište nad tento řádek -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} vám odpovídá na požadavek č. {{ticket_id}}:",
        .received_subject = "[#{{ticket_id}}] Požadavek přijat: {{subject}}",
        .received_intro = "Váš požadavek č. {{ticket_id}} jsme přijali a náš tým podpory se mu "
                          "věnuje.",
        .you_wrote = "Vaše zpráva:",
        .footer = "Odpovědí na tento e-mail přidáte k požadavku č. {{ticket_id}} komentář.",
    },
    {
        .lang = "pl",
        .marker = "##- Odpowiedź wpisz powyżej tej linii -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} odpowiada na Twoje zgłoszenie nr {{ticket_id}}:",
        .received_subject = "[#{{ticket_id}}] Zgłoszenie przyjęte: {{subject}}",
        .received_intro = "Otrzymaliśmy Twoje zgłoszenie nr {{ticket_id}}; nasz zespół wsparcia "
                          "już się nim zajmuje.",
        .you_wrote = "Twoja wiadomość:",
        .footer = "Odpowiedz na tę wiadomość, aby dodać komentarz do zgłoszenia nr "
                  "{{ticket_id}}.",
    },
    {
        .lang = "sk",
        .marker = "##- Odpoveď píšte nad tento riadok -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} vám odpovedá na požiadavku č. {{ticket_id}}:",
        .received_subject = "[#{{ticket_id}}] Požiadavka prijatá: {{subject}}",
        .received_intro = "Vašu požiadavku č. {{ticket_id}} sme prijali a náš tím podpory sa jej "
                          "venuje.",
        .you_wrote = "Vaša správa:",
        .footer = "Odpoveďou na tento e-mail pridáte k požiadavke č. {{ticket_id}} komentár.",
    },
    {
        .lang = "de",
        .marker = "##- Bitte geben Sie Ihre Antwort über dieser Zeile ein -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} hat auf Ihre Anfrage Nr. {{ticket_id}} geantwortet:",
        .received_subject = "[#{{ticket_id}}] Anfrage erhalten: {{subject}}",
        .received_intro = "Wir haben Ihre Anfrage Nr. {{ticket_id}} erhalten; unser Support-Team "
                          "kümmert sich darum.",
        .you_wrote = "Ihre Nachricht:",
        .footer = "Antworten Sie auf diese E-Mail, um der Anfrage Nr. {{ticket_id}} einen "
                  "Kommentar hinzuzufügen.",
    },
    {
        .lang = "fr",
        .marker = "##- Veuillez écrire votre réponse au-dessus de cette ligne -##",
        .reply_subject = "[#{{ticket_id}}] Re: {{subject}}",
        .reply_intro = "{{author}} a répondu à votre demande n° {{ticket_id}} :",
        .received_subject = "[#{{ticket_id}}] Demande reçue : {{subject}}",
        .received_intro = "Nous avons bien reçu votre demande n° {{ticket_id}} ; notre équipe "
                          "d'assistance l'examine.",
        .you_wrote = "Votre message :",
        .footer = "Répondez à cet e-mail pour ajouter un commentaire à la demande n° "
                  "{{ticket_id}}.",
    },
};

const char *const desk_mail_languages[] = {"en", "es", "cs", "pl", "sk", "de", "fr", NULL};

const struct desk_mail_phrases *desk_mail_phrases_for(const char *lang)
{
    size_t n = lang ? strcspn(lang, "-_") : 0;
    for (size_t i = 0; n == 2 && i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *r = rows[i].lang;
        if ((lang[0] | 0x20) == r[0] && (lang[1] | 0x20) == r[1]) {
            return &rows[i];
        }
    }
    return &rows[0];
}

static void add_escaped(struct desk_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            desk_buf_adds(b, "&amp;");
            break;
        case '<':
            desk_buf_adds(b, "&lt;");
            break;
        case '>':
            desk_buf_adds(b, "&gt;");
            break;
        case '"':
            desk_buf_adds(b, "&quot;");
            break;
        case '\'':
            desk_buf_adds(b, "&#39;");
            break;
        default:
            desk_buf_add(b, s, 1);
        }
    }
}

char *desk_mail_html_escape(struct desk_arena *a, const char *s)
{
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "");
    add_escaped(&b, s);
    char *out = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    return out;
}

char *desk_mail_fill(struct desk_arena *a, const char *tmpl, const struct desk_mail_vars *v,
                     bool html)
{
    static const struct {
        const char *name;
        size_t off;
    } names[] = {
        {"ticket_id", offsetof(struct desk_mail_vars, ticket_id)},
        {"subject", offsetof(struct desk_mail_vars, subject)},
        {"author", offsetof(struct desk_mail_vars, author)},
        {"requester", offsetof(struct desk_mail_vars, requester)},
    };
    struct desk_buf b;
    desk_buf_init(&b, 0);
    desk_buf_adds(&b, "");
    const char *p = tmpl;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            desk_buf_adds(&b, p);
            break;
        }
        desk_buf_add(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        bool known = false;
        for (size_t i = 0; close && i < sizeof(names) / sizeof(names[0]); i++) {
            size_t len = strlen(names[i].name);
            if ((size_t)(close - open - 2) == len && memcmp(open + 2, names[i].name, len) == 0) {
                const char *val = *(const char *const *)((const char *)v + names[i].off);
                if (html) {
                    add_escaped(&b, val);
                } else if (val) {
                    desk_buf_adds(&b, val);
                }
                known = true;
                break;
            }
        }
        if (!known) {
            desk_buf_add(&b, open, 1); /* "{{{x}}}": the next brace may start a placeholder */
            p = open + 1;
            continue;
        }
        p = close + 2;
    }
    char *out = desk_arena_strndup(a, b.data, b.len);
    desk_buf_release(&b);
    return out;
}
