/*
 * Unit tests for mail/'s parser: the messages in tests/unit/mail/data (made
 * by make.py in legacy charsets and broken shapes) and what a person must
 * see of each — subject, sender, text with correct diacritics, the new
 * text without quoted history, attachments with RFC 2231 names, the flags
 * of automatic mail and bounces, and a reason for what cannot be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/error.h"
#include "mail/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "tests/unit/mail/data/"

static char *slurp(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), DATA "%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int parse(struct desk_arena *a, const char *name, struct desk_mail_msg *m,
                 const char **reason)
{
    size_t len;
    char *raw = slurp(name, &len);
    int rc = desk_mail_parse(a, raw, len, m, reason);
    free(raw);
    return rc;
}

static void test_charsets(void **state)
{
    static const struct {
        const char *file, *subject, *from_name, *from, *text_start, *charset;
        bool guessed;
    } cases[] = {
        {"cs-windows-1250.eml", "Reklamace zboží", "Jiří Novák", "jiri@example.cz",
         "Příliš žluťoučký kůň úpěl ďábelské ódy.", "windows-1250", false},
        {"cs-iso-8859-2.eml", "Reklamace zboží", "Jiří Novák", "jiri@example.cz",
         "Příliš žluťoučký kůň úpěl ďábelské ódy.", "iso-8859-2", false},
        {"cs-mislabelled.eml", "Reklamace", "Jiri Novak", "jiri.lie@example.cz",
         "Příliš žluťoučký kůň úpěl ďábelské ódy.", NULL, true},
        {"pl-iso-8859-2.eml", "Zamówienie nie dotarło", "Paweł Kowalski", "pawel@example.pl",
         "Zażółć gęślą jaźń.", "iso-8859-2", false},
        {"pl-windows-1250.eml", "Zamówienie nie dotarło", "Paweł Kowalski", "pawel@example.pl",
         "Zażółć gęślą jaźń.", "windows-1250", false},
        {"es-iso-8859-1.eml", "Contraseña olvidada", "José Muñoz", "jose@example.es",
         "Buenos días, no puedo acceder", "iso-8859-1", false},
        {"ja-iso-2022-jp.eml", "注文について", "山田太郎", "taro@example.jp",
         "お世話になっております。", "iso-2022-jp", false},
        {"ru-koi8-unlabelled.eml", "help", NULL, "ivan@example.ru", "Здравствуйте, я не могу", NULL,
         true},
        {"zh-gb18030-unlabelled.eml", "order", NULL, "li@example.cn", "您好，我上周订购的商品",
         NULL, true},
        {"broken-rfc2047.eml", "Přílištext žluťoučk", "Jan Novák", "jan@example.cz",
         "Dobrý den, posílám dotaz", "utf-8", false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        struct desk_mail_msg m;
        const char *reason = NULL;
        desk_arena_init(&a);
        int rc = parse(&a, cases[i].file, &m, &reason);
        printf("%s: rc=%d subject=[%s] from=[%s <%s>] charset=%s guessed=%d text=[%.60s]\n",
               cases[i].file, rc, rc ? "" : m.subject,
               rc            ? ""
               : m.from.name ? m.from.name
                             : "-",
               rc ? "" : m.from.email, rc ? "" : m.charset, rc ? 0 : m.charset_guessed,
               rc ? reason : m.text);
        assert_int_equal(rc, 0);
        assert_string_equal(m.subject, cases[i].subject);
        if (cases[i].from_name) {
            assert_non_null(m.from.name);
            assert_string_equal(m.from.name, cases[i].from_name);
        }
        assert_string_equal(m.from.email, cases[i].from);
        assert_memory_equal(m.text, cases[i].text_start, strlen(cases[i].text_start));
        if (cases[i].charset) {
            assert_string_equal(m.charset, cases[i].charset);
        }
        assert_int_equal(m.charset_guessed, cases[i].guessed);
        desk_arena_release(&a);
    }
}

static void test_structure(void **state)
{
    struct desk_arena a;
    struct desk_mail_msg m;
    const char *reason;
    (void)state;
    desk_arena_init(&a);

    assert_int_equal(parse(&a, "rfc2231-attachment.eml", &m, &reason), 0);
    assert_string_equal(m.text, "Guten Tag, anbei die Rechnung. Bitte prüfen Sie den Betrag.");
    assert_int_equal(m.n_attachments, 1);
    assert_string_equal(m.attachments[0].file_name, "žluťoučký kůň.pdf");
    assert_string_equal(m.attachments[0].content_type, "application/pdf");
    assert_memory_equal(m.attachments[0].data, "%PDF-1.4", 8);
    assert_int_equal(m.n_cc, 2);
    assert_string_equal(m.cc[0].email, "bea@example.de");
    assert_string_equal(m.cc[0].name, "Bea");
    assert_string_equal(m.cc[1].email, "chef@example.de");
    assert_non_null(m.html);
    assert_null(strstr(m.html, "script"));
    assert_null(strstr(m.html, "alert"));
    assert_null(strstr(m.html, "onclick"));
    assert_null(strstr(m.html, "tracker"));
    assert_null(strstr(m.html, "color:red"));
    assert_non_null(strstr(m.html, "<b>Rechnung</b>"));

    assert_int_equal(parse(&a, "html-only-reply.eml", &m, &reason), 0);
    printf("html text: [%s]\nnew: [%s]\nquoted: [%s]\n", m.text, m.new_text,
           m.quoted ? m.quoted : "-");
    assert_string_equal(m.new_text, "Hola, ya lo he recibido, gracias.\nSaludos");
    assert_non_null(m.quoted);
    assert_non_null(strstr(m.quoted, "> Su pedido ha sido enviado."));
    assert_string_equal(m.in_reply_to, "desk-12-1@desk.test");
    assert_int_equal(m.n_references, 2);
    assert_string_equal(m.references[0], "desk-12-0@desk.test");

    assert_int_equal(parse(&a, "reply-quoted.eml", &m, &reason), 0);
    printf("new: [%s]\nsig: [%s]\nquoted: [%s]\n", m.new_text, m.signature ? m.signature : "-",
           m.quoted ? m.quoted : "-");
    assert_string_equal(m.new_text,
                        "Děkuji, funguje to. Jen ještě jedna otázka: kdy dorazí faktura?");
    assert_string_equal(m.signature, "Jan Novák\n+420 123 456 789");
    assert_non_null(strstr(m.quoted, "napsal(a):"));
    desk_arena_release(&a);
}

static void test_flags(void **state)
{
    struct desk_arena a;
    struct desk_mail_msg m;
    const char *reason;
    (void)state;
    desk_arena_init(&a);
    assert_int_equal(parse(&a, "auto-reply.eml", &m, &reason), 0);
    assert_true(m.flags & DESK_MAIL_AUTO);
    assert_false(m.flags & DESK_MAIL_DSN);
    assert_int_equal(parse(&a, "bulk-list.eml", &m, &reason), 0);
    assert_true(m.flags & DESK_MAIL_BULK);
    assert_string_equal(m.x_loop, "support@desk.test");
    assert_int_equal(parse(&a, "dsn.eml", &m, &reason), 0);
    assert_true(m.flags & DESK_MAIL_DSN);
    assert_true(m.flags & DESK_MAIL_AUTO);
    assert_int_equal(m.n_dsn, 1);
    assert_string_equal(m.dsn[0].recipient, "gone.user@example.org");
    assert_string_equal(m.dsn[0].action, "failed");
    assert_string_equal(m.dsn[0].status, "5.1.1");
    assert_non_null(strstr(m.dsn[0].diagnostic, "User unknown"));
    assert_string_equal(m.dsn_message_id, "desk-7-3@desk.test");
    assert_int_equal(parse(&a, "cs-windows-1250.eml", &m, &reason), 0);
    assert_int_equal(m.flags, 0);
    assert_int_equal(m.date_ms, 1717488000000LL);
    desk_arena_release(&a);
}

static void test_broken(void **state)
{
    static const struct {
        const char *file;
        int rc;
        const char *reason;
    } cases[] = {
        {"truncated.eml", 0, NULL},
        {"binary-garbage.eml", DESK_EINVAL, "binary data, not a message"},
        {"no-header.eml", DESK_EINVAL, "no message header"},
        {"nested-deep.eml", DESK_EINVAL, "MIME parts nested too deeply"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct desk_arena a;
        struct desk_mail_msg m;
        const char *reason = NULL;
        desk_arena_init(&a);
        int rc = parse(&a, cases[i].file, &m, &reason);
        printf("%s: rc=%d reason=%s\n", cases[i].file, rc, reason ? reason : "-");
        assert_int_equal(rc, cases[i].rc);
        if (cases[i].reason) {
            assert_string_equal(reason, cases[i].reason);
        }
        desk_arena_release(&a);
    }
    struct desk_arena a;
    struct desk_mail_msg m;
    const char *reason;
    desk_arena_init(&a);
    assert_int_equal(desk_mail_parse(&a, "", 0, &m, &reason), DESK_EINVAL);
    assert_string_equal(reason, "empty message");
    /* Headers only, no body and no blank line: a message with empty text. */
    const char *bare = "From: a@b.example\r\nSubject: hi";
    assert_int_equal(desk_mail_parse(&a, bare, strlen(bare), &m, &reason), 0);
    assert_string_equal(m.subject, "hi");
    assert_string_equal(m.text, "");
    desk_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charsets),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
