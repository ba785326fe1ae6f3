build-dev/src/mail/mail_out.o: src/mail/mail_out.c src/mail/mail_out.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/core/buf.h src/mail/smtp.h \
 src/app/outbox.h src/app/hooks.h src/store/store_outbox.h src/core/log.h \
 src/core/time.h src/mail/notice.h
src/mail/mail_out.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/buf.h:
src/mail/smtp.h:
src/app/outbox.h:
src/app/hooks.h:
src/store/store_outbox.h:
src/core/log.h:
src/core/time.h:
src/mail/notice.h:
