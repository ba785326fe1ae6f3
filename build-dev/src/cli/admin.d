build-dev/src/cli/admin.o: src/cli/admin.c src/cli/cli_int.h \
 src/cli/cli.h src/core/opt.h src/app/app.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/core/str.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/str.h:
