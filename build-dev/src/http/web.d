build-dev/src/http/web.o: src/http/web.c src/http/web.h
src/http/web.h:
