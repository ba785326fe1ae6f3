build-dev/src/api/sessions.o: src/api/sessions.c src/api/api_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/api/console.h src/app/sessions.h src/core/time.h
src/api/api_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/console.h:
src/app/sessions.h:
src/core/time.h:
