/*
 * POST /api/v2/spellcheck {"text", "language"} → the misspelled words with
 * their offsets (code points, and UTF-16 units for JavaScript) and up to
 * five suggestions each, from hunspell (app/spell.h). Without a language,
 * the ticket's (with ticket_id) or the caller's locale is used.
 */
#include "api/api_int.h"
#include "api/console.h"
#include "app/spell.h"

#include <string.h>

void desk_api_spellcheck(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_fail fail = {0};
    struct desk_spell_result r;
    const char *text = NULL, *language = NULL;
    int64_t ticket_id = 0;
    bool has;
    json_error_t err;
    json_t *doc = req->body_len ? json_loadb(req->body, req->body_len, 0, &err) : NULL;
    json_t *o = json_is_object(doc) ? json_object_get(doc, "spellcheck") : NULL;
    if (!o) {
        o = doc; /* {"text","language"} directly, or inside "spellcheck" */
    }
    if (!json_is_object(o)) {
        json_decref(doc);
        desk_fail(&fail, DESK_EJSON, "body", "InvalidJSON",
                  "the request body must be a JSON object with text and language");
        desk_api_error(req, resp, DESK_EJSON, &fail);
        return;
    }
    int rc = api_in_str(req, o, "text", 0, &text, &has, &fail);
    rc = rc ? rc : api_in_str(req, o, "language", 35, &language, &has, &fail);
    rc = rc ? rc : api_in_id(req, o, "ticket_id", &ticket_id, &has, &fail);
    json_decref(doc);
    if (!rc && !text) {
        rc = desk_fail(&fail, DESK_EINVALID, "text", "BlankValue", "Text: is required");
    }
    if (!rc && !language && ticket_id) {
        struct desk_ticket t;
        if ((rc = desk_app_ticket_get(req->app, &req->who, req->arena, ticket_id, &t)) == 0) {
            language = t.language;
        }
    }
    if (!rc && !language) {
        struct desk_user u;
        if (desk_app_user_get(req->app, &req->who, req->arena, req->who.user_id, &u) == 0) {
            language = u.locale;
        }
    }
    if (!rc) {
        rc = desk_app_spellcheck(req->arena, text, language ? language : "en", &r, &fail);
    }
    if (rc) {
        desk_api_error(req, resp, rc, &fail);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < r.n_misses; i++) {
        const struct desk_spell_miss *m = &r.misses[i];
        json_array_append_new(arr, json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "word", m->word, "offset",
                                             (json_int_t)m->offset, "length", (json_int_t)m->length,
                                             "utf16_offset", (json_int_t)m->utf16_offset,
                                             "utf16_length", (json_int_t)m->utf16_length,
                                             "suggestions", api_strv(&m->suggestions)));
    }
    api_send(req, resp, 200,
             json_pack("{s:{s:s,s:s,s:o,s:b}}", "spellcheck", "language", r.language, "dictionary",
                       r.dictionary, "misspellings", arr, "truncated", r.truncated));
}
