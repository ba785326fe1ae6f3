build-dev/src/api/live.o: src/api/live.c src/api/api_int.h src/api/api.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/api/console.h \
 src/app/live_events.h src/app/hooks.h src/store/store_console.h \
 src/model/macro.h src/core/time.h
src/api/api_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/console.h:
src/app/live_events.h:
src/app/hooks.h:
src/store/store_console.h:
src/model/macro.h:
src/core/time.h:
