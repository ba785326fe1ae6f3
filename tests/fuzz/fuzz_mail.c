/*
 * Fuzz target: the mail-to-ticket parse path — raw bytes as an MTA hands
 * them to desk mailgate, through desk_mail_parse (GMime, charset choice,
 * header decoding, HTML to text and sanitizing, reply splitting, DSN
 * reading) and the checks on every field a ticket takes from it.
 */
#include "core/str.h"
#include "mail/mail.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *s)
{
    /* Everything a ticket takes from a message must be valid UTF-8. */
    if (s && !desk_str_utf8_valid(s, strlen(s))) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct desk_arena a;
    struct desk_mail_msg m;
    const char *reason;
    desk_arena_init(&a);
    if (desk_mail_parse(&a, (const char *)data, size, &m, &reason) == 0) {
        check(m.subject);
        check(m.from.name);
        check(m.from.email);
        check(m.text);
        check(m.new_text);
        check(m.html);
        for (size_t i = 0; i < m.n_attachments; i++) {
            check(m.attachments[i].file_name);
        }
        for (size_t i = 0; i < m.n_cc; i++) {
            check(m.cc[i].email);
            check(m.cc[i].name);
        }
    } else if (!reason) {
        __builtin_trap();
    }
    desk_arena_release(&a);
    return 0;
}
