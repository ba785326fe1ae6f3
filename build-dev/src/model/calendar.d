build-dev/src/model/calendar.o: src/model/calendar.c src/model/calendar.h \
 src/core/arena.h src/core/error.h
src/model/calendar.h:
src/core/arena.h:
src/core/error.h:
