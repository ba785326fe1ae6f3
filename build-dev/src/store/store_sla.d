build-dev/src/store/store_sla.o: src/store/store_sla.c \
 src/store/store_int.h src/store/store.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store_sla.h src/model/sla.h src/model/calendar.h \
 src/core/time.h
src/store/store_int.h:
src/store/store.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store_sla.h:
src/model/sla.h:
src/model/calendar.h:
src/core/time.h:
