build-dev/src/cli/sla.o: src/cli/sla.c src/cli/cli_int.h src/cli/cli.h \
 src/core/opt.h src/core/arena.h src/core/time.h src/model/calendar.h \
 src/core/error.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/core/arena.h:
src/core/time.h:
src/model/calendar.h:
src/core/error.h:
