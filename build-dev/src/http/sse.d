build-dev/src/http/sse.o: src/http/sse.c src/http/sse.h src/live/bus.h
src/http/sse.h:
src/live/bus.h:
