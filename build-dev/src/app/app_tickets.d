build-dev/src/app/app_tickets.o: src/app/app_tickets.c src/app/app_int.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/model/ticket.h src/app/hooks.h \
 src/core/str.h src/core/time.h
src/app/app_int.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/model/ticket.h:
src/app/hooks.h:
src/core/str.h:
src/core/time.h:
