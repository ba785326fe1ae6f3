build-dev/src/store/sqlite.o: src/store/sqlite.c src/store/store_int.h \
 src/store/store.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/core/buf.h src/core/log.h src/core/time.h
src/store/store_int.h:
src/store/store.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/core/buf.h:
src/core/log.h:
src/core/time.h:
