build-dev/src/http/routes.o: src/http/routes.c src/http/http_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h src/core/buf.h \
 src/core/str.h src/api/mailboxes.h src/api/outbox.h src/api/console.h \
 src/api/sla.h
src/http/http_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/buf.h:
src/core/str.h:
src/api/mailboxes.h:
src/api/outbox.h:
src/api/console.h:
src/api/sla.h:
