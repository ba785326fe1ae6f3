#!/usr/bin/python3
"""An SMTP sink for the end-to-end tests: aiosmtpd (Debian's python3-aiosmtpd)
listening on 127.0.0.1, writing each message it accepts to DIR/NNNN.eml with
its envelope in DIR/NNNN.json. Prints "PORT n" once listening.

    smtp_sink.py DIR [--port N] [--reject SUBSTRING] [--tempfail N]
                     [--tls CERT KEY] [--require-tls] [--auth USER:PASSWORD]

--reject answers 550 to recipients containing SUBSTRING; --tempfail answers
451 to the first N messages; --tls offers STARTTLS with that certificate,
--require-tls refuses mail before it; --auth requires AUTH PLAIN/LOGIN.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, directory, reject, tempfail):
        self.dir = directory
        self.reject = reject
        self.tempfail = tempfail
        self.n = len([f for f in os.listdir(directory) if f.endswith('.eml')])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return '550 5.1.1 mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return '451 4.3.0 try again later'
        self.n += 1
        base = os.path.join(self.dir, '%04d' % self.n)
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        with open(base + '.json', 'w') as f:
            json.dump({'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos,
                       'tls': session.ssl is not None,
                       'auth_login': (session.auth_data.login.decode()
                                      if session.authenticated and session.auth_data else None)},
                      f)
        os.rename(base + '.tmp', base + '.eml')  # the .eml appears whole
        return '250 OK queued'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('dir')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--reject', default='')
    p.add_argument('--tempfail', type=int, default=0)
    p.add_argument('--tls', nargs=2, metavar=('CERT', 'KEY'))
    p.add_argument('--require-tls', action='store_true')
    p.add_argument('--auth', default='')
    a = p.parse_args()

    handler = Sink(a.dir, a.reject, a.tempfail)
    kwargs = {'decode_data': False, 'enable_SMTPUTF8': True, 'hostname': 'sink.test'}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kwargs['tls_context'] = ctx
        kwargs['require_starttls'] = a.require_tls
    if a.auth:
        user, password = a.auth.split(':', 1)

        def check(server, session, envelope, mechanism, auth_data):
            ok = (getattr(auth_data, 'login', b'') == user.encode()
                  and getattr(auth_data, 'password', b'') == password.encode())
            return AuthResult(success=ok, auth_data=auth_data if ok else None)

        kwargs['authenticator'] = check
        kwargs['auth_required'] = True
        # Plain-text AUTH is fine on loopback without TLS.
        kwargs['auth_require_tls'] = bool(a.tls)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, **kwargs), host='127.0.0.1', port=a.port))
    port = server.sockets[0].getsockname()[1]
    print('PORT %d' % port, flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
    return 0


if __name__ == '__main__':
    sys.exit(main())
