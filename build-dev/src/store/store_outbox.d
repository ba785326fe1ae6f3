build-dev/src/store/store_outbox.o: src/store/store_outbox.c \
 src/store/store_outbox.h src/store/store.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store_int.h src/core/str.h
src/store/store_outbox.h:
src/store/store.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store_int.h:
src/core/str.h:
