/*
 * Resolution rules: field-name shapes and the required-fields check that
 * guards solving a ticket. See resolution.h.
 */
#include "model/resolution.h"

#include <string.h>

bool desk_resolution_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > DESK_RES_NAME_MAX || s[0] == '_' || s[0] == '-') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

const char *desk_resolution_field(const struct desk_resolution *r, const char *name)
{
    for (size_t i = 0; r && i < r->n_fields; i++) {
        if (strcmp(r->fields[i].name, name) == 0) {
            return r->fields[i].value;
        }
    }
    return NULL;
}

static bool blank(const char *s)
{
    for (; s && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return false;
        }
    }
    return true;
}

size_t desk_resolution_missing(const struct desk_resolution_policy *p,
                               const struct desk_resolution *r, const char **missing, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < p->required.n; i++) {
        const char *name = p->required.v[i];
        const char *v;
        if (strcmp(name, DESK_RES_CATEGORY) == 0) {
            v = r ? r->category : NULL;
        } else if (strcmp(name, DESK_RES_NOTE) == 0) {
            v = r ? r->note : NULL;
        } else {
            v = desk_resolution_field(r, name);
        }
        if (blank(v)) {
            if (n < cap) {
                missing[n] = name;
            }
            n++;
        }
    }
    return n;
}

bool desk_resolution_category_allowed(const struct desk_resolution_policy *p, const char *category)
{
    if (!p->categories.n || !category) {
        return true;
    }
    for (size_t i = 0; i < p->categories.n; i++) {
        if (strcmp(p->categories.v[i], category) == 0) {
            return true;
        }
    }
    return false;
}
