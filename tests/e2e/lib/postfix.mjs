// A private Postfix instance for the mail tests: its own config and queue directories
// under a temporary directory, SMTP on 127.0.0.1 on a free port (never the system's
// instance), delivering every local recipient through its pipe transport to
// `desk mailgate` as a production setup would. Needs root and postfix
// (scripts/deps.d/mail-in.list): `postfixSkip` says why a test must skip.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { DESK_BIN, sleep } from './desk.mjs';

const root = userInfo().uid === 0;
const havePostfix = existsSync('/usr/sbin/postfix');
export const postfixSkip = !root
    ? 'a private Postfix instance needs root here'
    : !havePostfix
      ? 'postfix is not installed (scripts/deps.d/mail-in.list)'
      : false;

export function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

export class Postfix {
    constructor(dir, port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts an instance whose pipe runs `desk mailgate --db DB` with mailgate ARGS. */
    static async start({ db, args = [] }) {
        const dir = mkdtempSync(join(tmpdir(), 'desk-postfix-'));
        chmodSync(dir, 0o755);
        for (const d of ['etc', 'spool', 'data']) {
            mkdirSync(join(dir, d));
        }
        execFileSync('chown', ['postfix', join(dir, 'data')]);
        const pf = new Postfix(dir, await freePort());
        writeFileSync(join(dir, 'etc', 'main.cf'), `compatibility_level = 3.6
queue_directory = ${dir}/spool
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.desk.test
mydomain = desk.test
mydestination = desk.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
local_recipient_maps =
local_transport = desk
relayhost =
default_transport = error:no mail leaves this test
maillog_file = ${dir}/maillog
maillog_file_prefixes = ${dir}
smtputf8_enable = no
smtpd_peername_lookup = no
append_dot_mydomain = no
myorigin = desk.test
biff = no
alias_maps =
alias_database =
message_size_limit = 10485760
desk_destination_recipient_limit = 1
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`);
        writeFileSync(join(dir, 'etc', 'master.cf'), `127.0.0.1:${pf.port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
desk      unix  - n n - - pipe
  flags=Rq user=nobody argv=${DESK_BIN} mailgate --db ${db} ${args.join(' ')}
`);
        const r = pf.run(['start']);
        if (r.status !== 0) {
            throw new Error(`postfix start: ${r.stdout}${r.stderr}\n${pf.maillog()}`);
        }
        for (let i = 0; i < 100; i++) {
            const ok = await new Promise((resolve) => {
                const s = net.connect({ host: '127.0.0.1', port: pf.port }, () => {
                    s.destroy();
                    resolve(true);
                });
                s.on('error', () => resolve(false));
            });
            if (ok) {
                return pf;
            }
            await sleep(100);
        }
        throw new Error(`postfix did not listen on ${pf.port}\n${pf.maillog()}`);
    }

    /** Runs `postfix -c <this config> ARGS` (postfix logs its own errors to the maillog only). */
    run(args) {
        return spawnSync('postfix', ['-c', join(this.dir, 'etc'), ...args], { encoding: 'utf8' });
    }

    maillog() {
        const p = join(this.dir, 'maillog');
        return existsSync(p) ? readFileSync(p, 'utf8') : '(no maillog)';
    }

    /** `postqueue -p` of this instance. */
    queue() {
        const q = spawnSync('postqueue', ['-c', join(this.dir, 'etc'), '-p'], { encoding: 'utf8' });
        return q.stdout + q.stderr;
    }

    /** Speaks SMTP to the instance: one message, dot-stuffed. Resolves every reply, one per line. */
    send(from, to, bytes) {
        return smtpSend(this.port, from, to, bytes);
    }

    stop() {
        this.run(['stop']);
        rmSync(this.dir, { recursive: true, force: true });
    }
}

function smtpSend(port, from, to, bytes) {
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: '127.0.0.1', port });
        const steps = [`EHLO test.example\r\n`, `MAIL FROM:<${from}>\r\n`, `RCPT TO:<${to}>\r\n`, 'DATA\r\n', null, 'QUIT\r\n'];
        let buf = '';
        let step = -1;
        const replies = [];
        sock.setTimeout(20_000, () => sock.destroy(new Error('SMTP timeout')));
        sock.on('error', reject);
        sock.on('close', () => resolve(replies.join('\n')));
        sock.on('data', (d) => {
            buf += d.toString('latin1');
            // A reply is complete at a line "NNN text" (not "NNN-text").
            const m = buf.match(/(^|\r\n)(\d{3}) [^\r\n]*\r\n$/);
            if (!m) {
                return;
            }
            const code = Number(m[2]);
            replies.push(buf.trim());
            buf = '';
            if (code >= 400) {
                sock.end('QUIT\r\n');
                return;
            }
            step += 1;
            if (step >= steps.length) {
                return;
            }
            if (steps[step] === null) {
                let body = bytes.toString('latin1').replace(/\r?\n/g, '\r\n');
                if (!body.endsWith('\r\n')) {
                    body += '\r\n';
                }
                body = body.replace(/^\./gm, '..');
                sock.write(Buffer.from(body + '.\r\n', 'latin1'));
            } else {
                sock.write(steps[step]);
            }
        });
    });
}
