build-dev/src/store/store_mailbox.o: src/store/store_mailbox.c \
 src/store/store_mailbox.h src/store/store.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store_int.h
src/store/store_mailbox.h:
src/store/store.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store_int.h:
