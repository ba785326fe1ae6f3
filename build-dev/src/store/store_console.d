build-dev/src/store/store_console.o: src/store/store_console.c \
 src/store/store_console.h src/model/macro.h src/core/arena.h \
 src/model/records.h src/store/store.h src/core/error.h \
 src/model/search.h src/core/buf.h src/store/store_int.h
src/store/store_console.h:
src/model/macro.h:
src/core/arena.h:
src/model/records.h:
src/store/store.h:
src/core/error.h:
src/model/search.h:
src/core/buf.h:
src/store/store_int.h:
