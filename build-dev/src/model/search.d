build-dev/src/model/search.o: src/model/search.c src/model/search.h \
 src/core/arena.h src/core/error.h src/core/str.h
src/model/search.h:
src/core/arena.h:
src/core/error.h:
src/core/str.h:
