build-dev/src/app/macros.o: src/app/macros.c src/app/macros.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/model/macro.h \
 src/store/store_console.h src/app/app_int.h src/model/ticket.h \
 src/core/str.h src/core/time.h
src/app/macros.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/model/macro.h:
src/store/store_console.h:
src/app/app_int.h:
src/model/ticket.h:
src/core/str.h:
src/core/time.h:
