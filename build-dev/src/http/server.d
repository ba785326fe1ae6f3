build-dev/src/http/server.o: src/http/server.c src/http/http.h \
 src/app/app.h src/core/arena.h src/core/error.h src/model/records.h \
 src/model/search.h src/store/store.h src/http/http_int.h src/api/api.h \
 src/core/buf.h src/http/session.h src/http/sse.h src/http/web.h \
 src/core/log.h src/core/str.h src/core/time.h
src/http/http.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/http/http_int.h:
src/api/api.h:
src/core/buf.h:
src/http/session.h:
src/http/sse.h:
src/http/web.h:
src/core/log.h:
src/core/str.h:
src/core/time.h:
