/*
 * Notice rendering (mail/notice.c, mail/templates.c): the message desk
 * sends, checked by parsing it back with GMime. Headers, threading,
 * encodings, the language rows, and the template filling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail/notice.h"
#include "mail/templates.h"

#include <gmime/gmime.h>
#include <string.h>

#define NOW 1795341600000LL

struct rendered {
    struct desk_outbox_msg out;
    GMimeMessage *msg;
};

static const struct desk_notice_sender sender = {"support@desk.test", "Desk Podpora"};

static void render(struct desk_arena *a, const char *kind, const char *lang, const char *body,
                   const struct desk_mail_id *refs, size_t n_refs, struct rendered *r)
{
    static struct desk_ticket t;
    static struct desk_comment cm;
    static struct desk_outbox_msg m;
    memset(&t, 0, sizeof(t));
    t.id = 123;
    t.subject = "Tiskárna nefunguje — Žluťoučký kůň";
    memset(&cm, 0, sizeof(cm));
    cm.id = 9;
    cm.body = body;
    memset(&m, 0, sizeof(m));
    m.id = 77;
    m.kind = kind;
    m.ticket_id = 123;
    m.comment_id = 9;
    m.to_addr = "jan@example.cz";
    m.to_name = "Jan Novák";
    m.language = lang;
    struct desk_notice_in in = {.msg = &m,
                                .ticket = &t,
                                .comment = &cm,
                                .author_name = "Alice Agentová",
                                .requester_name = "Jan Novák",
                                .refs = refs,
                                .n_refs = n_refs,
                                .now = NOW};
    assert_int_equal(desk_notice_render(a, &sender, &in, &r->out), 0);
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(r->out.raw, r->out.raw_len);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    r->msg = g_mime_parser_construct_message(p, NULL);
    assert_non_null(r->msg);
    g_object_unref(p);
    g_object_unref(s);
}

/* The decoded text of the first part of type text/SUBTYPE. */
static char *part_text(GMimeMessage *msg, const char *subtype)
{
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    assert_true(GMIME_IS_MULTIPART(body));
    GMimeMultipart *mp = GMIME_MULTIPART(body);
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
        GMimeObject *part = g_mime_multipart_get_part(mp, i);
        GMimeContentType *ct = g_mime_object_get_content_type(part);
        if (g_mime_content_type_is_type(ct, "text", subtype)) {
            assert_string_equal(g_mime_object_get_content_type_parameter(part, "charset"), "utf-8");
            char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part)), *w = text;
            for (const char *c = text; *c; c++) { /* CRLF on the wire; compare with LF */
                if (!(c[0] == '\r' && c[1] == '\n')) {
                    *w++ = *c;
                }
            }
            *w = '\0';
            return text;
        }
    }
    fail_msg("no text/%s part", subtype);
    return NULL;
}

static void test_reply_message(void **state)
{
    struct desk_arena a;
    struct rendered r;
    struct desk_mail_id refs[] = {
        {.message_id = "CAF=root@mail.example.cz", .inbound = true},
        {.message_id = "desk.T123.5.00@desk.test"},
        {.message_id = "reply-2@mail.example.cz", .inbound = true},
    };
    (void)state;
    desk_arena_init(&a);
    render(&a, "reply", "cs-CZ", "Dobrý den,\r\nzkuste restart.\r\n\r\n<b>Díky</b> & zdraví", refs,
           3, &r);

    /* Everything on the wire is 7-bit with CRLF line ends. */
    for (size_t i = 0; i < r.out.raw_len; i++) {
        assert_true((unsigned char)r.out.raw[i] < 0x80);
        if (r.out.raw[i] == '\n') {
            assert_true(i > 0 && r.out.raw[i - 1] == '\r');
        }
    }
    assert_string_equal(r.out.language, "cs");
    assert_string_equal(r.out.subject, "[#123] Re: Tiskárna nefunguje — Žluťoučký kůň");
    assert_string_equal(g_mime_message_get_subject(r.msg), r.out.subject);
    assert_non_null(strstr(r.out.raw, "Subject: [#123] Re:"));
    assert_non_null(strstr(r.out.raw, "=?UTF-8?"));
    assert_string_equal(g_mime_message_get_message_id(r.msg), r.out.message_id);
    assert_int_equal(strncmp(r.out.message_id, "desk.T123.77.", 13), 0);
    assert_non_null(strstr(r.out.message_id, "@desk.test"));
    GMimeObject *o = GMIME_OBJECT(r.msg);
    assert_string_equal(g_mime_object_get_header(o, "In-Reply-To"), "<reply-2@mail.example.cz>");
    const char *references = g_mime_object_get_header(o, "References");
    assert_non_null(strstr(references, "<CAF=root@mail.example.cz>"));
    assert_true(strstr(references, "<CAF=root@mail.example.cz>") <
                strstr(references, "<reply-2@mail.example.cz>"));
    assert_null(g_mime_object_get_header(o, "Auto-Submitted"));
    assert_string_equal(g_mime_object_get_header(o, "X-Loop"), "support@desk.test");
    /* GMime files Content-* headers under the body part when it parses. */
    assert_non_null(strstr(r.out.raw, "\r\nContent-Language: cs\r\n"));

    InternetAddressList *to = g_mime_message_get_to(r.msg);
    InternetAddress *ia = internet_address_list_get_address(to, 0);
    assert_string_equal(internet_address_get_name(ia), "Jan Novák");
    assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)),
                        "jan@example.cz");
    ia = internet_address_list_get_address(g_mime_message_get_reply_to(r.msg), 0);
    assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)),
                        "support@desk.test");
    ia = internet_address_list_get_address(g_mime_message_get_from(r.msg), 0);
    assert_string_equal(internet_address_get_name(ia), "Alice Agentová (Desk Podpora)");

    char *text = part_text(r.msg, "plain");
    assert_non_null(strstr(text, "##- Odpověď pište nad tento řádek -##"));
    assert_non_null(strstr(text, "Alice Agentová vám odpovídá na požadavek č. 123:"));
    assert_non_null(strstr(text, "<b>Díky</b> & zdraví"));
    assert_null(strstr(text, "\r\r"));
    g_free(text);
    char *html = part_text(r.msg, "html");
    assert_non_null(strstr(html, "&lt;b&gt;Díky&lt;/b&gt; &amp; zdraví"));
    assert_non_null(strstr(html, "<html lang=\"cs\">"));
    assert_null(strstr(html, "<b>"));
    g_free(html);
    g_object_unref(r.msg);
    desk_arena_release(&a);
}

static void test_received_message(void **state)
{
    struct desk_arena a;
    struct rendered r;
    struct desk_mail_id root = {.message_id = "first@mail.example.pl", .inbound = true};
    (void)state;
    desk_arena_init(&a);
    render(&a, "received", "pl", "Zażółć gęślą jaźń\n\ndruga linia", &root, 1, &r);
    assert_string_equal(r.out.subject, "[#123] Zgłoszenie przyjęte: Tiskárna nefunguje — "
                                       "Žluťoučký kůň");
    GMimeObject *o = GMIME_OBJECT(r.msg);
    assert_string_equal(g_mime_object_get_header(o, "Auto-Submitted"), "auto-replied");
    assert_string_equal(g_mime_object_get_header(o, "In-Reply-To"), "<first@mail.example.pl>");
    char *text = part_text(r.msg, "plain");
    assert_non_null(strstr(text, "> Zażółć gęślą jaźń\n>\n> druga linia\n"));
    assert_non_null(strstr(text, "Otrzymaliśmy Twoje zgłoszenie nr 123"));
    g_free(text);
    InternetAddress *ia = internet_address_list_get_address(g_mime_message_get_from(r.msg), 0);
    assert_string_equal(internet_address_get_name(ia), "Desk Podpora");
    g_object_unref(r.msg);
    desk_arena_release(&a);
}

static void test_bad_addresses(void **state)
{
    static const char *bad[] = {"", "no-at", "a@", "@b", "a b@c", "a@b@c", "a\r\nRCPT@x", "<a@b>"};
    struct desk_arena a;
    struct desk_ticket t = {.id = 1, .subject = "s"};
    struct desk_comment cm = {.id = 1, .body = "b"};
    (void)state;
    desk_arena_init(&a);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct desk_outbox_msg m = {.id = 1, .kind = "reply", .to_addr = bad[i], .language = "en"};
        struct desk_notice_in in = {.msg = &m, .ticket = &t, .comment = &cm, .now = NOW};
        struct desk_outbox_msg out;
        if (desk_notice_render(&a, &sender, &in, &out) != DESK_EINVAL) {
            fail_msg("address %zu was accepted", i);
        }
        struct desk_notice_sender s = {bad[i], "x"};
        m.to_addr = "ok@example.com";
        if (desk_notice_render(&a, &s, &in, &out) != DESK_EINVAL) {
            fail_msg("sender %zu was accepted", i);
        }
    }
    desk_arena_release(&a);
}

static void test_every_language_renders(void **state)
{
    struct desk_arena a;
    (void)state;
    desk_arena_init(&a);
    for (size_t i = 0; desk_mail_languages[i]; i++) {
        const struct desk_mail_phrases *ph = desk_mail_phrases_for(desk_mail_languages[i]);
        assert_string_equal(ph->lang, desk_mail_languages[i]);
        const char *all[] = {
            ph->marker,         ph->reply_subject, ph->reply_intro, ph->received_subject,
            ph->received_intro, ph->you_wrote,     ph->footer};
        for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++) {
            assert_non_null(all[k]);
            assert_true(strlen(all[k]) > 0);
        }
        /* The subject tag mail-in matches replies with. */
        assert_int_equal(strncmp(ph->reply_subject, "[#{{ticket_id}}] ", 17), 0);
        assert_int_equal(strncmp(ph->received_subject, "[#{{ticket_id}}] ", 17), 0);
        for (int kind = 0; kind < 2; kind++) {
            struct rendered r;
            render(&a, kind ? "received" : "reply", desk_mail_languages[i], "x", NULL, 0, &r);
            assert_string_equal(r.out.language, desk_mail_languages[i]);
            assert_null(g_mime_object_get_header(GMIME_OBJECT(r.msg), "In-Reply-To"));
            g_object_unref(r.msg);
        }
    }
    assert_string_equal(desk_mail_phrases_for("CS")->lang, "cs");
    assert_string_equal(desk_mail_phrases_for("pl_PL")->lang, "pl");
    assert_string_equal(desk_mail_phrases_for("ja")->lang, "en");
    assert_string_equal(desk_mail_phrases_for("c")->lang, "en");
    assert_string_equal(desk_mail_phrases_for(NULL)->lang, "en");
    desk_arena_release(&a);
}

static void test_fill(void **state)
{
    static const struct {
        const char *tmpl;
        bool html;
        const char *want;
    } cases[] = {
        {"[#{{ticket_id}}] {{subject}}", false, "[#7] <Ahoj> & \"ty\""},
        {"[#{{ticket_id}}] {{subject}}", true, "[#7] &lt;Ahoj&gt; &amp; &quot;ty&quot;"},
        {"{{author}}/{{requester}}", false, "Ann/"},
        {"{{unknown}} {{ticket_id", false, "{{unknown}} {{ticket_id"},
        {"}}{{}}{{{ticket_id}}}", false, "}}{{}}{7}"},
        {"", false, ""},
    };
    struct desk_arena a;
    struct desk_mail_vars v = {.ticket_id = "7", .subject = "<Ahoj> & \"ty\"", .author = "Ann"};
    (void)state;
    desk_arena_init(&a);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = desk_mail_fill(&a, cases[i].tmpl, &v, cases[i].html);
        if (strcmp(got, cases[i].want) != 0) {
            fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
        }
    }
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_message), cmocka_unit_test(test_received_message),
        cmocka_unit_test(test_bad_addresses), cmocka_unit_test(test_every_language_renders),
        cmocka_unit_test(test_fill),
    };
    desk_mail_gmime_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
