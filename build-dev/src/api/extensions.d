build-dev/src/api/extensions.o: src/api/extensions.c src/api/api_int.h \
 src/api/api.h src/app/app.h src/core/arena.h src/core/error.h \
 src/model/records.h src/model/search.h src/store/store.h src/api/sla.h
src/api/api_int.h:
src/api/api.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/api/sla.h:
