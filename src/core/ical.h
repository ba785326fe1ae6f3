/*
 * An iCalendar (RFC 5545) writer: content lines with CRLF endings, folded
 * at 75 octets without splitting a UTF-8 character, TEXT values escaped
 * (backslash, semicolon, comma, newlines), times in UTC ("Z" form, so no
 * VTIMEZONE is needed). Writes into a desk_buf; the caller assembles the
 * components. Depends only on core/buf.
 */
#ifndef DESK_CORE_ICAL_H
#define DESK_CORE_ICAL_H

#include "core/buf.h"

#include <stdint.h>

/* Longest content line in octets, CRLF excluded (RFC 5545 section 3.1). */
#define DESK_ICAL_LINE_MAX 75

/*
 * Appends the content line "name:value" with value escaped as TEXT
 * (section 3.3.11): "\" → "\\", ";" → "\;", "," → "\,", CRLF, LF or CR →
 * "\n"; other control characters become spaces and bytes that are not
 * UTF-8 become U+FFFD. NULL value writes an empty value. Returns 0 or the
 * buffer's DESK_ETOOBIG.
 */
int desk_ical_text(struct desk_buf *b, const char *name, const char *value);

/*
 * Appends "name:value" with value as is (URIs, dates, enumerated values
 * such as "CONFIRMED", or a parameter list included in name:
 * "CATEGORIES", "URL;VALUE=URI"). value must hold no control characters;
 * they are dropped. Folded like every line.
 */
int desk_ical_raw(struct desk_buf *b, const char *name, const char *value);

/* Appends "name:YYYYMMDDTHHMMSSZ" for UTC milliseconds ms (section 3.3.5, form 2). */
int desk_ical_time(struct desk_buf *b, const char *name, int64_t ms);

/*
 * Appends "name:[-]PnDTnHnMnS" (section 3.3.6) for a duration of ms
 * milliseconds (whole seconds; negative for a trigger before the event).
 */
int desk_ical_duration(struct desk_buf *b, const char *name, int64_t ms);

#endif
