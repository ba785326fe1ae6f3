build-dev/src/model/ratelimit.o: src/model/ratelimit.c \
 src/model/ratelimit.h
src/model/ratelimit.h:
