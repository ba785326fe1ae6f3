build-dev/src/model/macro.o: src/model/macro.c src/model/macro.h \
 src/core/arena.h src/model/records.h src/core/buf.h
src/model/macro.h:
src/core/arena.h:
src/model/records.h:
src/core/buf.h:
