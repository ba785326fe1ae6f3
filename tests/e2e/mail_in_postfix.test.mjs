// Email in through a real MTA: a private Postfix instance (own config and queue
// directories under a temporary directory, SMTP on 127.0.0.1 on a free port, never the
// system's instance) delivers through its pipe transport to `desk mailgate`, as a
// production setup would. Czech and Polish in ISO-8859-2 and Windows-1250, Spanish in
// ISO-8859-1, Japanese in ISO-2022-JP, a mislabelled message, and broken ones (truncated,
// huge, deeply nested, binary, no header): each becomes a ticket or a suspended ticket with
// a reason, and the messages after each still flow.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import { Desk, DESK_BIN, REPO, addStandardUsers, show, sleep } from './lib/desk.mjs';

const DATA = join(REPO, 'tests', 'unit', 'mail', 'data');
const MAX_SIZE = 200_000;
const root = userInfo().uid === 0;
const havePostfix = existsSync('/usr/sbin/postfix');
const skip = !root ? 'a private Postfix instance needs root here' : !havePostfix ? 'postfix is not installed (scripts/deps.d/mail-in.list)' : false;

let desk;
let u;
let pf; // {dir, port}

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

function postfix(args) {
    // postfix logs its own errors to syslog or maillog_file only; keep the output for failures.
    return spawnSync('postfix', ['-c', join(pf.dir, 'etc'), ...args], { encoding: 'utf8' });
}

async function startPostfix(db) {
    const dir = mkdtempSync(join(tmpdir(), 'desk-postfix-'));
    chmodSync(dir, 0o755);
    for (const d of ['etc', 'spool', 'data']) {
        mkdirSync(join(dir, d));
    }
    execFileSync('chown', ['postfix', join(dir, 'data')]);
    const port = await freePort();
    pf = { dir, port };
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
    writeFileSync(join(dir, 'etc', 'master.cf'), `127.0.0.1:${port} inet n - n - - smtpd
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
  flags=Rq user=nobody argv=${DESK_BIN} mailgate --db ${db} --mail-address support@desk.test --mail-max-size ${MAX_SIZE}
`);
    const r = postfix(['start']);
    assert.equal(r.status, 0, `postfix start: ${r.stdout}${r.stderr}\n${maillog()}`);
    for (let i = 0; i < 100; i++) {
        const ok = await new Promise((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port }, () => {
                s.destroy();
                resolve(true);
            });
            s.on('error', () => resolve(false));
        });
        if (ok) {
            return;
        }
        await sleep(100);
    }
    throw new Error(`postfix did not listen on ${port}\n${maillog()}`);
}

function maillog() {
    const p = pf && join(pf.dir, 'maillog');
    return p && existsSync(p) ? readFileSync(p, 'utf8') : '(no maillog)';
}

/** Speaks SMTP to the private Postfix: one message, dot-stuffed. Resolves every reply, one per line. */
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

before(async () => {
    if (skip) {
        return;
    }
    desk = await Desk.create('mail_in_postfix');
    u = await addStandardUsers(desk);
    // The pipe runs mailgate as nobody: the database directory is theirs too.
    chmodSync(desk.dir, 0o777);
    chownSync(desk.db, 65534, 65534);
    chmodSync(desk.db, 0o666);
    await desk.start();
    await startPostfix(desk.db);
});

after(async () => {
    if (pf) {
        postfix(['stop']);
        rmSync(pf.dir, { recursive: true, force: true });
    }
    await desk?.stop();
});

async function waitFor(what, fn, ms = 30_000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}\nmaillog:\n${maillog().slice(-4000)}`);
        }
        await sleep(200);
    }
}

async function ticketBySubject(subject) {
    const r = await desk.api('GET', 'tickets.json?per_page=100', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.tickets.find((t) => t.subject === subject);
}

async function suspendedBySubjectOrCause(pred) {
    const r = await desk.api('GET', 'suspended_tickets.json', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.suspended_tickets.find(pred);
}

test('mail in every charset goes through Postfix into tickets with the right text and language', { skip }, async () => {
    const cases = [
        ['cs-windows-1250.eml', 'Reklamace zboží', 'cs', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
        ['cs-iso-8859-2.eml', 'Reklamace zboží', 'cs', 'Příliš žluťoučký kůň úpěl ďábelské ódy.'],
        ['pl-windows-1250.eml', 'Zamówienie nie dotarło', 'pl', 'Zażółć gęślą jaźń.'],
        ['pl-iso-8859-2.eml', 'Zamówienie nie dotarło', 'pl', 'Zażółć gęślą jaźń.'],
        ['es-iso-8859-1.eml', 'Contraseña olvidada', 'es', 'Buenos días'],
        ['ja-iso-2022-jp.eml', '注文について', 'ja', 'お世話になっております。'],
        ['cs-mislabelled.eml', 'Reklamace', 'cs', 'Příliš žluťoučký kůň'],
    ];
    for (const [name] of cases) {
        const reply = await smtpSend(pf.port, 'sender@example.org', 'support@desk.test', readFileSync(join(DATA, name)));
        assert.match(reply, /^250 2\.0\.0 Ok: queued/m, `${name}: ${reply}`);
    }
    const r = await waitFor('seven tickets', async () => {
        const l = await desk.api('GET', 'tickets.json?per_page=100', { auth: u.agent });
        return l.json.tickets.filter((t) => t.via.channel === 'email').length >= 7 && l.json.tickets;
    });
    for (const [name, subject, lang, start] of cases) {
        const found = r.filter((t) => t.subject === subject && t.description.startsWith(start));
        assert.ok(found.length >= 1, `${name}: no ticket "${subject}" starting "${start}"`);
        assert.ok(found.every((t) => t.language === lang), `${name}: language ${found.map((t) => t.language)}`);
    }
});

test('broken mail through Postfix is suspended with a reason, and the next message still flows', { skip }, async () => {
    const big = Buffer.concat([Buffer.from('From: big@example.org\r\nTo: support@desk.test\r\nSubject: huge one\r\nMessage-ID: <huge@example.org>\r\n\r\n'), Buffer.alloc(300_000, 'x\r\n')]);
    const broken = [
        ['truncated.eml', readFileSync(join(DATA, 'truncated.eml')), { ticket: 'cut off' }],
        ['nested-deep.eml', readFileSync(join(DATA, 'nested-deep.eml')), { cause: /nested too deeply/ }],
        ['binary-garbage.eml', readFileSync(join(DATA, 'binary-garbage.eml')), { cause: /binary data/ }],
        ['huge', big, { cause: /too large/ }],
    ];
    for (const [name, bytes, want] of broken) {
        const reply = await smtpSend(pf.port, 'sender@example.org', 'support@desk.test', bytes);
        assert.match(reply, /^250 2\.0\.0 Ok: queued/m, `${name}: ${reply}`);
        const after = `after ${name}`;
        const next = Buffer.from(`From: next@example.org\r\nTo: support@desk.test\r\nSubject: ${after}\r\nMessage-ID: <${name}-next@example.org>\r\n\r\nStill flowing after ${name}.\r\n`);
        assert.match(await smtpSend(pf.port, 'next@example.org', 'support@desk.test', next), /^250 2\.0\.0 Ok: queued/m);
        if (want.ticket) {
            await waitFor(`ticket "${want.ticket}"`, () => ticketBySubject(want.ticket));
        } else {
            const s = await waitFor(`suspended ${name}`, () => suspendedBySubjectOrCause((x) => want.cause.test(x.cause)));
            assert.ok(s.cause.length > 0);
        }
        await waitFor(`the message after ${name}`, () => ticketBySubject(after));
    }
    const huge = await suspendedBySubjectOrCause((x) => /too large/.test(x.cause));
    assert.equal(huge.subject, 'huge one');
    assert.ok(huge.size > MAX_SIZE);
    // Nothing is left in Postfix's queue: every message was accepted by mailgate (exit 0).
    const q = spawnSync('postqueue', ['-c', join(pf.dir, 'etc'), '-p'], { encoding: 'utf8' });
    assert.match(q.stdout + q.stderr, /Mail queue is empty/, q.stdout);
});
