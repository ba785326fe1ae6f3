build-dev/src/api/render.o: src/api/render.c src/api/api_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h src/core/buf.h \
 src/core/str.h src/core/time.h
src/api/api_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/buf.h:
src/core/str.h:
src/core/time.h:
