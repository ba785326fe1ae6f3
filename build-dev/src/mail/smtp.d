build-dev/src/mail/smtp.o: src/mail/smtp.c src/mail/smtp.h \
 src/core/error.h src/mail/mail_curl.h
src/mail/smtp.h:
src/core/error.h:
src/mail/mail_curl.h:
