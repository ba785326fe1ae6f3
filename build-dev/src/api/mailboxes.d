build-dev/src/api/mailboxes.o: src/api/mailboxes.c src/api/mailboxes.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/api/api_int.h src/app/mailbox.h src/store/store_mailbox.h
src/api/mailboxes.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/api_int.h:
src/app/mailbox.h:
src/store/store_mailbox.h:
