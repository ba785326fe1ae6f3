build-dev/src/app/sla_read.o: src/app/sla_read.c src/app/sla_int.h \
 src/app/app_int.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/model/ticket.h src/app/sla.h src/app/hooks.h src/model/sla.h \
 src/model/calendar.h src/store/store_sla.h src/core/buf.h
src/app/sla_int.h:
src/app/app_int.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/model/ticket.h:
src/app/sla.h:
src/app/hooks.h:
src/model/sla.h:
src/model/calendar.h:
src/store/store_sla.h:
src/core/buf.h:
