build-dev/src/app/hooks.o: src/app/hooks.c src/app/hooks.h src/app/app.h \
 src/core/arena.h src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/app/live_events.h src/store/store_console.h \
 src/model/macro.h src/app/outbox.h src/store/store_outbox.h \
 src/app/app_language.h src/app/sla.h src/model/sla.h \
 src/model/calendar.h src/store/store_sla.h
src/app/hooks.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/app/live_events.h:
src/store/store_console.h:
src/model/macro.h:
src/app/outbox.h:
src/store/store_outbox.h:
src/app/app_language.h:
src/app/sla.h:
src/model/sla.h:
src/model/calendar.h:
src/store/store_sla.h:
