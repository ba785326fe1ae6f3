/*
 * Input side of the API: request bodies parsed with jansson after a depth
 * check, and type-checked field readers that name the field in every
 * error. Unknown keys are ignored, as Zendesk does.
 */
#include "api/api_int.h"
#include "core/str.h"
#include "core/time.h"

#include <string.h>

const char *desk_api_param(const struct desk_req *req, const char *key)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (strcmp(req->params[i].key, key) == 0) {
            return req->params[i].value;
        }
    }
    return NULL;
}

/* Nesting depth of JSON text, counting brackets outside strings; stops past limit. */
static int json_depth(const char *s, size_t len, int limit)
{
    int depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_str = false;
            }
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max) {
                max = depth;
                if (max > limit) {
                    return max;
                }
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return max;
}

int api_body(struct desk_req *req, struct desk_resp *resp, const char *root_key, json_t **doc,
             json_t **obj)
{
    struct desk_fail fail = {0};
    json_error_t err;
    if (!req->body_len) {
        desk_fail(&fail, DESK_EJSON, "body", "BlankValue",
                  desk_arena_printf(req->arena,
                                    "the request body must be a JSON object with "
                                    "a \"%s\" member",
                                    root_key));
        desk_api_error(req, resp, DESK_EJSON, &fail);
        return -1;
    }
    if (json_depth(req->body, req->body_len, API_JSON_MAX_DEPTH) > API_JSON_MAX_DEPTH) {
        desk_fail(&fail, DESK_ETOOBIG, "body", "TooDeep", "JSON nesting is deeper than 32 levels");
        desk_api_error(req, resp, DESK_ETOOBIG, &fail);
        return -1;
    }
    json_t *d = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!d) {
        int code = json_error_code(&err) == json_error_invalid_utf8 ? DESK_EUTF8 : DESK_EJSON;
        desk_fail(&fail, code, "body", code == DESK_EUTF8 ? "InvalidEncoding" : "InvalidJSON",
                  desk_arena_printf(req->arena, "%s at line %d column %d", err.text, err.line,
                                    err.column));
        desk_api_error(req, resp, code, &fail);
        return -1;
    }
    json_t *o = json_is_object(d) ? json_object_get(d, root_key) : NULL;
    if (!o || !json_is_object(o)) {
        json_decref(d);
        desk_fail(&fail, DESK_EINVALID, root_key, "BlankValue",
                  desk_arena_printf(req->arena, "%s: must be an object", root_key));
        desk_api_error(req, resp, DESK_EINVALID, &fail);
        return -1;
    }
    *doc = d;
    *obj = o;
    return 0;
}

static int wrong(struct desk_req *req, struct desk_fail *fail, const char *key, const char *what)
{
    return desk_fail(fail, DESK_EINVALID, desk_arena_strdup(req->arena, key), "InvalidType",
                     desk_arena_printf(req->arena, "%s: %s", key, what));
}

int api_in_str(struct desk_req *req, json_t *obj, const char *key, size_t max_len, const char **out,
               bool *has, struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    if (json_is_null(v)) {
        *out = NULL;
    } else if (json_is_string(v)) {
        size_t len = json_string_length(v);
        if (max_len && len > max_len) {
            return desk_fail(
                fail, DESK_EINVALID, desk_arena_strdup(req->arena, key), "TooLong",
                desk_arena_printf(req->arena, "%s: is too long (maximum is %zu)", key, max_len));
        }
        *out = desk_arena_strndup(req->arena, json_string_value(v), len);
    } else {
        return wrong(req, fail, key, "must be a string");
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_id(struct desk_req *req, json_t *obj, const char *key, int64_t *out, bool *has,
              struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    if (json_is_null(v)) {
        *out = 0;
    } else if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
    } else if (json_is_string(v)) {
        int64_t id;
        const char *s = json_string_value(v);
        if (desk_str_to_i64(s, strlen(s), &id) || id <= 0) {
            return wrong(req, fail, key, "must be an id (a positive integer)");
        }
        *out = id;
    } else {
        return wrong(req, fail, key, "must be an id (a positive integer)");
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_bool(struct desk_req *req, json_t *obj, const char *key, bool *out, bool *has,
                struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    if (!json_is_boolean(v)) {
        return wrong(req, fail, key, "must be true or false");
    }
    *out = json_is_true(v);
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_enum(struct desk_req *req, json_t *obj, const char *key,
                int (*parse)(const char *, int *), int *out, bool *has, struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    if (json_is_null(v)) {
        *out = 0;
    } else if (!json_is_string(v) || parse(json_string_value(v), out) != 0) {
        return desk_fail(fail, DESK_EINVALID, desk_arena_strdup(req->arena, key), "InvalidValue",
                         desk_arena_printf(req->arena, "%s: is not a valid value", key));
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_time(struct desk_req *req, json_t *obj, const char *key, int64_t *out, bool *has,
                struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    if (json_is_null(v)) {
        *out = 0;
    } else if (!json_is_string(v) ||
               desk_time_parse(json_string_value(v), json_string_length(v), out) != 0) {
        return wrong(req, fail, key, "must be an ISO 8601 time such as 2026-11-22T10:00:00Z");
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_strv(struct desk_req *req, json_t *obj, const char *key, struct desk_strv *out,
                bool *has, struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    out->n = 0;
    out->v = NULL;
    if (json_is_null(v)) {
        /* cleared */
    } else if (json_is_string(v)) {
        /* A space-separated string is accepted for tags, as in Zendesk. */
        *out = desk_strv_split(req->arena, json_string_value(v));
    } else if (json_is_array(v)) {
        size_t n = json_array_size(v);
        if (n > 1000) {
            return wrong(req, fail, key, "has too many items");
        }
        out->v = desk_arena_alloc(req->arena, (n ? n : 1) * sizeof(char *));
        for (size_t i = 0; i < n; i++) {
            json_t *s = json_array_get(v, i);
            if (!json_is_string(s)) {
                return wrong(req, fail, key, "must be an array of strings");
            }
            out->v[out->n++] = desk_arena_strdup(req->arena, json_string_value(s));
        }
    } else {
        return wrong(req, fail, key, "must be an array of strings");
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_in_ids(struct desk_req *req, json_t *obj, const char *key, int64_t **out, size_t *n,
               bool *has, struct desk_fail *fail)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        return 0;
    }
    *n = 0;
    if (!json_is_null(v)) {
        if (!json_is_array(v) || json_array_size(v) > API_IDS_MAX) {
            return wrong(req, fail, key, "must be an array of at most 100 ids");
        }
        size_t cnt = json_array_size(v);
        *out = desk_arena_alloc(req->arena, (cnt ? cnt : 1) * sizeof(int64_t));
        for (size_t i = 0; i < cnt; i++) {
            json_t *x = json_array_get(v, i);
            if (!json_is_integer(x) || json_integer_value(x) <= 0) {
                return wrong(req, fail, key, "must be an array of ids");
            }
            (*out)[(*n)++] = json_integer_value(x);
        }
    }
    if (has) {
        *has = true;
    }
    return 0;
}

int api_ids_param(struct desk_req *req, struct desk_resp *resp, int64_t **ids, size_t *n)
{
    const char *s = desk_api_param(req, "ids");
    struct desk_fail fail = {0};
    *n = 0;
    *ids = desk_arena_alloc(req->arena, API_IDS_MAX * sizeof(int64_t));
    if (!s || !*s) {
        desk_fail(&fail, DESK_EINVAL, "ids", "BlankValue", "ids: give a comma-separated list");
        desk_api_error(req, resp, DESK_EINVAL, &fail);
        return -1;
    }
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        int64_t id;
        if (*n == API_IDS_MAX || desk_str_to_i64(s, len, &id) || id <= 0) {
            desk_fail(&fail, DESK_EINVAL, "ids", "InvalidValue",
                      "ids: must be at most 100 comma-separated ids");
            desk_api_error(req, resp, DESK_EINVAL, &fail);
            return -1;
        }
        (*ids)[(*n)++] = id;
        s += len + (end ? 1 : 0);
    }
    return 0;
}

int api_parent_exists(struct desk_req *req, struct desk_resp *resp)
{
    struct desk_conn *c;
    const char *r = req->resource;
    int rc = desk_app_reader(req->app, &c);
    if (!rc && req->n_ids) {
        if (strncmp(r, "users/", 6) == 0) {
            struct desk_user u;
            rc = desk_store_user_get(c, req->arena, req->ids[0], &u);
        } else if (strncmp(r, "organizations/", 14) == 0) {
            struct desk_org o;
            rc = desk_store_org_get(c, req->arena, req->ids[0], &o);
        } else if (strncmp(r, "groups/", 7) == 0) {
            struct desk_group g;
            rc = desk_store_group_get(c, req->arena, req->ids[0], &g);
            rc = rc ? rc : g.deleted ? DESK_ENOTFOUND : 0;
        }
    }
    if (rc) {
        desk_api_error(req, resp, rc, NULL);
    }
    return rc;
}
