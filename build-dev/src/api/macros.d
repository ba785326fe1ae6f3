build-dev/src/api/macros.o: src/api/macros.c src/api/api_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/api/console.h src/app/macros.h src/model/macro.h \
 src/store/store_console.h src/core/str.h src/model/ticket.h
src/api/api_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/console.h:
src/app/macros.h:
src/model/macro.h:
src/store/store_console.h:
src/core/str.h:
src/model/ticket.h:
