build-dev/src/core/log.o: src/core/log.c src/core/log.h src/core/time.h
src/core/log.h:
src/core/time.h:
