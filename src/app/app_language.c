/*
 * The language hook (see app_language.h): model/lang.h guesses, this file
 * decides when a guess is good enough to write on a ticket or a person.
 */
#include "app/app_language.h"
#include "core/str.h"
#include "model/lang.h"

#include <string.h>

/* The locale a user gets when nobody chose one (store default). */
#define DEFAULT_LOCALE "en-US"

/* Comments shorter than this (code points) never change a ticket's language. */
#define CHANGE_MIN_CHARS 30

static bool same_language(const char *a, const char *b)
{
    char pa[16], pb[16];
    return desk_lang_primary(a, pa, sizeof(pa)) && desk_lang_primary(b, pb, sizeof(pb)) &&
           strcmp(pa, pb) == 0;
}

/* An end user's locale nobody chose: just created by this write, or default and never edited. */
static bool locale_unknown(const struct desk_user *u, int64_t now)
{
    if (u->role != DESK_ROLE_END_USER) {
        return false;
    }
    if (u->created_at == now && (!u->locale || strcmp(u->locale, DEFAULT_LOCALE) == 0)) {
        return true;
    }
    return (!u->locale || strcmp(u->locale, DEFAULT_LOCALE) == 0) && u->updated_at == u->created_at;
}

static int set_locale(struct desk_conn *c, struct desk_ticket_change *ch, int64_t user_id,
                      const char *lang)
{
    struct desk_user u;
    if (!user_id || desk_store_user_get(c, ch->a, user_id, &u) != 0 ||
        !locale_unknown(&u, ch->now) || same_language(u.locale, lang)) {
        return 0;
    }
    u.locale = lang;
    u.updated_at = ch->now > u.updated_at ? ch->now : u.updated_at + 1;
    return desk_store_user_update(c, &u);
}

void desk_language_analyze(const struct desk_actor *who, const struct desk_ticket_input *in,
                           bool create, struct desk_ticket_analysis *out)
{
    (void)who;
    const char *text = in->comment_body;
    if (!text || (in->has_language && in->language)) {
        return;
    }
    size_t len = strlen(text);
    if (!create && desk_str_utf8_len(text, len) < CHANGE_MIN_CHARS) {
        return;
    }
    out->language_rc = desk_lang_detect(text, len, &out->language);
    out->language_done = true;
}

/* The guess for text: the analyzer's when it judged this very comment. */
static int detect(const struct desk_ticket_change *ch, const char *text, struct desk_lang_guess *g)
{
    if (ch->analysis && ch->analysis->language_done && text == ch->in->comment_body) {
        *g = ch->analysis->language;
        return ch->analysis->language_rc;
    }
    return desk_lang_detect(text, strlen(text), g);
}

int desk_language_prepare(struct desk_conn *c, struct desk_ticket_change *ch)
{
    struct desk_lang_guess g;
    const char *text = ch->comment;
    bool given = ch->in->has_language && ch->in->language;
    if (!ch->before) {
        /* A new ticket: the caller's language, else its first comment's. */
        if (!ch->after->language) {
            if (!text || detect(ch, text, &g) != 0 || g.distance >= 0.9) {
                return 0;
            }
            ch->after->language = g.code;
        }
        return set_locale(c, ch, ch->after->requester_id, ch->after->language);
    }
    if (!text || given) {
        return 0;
    }
    /* A new customer message: only a clear change of language is followed. */
    size_t len = strlen(text);
    if (!ch->comment_public || ch->comment_author != ch->before->requester_id ||
        desk_str_utf8_len(text, len) < CHANGE_MIN_CHARS || detect(ch, text, &g) != 0 ||
        !desk_lang_confident(&g)) {
        return 0;
    }
    if (!ch->after->language || !same_language(ch->after->language, g.code)) {
        ch->after->language = g.code;
    }
    return set_locale(c, ch, ch->after->requester_id, g.code);
}
