build-dev/src/api/sla.o: src/api/sla.c src/api/sla.h src/api/api.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/api/sla_int.h src/api/api_int.h \
 src/app/sla.h src/app/hooks.h src/model/sla.h src/model/calendar.h \
 src/store/store_sla.h src/core/str.h src/core/time.h
src/api/sla.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/sla_int.h:
src/api/api_int.h:
src/app/sla.h:
src/app/hooks.h:
src/model/sla.h:
src/model/calendar.h:
src/store/store_sla.h:
src/core/str.h:
src/core/time.h:
