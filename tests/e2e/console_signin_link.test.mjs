// Portal sign-in by a one-time link (POST /sessions/links, then POST
// /sessions {link_token}) through the real outbox and a private SMTP sink:
// the mail in the customer's language, the same answer for unknown and staff
// addresses, one use, expiry, suspension, rate limits, and the clear error
// when desk has no outgoing mail.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Desk, addStandardUsers, show, sleep } from './lib/desk.mjs';
import { SmtpSink, header } from './lib/mail.mjs';

let desk;
let sink;
let u;

before(async () => {
    sink = await SmtpSink.start();
    desk = await Desk.create('console_signin_link');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: ['--smtp', sink.url, '--smtp-tls', 'none', '--mail-from', 'help@desk.test', '--mail-name', 'Pomoc', '--mail-poll-ms', '200', '--public-url', 'https://help.example.com/'] });
    await desk.api('PUT', `users/${u.customer.id}.json`, { auth: u.admin, body: { user: { locale: 'pl-PL' } } });
});

after(async () => {
    await desk?.stop();
    await sink?.destroy();
});

const ask = (email, headers = {}) => desk.api('POST', 'sessions/links.json', { body: { session_link: { email } }, headers });

async function linkFor(addr, n) {
    const msgs = await sink.waitFor(n);
    const m = msgs.filter((x) => x.envelope.rcpt_tos.includes(addr)).at(-1);
    assert.ok(m, `mail to ${addr}`);
    const text = m.parts.find((p) => p.content_type === 'text/plain').text;
    return { m, token: /#\/link\/([A-Za-z0-9_-]+)/.exec(text)[1], text };
}

test('a customer gets a Polish mail with a link that signs in once', async () => {
    const r = await ask(u.customer.email, { 'X-Forwarded-For': '10.0.0.1' });
    assert.equal(r.status, 202, show(r));
    assert.deepEqual(r.json, { session_link: { email: u.customer.email, expires_in_seconds: 900 } });
    const { m, token, text } = await linkFor(u.customer.email, 1);
    assert.equal(header(m, 'subject'), 'Twój link do logowania');
    assert.match(text, /https:\/\/help\.example\.com\/portal\/#\/link\//, 'the public URL, not the Host header');
    assert.match(text, /wygasa po 15 minutach/);
    assert.equal(header(m, 'auto-submitted'), 'auto-generated');
    const outbox = (await desk.api('GET', 'outbox.json', { auth: u.admin })).json;
    assert.ok(JSON.stringify(outbox).includes('signin'), 'delivered through the outbox');

    const s = await desk.api('POST', 'sessions.json', { body: { session: { link_token: token } } });
    assert.equal(s.status, 201, show(s));
    assert.equal(s.json.session.user.id, u.customer.id);
    assert.match(s.headers.get('set-cookie'), /^desk_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax/);
    const again = await desk.api('POST', 'sessions.json', { body: { session: { link_token: token } } });
    assert.equal(again.status, 401, show(again));
    assert.deepEqual(again.json, { error: "Couldn't authenticate you" }, 'the same 401 as a wrong password');
    assert.equal(again.headers.get('set-cookie'), null);
});

test('unknown and staff addresses get the same answer and no mail', async () => {
    const n = sink.files().length;
    for (const email of ['nobody@nowhere.example', u.agent.email]) {
        const r = await ask(email, { 'X-Forwarded-For': '10.0.0.2' });
        assert.equal(r.status, 202, show(r));
    }
    await sleep(800);
    assert.equal(sink.files().length, n, 'nothing was sent');
    const bad = await ask('not-an-address');
    assert.equal(bad.status, 422);
    assert.ok(bad.json.details.email);
});

test('an expired link and a suspended customer do not sign in', async () => {
    let n = sink.files().length;
    assert.equal((await ask(u.customer2.email, { 'X-Forwarded-For': '10.0.0.3' })).status, 202);
    const first = await linkFor(u.customer2.email, n + 1);
    execFileSync('sqlite3', [desk.db, 'UPDATE console_signin_links SET expires_at = 1 WHERE used_at IS NULL']);
    let r = await desk.api('POST', 'sessions.json', { body: { session: { link_token: first.token } } });
    assert.equal(r.status, 401, show(r));

    n = sink.files().length;
    assert.equal((await ask(u.customer2.email, { 'X-Forwarded-For': '10.0.0.3' })).status, 202);
    const second = await linkFor(u.customer2.email, n + 1);
    assert.equal((await desk.api('PUT', `users/${u.customer2.id}.json`, { auth: u.admin, body: { user: { suspended: true } } })).status, 200);
    r = await desk.api('POST', 'sessions.json', { body: { session: { link_token: second.token } } });
    assert.equal(r.status, 401, show(r));
    await desk.api('PUT', `users/${u.customer2.id}.json`, { auth: u.admin, body: { user: { suspended: false } } });
});

test('requests are limited per address', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) {
        codes.push((await ask('flood@example.com', { 'X-Forwarded-For': `10.1.0.${i}` })).status);
    }
    assert.deepEqual(codes, [202, 202, 202, 429]);
});

test('without outgoing mail the request says so', async () => {
    const d = await Desk.create('console_signin_link_nomail');
    const c = await d.addUser('c', { role: 'end-user', name: 'C', password: 'Pw-c-nomail-1' });
    await d.start();
    try {
        const r = await d.api('POST', 'sessions/links.json', { body: { session_link: { email: c.email } } });
        assert.equal(r.status, 422, show(r));
        assert.match(r.json.details.email[0].description, /no outgoing mail/);
    } finally {
        await d.stop();
    }
});
