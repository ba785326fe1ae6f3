/*
 * Uploads (see uploads.h): a token is 24 random bytes, base64url. The file
 * is written (and fsynced) to the content-addressed store before its row
 * commits, as mail attachments are.
 */
#include "app/uploads.h"
#include "app/app_int.h"
#include "core/str.h"
#include "core/time.h"
#include "store/store_console.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#define TOKEN_BYTES 24
#define TOKEN_LEN   sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)

/* A content type from the file name's extension (the request's Content-Type is not trusted). */
static const char *type_of(const char *name)
{
    static const char *const map[][2] = {
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"log", "text/plain"},
        {"csv", "text/csv"},
        {"zip", "application/zip"},
        {"json", "application/json"},
        {"xml", "application/xml"},
        {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"eml", "message/rfc822"},
    };
    const char *dot = strrchr(name, '.');
    if (dot) {
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
            if (strcasecmp(dot + 1, map[i][0]) == 0) {
                return map[i][1];
            }
        }
    }
    return "application/octet-stream";
}

static int check_name(const char *name, struct desk_fail *fail)
{
    size_t n = name ? strlen(name) : 0;
    if (!n || n > 255) {
        return desk_fail(fail, DESK_EINVALID, "filename", n ? "TooLong" : "BlankValue",
                         n ? "filename: at most 255 bytes" : "filename: is required");
    }
    if (!desk_str_utf8_valid(name, n)) {
        return desk_fail(fail, DESK_EINVALID, "filename", "InvalidEncoding",
                         "filename: is not valid UTF-8");
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\') {
            return desk_fail(
                fail, DESK_EINVALID, "filename", "InvalidValue",
                "filename: must be a plain file name (no path, no control characters)");
        }
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return desk_fail(fail, DESK_EINVALID, "filename", "InvalidValue",
                         "filename: must be a plain file name");
    }
    return 0;
}

struct add_job {
    struct desk_attachment at;
    const char *token;
    int64_t user_id;
    bool existing;
    struct desk_fail *fail;
};

static int add_write(struct desk_conn *c, void *arg)
{
    struct add_job *j = arg;
    if (j->existing) {
        int64_t owner;
        int rc = desk_store_upload_owner(c, j->token, j->at.created_at, &owner);
        if (rc || owner != j->user_id) {
            return rc && rc != DESK_ENOTFOUND ? rc : DESK_ENOTFOUND;
        }
        struct desk_arena a;
        struct desk_attachment *items;
        size_t n = 0;
        desk_arena_init(&a);
        rc = desk_store_upload_list(c, &a, j->token, &items, &n);
        desk_arena_release(&a);
        if (rc) {
            return rc;
        }
        if (n >= DESK_UPLOAD_MAX_FILES) {
            return desk_fail(j->fail, DESK_EINVALID, "file", "TooMany",
                             "file: at most 20 files per upload token");
        }
    }
    return desk_store_upload_insert(c, &j->at, j->token, j->user_id,
                                    j->at.created_at + DESK_UPLOAD_TTL_MS);
}

int desk_app_upload_add(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                        const char *token, const char *file_name, const void *data, size_t len,
                        const char **token_out, struct desk_attachment *out, struct desk_fail *fail)
{
    int rc;
    if (who->role < 0 || !who->user_id) {
        return DESK_EAUTH;
    }
    if ((rc = check_name(file_name, fail)) != 0) {
        return rc;
    }
    if (len == 0) {
        return desk_fail(fail, DESK_EINVALID, "file", "BlankValue", "file: is empty");
    }
    if (len > DESK_UPLOAD_MAX_BYTES) {
        return desk_fail(fail, DESK_ETOOBIG, "file", "TooLarge",
                         desk_arena_printf(a, "file: larger than the limit of %ld bytes (10 MiB)",
                                           DESK_UPLOAD_MAX_BYTES));
    }
    /* A small file's bytes are written with the upload's row, a larger one's first. */
    char hex[65];
    bool inline_blob = len <= DESK_BLOB_INLINE_MAX;
    if (inline_blob) {
        desk_store_blob_digest(data, len, hex);
    } else if ((rc = desk_store_blob_put(app->store, data, len, hex)) != 0) {
        return rc;
    }
    struct add_job j = {.user_id = who->user_id, .existing = token != NULL, .fail = fail};
    if (token) {
        j.token = token;
    } else {
        unsigned char raw[TOKEN_BYTES];
        char *t = desk_arena_alloc(a, TOKEN_LEN);
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(t, TOKEN_LEN, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        j.token = t;
    }
    j.at = (struct desk_attachment){
        .file_name = desk_arena_strdup(a, file_name),
        .content_type = type_of(file_name),
        .size = (int64_t)len,
        .sha256 = desk_arena_strdup(a, hex),
        .data = inline_blob ? data : NULL,
        .created_at = desk_time_now_ms(),
    };
    if ((rc = desk_store_write(app->store, add_write, &j)) != 0) {
        return rc;
    }
    *token_out = j.token;
    *out = j.at;
    return 0;
}

int desk_app_upload_list(struct desk_app *app, const struct desk_actor *who, struct desk_arena *a,
                         const char *token, struct desk_attachment **items, size_t *n)
{
    struct desk_conn *c;
    int64_t owner;
    int rc = desk_store_reader(app->store, &c);
    if (rc || (rc = desk_store_upload_owner(c, token, desk_time_now_ms(), &owner)) != 0) {
        return rc;
    }
    if (owner != who->user_id) {
        return DESK_ENOTFOUND;
    }
    return desk_store_upload_list(c, a, token, items, n);
}

struct del_job {
    const char *token;
    int64_t user_id;
};

static int del_write(struct desk_conn *c, void *arg)
{
    struct del_job *j = arg;
    int64_t owner;
    int rc = desk_store_upload_owner(c, j->token, 0, &owner);
    if (rc || owner != j->user_id) {
        return rc ? rc : DESK_ENOTFOUND;
    }
    return desk_store_upload_discard(c, j->token);
}

int desk_app_upload_delete(struct desk_app *app, const struct desk_actor *who, const char *token)
{
    struct del_job j = {token, who->user_id};
    return desk_store_write(app->store, del_write, &j);
}

int desk_uploads_written(struct desk_conn *c, struct desk_ticket_change *ch)
{
    const struct desk_strv *up = &ch->in->comment_uploads;
    if (!up->n) {
        return 0;
    }
    if (!ch->comment_id) {
        return desk_fail(ch->fail, DESK_EINVALID, "comment.uploads", "InvalidValue",
                         "comment.uploads: files need a comment to go with");
    }
    for (size_t i = 0; i < up->n; i++) {
        int64_t owner = 0;
        int rc = desk_store_upload_owner(c, up->v[i], ch->now, &owner);
        if (rc && rc != DESK_ENOTFOUND) {
            return rc;
        }
        if (rc || owner != ch->who->user_id) {
            return desk_fail(ch->fail, DESK_EINVALID, "comment.uploads", "InvalidValue",
                             desk_arena_printf(ch->a,
                                               "comment.uploads: token %s is unknown, expired or "
                                               "not yours",
                                               up->v[i]));
        }
        if ((rc = desk_store_upload_attach(c, up->v[i], ch->after->id, ch->comment_id)) != 0) {
            return rc;
        }
    }
    return 0;
}
