build-dev/src/mail/mail_curl.o: src/mail/mail_curl.c src/mail/mail_curl.h
src/mail/mail_curl.h:
