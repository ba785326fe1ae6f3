/*
 * Search folding inside SQLite (see sqlite_fold.h and model/fold.h).
 *
 * The "desk" FTS5 tokenizer is unicode61 with remove_diacritics 2, whose
 * tokens then have their remaining non-ASCII Latin letters folded (ł, ø,
 * ß...). Tokens in other scripts, and all-ASCII tokens, pass unchanged.
 * Queries go through the same tokenizer, so "lodz" and "Łódź" meet.
 */
#include "store/sqlite_fold.h"
#include "model/fold.h"

#include <sqlite3.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAX 512 /* longer tokens are indexed as unicode61 made them */

struct fold_tokenizer {
    fts5_tokenizer inner; /* unicode61's methods */
    Fts5Tokenizer *tok;   /* unicode61's instance */
};

struct fold_call {
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
};

static int fold_token(void *arg, int flags, const char *token, int n, int start, int end)
{
    struct fold_call *call = arg;
    bool ascii = true;
    for (int i = 0; i < n && ascii; i++) {
        ascii = (unsigned char)token[i] < 0x80;
    }
    if (ascii || n > TOKEN_MAX) {
        return call->emit(call->ctx, flags, token, n, start, end);
    }
    char buf[TOKEN_MAX * 3 + 1];
    size_t len = desk_fold(token, (size_t)n, buf, sizeof(buf));
    return call->emit(call->ctx, flags, buf, (int)len, start, end);
}

static int fold_create(void *api_ptr, const char **args, int n_args, Fts5Tokenizer **out)
{
    fts5_api *api = api_ptr;
    void *ud = NULL;
    struct fold_tokenizer *t = calloc(1, sizeof(*t));
    if (!t) {
        return SQLITE_NOMEM;
    }
    static const char *defaults[] = {"remove_diacritics", "2"};
    int rc = api->xFindTokenizer(api, "unicode61", &ud, &t->inner);
    if (rc == SQLITE_OK) {
        rc = t->inner.xCreate(ud, n_args ? args : defaults, n_args ? n_args : 2, &t->tok);
    }
    if (rc != SQLITE_OK) {
        free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void fold_delete(Fts5Tokenizer *tok)
{
    struct fold_tokenizer *t = (struct fold_tokenizer *)tok;
    t->inner.xDelete(t->tok);
    free(t);
}

static int fold_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int n,
                         int (*emit)(void *, int, const char *, int, int, int))
{
    struct fold_tokenizer *t = (struct fold_tokenizer *)tok;
    struct fold_call call = {ctx, emit};
    return t->inner.xTokenize(t->tok, &call, flags, text, n, fold_token);
}

/* desk_fold(text): the folded text, NULL for NULL. */
static void fold_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    char small[256];
    /* Folding grows text at most threefold (ß → ss from two bytes, æ → ae). */
    size_t cap = len * 3 + 1;
    char *out = cap <= sizeof(small) ? small : sqlite3_malloc64(cap);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t n = desk_fold(s, len, out, cap);
    sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
    if (out != small) {
        sqlite3_free(out);
    }
}

static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) {
        return NULL;
    }
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int desk_sqlite_fold_register(sqlite3 *db)
{
    fts5_api *api = fts5_of(db);
    if (!api || api->iVersion < 2) {
        return SQLITE_ERROR;
    }
    fts5_tokenizer methods = {fold_create, fold_delete, fold_tokenize};
    int rc = api->xCreateTokenizer(api, "desk", api, &methods, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_create_function_v2(db, "desk_fold", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                        NULL, fold_fn, NULL, NULL, NULL);
    }
    return rc;
}
