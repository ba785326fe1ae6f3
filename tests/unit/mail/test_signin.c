/*
 * The sign-in link message (mail/signin.c): rendered in the customer's
 * language, parsed back with GMime; the link in both parts, HTML escaped;
 * marked automatic; refused without a sender or with a bad address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail/notice.h"
#include "mail/signin.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

static GMimeMessage *parse(const struct desk_outbox_msg *m)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(m->raw, m->raw_len);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    assert_non_null(msg);
    g_object_unref(p);
    g_object_unref(s);
    return msg;
}

static char *part(GMimeMessage *msg, const char *subtype)
{
    GMimeMultipart *mp = GMIME_MULTIPART(g_mime_message_get_mime_part(msg));
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
        GMimeObject *o = g_mime_multipart_get_part(mp, i);
        if (g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", subtype)) {
            return g_mime_text_part_get_text(GMIME_TEXT_PART(o));
        }
    }
    fail_msg("no text/%s part", subtype);
    return NULL;
}

static const struct {
    const char *locale, *lang, *subject, *phrase;
} cases[] = {
    {"cs-CZ", "cs", "Váš odkaz pro přihlášení", "Dobrý den, Jana Dvořáková, tímto odkazem"},
    {"pl", "pl", "Twój link do logowania", "wygasa po 15 minutach"},
    {"es-MX", "es", "Tu enlace para iniciar sesión", "caduca en 15 minutos"},
    {"en-US", "en", "Your sign-in link", "expires in 15 minutes"},
    {"de", "en", "Your sign-in link", "Hello Jana Dvořáková"}, /* no row: English */
    {NULL, "en", "Your sign-in link", "works once"},
};

static void test_languages(void **state)
{
    (void)state;
    desk_mail_signin_configure("help@desk.test", "Podpora", NULL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        desk_arena_init(&a);
        struct desk_outbox_msg m = {.kind = "signin",
                                    .to_addr = "jana@example.cz",
                                    .to_name = "Jana Dvořáková",
                                    .language = cases[i].locale};
        const char *link = "https://help.example.com/portal/#/link/abc_DEF-123&x=<1>";
        assert_int_equal(desk_mail_signin_render(&a, link, 15, &m), 0);
        assert_string_equal(m.language, cases[i].lang);
        assert_string_equal(m.subject, cases[i].subject);
        GMimeMessage *msg = parse(&m);
        assert_string_equal(g_mime_message_get_subject(msg), cases[i].subject);
        GMimeObject *o = GMIME_OBJECT(msg);
        assert_string_equal(g_mime_object_get_header(o, "Auto-Submitted"), "auto-generated");
        char want[40];
        snprintf(want, sizeof(want), "Content-Language: %s\r\n", cases[i].lang);
        assert_non_null(strstr(m.raw, want));
        char *text = part(msg, "plain"), *html = part(msg, "html");
        assert_non_null(strstr(text, link));
        assert_non_null(strstr(text, cases[i].phrase));
        assert_non_null(strstr(html, "abc_DEF-123&amp;x=&lt;1&gt;"));
        assert_null(strstr(html, "<1>"));
        g_free(text);
        g_free(html);
        g_object_unref(msg);
        desk_arena_release(&a);
    }
}

static void test_refused(void **state)
{
    (void)state;
    struct desk_arena a;
    desk_arena_init(&a);
    struct desk_outbox_msg m = {.to_addr = "jana@example.cz", .language = "cs"};
    desk_mail_signin_configure(NULL, NULL, NULL);
    assert_int_equal(desk_mail_signin_render(&a, "https://x/portal/#/link/t", 15, &m), DESK_EINVAL);
    desk_mail_signin_configure("help@desk.test", NULL, "https://help.example.com///");
    assert_string_equal(desk_mail_signin_public_url(), "https://help.example.com");
    m.to_addr = "bad address@x";
    assert_int_equal(desk_mail_signin_render(&a, "https://x/portal/#/link/t", 15, &m), DESK_EINVAL);
    m.to_addr = "a@b.example\r\nBcc: x@y";
    assert_int_equal(desk_mail_signin_render(&a, "https://x/portal/#/link/t", 15, &m), DESK_EINVAL);
    desk_mail_signin_configure(NULL, NULL, NULL);
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_languages),
                                       cmocka_unit_test(test_refused)};
    desk_mail_gmime_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
