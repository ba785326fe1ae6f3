build-dev/src/model/records.o: src/model/records.c src/model/records.h \
 src/core/error.h src/core/str.h src/core/arena.h
src/model/records.h:
src/core/error.h:
src/core/str.h:
src/core/arena.h:
