build-dev/src/app/app_language.o: src/app/app_language.c \
 src/app/app_language.h src/app/hooks.h src/app/app.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/core/str.h src/model/lang.h
src/app/app_language.h:
src/app/hooks.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/str.h:
src/model/lang.h:
