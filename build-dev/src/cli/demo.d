build-dev/src/cli/demo.o: src/cli/demo.c src/cli/cli_int.h src/cli/cli.h \
 src/core/opt.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
