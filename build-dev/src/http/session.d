build-dev/src/http/session.o: src/http/session.c src/http/session.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h \
 src/api/console.h src/app/sessions.h
src/http/session.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/console.h:
src/app/sessions.h:
