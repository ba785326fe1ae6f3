build-dev/src/app/sessions.o: src/app/sessions.c src/app/sessions.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/app/app_int.h \
 src/model/ticket.h src/core/log.h src/core/str.h src/core/time.h \
 src/model/ratelimit.h src/store/store_console.h src/model/macro.h
src/app/sessions.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/app/app_int.h:
src/model/ticket.h:
src/core/log.h:
src/core/str.h:
src/core/time.h:
src/model/ratelimit.h:
src/store/store_console.h:
src/model/macro.h:
