/*
 * Concession rules: names, exact decimal money, ISO 4217 through ICU's
 * currency list, and the approval chain. See concession.h.
 */
#include "model/concession.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucurr.h>
#include <unicode/uenum.h>

static const char *const ctype_names[DESK_CTYPE__COUNT] = {"refund", "credit", "replacement",
                                                           "fee_waiver", "policy_exception"};
static const char *const cstate_names[DESK_CSTATE__COUNT] = {"pending", "granted",   "approved",
                                                             "denied",  "countered", "expired"};
static const char *const hold_names[] = {"held", "sent", "returned"};

const char *desk_ctype_name(int type)
{
    return type >= 0 && type < DESK_CTYPE__COUNT ? ctype_names[type] : NULL;
}

const char *desk_cstate_name(int state)
{
    return state >= 0 && state < DESK_CSTATE__COUNT ? cstate_names[state] : NULL;
}

const char *desk_hold_state_name(int state)
{
    return state >= 0 && state < 3 ? hold_names[state] : NULL;
}

static int parse_name(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return DESK_EINVAL;
}

int desk_ctype_parse(const char *s, int *out)
{
    return parse_name(ctype_names, DESK_CTYPE__COUNT, s, out);
}

int desk_cstate_parse(const char *s, int *out)
{
    return parse_name(cstate_names, DESK_CSTATE__COUNT, s, out);
}

/* ---- currencies ---------------------------------------------------------- */

/* ICU's current ISO 4217 codes, loaded once, sorted for bsearch. */
#define MAX_CURRENCIES 512
static char currencies[MAX_CURRENCIES][4];
static size_t n_currencies;
static pthread_once_t currencies_once = PTHREAD_ONCE_INIT;

static int code_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void currencies_load(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UEnumeration *e = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &err);
    if (U_FAILURE(err)) {
        return; /* every code is then unknown: a clear 422, never a crash */
    }
    const char *code;
    int32_t len;
    while (n_currencies < MAX_CURRENCIES && (code = uenum_next(e, &len, &err)) != NULL &&
           U_SUCCESS(err)) {
        if (len == 3) {
            memcpy(currencies[n_currencies], code, 3);
            currencies[n_currencies][3] = '\0';
            n_currencies++;
        }
    }
    uenum_close(e);
    qsort(currencies, n_currencies, sizeof(currencies[0]), code_cmp);
}

int desk_currency_check(const char *code, char out[4], int *digits)
{
    char up[4];
    if (!code || strlen(code) != 3) {
        return DESK_EINVAL;
    }
    for (int i = 0; i < 3; i++) {
        char c = code[i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c < 'A' || c > 'Z') {
            return DESK_EINVAL;
        }
        up[i] = c;
    }
    up[3] = '\0';
    pthread_once(&currencies_once, currencies_load);
    if (!bsearch(up, currencies, n_currencies, sizeof(currencies[0]), code_cmp)) {
        return DESK_EINVAL;
    }
    UChar u[4] = {(UChar)up[0], (UChar)up[1], (UChar)up[2], 0};
    UErrorCode err = U_ZERO_ERROR;
    int32_t d = ucurr_getDefaultFractionDigits(u, &err);
    if (U_FAILURE(err) || d < 0 || d > 4) {
        return DESK_EINVAL;
    }
    memcpy(out, up, 4);
    *digits = (int)d;
    return 0;
}

/* ---- money ---------------------------------------------------------------- */

int desk_money_parse(const char *s, int digits, int64_t *minor, const char **why)
{
    int64_t v = 0;
    int frac = 0;
    bool dot = false, any = false;
    if (!s || !*s) {
        *why = "is blank";
        return DESK_EINVAL;
    }
    if (*s == '-') {
        *why = "must be positive";
        return DESK_EINVAL;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9') {
            *why = "must be a decimal number such as 300 or 12.50";
            return DESK_EINVAL;
        }
        if (dot && ++frac > digits) {
            *why = digits ? "has more decimals than the currency has"
                          : "must be a whole number in "
                            "this currency";
            return DESK_EINVAL;
        }
        v = v * 10 + (*p - '0');
        any = true;
        if (v > DESK_MONEY_MAX) {
            *why = "is too large";
            return DESK_EINVAL;
        }
    }
    if (!any || (dot && frac == 0)) {
        *why = "must be a decimal number such as 300 or 12.50";
        return DESK_EINVAL;
    }
    for (; frac < digits; frac++) {
        v *= 10;
        if (v > DESK_MONEY_MAX) {
            *why = "is too large";
            return DESK_EINVAL;
        }
    }
    if (v == 0) {
        *why = "must be greater than zero";
        return DESK_EINVAL;
    }
    *minor = v;
    return 0;
}

char *desk_money_format(struct desk_arena *a, int64_t minor, int digits)
{
    int64_t scale = 1;
    for (int i = 0; i < digits; i++) {
        scale *= 10;
    }
    bool neg = minor < 0;
    uint64_t m = neg ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    if (digits == 0) {
        return desk_arena_printf(a, "%s%llu", neg ? "-" : "", (unsigned long long)m);
    }
    return desk_arena_printf(a, "%s%llu.%0*llu", neg ? "-" : "",
                             (unsigned long long)(m / (uint64_t)scale), digits,
                             (unsigned long long)(m % (uint64_t)scale));
}

bool desk_limit_covers(int64_t limit, int64_t amount)
{
    return limit == DESK_LIMIT_NONE || amount <= limit;
}

int desk_concession_level(int64_t amount, int64_t supervisor_limit, int64_t admin_limit)
{
    if (desk_limit_covers(supervisor_limit, amount)) {
        return DESK_ROLE_SUPERVISOR;
    }
    if (desk_limit_covers(admin_limit, amount)) {
        return DESK_ROLE_ADMIN;
    }
    return -1;
}
