build-dev/src/app/mailbox.o: src/app/mailbox.c src/app/mailbox.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/store/store_mailbox.h \
 src/app/app_int.h src/model/ticket.h src/core/time.h
src/app/mailbox.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/store/store_mailbox.h:
src/app/app_int.h:
src/model/ticket.h:
src/core/time.h:
