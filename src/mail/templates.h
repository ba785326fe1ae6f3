/*
 * The words of desk's notification mail, one table row per language
 * (templates.c), and the substitution that fills them in. The mail's
 * skeleton (where each phrase goes in the text and HTML parts) is shared;
 * only the phrases are translated, so a new language is one row.
 */
#ifndef DESK_MAIL_TEMPLATES_H
#define DESK_MAIL_TEMPLATES_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The phrases of one language. Each may use {{ticket_id}}, {{subject}},
 * {{author}} and {{requester}}.
 */
struct desk_mail_phrases {
    const char *lang;             /* primary language subtag: "en", "cs", ... */
    const char *marker;           /* "##- Please type your reply above this line -##" */
    const char *reply_subject;    /* "[#{{ticket_id}}] Re: {{subject}}" */
    const char *reply_intro;      /* "{{author}} replied to your request #{{ticket_id}}:" */
    const char *received_subject; /* acknowledgement of a new request */
    const char *received_intro;
    const char *you_wrote; /* before the quoted request in the acknowledgement */
    const char *footer;    /* how to answer */
};

/* The phrases for lang ("cs", "cs-CZ" and "CS" alike), or English when there is no row for it. */
const struct desk_mail_phrases *desk_mail_phrases_for(const char *lang);

/* Every language with a row, ending with NULL. */
extern const char *const desk_mail_languages[];

/* The values a template may use; NULL values render as empty text. */
struct desk_mail_vars {
    const char *ticket_id;
    const char *subject;
    const char *author;
    const char *requester;
};

/*
 * Fills the {{name}} placeholders of tmpl from v; with html, values are
 * HTML-escaped. An unknown or unterminated placeholder is copied as it
 * is. Returns a string owned by a.
 */
char *desk_mail_fill(struct desk_arena *a, const char *tmpl, const struct desk_mail_vars *v,
                     bool html);

/* Appends s to a new arena string with & < > " ' escaped for HTML. Returns a string owned by a. */
char *desk_mail_html_escape(struct desk_arena *a, const char *s);

#endif
