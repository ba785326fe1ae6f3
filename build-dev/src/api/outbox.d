build-dev/src/api/outbox.o: src/api/outbox.c src/api/outbox.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/api/api_int.h src/app/outbox.h src/app/hooks.h \
 src/store/store_outbox.h src/core/str.h
src/api/outbox.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/api_int.h:
src/app/outbox.h:
src/app/hooks.h:
src/store/store_outbox.h:
src/core/str.h:
