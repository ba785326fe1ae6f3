/*
 * libcurl's one-time global setup (see mail_curl.h).
 */
#include "mail/mail_curl.h"

#include <curl/curl.h>
#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void desk_mail_curl_init(void)
{
    pthread_once(&once, init_once);
}
