build-dev/src/app/live_events.o: src/app/live_events.c \
 src/app/live_events.h src/app/hooks.h src/app/app.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/store/store_console.h src/model/macro.h \
 src/core/log.h src/core/time.h
src/app/live_events.h:
src/app/hooks.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/store/store_console.h:
src/model/macro.h:
src/core/log.h:
src/core/time.h:
