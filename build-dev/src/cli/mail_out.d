build-dev/src/cli/mail_out.o: src/cli/mail_out.c src/cli/cli_int.h \
 src/cli/cli.h src/core/opt.h src/mail/mail_out.h src/app/app.h \
 src/core/arena.h src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/core/buf.h src/mail/smtp.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/mail/mail_out.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/buf.h:
src/mail/smtp.h:
