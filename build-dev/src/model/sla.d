build-dev/src/model/sla.o: src/model/sla.c src/model/sla.h \
 src/core/arena.h src/core/error.h src/model/calendar.h \
 src/model/records.h
src/model/sla.h:
src/core/arena.h:
src/core/error.h:
src/model/calendar.h:
src/model/records.h:
