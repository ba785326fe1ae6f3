build-dev/src/model/ticket.o: src/model/ticket.c src/model/ticket.h \
 src/core/arena.h src/core/error.h src/model/records.h src/core/buf.h \
 src/core/str.h
src/model/ticket.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/core/buf.h:
src/core/str.h:
