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

