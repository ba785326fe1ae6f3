// What an operator relies on: /healthz, Prometheus /metrics with request
// counters and an open-tickets gauge, a request id on every response that is
// also in the log, key=value log lines, secrets never logged, clean SIGTERM.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Desk, DESK_BIN, addStandardUsers, basicPassword, bearer, show, sleep } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('ops');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

/** Parse Prometheus text into [{name, labels, value}]. */
function parseMetrics(text) {
    const out = [];
    for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) {
            continue;
        }
        const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(\s+\d+)?$/);
        if (!m) {
            throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
        }
        out.push({ name: m[1], labels: m[2] || '', value: Number(m[3]) });
    }
    return out;
}

async function metrics() {
    const r = await desk.api('GET', '/metrics');
    assert.equal(r.status, 200, show(r));
    assert.match(r.headers.get('content-type') || '', /^text\/plain/);
    return { text: r.text, samples: parseMetrics(r.text) };
}

const sum = (samples, name) => samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);

test('/healthz answers 200 without auth', async () => {
    const r = await desk.api('GET', '/healthz');
    assert.equal(r.status, 200, show(r));
    const h = await desk.api('HEAD', '/healthz');
    assert.ok([200, 405].includes(h.status), `HEAD /healthz: ${h.status}`);
});

test('/metrics is Prometheus text with a request counter that counts', async () => {
    const first = await metrics();
    const counters = [...new Set(first.samples.map((s) => s.name))].filter((n) => /request/.test(n) && /_total$/.test(n));
    assert.ok(counters.length > 0, `a *request*_total counter: ${first.text.slice(0, 2000)}`);
    assert.match(first.text, /^# TYPE \S+ counter$/m, 'TYPE lines');
    const name = counters[0];
    for (let i = 0; i < 5; i++) {
        await desk.api('GET', 'users/me.json', { auth: u.agent });
    }
    const second = await metrics();
    assert.ok(sum(second.samples, name) >= sum(first.samples, name) + 5, `${name} grew by at least 5`);
    const labelled = second.samples.filter((s) => s.name === name && s.labels);
    if (labelled.length > 0) {
        assert.ok(labelled.some((s) => /status|code/.test(s.labels)), `request counter labels carry the status: ${labelled.map((s) => s.labels)}`);
    }
});

test('/metrics has an open-tickets gauge that follows the tickets', async () => {
    const first = await metrics();
    const gauges = [...new Set(first.samples.map((s) => s.name))].filter((n) => /ticket/.test(n) && !/_total$/.test(n));
    assert.ok(gauges.length > 0, `a ticket gauge: ${first.text.slice(0, 3000)}`);
    const openish = gauges.filter((n) => /open|unsolved/.test(n));
    const pick = openish[0] || gauges[0];
    const typeLine = first.text.match(new RegExp(`^# TYPE ${pick} (\\w+)$`, 'm'));
    assert.equal(typeLine?.[1], 'gauge', `${pick} is a gauge`);
    const openValue = (samples) => {
        const rows = samples.filter((s) => s.name === pick);
        const withStatus = rows.filter((s) => /status="open"/.test(s.labels));
        return (withStatus.length ? withStatus : rows).reduce((a, s) => a + s.value, 0);
    };
    const before = openValue(first.samples);
    for (let i = 0; i < 3; i++) {
        const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: `gauge ${i}`, comment: { body: 'x' }, assignee_id: u.agent.id } } });
        assert.equal(r.status, 201, show(r));
        assert.equal(r.json.ticket.status, 'open');
    }
    let now = before;
    for (let i = 0; i < 30 && now < before + 3; i++) {
        now = openValue((await metrics()).samples);
        if (now < before + 3) {
            await sleep(100);
        }
    }
    assert.equal(now, before + 3, `${pick} went from ${before} to ${now} after creating 3 open tickets`);
});

test('responses carry a request id that the log line of that request has', async () => {
    const r = await desk.api('GET', 'users/me.json', { auth: u.agent });
    const id = r.headers.get('x-request-id');
    assert.ok(id && id.length >= 6, `X-Request-Id header: ${id}`);
    const r2 = await desk.api('GET', 'users/me.json', { auth: u.agent });
    assert.notEqual(r2.headers.get('x-request-id'), id, 'ids differ per request');
    const e = await desk.api('GET', 'tickets/987654.json', { auth: u.agent });
    assert.equal(e.status, 404);
    const eid = e.headers.get('x-request-id');
    assert.ok(eid, 'errors carry a request id too');
    await sleep(200);
    const log = desk.log();
    const line = log.split('\n').find((l) => l.includes(id));
    assert.ok(line, `a log line has the request id ${id}`);
    assert.match(line, /\/api\/v2\/users\/me/, `the line names the path: ${line}`);
    assert.match(line, /\b(status|code)=200\b/, `the line has the status: ${line}`);
    const eline = log.split('\n').find((l) => l.includes(eid));
    assert.ok(eline && /\b(status|code)=404\b/.test(eline), `the 404 is logged with its id: ${eline}`);
});

test('log lines are key=value', async () => {
    const lines = desk.log().split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    const isKv = (l) => {
        const re = /\s*([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)\s*/y;
        let n = 0;
        while (re.lastIndex < l.length) {
            if (!re.exec(l)) {
                return false;
            }
            n++;
        }
        return n > 0;
    };
    const bad = lines.filter((l) => !isKv(l));
    assert.deepEqual(bad.slice(0, 5), [], 'every line is a sequence of key=value pairs');
    assert.ok(lines.some((l) => /\bevent=listening\b/.test(l)));
});

test('the log never contains tokens, passwords or credentials', async () => {
    const wrongPassword = 'Wr0ng-Pa55word-Never-Log-Me';
    const fakeToken = 'tok3n-that-is-not-real-but-secret';
    for (const user of [u.admin, u.agent, u.customer]) {
        await desk.api('GET', 'users/me.json', { auth: user });
        await desk.api('GET', 'users/me.json', { auth: basicPassword(user.email, user.password) });
        await desk.api('GET', 'users/me.json', { auth: bearer(user.token) });
    }
    await desk.api('GET', 'users/me.json', { auth: basicPassword(u.agent.email, wrongPassword) });
    await desk.api('GET', 'users/me.json', { auth: bearer(fakeToken) });
    await desk.api('POST', 'users.json', { auth: u.admin, body: { user: { name: 'Pw Person', email: 'pw.person@ops.example', password: 'CreatedWithThisPassword1!' } } });
    await sleep(200);
    const log = desk.log();
    const secrets = [wrongPassword, fakeToken, 'CreatedWithThisPassword1!'];
    for (const user of Object.values(u)) {
        secrets.push(user.token, user.password);
        secrets.push(Buffer.from(`${user.email}/token:${user.token}`).toString('base64'));
        secrets.push(Buffer.from(`${user.email}:${user.password}`).toString('base64'));
    }
    const leaked = secrets.filter((s) => s && log.includes(s));
    assert.deepEqual(leaked.map((s) => s.slice(0, 6) + '…'), [], 'secrets found in the server log');
    assert.ok(!/authorization:/i.test(log), 'Authorization headers are not logged');
});

test('unauthenticated and failed requests are logged too', async () => {
    await desk.api('GET', 'tickets.json');
    await sleep(200);
    const log = desk.log();
    assert.ok(log.split('\n').some((l) => /\/api\/v2\/tickets/.test(l) && /\b(status|code)=401\b/.test(l)), 'a 401 line');
});

test('SIGTERM stops the server cleanly (exit 0) and it restarts on the same database', async () => {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'before restart', comment: { body: 'x' } } } });
    assert.equal(r.status, 201, show(r));
    const exit = await desk.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    await desk.start();
    const g = await desk.api('GET', `tickets/${r.json.ticket.id}.json`, { auth: u.agent });
    assert.equal(g.status, 200, show(g));
});

test('a second server on a port in use fails at once with a clear message', async () => {
    const port = new URL(desk.url).port;
    const res = spawnSync(DESK_BIN, ['serve', '--db', desk.db, '--listen', `127.0.0.1:${port}`], { timeout: 5000, encoding: 'utf8' });
    assert.equal(res.signal, null, 'it exits by itself');
    assert.notEqual(res.status, 0, 'serve on a port in use must fail');
    assert.match(res.stderr, /address|in use|bind|listen/i, `stderr says why: ${res.stderr}`);
    const h = await desk.api('GET', '/healthz');
    assert.equal(h.status, 200, 'the first server is unaffected');
});

test('300 concurrent connections are all answered', async () => {
    const jobs = Array.from({ length: 300 }, () =>
        desk.httpRequest('GET', 'users/me.json', { auth: u.agent }),
    );
    const rs = await Promise.all(jobs);
    const bad = rs.filter((r) => r.status !== 200);
    assert.deepEqual(bad.slice(0, 5).map((r) => `${r.status} ${r.error?.code ?? ''} ${r.text?.slice(0, 100)}`), [], `${bad.length} of 300 failed`);
});

test('slow clients holding half-sent requests do not block others', async () => {
    const net = await import('node:net');
    const port = Number(new URL(desk.url).port);
    const socks = [];
    for (let i = 0; i < 64; i++) {
        const s = net.connect({ host: '127.0.0.1', port });
        s.on('error', () => {});
        s.write('GET /api/v2/users/me.json HTTP/1.1\r\nHost: x\r\nX-Slow: ');
        socks.push(s);
    }
    await sleep(200);
    try {
        const t0 = Date.now();
        const r = await desk.api('GET', 'users/me.json', { auth: u.agent });
        assert.equal(r.status, 200, show(r));
        assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms with 64 slow clients connected`);
        const w = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'while slow', comment: { body: 'x' } } } });
        assert.equal(w.status, 201, show(w));
    } finally {
        socks.forEach((s) => s.destroy());
    }
});

test('an idle keep-alive connection does not stop a clean shutdown for long', async () => {
    const net = await import('node:net');
    const port = Number(new URL(desk.url).port);
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await sleep(200);
    const t0 = Date.now();
    const exit = await desk.stop();
    s.destroy();
    assert.equal(exit.code, 0, JSON.stringify(exit));
    assert.ok(Date.now() - t0 < 5000, `shutdown took ${Date.now() - t0} ms`);
    await desk.start();
});
