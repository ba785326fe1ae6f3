/*
 * In-process rendering rate of desk's notices (src/mail/notice.c): a
 * Czech reply of about 1 KB with three earlier Message-IDs, rendered to
 * RFC 5322 (multipart text + HTML, GMime) again and again for a few
 * seconds. Prints "mail_out_render_rate N notices/s". Links libdesk.a.
 */
#include "core/arena.h"
#include "core/time.h"
#include "mail/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    static const char body[] =
        "Dobrý den, pane Nováku,\n\n"
        "děkujeme za zprávu. Tiskárnu, kterou jste objednal, jsme prověřili: zásilka se "
        "zdržela v třídicím centru a dnes odpoledne ji převezme kurýr. Doručena by měla být "
        "zítra mezi 8. a 12. hodinou; odkaz na sledování vám pošleme zvlášť.\n\n"
        "Pokud by přišla poškozená, nepřebírejte ji prosím a napište nám — pošleme novou. "
        "Příliš žluťoučký kůň úpěl ďábelské ódy.\n\n"
        "S pozdravem\nAlice";
    struct desk_ticket t = {.id = 4711, .subject = "Reklamace zboží — tiskárna nedorazila"};
    struct desk_comment cm = {.id = 99, .body = body};
    struct desk_outbox_msg m = {.id = 1234,
                                .kind = "reply",
                                .ticket_id = 4711,
                                .comment_id = 99,
                                .to_addr = "jan.novak@example.cz",
                                .to_name = "Jan Novák",
                                .language = "cs"};
    struct desk_mail_id refs[] = {{.message_id = "outlook-1@example.cz", .inbound = true},
                                  {.message_id = "desk.T4711.1000.0011223344556677@desk.test"},
                                  {.message_id = "outlook-2@example.cz", .inbound = true}};
    struct desk_notice_sender from = {"support@desk.test", "Desk Podpora"};
    struct desk_notice_in in = {.msg = &m,
                                .ticket = &t,
                                .comment = &cm,
                                .author_name = "Alice Agentová",
                                .requester_name = "Jan Novák",
                                .refs = refs,
                                .n_refs = 3};
    struct desk_arena a;
    desk_arena_init(&a);
    desk_mail_gmime_init();
    long n = 0;
    size_t bytes = 0;
    int64_t start = desk_time_mono_ns(), end = start + (int64_t)(seconds * 1e9), now;
    do {
        struct desk_outbox_msg out;
        in.now = desk_time_now_ms();
        if (desk_notice_render(&a, &from, &in, &out) != 0) {
            fprintf(stderr, "mail_render: rendering failed\n");
            return 1;
        }
        bytes += out.raw_len;
        n++;
        desk_arena_release(&a);
        now = desk_time_mono_ns();
    } while (now < end);
    double s = (double)(now - start) / 1e9;
    printf("mail_out_render_rate %.0f notices/s\n", (double)n / s);
    printf("mail_out_render_size %zu bytes\n", bytes / (size_t)n);
    return 0;
}
