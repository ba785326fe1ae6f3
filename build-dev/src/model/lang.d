build-dev/src/model/lang.o: src/model/lang.c src/model/lang.h \
 src/core/error.h src/core/log.h
src/model/lang.h:
src/core/error.h:
src/core/log.h:
