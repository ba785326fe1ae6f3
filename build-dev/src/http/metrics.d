build-dev/src/http/metrics.o: src/http/metrics.c src/http/http_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h src/core/buf.h \
 src/mail/mail_out.h src/mail/smtp.h
src/http/http_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/buf.h:
src/mail/mail_out.h:
src/mail/smtp.h:
