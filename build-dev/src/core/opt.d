build-dev/src/core/opt.o: src/core/opt.c src/core/opt.h src/core/error.h \
 src/core/str.h
src/core/opt.h:
src/core/error.h:
src/core/str.h:
