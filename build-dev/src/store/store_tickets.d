build-dev/src/store/store_tickets.o: src/store/store_tickets.c \
 src/store/store_int.h src/store/store.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h src/core/buf.h
src/store/store_int.h:
src/store/store.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/core/buf.h:
