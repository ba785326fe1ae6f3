/*
 * ical_check: reads an iCalendar stream (RFC 5545) on standard input and
 * checks it the way a calendar client would meet it: the physical lines
 * (CRLF endings, at most 75 octets, continuations starting with a space,
 * no UTF-8 character cut in two), then libical's parser (icalparser) and
 * its RFC 5545 restriction check, reporting every X-LIC-ERROR. Prints a
 * JSON report of the errors and of each VEVENT as libical read it (values
 * unfolded and unescaped), and exits 1 when there was any error. A test
 * tool for tests/e2e; built as build/tools/ical_check.
 */
#include <jansson.h>
#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len || i + len > n) {
            return false;
        }
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

/* Checks the physical lines; appends one message per problem to errors. */
static void check_lines(const char *text, size_t n, json_t *errors)
{
    size_t line = 1, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && text[i] != '\n') {
            if (text[i] == '\r' && (i + 1 >= n || text[i + 1] != '\n')) {
                json_array_append_new(errors, json_sprintf("line %zu: bare CR", line));
            }
            continue;
        }
        if (i == n && start == n) {
            break;
        }
        if (i == n) {
            json_array_append_new(errors, json_sprintf("line %zu: no CRLF at the end", line));
        } else if (i == start || text[i - 1] != '\r') {
            json_array_append_new(errors, json_sprintf("line %zu: LF without CR", line));
        }
        size_t end = i < n && i > start && text[i - 1] == '\r' ? i - 1 : i;
        size_t len = end - start;
        if (len > 75) {
            json_array_append_new(errors,
                                  json_sprintf("line %zu: %zu octets (more than 75)", line, len));
        }
        if (!utf8_valid((const unsigned char *)text + start, len)) {
            json_array_append_new(errors,
                                  json_sprintf("line %zu: not UTF-8 on its own (a character cut "
                                               "by folding?)",
                                               line));
        }
        if (len == 0) {
            json_array_append_new(errors, json_sprintf("line %zu: empty", line));
        }
        start = i + 1;
        line++;
    }
}

static void collect_errors(icalcomponent *c, json_t *errors)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        json_array_append_new(
            errors, json_sprintf("%s: %s", icalcomponent_kind_to_string(icalcomponent_isa(c)),
                                 icalproperty_get_xlicerror(p)));
    }
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        collect_errors(k, errors);
    }
}

static json_t *text_of(icalcomponent *c, icalproperty_kind kind)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    if (!p) {
        return json_null();
    }
    const char *v = icalproperty_get_value_as_string(p);
    if (kind == ICAL_SUMMARY_PROPERTY || kind == ICAL_DESCRIPTION_PROPERTY ||
        kind == ICAL_UID_PROPERTY || kind == ICAL_CATEGORIES_PROPERTY) {
        icalvalue *val = icalproperty_get_value(p);
        v = val ? icalvalue_get_text(val) : v;
    }
    return v ? json_string(v) : json_null();
}

static json_t *time_of(icalcomponent *c, icalproperty_kind kind)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    if (!p) {
        return json_null();
    }
    struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
    if (!icaltime_is_utc(t)) {
        return json_string("not UTC");
    }
    return json_sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute,
                        t.second);
}

int main(void)
{
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap + 1);
    size_t got;
    while ((got = fread(text + n, 1, cap - n, stdin)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            text = realloc(text, cap + 1);
        }
    }
    text[n] = '\0';
    json_t *errors = json_array(), *events = json_array();
    check_lines(text, n, errors);
    icalerror_set_errors_are_fatal(0);
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal) {
        json_array_append_new(errors, json_string("icalparser: nothing parsed"));
    } else if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        json_array_append_new(errors, json_string("icalparser: not a VCALENDAR"));
    } else {
        icalrestriction_check(cal);
        collect_errors(cal, errors);
        for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
             e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
            json_t *ev = json_object();
            json_object_set_new(ev, "uid", text_of(e, ICAL_UID_PROPERTY));
            json_object_set_new(ev, "summary", text_of(e, ICAL_SUMMARY_PROPERTY));
            json_object_set_new(ev, "description", text_of(e, ICAL_DESCRIPTION_PROPERTY));
            json_object_set_new(ev, "url", text_of(e, ICAL_URL_PROPERTY));
            json_object_set_new(ev, "status", text_of(e, ICAL_STATUS_PROPERTY));
            json_object_set_new(ev, "categories", text_of(e, ICAL_CATEGORIES_PROPERTY));
            json_object_set_new(ev, "dtstamp", time_of(e, ICAL_DTSTAMP_PROPERTY));
            json_object_set_new(ev, "dtstart", time_of(e, ICAL_DTSTART_PROPERTY));
            json_object_set_new(ev, "dtend", time_of(e, ICAL_DTEND_PROPERTY));
            icalcomponent *alarm = icalcomponent_get_first_component(e, ICAL_VALARM_COMPONENT);
            json_object_set_new(ev, "alarm",
                                alarm ? text_of(alarm, ICAL_TRIGGER_PROPERTY) : json_null());
            /* RFC 5545 3.6.1: UID and DTSTAMP always, DTSTART when there is no METHOD. */
            static const char *const required[] = {"uid", "dtstamp", "dtstart"};
            for (size_t i = 0; i < 3; i++) {
                if (json_is_null(json_object_get(ev, required[i]))) {
                    json_array_append_new(errors,
                                          json_sprintf("VEVENT %zu: no %s",
                                                       json_array_size(events) + 1, required[i]));
                }
            }
            json_array_append_new(events, ev);
        }
        icalcomponent_free(cal);
    }
    json_t *report = json_pack("{s:o,s:o}", "errors", errors, "events", events);
    char *out = json_dumps(report, JSON_INDENT(1));
    puts(out);
    free(out);
    bool bad = json_array_size(errors) > 0;
    json_decref(report);
    free(text);
    return bad ? 1 : 0;
}
