build-dev/src/mail/templates.o: src/mail/templates.c src/mail/templates.h \
 src/core/arena.h src/core/buf.h
src/mail/templates.h:
src/core/arena.h:
src/core/buf.h:
