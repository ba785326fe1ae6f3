build-dev/src/live/bus.o: src/live/bus.c src/live/bus.h \
 src/app/live_events.h src/app/hooks.h src/app/app.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/store/store_console.h src/model/macro.h \
 src/core/buf.h src/core/log.h src/core/time.h
src/live/bus.h:
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
src/core/buf.h:
src/core/log.h:
src/core/time.h:
