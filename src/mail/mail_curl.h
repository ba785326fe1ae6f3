/*
 * libcurl's process-wide setup, shared by desk's SMTP and IMAP clients:
 * curl_global_init must run once before any handle is made.
 */
#ifndef DESK_MAIL_MAIL_CURL_H
#define DESK_MAIL_MAIL_CURL_H

/* Runs curl_global_init once per process; safe from any thread. */
void desk_mail_curl_init(void);

#endif
