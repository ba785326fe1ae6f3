// Browser sessions: the cookie's flags, CSRF on every cookie-signed write,
// login rate limits per account and per address, sign-out, and revocation
// when a user is suspended or deleted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('console_sessions');
    u = await addStandardUsers(desk);
    u.victim = await desk.addUser('victim', { role: 'agent', name: 'Vic Tim', password: 'Pw-victim-e2e-Secret9!' });
    u.gone = await desk.addUser('gone', { role: 'agent', name: 'Gone Soon', password: 'Pw-gone-e2e-Secret9!' });
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

/** Signs in; returns {status, json, cookie (name=value), setCookie (raw header)}. */
async function login(user, password = user.password, headers = {}) {
    const r = await desk.api('POST', 'sessions.json', { body: { session: { email: user.email, password } }, headers });
    const setCookie = r.headers.get('set-cookie');
    const cookie = setCookie ? setCookie.split(';')[0] : null;
    return { ...r, setCookie, cookie };
}

function withCookie(s, extra = {}) {
    return { Cookie: s.cookie, ...extra };
}

test('signing in sets an HttpOnly, SameSite=Lax cookie and returns the CSRF token', async () => {
    const s = await login(u.agent);
    assert.equal(s.status, 201, show(s));
    assert.match(s.setCookie, /^desk_session=[A-Za-z0-9_-]{40,}; /);
    assert.match(s.setCookie, /HttpOnly/);
    assert.match(s.setCookie, /SameSite=Lax/);
    assert.match(s.setCookie, /Path=\//);
    assert.doesNotMatch(s.setCookie, /Secure/, 'plain HTTP: no Secure flag');
    assert.equal(s.json.session.user.email, u.agent.email);
    assert.match(s.json.session.csrf_token, /^[A-Za-z0-9_-]{40,}$/);
    assert.ok(!s.text.includes(u.agent.password), 'the password is never echoed');
    const me = await desk.api('GET', 'users/me.json', { headers: withCookie(s) });
    assert.equal(me.status, 200, show(me));
    assert.equal(me.json.user.id, u.agent.id);
    const cur = await desk.api('GET', 'sessions/current.json', { headers: withCookie(s) });
    assert.equal(cur.json.session.csrf_token, s.json.session.csrf_token);
});

test('behind a TLS proxy the cookie is Secure', async () => {
    const s = await login(u.agent2, undefined, { 'X-Forwarded-Proto': 'https' });
    assert.equal(s.status, 201, show(s));
    assert.match(s.setCookie, /; Secure/);
});

test('a cookie-signed write needs the session CSRF token', async () => {
    const s = await login(u.agent);
    const csrf = s.json.session.csrf_token;
    const body = { ticket: { subject: 'csrf', comment: { body: 'hello' }, requester_id: u.customer.id } };
    const none = await desk.api('POST', 'tickets.json', { headers: withCookie(s), body });
    assert.equal(none.status, 403, show(none));
    assert.equal(none.json.error, 'InvalidCsrfToken');
    const other = await login(u.agent2);
    const wrong = await desk.api('POST', 'tickets.json', { headers: withCookie(s, { 'X-CSRF-Token': other.json.session.csrf_token }), body });
    assert.equal(wrong.status, 403, 'another session\'s token is refused: ' + show(wrong));
    const ok = await desk.api('POST', 'tickets.json', { headers: withCookie(s, { 'X-CSRF-Token': csrf }), body });
    assert.equal(ok.status, 201, show(ok));
    assert.equal(ok.json.ticket.via.channel, 'web', 'changes made in a browser are via web');
    // Reads need no token; API-token clients need none either.
    assert.equal((await desk.api('GET', `tickets/${ok.json.ticket.id}.json`, { headers: withCookie(s) })).status, 200);
    assert.equal((await desk.api('PUT', `tickets/${ok.json.ticket.id}.json`, { auth: u.agent, body: { ticket: { priority: 'high' } } })).status, 200);
});

test('wrong credentials are a 401 without saying which part was wrong', async () => {
    const bad = await login(u.agent2, 'not-the-password');
    assert.equal(bad.status, 401, show(bad));
    assert.equal(bad.setCookie, null);
    const nobody = await login({ email: 'nobody@e2e.example' }, 'whatever');
    assert.equal(nobody.status, 401);
    assert.equal(nobody.text, bad.text);
    const blank = await desk.api('POST', 'sessions.json', { body: { session: { email: u.agent.email } } });
    assert.equal(blank.status, 422, show(blank));
    assert.ok(blank.json.details.password, show(blank));
});

test('a stale or forged cookie does not block signing in', async () => {
    const s = await login(u.supervisor, undefined, { Cookie: 'desk_session=forged-value' });
    assert.equal(s.status, 201, show(s));
    const r = await desk.api('GET', 'users/me.json', { headers: { Cookie: 'desk_session=forged-value' } });
    assert.equal(r.status, 401);
});

test('signing out ends the session and clears the cookie', async () => {
    const s = await login(u.supervisor);
    const csrf = s.json.session.csrf_token;
    const noToken = await desk.api('DELETE', 'sessions/current.json', { headers: withCookie(s) });
    assert.equal(noToken.status, 403, 'sign-out is a write too: ' + show(noToken));
    const out = await desk.api('DELETE', 'sessions/current.json', { headers: withCookie(s, { 'X-CSRF-Token': csrf }) });
    assert.equal(out.status, 204, show(out));
    assert.match(out.headers.get('set-cookie'), /^desk_session=; .*Max-Age=0/);
    const after = await desk.api('GET', 'users/me.json', { headers: withCookie(s) });
    assert.equal(after.status, 401, 'the old cookie no longer works');
});

test('suspending or deleting a user ends their sessions at once', async () => {
    const s = await login(u.victim);
    assert.equal(s.status, 201, show(s));
    assert.equal((await desk.api('GET', 'users/me.json', { headers: withCookie(s) })).status, 200);
    const sus = await desk.api('PUT', `users/${u.victim.id}.json`, { auth: u.admin, body: { user: { suspended: true } } });
    assert.equal(sus.status, 200, show(sus));
    assert.equal((await desk.api('GET', 'users/me.json', { headers: withCookie(s) })).status, 401);
    await desk.api('PUT', `users/${u.victim.id}.json`, { auth: u.admin, body: { user: { suspended: false } } });
    assert.equal((await desk.api('GET', 'users/me.json', { headers: withCookie(s) })).status, 401, 'unsuspending does not revive the old session');

    const g = await login(u.gone);
    assert.equal(g.status, 201);
    const del = await desk.api('DELETE', `users/${u.gone.id}.json`, { auth: u.admin });
    assert.equal(del.status, 200, show(del));
    assert.equal((await desk.api('GET', 'users/me.json', { headers: withCookie(g) })).status, 401);
    assert.equal((await login(u.gone)).status, 401);
});

test('repeated failures lock the account for a while, then the address', async () => {
    for (let i = 0; i < 5; i++) {
        assert.equal((await login(u.customer2, 'wrong-' + i)).status, 401);
    }
    const locked = await login(u.customer2);
    assert.equal(locked.status, 429, 'even the right password waits: ' + show(locked));
    assert.equal(locked.json.error, 'TooManyRequests');
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    // Another account from the same address still signs in (the address limit is higher).
    assert.equal((await login(u.customer)).status, 201);
    // Past the per-address limit every account waits.
    for (let i = 0; i < 20; i++) {
        await login({ email: `spray${i}@e2e.example` }, 'guess');
    }
    const blocked = await login(u.customer);
    assert.equal(blocked.status, 429, show(blocked));
    // API tokens are not sessions: they keep working.
    assert.equal((await desk.api('GET', 'users/me.json', { auth: u.customer })).status, 200);
    assert.match(desk.log(), /event=login_limited/);
    assert.doesNotMatch(desk.log(), /spray0@e2e/, 'no emails in the limiter log line');
});
