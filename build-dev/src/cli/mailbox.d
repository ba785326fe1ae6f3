build-dev/src/cli/mailbox.o: src/cli/mailbox.c src/cli/cli_int.h \
 src/cli/cli.h src/core/opt.h src/app/mailbox.h src/app/app.h \
 src/core/arena.h src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/store/store_mailbox.h src/core/str.h \
 src/core/time.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/app/mailbox.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/store/store_mailbox.h:
src/core/str.h:
src/core/time.h:
