build-dev/src/mail/imap.o: src/mail/imap.c src/mail/imap.h src/core/buf.h \
 src/core/error.h src/mail/mail_curl.h
src/mail/imap.h:
src/core/buf.h:
src/core/error.h:
src/mail/mail_curl.h:
