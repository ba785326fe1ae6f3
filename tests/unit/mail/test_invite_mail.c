/*
 * The invitation mail (mail/invite_mail.c), parsed back with GMime: the
 * link in both parts, the language rows, the headers of automatic mail,
 * and payloads or addresses it must refuse rather than send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/error.h"
#include "mail/invite_mail.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

#define NOW  1795341600000LL /* 2026-11-22 */
#define LINK "https://desk.example.com/console/#/invitation/AbC-123_xyz0123456789"

static const struct desk_notice_sender sender = {"support@desk.test", "Sklep Support"};

static struct desk_outbox_msg msg(const char *lang, const char *payload)
{
    struct desk_outbox_msg m = {0};
    m.id = 41;
    m.kind = "invitation";
    m.user_id = 7;
    m.to_addr = "nina@example.cz";
    m.to_name = "Nina Nováková";
    m.language = lang;
    m.payload = payload;
    return m;
}

static const char *payload =
    "link=" LINK "\ninviter=Sam Supervisor\nexpires_at=1795946400000\n"; /* +7 days */

static GMimeMessage *parse(const struct desk_outbox_msg *out)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(out->raw, out->raw_len);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(s);
    assert_non_null(m);
    return m;
}

static char *part_text(GMimeMessage *m, const char *subtype)
{
    GMimeMultipart *mp = GMIME_MULTIPART(g_mime_message_get_mime_part(m));
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
        GMimeObject *part = g_mime_multipart_get_part(mp, i);
        if (g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", subtype)) {
            return g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        }
    }
    fail_msg("no text/%s part", subtype);
    return NULL;
}

static void test_czech_invitation(void **state)
{
    (void)state;
    struct desk_arena a;
    struct desk_outbox_msg m = msg("cs-CZ", payload), out;
    desk_arena_init(&a);
    assert_int_equal(desk_invite_mail_render(&a, &sender, &m, NOW, &out), 0);
    assert_string_equal(out.language, "cs");
    assert_string_equal(out.subject, "Pozvánka do týmu Sklep Support");
    assert_non_null(strstr(out.message_id, "@desk.test"));
    assert_null(memchr(out.raw, 0x80, out.raw_len)); /* 7-bit on the wire */
    GMimeMessage *gm = parse(&out);
    assert_string_equal(g_mime_message_get_subject(gm), "Pozvánka do týmu Sklep Support");
    assert_string_equal(g_mime_object_get_header(GMIME_OBJECT(gm), "Auto-Submitted"),
                        "auto-generated");
    assert_non_null(strstr(out.raw, "\r\nContent-Language: cs\r\n"));
    InternetAddressList *to = g_mime_message_get_to(gm);
    assert_string_equal(internet_address_mailbox_get_addr(
                            INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(to, 0))),
                        "nina@example.cz");
    char *text = part_text(gm, "plain");
    assert_non_null(strstr(text, "Sam Supervisor vás zve do týmu Sklep Support."));
    assert_non_null(strstr(text, LINK));
    assert_non_null(strstr(text, "2026-11-29 10:00 UTC"));
    char *html = part_text(gm, "html");
    assert_non_null(strstr(html, "href=\"" LINK "\""));
    g_free(text);
    g_free(html);
    g_object_unref(gm);
    desk_arena_release(&a);
}

static void test_languages(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"en", "Invitation to Sklep Support"},
        {"es", "Invitación a Sklep Support"},
        {"pl-PL", "Zaproszenie do zespołu Sklep Support"},
        {"sk", "Pozvánka do tímu Sklep Support"},
        {"DE", "Einladung zu Sklep Support"},
        {"fr", "Invitation à rejoindre Sklep Support"},
        {"ja", "Invitation to Sklep Support"},
        {NULL, "Invitation to Sklep Support"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        struct desk_outbox_msg m = msg(cases[i][0], payload), out;
        desk_arena_init(&a);
        assert_int_equal(desk_invite_mail_render(&a, &sender, &m, NOW, &out), 0);
        assert_string_equal(out.subject, cases[i][1]);
        GMimeMessage *gm = parse(&out);
        char *text = part_text(gm, "plain");
        assert_non_null(strstr(text, LINK));
        g_free(text);
        g_object_unref(gm);
        desk_arena_release(&a);
    }
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        NULL,
        "",
        "inviter=Sam\nexpires_at=1795946400000\n",                     /* no link */
        "link=" LINK "\n",                                             /* no expiry */
        "link=" LINK "\nexpires_at=soon\n",                            /* not a time */
        "link=javascript:alert(1)\nexpires_at=1795946400000\n",        /* not http(s) */
        "link=https://x.test/\"><script>\nexpires_at=1795946400000\n", /* breaks out */
        "link=https://x.test/a b\nexpires_at=1795946400000\n",         /* space */
        "link=https://x.test/\xc3\xa9\nexpires_at=1795946400000\n",    /* not ASCII */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct desk_arena a;
        struct desk_outbox_msg m = msg("en", bad[i]), out;
        desk_arena_init(&a);
        assert_int_equal(desk_invite_mail_render(&a, &sender, &m, NOW, &out), DESK_EINVAL);
        desk_arena_release(&a);
    }
    struct desk_arena a;
    struct desk_outbox_msg m = msg("en", payload), out;
    desk_arena_init(&a);
    m.to_addr = "nina@example.cz>\r\nBcc: x@evil.test";
    assert_int_equal(desk_invite_mail_render(&a, &sender, &m, NOW, &out), DESK_EINVAL);
    /* A missing inviter name reads as the team. */
    m = msg("en", "link=" LINK "\nexpires_at=1795946400000\n");
    assert_int_equal(desk_invite_mail_render(&a, &sender, &m, NOW, &out), 0);
    GMimeMessage *gm = parse(&out);
    char *text = part_text(gm, "plain");
    assert_non_null(strstr(text, "Sklep Support invited you to join Sklep Support."));
    g_free(text);
    g_object_unref(gm);
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_czech_invitation),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_refused),
    };
    desk_mail_gmime_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
