// IMAP mailboxes end to end: configured through /api/v2/mailboxes and
// `desk mailbox`, with the password never shown back; and polled from a
// private Dovecot (Debian's dovecot-imapd, its own configuration and
// maildir per test, on 127.0.0.1): messages become tickets and are marked
// \Seen only once stored; a slow or broken mailbox does not hold up the
// others.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Desk, show, sleep } from './lib/desk.mjs';
import { Dovecot } from './lib/dovecot.mjs';
import { PYTHON, SmtpSink, header } from './lib/mail.mjs';

const idsIn = (v) => (v || '').match(/<[^<>\s]+>/g) || [];

let desk;
let admin;
let agent;

before(async () => {
    desk = await Desk.create('mail_imap');
    admin = await desk.addUser('admin', { role: 'admin' });
    agent = await desk.addUser('agent', { role: 'agent' });
    await desk.start({ extraArgs: ['--imap-reload-ms', '300'] });
});

after(async () => {
    await desk?.stop();
});

const MAILBOX = { host: '127.0.0.1', port: 1143, tls: 'none', username: 'desk', password: 'S3cret-pw', folder: 'INBOX', poll_interval: 1 };

test('mailboxes through the API: create, read, change, delete; the password never comes back', async () => {
    let r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: { ...MAILBOX, name: 'Support' } } });
    assert.equal(r.status, 201, show(r));
    const m = r.json.mailbox;
    assert.equal(m.name, 'Support');
    assert.equal(m.host, '127.0.0.1');
    assert.equal(m.port, 1143);
    assert.equal(m.tls, 'none');
    assert.equal(m.username, 'desk');
    assert.equal(m.folder, 'INBOX');
    assert.equal(m.active, true);
    assert.equal(m.poll_interval, 1);
    assert.ok(!('password' in m));
    assert.ok(!r.text.includes('S3cret-pw'));
    assert.match(r.headers.get('location') || '', new RegExp(`/api/v2/mailboxes/${m.id}\\.json$`));

    r = await desk.api('GET', `mailboxes/${m.id}.json`, { auth: admin });
    assert.equal(r.status, 200, show(r));
    assert.ok(!r.text.includes('S3cret-pw'));
    r = await desk.api('PUT', `mailboxes/${m.id}.json`, { auth: admin, body: { mailbox: { folder: 'Support', active: false } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.mailbox.folder, 'Support');
    assert.equal(r.json.mailbox.active, false);
    r = await desk.api('GET', 'mailboxes.json', { auth: admin });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.json.mailboxes.some((x) => x.id === m.id));
    assert.ok(!r.text.includes('S3cret-pw'));
    assert.ok(!desk.log().includes('S3cret-pw'), 'the password is not logged');

    // Defaults: imaps on 993, INBOX, a minute.
    r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: { host: 'imap.example.com', username: 'a@example.com', password: 'x' } } });
    assert.equal(r.status, 201, show(r));
    assert.deepEqual([r.json.mailbox.tls, r.json.mailbox.port, r.json.mailbox.folder, r.json.mailbox.poll_interval], ['imaps', 993, 'INBOX', 60]);
    const second = r.json.mailbox.id;
    r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: { host: 'imap.example.com', tls: 'starttls', username: 'b', password: 'x' } } });
    assert.equal(r.json.mailbox.port, 143);

    for (const id of [m.id, second, r.json.mailbox.id]) {
        r = await desk.api('DELETE', `mailboxes/${id}.json`, { auth: admin });
        assert.equal(r.status, 204, show(r));
    }
    r = await desk.api('GET', `mailboxes/${m.id}.json`, { auth: admin });
    assert.equal(r.status, 404, show(r));
});

test('mailbox input errors name the field; only admins manage mailboxes', async () => {
    const cases = [
        [{ ...MAILBOX, host: '' }, 'host'],
        [{ ...MAILBOX, host: 'imap.example.com/x' }, 'host'],
        [{ ...MAILBOX, port: 0 }, 'port'],
        [{ ...MAILBOX, port: 70000 }, 'port'],
        [{ ...MAILBOX, port: '143' }, 'port'],
        [{ ...MAILBOX, tls: 'ssl' }, 'tls'],
        [{ ...MAILBOX, username: '' }, 'username'],
        [{ ...MAILBOX, password: '' }, 'password'],
        [{ ...MAILBOX, password: undefined }, 'password'],
        [{ ...MAILBOX, folder: 'a\r\nb' }, 'folder'],
        [{ ...MAILBOX, poll_interval: 0 }, 'poll_interval'],
        [{ ...MAILBOX, active: 'yes' }, 'active'],
    ];
    for (const [body, field] of cases) {
        const r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: body } });
        assert.equal(r.status, 422, `${JSON.stringify(body)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${field} named: ${r.text}`);
    }
    let r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: MAILBOX } });
    assert.equal(r.status, 201, show(r));
    const id = r.json.mailbox.id;
    r = await desk.api('POST', 'mailboxes.json', { auth: admin, body: { mailbox: MAILBOX } });
    assert.equal(r.status, 422, show(r));
    assert.ok(r.json.details.username, r.text);
    for (const [method, path] of [['GET', 'mailboxes.json'], ['POST', 'mailboxes.json'], ['GET', `mailboxes/${id}.json`], ['DELETE', `mailboxes/${id}.json`]]) {
        r = await desk.api(method, path, { auth: agent, body: method === 'POST' ? { mailbox: MAILBOX } : undefined });
        assert.equal(r.status, 403, `${method} ${path}: ${show(r)}`);
    }
    r = await desk.api('PUT', 'mailboxes/999999.json', { auth: admin, body: { mailbox: { folder: 'x' } } });
    assert.equal(r.status, 404, show(r));
    r = await desk.api('DELETE', `mailboxes/${id}.json`, { auth: admin });
    assert.equal(r.status, 204, show(r));
});

test('desk mailbox add, list and remove', async () => {
    const out = await desk.cli(['mailbox', 'add', '--db', desk.db, '--imap-host', '127.0.0.1', '--imap-port', '1993',
        '--imap-tls', 'none', '--imap-user', 'cli-user', '--imap-folder', 'Support', '--password-stdin'], { input: 'cli-Secret\n' });
    const id = Number(out.trim());
    assert.ok(id > 0, out);
    const list = await desk.cli(['mailbox', 'list', '--db', desk.db]);
    const line = list.split('\n').find((l) => l.startsWith(`${id}\t`));
    assert.match(line, /127\.0\.0\.1:1993\tnone\tcli-user\tSupport\tactive/);
    assert.ok(!list.includes('cli-Secret'));
    const r = await desk.api('GET', `mailboxes/${id}.json`, { auth: admin });
    assert.equal(r.json.mailbox.username, 'cli-user');
    await assert.rejects(desk.cli(['mailbox', 'add', '--db', desk.db, '--imap-host', 'h', '--imap-user', 'u'], { input: '\n' }), /password/);
    await assert.rejects(desk.cli(['mailbox', 'add', '--db', desk.db, '--imap-host', 'h/x', '--imap-user', 'u', '--password-stdin'], { input: 'p\n' }), /Host/);
    await desk.cli(['mailbox', 'remove', '--db', desk.db, String(id)]);
    await assert.rejects(desk.cli(['mailbox', 'remove', '--db', desk.db, String(id)]), /no such mailbox/);
    await assert.rejects(desk.cli(['mailbox', 'remove', '--db', desk.db, 'abc']), /id/);
});

// ---- polling a real IMAP server --------------------------------------------

/** RFC 5322 bytes of a message; body and subject encoded in CHARSET (cp1250, iso-8859-2, utf-8). */
function message({ from, subject, body, charset = 'utf-8', messageId, inReplyTo, extra = [] }) {
    const enc = (s) => execFileSync(PYTHON, ['-c', `import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode("${charset}"))`], { input: Buffer.from(s, 'utf8') });
    const subj = `=?${charset}?B?${enc(subject).toString('base64')}?=`;
    const head = [
        `From: ${from}`,
        'To: Support <support@desk.test>',
        `Subject: ${subj}`,
        `Message-ID: <${messageId}>`,
        'Date: Mon, 16 Nov 2026 10:00:00 +0100',
        'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${charset}`,
        'Content-Transfer-Encoding: 8bit',
        ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
        ...extra,
    ].join('\r\n');
    return Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), enc(body.replace(/\n/g, '\r\n') + '\r\n')]);
}

async function until(what, fn, timeoutMs = 15_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(100);
    }
}

async function addMailbox(d, auth, fields) {
    const r = await d.api('POST', 'mailboxes.json', { auth, body: { mailbox: { tls: 'none', poll_interval: 1, ...fields } } });
    assert.equal(r.status, 201, show(r));
    return r.json.mailbox;
}

async function ticketsBySubject(d, auth, text) {
    const r = await d.api('GET', 'tickets.json?per_page=100&sort_order=desc', { auth });
    return r.json.tickets.filter((t) => t.subject.includes(text));
}

test('a Czech customer writes in Windows-1250 to an IMAP mailbox: ticket, Czech reply in the same thread, \\Seen only once stored', async () => {
    const dove = await Dovecot.start({ users: { support: 'imap-Pass1' } });
    const sink = await SmtpSink.start();
    const d = await Desk.create('mail_imap_loop');
    const adm = await d.addUser('admin', { role: 'admin' });
    const ag = await d.addUser('agent', { role: 'agent', name: 'Alice Agent' });
    let locker;
    try {
        await d.start({ extraArgs: ['--imap-reload-ms', '300', '--smtp', sink.url, '--smtp-tls', 'none', '--mail-from', 'support@desk.test', '--mail-retry-ms', '100', '--mail-poll-ms', '200'] });
        const mb = await addMailbox(d, adm, { host: '127.0.0.1', port: dove.port, username: 'support', password: 'imap-Pass1' });
        await until('a first (empty) poll', async () => (await d.api('GET', `mailboxes/${mb.id}.json`, { auth: adm })).json.mailbox.last_success_at);
        // The store is held by another writer: desk may fetch the message but must not mark it seen.
        locker = spawn('sqlite3', [d.db], { stdio: ['pipe', 'ignore', 'ignore'] });
        locker.stdin.write('PRAGMA busy_timeout=5000;\nBEGIN EXCLUSIVE;\n');
        await sleep(300);
        dove.deliver('support', message({
            from: 'Jiří Novák <jiri@zakaznik.cz>', subject: 'Reklamace zboží', charset: 'cp1250', messageId: 'outlook-1@zakaznik.cz',
            body: 'Dobrý den,\nobjednal jsem tiskárnu a přišla rozbitá. Příliš žluťoučký kůň úpěl ďábelské ódy.\nJiří',
        }));
        await until('the message fetched', () => d.log().includes('event=imap_fetched'));
        await sleep(500);
        assert.deepEqual((dove.flags('support')['1'] || []).filter((f) => f === '\\Seen'), [], 'not seen while it cannot be stored');
        locker.stdin.end('COMMIT;\n');
        locker = null;
        const [t] = await until('the ticket', async () => {
            const ts = await ticketsBySubject(d, ag, 'Reklamace');
            return ts.length ? ts : null;
        });
        assert.equal(t.subject, 'Reklamace zboží');
        assert.match(t.description, /Příliš žluťoučký kůň úpěl ďábelské ódy\./);
        assert.equal(t.language, 'cs');
        await until('\\Seen on the server', () => (dove.flags('support')['1'] || []).includes('\\Seen'));
        const status = await until('the poll recorded', async () => {
            const r = await d.api('GET', `mailboxes/${mb.id}.json`, { auth: adm });
            return r.json.mailbox.messages_stored === 1 && r.json.mailbox.last_success_at ? r.json.mailbox : null;
        });
        assert.equal(status.last_error, null);

        // The agent answers: a Czech notice that threads under the customer's message.
        const n = sink.files().length;
        const r = await d.api('PUT', `tickets/${t.id}.json`, { auth: ag, body: { ticket: { comment: { body: 'Dobrý den, pošleme vám novou tiskárnu.' } } } });
        assert.equal(r.status, 200, show(r));
        const msgs = await sink.waitFor(n + 1);
        const reply = msgs.find((m) => m.envelope.rcpt_tos.includes('jiri@zakaznik.cz') && header(m, 'subject').startsWith(`[#${t.id}] Re:`));
        assert.ok(reply, 'the reply went out');
        assert.ok(idsIn(header(reply, 'in-reply-to')).includes('<outlook-1@zakaznik.cz>'));
        assert.ok(idsIn(header(reply, 'references')).includes('<outlook-1@zakaznik.cz>'));
        const text = reply.parts.find((p) => p.content_type === 'text/plain');
        assert.match(text.text, /Alice Agent vám odpovídá na požadavek č\. \d+:/);
        assert.match(text.text, /pošleme vám novou tiskárnu/);

        // The customer answers the notice: it joins the same ticket through the IMAP mailbox.
        dove.deliver('support', message({
            from: 'Jiří Novák <jiri@zakaznik.cz>', subject: `RE: [#${t.id}] Re: Reklamace zboží`, charset: 'iso-8859-2',
            messageId: 'outlook-2@zakaznik.cz', inReplyTo: header(reply, 'message-id').slice(1, -1),
            body: 'Děkuji, to je skvělé.\n',
        }));
        await until('the reply on the ticket', async () => {
            const c = await d.api('GET', `tickets/${t.id}/comments.json`, { auth: ag });
            return c.json.comments.some((x) => x.body.includes('Děkuji, to je skvělé.'));
        });
        await until('both seen', () => Object.values(dove.flags('support')).every((f) => f.includes('\\Seen')));
    } finally {
        locker?.stdin.end('COMMIT;\n');
        await d.stop();
        await sink.destroy();
        await dove.destroy();
    }
});

test('a silent or broken mailbox does not hold up the others; each shows its own state', async () => {
    const dove = await Dovecot.start({ users: { a: 'pw-a', b: 'pw-b' } });
    // Another server for the wrong password: Dovecot slows later logins from an address that
    // failed one, which would hold up the good mailbox for reasons of the server, not desk's.
    const other = await Dovecot.start({ users: { c: 'pw-c' } });
    // A server that accepts connections and never says a word.
    const held = [];
    const silent = net.createServer((sock) => held.push(sock));
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    const d = await Desk.create('mail_imap_slow');
    const adm = await d.addUser('admin', { role: 'admin' });
    const ag = await d.addUser('agent', { role: 'agent' });
    try {
        // A long timeout: the silent server must still be holding its mailbox when the good one is
        // done, which shows the good one never waited for it (no clock involved).
        await d.start({ extraArgs: ['--imap-reload-ms', '300', '--imap-timeout-ms', '60000'] });
        const hang = await addMailbox(d, adm, { host: '127.0.0.1', port: silent.address().port, username: 'x', password: 'y' });
        const wrong = await addMailbox(d, adm, { host: '127.0.0.1', port: other.port, username: 'c', password: 'not-it' });
        const nofolder = await addMailbox(d, adm, { host: '127.0.0.1', port: dove.port, username: 'b', password: 'pw-b', folder: 'Nope' });
        const good = await addMailbox(d, adm, { host: '127.0.0.1', port: dove.port, username: 'a', password: 'pw-a' });
        dove.deliver('a', message({ from: 'Ana <ana@example.es>', subject: 'Pedido retrasado', charset: 'iso-8859-1', messageId: 'es-1@example.es', body: 'Hola, mi pedido todavía no ha llegado. ¿Pueden ayudarme?' }));
        await until('the good mailbox\'s ticket', async () => (await ticketsBySubject(d, ag, 'Pedido retrasado')).length === 1);
        const state = async (id) => (await d.api('GET', `mailboxes/${id}.json`, { auth: adm })).json.mailbox;
        const stillHanging = await state(hang.id);
        assert.equal(stillHanging.last_poll_at, null, 'the silent server still holds its mailbox');
        assert.ok(held.length >= 1, 'desk is connected to the silent server');
        const w = await until('the wrong password reported', async () => {
            const m = await state(wrong.id);
            return m.last_error ? m : null;
        });
        assert.match(w.last_error, /login|denied|auth/i);
        assert.ok(w.failures >= 1);
        const f = await until('the missing folder reported', async () => {
            const m = await state(nofolder.id);
            return m.last_error ? m : null;
        });
        assert.ok(f.failures >= 1, JSON.stringify(f));
        // The silent server hangs up: that mailbox's poll fails and says why.
        held.forEach((sock) => sock.destroy());
        const h = await until('the silent server reported', async () => {
            const m = await state(hang.id);
            return m.last_error ? m : null;
        });
        assert.ok(h.failures >= 1, JSON.stringify(h));
        const g = await state(good.id);
        assert.equal(g.last_error, null);
        assert.equal(g.messages_stored, 1);
        const metrics = (await d.api('GET', '/metrics')).text;
        assert.match(metrics, /^desk_imap_messages_stored_total 1$/m);
        assert.match(metrics, /^desk_imap_polls_total\{result="failed"\} [1-9]/m);

        // A removed mailbox is no longer polled.
        let r = await d.api('DELETE', `mailboxes/${good.id}.json`, { auth: adm });
        assert.equal(r.status, 204);
        await sleep(800);
        dove.deliver('a', message({ from: 'Ana <ana@example.es>', subject: 'Otra pregunta', messageId: 'es-2@example.es', body: 'Hola otra vez.' }));
        await sleep(2000);
        assert.deepEqual(await ticketsBySubject(d, ag, 'Otra pregunta'), []);
        assert.ok(!dove.flags('a')['2'].includes('\\Seen'));
    } finally {
        await d.stop();
        silent.close();
        await dove.destroy();
        await other.destroy();
    }
});

test('STARTTLS to an IMAP server with a private CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-imap-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    chmodSync(dir, 0o755);
    chmodSync(key, 0o644); // Dovecot reads it as root at start; the file is a throwaway
    const dove = await Dovecot.start({ users: { tls: 'pw-tls' }, tls: { cert, key } });
    const d = await Desk.create('mail_imap_tls');
    const adm = await d.addUser('admin', { role: 'admin' });
    const ag = await d.addUser('agent', { role: 'agent' });
    try {
        await d.start({ extraArgs: ['--imap-reload-ms', '300', '--imap-ca', cert] });
        dove.deliver('tls', message({ from: 'Ola <ola@example.pl>', subject: 'Szyfrowane', charset: 'iso-8859-2', messageId: 'tls-1@example.pl', body: 'Zażółć gęślą jaźń, przez TLS.' }));
        const mb = await addMailbox(d, adm, { host: '127.0.0.1', port: dove.port, tls: 'starttls', username: 'tls', password: 'pw-tls' });
        const [t] = await until('the ticket', async () => {
            const ts = await ticketsBySubject(d, ag, 'Szyfrowane');
            return ts.length ? ts : null;
        });
        assert.match(t.description, /Zażółć gęślą jaźń/);
        assert.match(dove.log(), /Login: user=<tls>.*TLS/);
        // Without the CA the certificate is refused, and the mailbox says so.
        await d.stop();
        await d.start({ extraArgs: ['--imap-reload-ms', '300'] });
        dove.deliver('tls', message({ from: 'Ola <ola@example.pl>', subject: 'Drugi', messageId: 'tls-2@example.pl', body: 'x' }));
        const m = await until('the certificate error', async () => {
            const r = await d.api('GET', `mailboxes/${mb.id}.json`, { auth: adm });
            return r.json.mailbox.last_error ? r.json.mailbox : null;
        });
        assert.match(m.last_error, /certificate|SSL|TLS/i);
        assert.deepEqual(await ticketsBySubject(d, ag, 'Drugi'), []);
    } finally {
        await d.stop();
        await dove.destroy();
        rmSync(dir, { recursive: true, force: true });
    }
});
