build-dev/src/cli/serve.o: src/cli/serve.c src/cli/cli_int.h \
 src/cli/cli.h src/core/opt.h src/app/app.h src/core/arena.h \
 src/core/error.h src/model/records.h src/model/search.h \
 src/store/store.h src/core/log.h src/http/http.h \
 src/jobs/sla_scheduler.h src/live/bus.h src/mail/mail_out.h \
 src/core/buf.h src/mail/smtp.h
src/cli/cli_int.h:
src/cli/cli.h:
src/core/opt.h:
src/app/app.h:
src/core/arena.h:
src/core/error.h:
src/model/records.h:
src/model/search.h:
src/store/store.h:
src/core/log.h:
src/http/http.h:
src/jobs/sla_scheduler.h:
src/live/bus.h:
src/mail/mail_out.h:
src/core/buf.h:
src/mail/smtp.h:
