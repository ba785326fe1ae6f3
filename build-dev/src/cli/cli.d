build-dev/src/cli/cli.o: src/cli/cli.c src/cli/cli_int.h src/cli/cli.h \
 src/core/opt.h src/core/log.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/core/log.h:
