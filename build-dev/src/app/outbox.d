build-dev/src/app/outbox.o: src/app/outbox.c src/app/outbox.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/app/hooks.h \
 src/store/store_outbox.h src/app/app_int.h src/model/ticket.h \
 src/core/time.h
src/app/outbox.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/app/hooks.h:
src/store/store_outbox.h:
src/app/app_int.h:
src/model/ticket.h:
src/core/time.h:
