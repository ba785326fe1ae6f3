build-dev/src/jobs/sla_scheduler.o: src/jobs/sla_scheduler.c \
 src/jobs/sla_scheduler.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h src/app/sla.h \
 src/app/hooks.h src/model/sla.h src/model/calendar.h \
 src/store/store_sla.h src/core/log.h src/core/time.h
src/jobs/sla_scheduler.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/app/sla.h:
src/app/hooks.h:
src/model/sla.h:
src/model/calendar.h:
src/store/store_sla.h:
src/core/log.h:
src/core/time.h:
