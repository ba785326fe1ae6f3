build-dev/src/core/str.o: src/core/str.c src/core/str.h src/core/error.h
src/core/str.h:
src/core/error.h:
