build-dev/src/app/spell.o: src/app/spell.c src/app/spell.h \
 src/core/arena.h src/core/error.h src/model/records.h src/core/log.h \
 src/core/str.h src/core/time.h /usr/include/hunspell/hunspell.h \
 /usr/include/hunspell/hunvisapi.h
src/app/spell.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/core/log.h:
src/core/str.h:
src/core/time.h:
/usr/include/hunspell/hunspell.h:
/usr/include/hunspell/hunvisapi.h:
