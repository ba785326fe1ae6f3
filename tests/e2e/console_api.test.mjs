// The console's API and assets: embedded web files (types, gzip, ETag, CSP),
// macros with language variants and apply, saved views, spell-checking, and
// the live wall's snapshot and Server-Sent Events.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let group;

before(async () => {
    desk = await Desk.create('console_api');
    u = await addStandardUsers(desk);
    await desk.start();
    group = (await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Podpora' } } })).json.group;
    await desk.api('POST', 'group_memberships.json', { auth: u.admin, body: { group_membership: { user_id: u.agent.id, group_id: group.id } } });
});

after(async () => {
    await desk?.stop();
});

async function must(method, path, body, auth = u.admin, want = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(want.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

/** GET with node:http so that nothing decompresses behind our back. */
function rawGet(path, headers = {}) {
    const url = new URL(desk.urlFor(path));
    return new Promise((resolve, reject) => {
        http.get({ host: url.hostname, port: url.port, path: url.pathname, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
    });
}

test('pages and assets: types, gzip, ETags, CSP without inline script', async () => {
    for (const [path, type] of [
        ['/console/', /^text\/html/],
        ['/portal/', /^text\/html/],
        ['/assets/console.mjs', /^text\/javascript/],
        ['/assets/app.css', /^text\/css/],
        ['/assets/i18n.cs.json', /^application\/json/],
        ['/assets/favicon.svg', /^image\/svg\+xml/],
    ]) {
        const plain = await rawGet(path);
        assert.equal(plain.status, 200, path);
        assert.match(plain.headers['content-type'], type, path);
        assert.equal(plain.headers['content-encoding'], undefined, `${path} uncompressed without Accept-Encoding`);
        assert.equal(plain.headers['x-content-type-options'], 'nosniff');
        const gz = await rawGet(path, { 'Accept-Encoding': 'gzip, deflate, br' });
        if (gz.headers['content-encoding'] === 'gzip') {
            assert.deepEqual(gunzipSync(gz.body), plain.body, `${path}: the gzip body is the same file`);
        } else {
            assert.ok(plain.body.length < 300, `${path} should be served compressed`);
        }
        assert.equal(gz.headers.vary, 'Accept-Encoding');
        const etag = plain.headers.etag;
        assert.match(etag, /^"[0-9a-f]{16}"$/);
        assert.equal(gz.headers.etag, etag, 'one ETag per file, whatever the encoding');
        const again = await rawGet(path, { 'If-None-Match': etag });
        assert.equal(again.status, 304, path);
        assert.equal(again.body.length, 0);
        if (/html/.test(plain.headers['content-type'])) {
            const csp = plain.headers['content-security-policy'];
            assert.match(csp, /script-src 'self'(;|$)/);
            assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
            assert.match(csp, /frame-ancestors 'none'/);
            const html = plain.body.toString('utf8');
            assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script element');
            assert.doesNotMatch(html, /\son[a-z]+=/, 'no inline event handler');
        }
    }
    assert.equal((await rawGet('/assets/nope.js')).status, 404);
    assert.equal((await rawGet('/assets/%2e%2e/migrations')).status, 404);
    const root = await rawGet('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/console/');
    const post = await desk.api('POST', '/console/', { body: 'x' });
    assert.equal(post.status, 405);
    assert.equal((await rawGet('/console/#/ticket/5')).status, 200);
});

test('first load of the console is at most 200 KB compressed', async () => {
    const html = (await rawGet('/console/', { 'Accept-Encoding': 'gzip' })).body;
    const page = gunzipSync(html).toString('utf8');
    const refs = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(refs.includes('/assets/console.mjs'));
    let total = html.length;
    const seen = new Set(refs);
    const queue = [...refs];
    while (queue.length) {
        const ref = queue.shift();
        const r = await rawGet(ref, { 'Accept-Encoding': 'gzip' });
        assert.equal(r.status, 200, ref);
        total += r.body.length;
        const text = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body).toString('utf8') : r.body.toString('utf8');
        for (const m of text.matchAll(/from '\.\/([\w.-]+\.mjs)'/g)) {
            const dep = `/assets/${m[1]}`;
            if (!seen.has(dep)) {
                seen.add(dep);
                queue.push(dep);
            }
        }
    }
    total += (await rawGet('/assets/i18n.pl.json', { 'Accept-Encoding': 'gzip' })).body.length;
    assert.ok(seen.has('/assets/core.mjs'));
    assert.ok(total <= 200 * 1024, `first load is ${total} bytes`);
    console.log(`console_first_load ${total} bytes`);
});

test('macros: create with variants, validation, permissions, apply picks the language', async () => {
    const body = {
        macro: {
            title: 'Reklamace',
            actions: [
                { field: 'comment_value', value: 'Hello {{ticket.requester.name}}, about #{{ticket.id}}. {{current_user.name}}' },
                { field: 'status', value: 'pending' },
                { field: 'current_tags', value: 'returns RMA' },
            ],
            variants: [
                { language: 'cs', comment: 'Dobrý den {{ticket.requester.first_name}}, k požadavku #{{ticket.id}}. {{current_user.name}}' },
                { language: 'pl', comment: 'Dzień dobry {{ticket.requester.name}}' },
                { language: 'PT-br', comment: 'Olá {{ticket.requester.name}}' },
            ],
        },
    };
    assert.equal((await desk.api('POST', 'macros.json', { auth: u.agent, body })).status, 403, 'agents do not manage macros');
    const m = (await must('POST', 'macros.json', body, u.supervisor)).macro;
    assert.equal(m.title, 'Reklamace');
    assert.deepEqual(m.variants.map((v) => v.language), ['cs', 'pl', 'pt-BR'], 'kept in canonical case');
    assert.deepEqual(m.actions.find((a) => a.field === 'current_tags').value, 'returns rma');

    const bad = [
        [{ macro: { actions: [] } }, 'title'],
        [{ macro: { title: 'x', actions: [{ field: 'explode', value: '1' }] } }, 'actions'],
        [{ macro: { title: 'x', actions: [{ field: 'status', value: 'new' }] } }, 'actions'],
        [{ macro: { title: 'x', variants: [{ language: 'c z', comment: 'a' }] } }, 'variants'],
        [{ macro: { title: 'x', variants: [{ language: 'cs', comment: 'a' }, { language: 'CS', comment: 'b' }] } }, 'variants'],
        [{ macro: { title: 'x', variants: [{ language: 'pt-BR', comment: 'a' }, { language: 'PT-br', comment: 'b' }] } }, 'variants'],
        [{ macro: { title: 'x', variants: [{ language: 'xx', comment: 'a' }] } }, 'variants'],
        [{ macro: { title: 'x', variants: [{ language: 'cs', comment: '' }] } }, 'variants'],
        [{ macro: { title: 'x', actions: [{ field: 'group_id', value: '999999' }] } }, 'actions'],
        [{ macro: { title: 'x'.repeat(256) } }, 'title'],
    ];
    for (const [b, field] of bad) {
        const r = await desk.api('POST', 'macros.json', { auth: u.admin, body: b });
        assert.equal(r.status, 422, `${JSON.stringify(b).slice(0, 80)}: ${show(r)}`);
        assert.ok(r.json.details[field], `names ${field}: ${show(r)}`);
    }
    assert.equal((await desk.api('GET', 'macros.json', { auth: u.agent })).json.macros.length, 1);
    assert.equal((await desk.api('GET', 'macros.json', { auth: u.customer })).status, 403);

    const mk = async (language) =>
        (await must('POST', 'tickets.json', { ticket: { subject: 'Boty', language, comment: { body: 'Dobrý den' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const cz = await mk('cs-CZ');
    const r = (await must('GET', `tickets/${cz.id}/macros/${m.id}/apply.json`, undefined, u.agent)).result;
    assert.equal(r.comment.body, `Dobrý den Carol, k požadavku #${cz.id}. Alice Agent`);
    assert.equal(r.comment.language, 'cs');
    assert.equal(r.ticket.status, 'pending');
    assert.deepEqual(r.ticket.tags, ['returns', 'rma']);
    assert.match(r.comment.html_body, /^<div class="zd-comment"/);
    const de = await mk('de');
    const fallback = (await must('GET', `tickets/${de.id}/macros/${m.id}/apply.json`, undefined, u.agent)).result;
    assert.equal(fallback.comment.body, `Hello Carol Customer, about #${de.id}. Alice Agent`);
    assert.equal(fallback.comment.language, null);
    const after = (await must('GET', `tickets/${cz.id}.json`, undefined, u.agent)).ticket;
    assert.equal(after.status, 'new', 'apply saves nothing');
    assert.equal((await desk.api('GET', `tickets/${cz.id}/macros/${m.id}/apply.json`, { auth: u.customer })).status, 403);
    assert.equal((await desk.api('GET', `tickets/999999/macros/${m.id}/apply.json`, { auth: u.agent })).status, 404);

    const upd = (await must('PUT', `macros/${m.id}.json`, { macro: { title: 'Reklamace 2', variants: [] } }, u.admin)).macro;
    assert.equal(upd.title, 'Reklamace 2');
    assert.equal(upd.variants.length, 0);
    assert.ok(upd.actions.some((a) => a.field === 'status'), 'actions kept when not given');
    assert.equal((await desk.api('DELETE', `macros/${m.id}.json`, { auth: u.admin })).status, 204);
    assert.equal((await desk.api('GET', `macros/${m.id}.json`, { auth: u.agent })).status, 404);
});

test('views: personal and shared, query validated, tickets and count', async () => {
    const mine = (await must('POST', 'views.json', { view: { title: 'Mine', query: 'assignee:me status<solved' } }, u.agent)).view;
    assert.deepEqual(mine.restriction, { type: 'User', id: u.agent.id });
    const shared = (await must('POST', 'views.json', { view: { title: 'Urgent', query: 'priority:urgent', restriction: null } }, u.supervisor)).view;
    assert.equal(shared.restriction, null);
    const refused = await desk.api('POST', 'views.json', { auth: u.agent, body: { view: { title: 'x', query: 'status:open', restriction: null } } });
    assert.equal(refused.status, 403, show(refused));
    const badq = await desk.api('POST', 'views.json', { auth: u.agent, body: { view: { title: 'x', query: 'frobnicate:yes' } } });
    assert.equal(badq.status, 422, show(badq));
    assert.ok(badq.json.details.query);
    const ids = (await must('GET', 'views.json', undefined, u.agent2)).views.map((v) => v.id);
    assert.ok(ids.includes(shared.id) && !ids.includes(mine.id), 'others do not see a personal view');
    assert.equal((await desk.api('GET', `views/${mine.id}.json`, { auth: u.agent2 })).status, 404);
    assert.equal((await desk.api('PUT', `views/${shared.id}.json`, { auth: u.agent, body: { view: { title: 'mine now' } } })).status, 403);

    const t1 = (await must('POST', 'tickets.json', { ticket: { subject: 'urgent one', priority: 'urgent', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const list = await must('GET', `views/${shared.id}/tickets.json`, undefined, u.agent2);
    assert.ok(list.tickets.some((x) => x.id === t1.id), show({ status: 200, text: JSON.stringify(list) }));
    const count = await must('GET', `views/${shared.id}/count.json`, undefined, u.agent2);
    assert.equal(count.view_count.value, list.tickets.length);
    assert.equal((await desk.api('DELETE', `views/${mine.id}.json`, { auth: u.agent2 })).status, 404);
    assert.equal((await desk.api('DELETE', `views/${mine.id}.json`, { auth: u.agent })).status, 204);
    assert.equal((await desk.api('GET', 'views.json', { auth: u.customer })).status, 403);
});

test('spellcheck: Czech, Polish, Spanish and English with offsets and suggestions', async () => {
    const check = async (text, language, auth = u.agent) => {
        const r = await desk.api('POST', 'spellcheck.json', { auth, body: { text, language } });
        assert.equal(r.status, 200, show(r));
        return r.json.spellcheck;
    };
    const cs = await check('Dobrý dén, prosím o zaslánní faktury na jana@example.cz nebo www.example.cz {{ticket.id}}.', 'cs');
    assert.equal(cs.dictionary, 'cs_CZ');
    assert.deepEqual(cs.misspellings.map((m) => m.word), ['dén', 'zaslánní']);
    assert.equal(cs.misspellings[0].offset, 6);
    assert.ok(cs.misspellings[1].suggestions.includes('zaslání'), JSON.stringify(cs.misspellings[1]));
    const pl = await check('Dzień dobry, proszę o fakture.', 'pl-PL');
    assert.equal(pl.dictionary, 'pl_PL');
    assert.deepEqual(pl.misspellings.map((m) => m.word), ['fakture']);
    assert.ok(pl.misspellings[0].suggestions.includes('fakturę'), 'suggestions come back in UTF-8 from an ISO 8859-2 dictionary');
    const es = await check('Hola, necesito ayuda con mi pedidoo.', 'es');
    assert.deepEqual(es.misspellings.map((m) => m.word), ['pedidoo']);
    const en = await check('Thiss is fine 😀 recieve', 'en');
    assert.deepEqual(en.misspellings.map((m) => m.word), ['Thiss', 'recieve']);
    const emoji = en.misspellings[1];
    assert.equal(emoji.offset, 16, 'code points');
    assert.equal(emoji.utf16_offset, 17, 'UTF-16 units (the emoji takes two)');
    const bad = await desk.api('POST', 'spellcheck.json', { auth: u.agent, body: { text: 'x', language: 'tlh' } });
    assert.equal(bad.status, 422);
    assert.ok(bad.json.details.language);
    const long = await desk.api('POST', 'spellcheck.json', { auth: u.agent, body: { text: 'a '.repeat(40000), language: 'en' } });
    assert.equal(long.status, 422);
    assert.equal((await desk.api('POST', 'spellcheck.json', { auth: u.customer, body: { text: 'x', language: 'en' } })).status, 403);
    // Without a language, the ticket's is used.
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'x', language: 'cs', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const byTicket = await desk.api('POST', 'spellcheck.json', { auth: u.agent, body: { text: 'Děkujii', ticket_id: t.id } });
    assert.equal(byTicket.json.spellcheck.language, 'cs');
});

/** Opens the SSE stream as user; returns {events (array, filled as they come), close}. */
function stream(user) {
    const url = new URL(desk.urlFor('live'));
    const events = [];
    let req;
    const ready = new Promise((resolve, reject) => {
        req = http.get(
            { host: url.hostname, port: url.port, path: url.pathname, headers: { Authorization: 'Basic ' + Buffer.from(`${user.email}/token:${user.token}`).toString('base64'), Accept: 'text/event-stream' } },
            (res) => {
                let buf = '';
                res.setEncoding('utf8');
                res.on('data', (d) => {
                    buf += d;
                    let i;
                    while ((i = buf.indexOf('\n\n')) >= 0) {
                        const block = buf.slice(0, i);
                        buf = buf.slice(i + 2);
                        const type = (/^event: (.*)$/m.exec(block) || [])[1];
                        const data = (/^data: (.*)$/m.exec(block) || [])[1];
                        if (type && data) {
                            events.push({ type, data: JSON.parse(data), at: Date.now() });
                        }
                    }
                });
                resolve(res);
            },
        );
        req.on('error', reject);
    });
    return { events, ready, close: () => req.destroy() };
}

async function waitFor(fn, ms = 3000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        const v = fn();
        if (v) {
            return v;
        }
        await new Promise((r) => setTimeout(r, 20));
    }
    return null;
}

test('live: a snapshot, then each committed change within a second, with queue counts', async () => {
    const s = stream(u.supervisor);
    const res = await s.ready;
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'], /^text\/event-stream/);
    const snap = await waitFor(() => s.events.find((e) => e.type === 'snapshot'));
    assert.ok(snap, 'snapshot arrives first');
    const before = snap.data.queues.find((q) => q.dim === 'group' && q.key === String(group.id)) || { waiting: 0, open: 0 };

    const t0 = Date.now();
    const created = (await must('POST', 'tickets.json', { ticket: { subject: 'live', language: 'pl', group_id: group.id, comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const ev = await waitFor(() => s.events.find((e) => e.type === 'ticket' && e.data.id === created.id));
    assert.ok(ev, 'the change arrives');
    assert.ok(ev.at - t0 < 1000, `within a second (${ev.at - t0} ms)`);
    assert.equal(ev.data.created, true);
    const gq = ev.data.queues.find((q) => q.dim === 'group');
    assert.equal(gq.key, String(group.id));
    assert.equal(gq.waiting, before.waiting + 1);
    assert.equal(gq.open, before.open + 1);
    assert.ok(gq.oldest_ms > 0);
    assert.equal(ev.data.queues.find((q) => q.dim === 'language').key, 'pl');
    assert.ok(!JSON.stringify(ev.data).includes('live'), 'no subject or other customer text in events');

    await must('PUT', `tickets/${created.id}.json`, { ticket: { assignee_id: u.agent.id, status: 'open' } }, u.agent);
    const ev2 = await waitFor(() => s.events.find((e) => e.type === 'ticket' && e.data.id === created.id && !e.data.created));
    assert.equal(ev2.data.previous.assignee_id, null);
    assert.equal(ev2.data.queues.find((q) => q.dim === 'group').waiting, before.waiting, 'assigned: no longer waiting');
    assert.deepEqual(ev2.data.loads.find((l) => l.assignee_id === u.agent.id), { assignee_id: u.agent.id, open: 1, pending: 0 });
    const snapNow = (await must('GET', 'live/queues.json', undefined, u.supervisor)).live;
    assert.deepEqual(snapNow.queues.find((q) => q.dim === 'group' && q.key === String(group.id)), ev2.data.queues.find((q) => q.dim === 'group'));
    s.close();

    assert.equal((await desk.api('GET', 'live', { auth: u.customer })).status, 403);
    assert.equal((await desk.api('GET', 'live')).status, 401);
});

test('live: viewing notices go to the other agents, never stored', async () => {
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'viewed', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const s = stream(u.agent2);
    await s.ready;
    await waitFor(() => s.events.length);
    const r = await must('PUT', `tickets/${t.id}/viewing.json`, { viewing: { typing: true } }, u.agent);
    assert.deepEqual(r.viewing, { ticket_id: t.id, user_id: u.agent.id, typing: true });
    const ev = await waitFor(() => s.events.find((e) => e.type === 'viewing' && e.data.ticket_id === t.id));
    assert.ok(ev, 'the other agent hears about it');
    assert.equal(ev.data.user_id, u.agent.id);
    assert.equal(ev.data.typing, true);
    assert.equal((await desk.api('PUT', `tickets/${t.id}/viewing.json`, { auth: u.agent })).status, 200, 'no body: just viewing');
    assert.equal((await desk.api('PUT', `tickets/${t.id}/viewing.json`, { auth: u.customer })).status, 403);
    assert.equal((await desk.api('PUT', 'tickets/999999/viewing.json', { auth: u.agent })).status, 404);
    const bad = await desk.api('PUT', `tickets/${t.id}/viewing.json`, { auth: u.agent, body: { viewing: { typing: 'yes' } } });
    assert.equal(bad.status, 422, show(bad));
    s.close();
});

test('live: the maintained queue counters equal a recount after random changes and deletions', async () => {
    const g2 = (await must('POST', 'groups.json', { group: { name: 'Reklamace' } })).group;
    await must('POST', 'group_memberships.json', { group_membership: { user_id: u.agent2.id, group_id: g2.id } });
    const groups = [null, group.id, g2.id];
    const langs = [null, 'cs', 'pl', 'es-MX'];
    const staff = { [group.id]: [null, u.agent.id], [g2.id]: [null, u.agent2.id], null: [null] };
    let seed = 7;
    const pick = (arr) => arr[(seed = (seed * 1103515245 + 12345) % 2147483648) % arr.length];
    const ids = [];
    for (let i = 0; i < 24; i++) {
        const gid = pick(groups);
        const ticket = { subject: `count ${i}`, comment: { body: 'x' }, requester_id: u.customer.id, group_id: gid };
        const lang = pick(langs);
        if (lang) {
            ticket.language = lang;
        }
        ids.push((await must('POST', 'tickets.json', { ticket }, u.agent)).ticket.id);
    }
    for (let i = 0; i < 60; i++) {
        const id = pick(ids);
        const gid = pick(groups);
        const change = { group_id: gid, assignee_id: pick(staff[gid]), status: pick(['open', 'pending', 'hold', 'solved', 'open']) };
        if (change.status === 'solved' && !change.assignee_id) {
            change.status = 'open';
        }
        const lang = pick(langs);
        if (lang) {
            change.language = lang;
        }
        const r = await desk.api('PUT', `tickets/${id}.json`, { auth: u.agent, body: { ticket: change } });
        assert.ok(r.status === 200 || r.status === 422, show(r));
    }
    await must('DELETE', `tickets/${ids[0]}.json`, undefined, u.admin, [204]);
    await must('DELETE', `tickets/${ids[1]}.json`, undefined, u.admin, [204]);

    const all = [];
    for (let page = 1; ; page++) {
        const r = await must('GET', `tickets.json?per_page=100&page=${page}`, undefined, u.admin);
        all.push(...r.tickets);
        if (!r.next_page) {
            break;
        }
    }
    const want = new Map();
    const add = (dim, key, t) => {
        const k = `${dim}:${key}`;
        const v = want.get(k) || { waiting: 0, open: 0 };
        v.open += 1;
        v.waiting += ['new', 'open'].includes(t.status) && !t.assignee_id ? 1 : 0;
        want.set(k, v);
    };
    const channels = ['api', 'web', 'email', 'chat', 'voice', 'portal', 'rule', 'cli'];
    for (const t of all.filter((x) => !['solved', 'closed'].includes(x.status))) {
        add('group', String(t.group_id || 0), t);
        add('language', t.language || '', t);
        add('channel', String(channels.indexOf(t.via.channel)), t);
    }
    const got = new Map((await must('GET', 'live/queues.json', undefined, u.supervisor)).live.queues.map((q) => [`${q.dim}:${q.key}`, { waiting: q.waiting, open: q.open }]));
    assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()));
});

test('live: many streams at once, and shutdown ends them', async () => {
    const streams = Array.from({ length: 30 }, () => stream(u.agent));
    await Promise.all(streams.map((s) => s.ready));
    await waitFor(() => streams.every((s) => s.events.length >= 1));
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'fan out', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const got = await waitFor(() => streams.every((s) => s.events.some((e) => e.data.id === t.id)));
    assert.ok(got, 'every stream gets the event');
    streams.slice(0, 15).forEach((s) => s.close());
    // The server still answers, and other streams keep working after some went away.
    const t2 = (await must('POST', 'tickets.json', { ticket: { subject: 'fan out 2', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    assert.ok(await waitFor(() => streams.slice(15).every((s) => s.events.some((e) => e.data.id === t2.id))));
    streams.forEach((s) => s.close());
});

test('the wall’s "needs attention" counters follow escalations, irate customers and solving', async () => {
    const snap = async () => (await must('GET', 'live/queues.json', undefined, u.supervisor)).live.attention;
    const a0 = await snap();
    assert.deepEqual(Object.keys(a0).sort(), ['approvals', 'drafts', 'escalations', 'irate', 'sla_at_risk', 'sla_breached']);
    // An irate customer writes in.
    const req = await must('POST', 'requests.json', {
        request: { subject: 'Pedido perdido', comment: { body: '¡Esto es totalmente inaceptable! Estoy FURIOSO, es la tercera vez que pierden mi pedido.' } },
    }, u.customer);
    const id = req.request.id;
    let a = await snap();
    assert.equal(a.irate, a0.irate + 1, JSON.stringify(a));
    // An agent escalates it: one more escalation waits.
    await must('POST', `tickets/${id}/escalate.json`, { escalation: { reason: 'difficult_customer' } }, u.agent);
    a = await snap();
    assert.equal(a.escalations, a0.escalations + 1, JSON.stringify(a));
    // A calm follow-up from the customer: no longer irate.
    await must('PUT', `requests/${id}.json`, { request: { comment: { body: 'Gracias, ya lo he encontrado en la oficina de correos.' } } }, u.customer);
    a = await snap();
    assert.equal(a.irate, a0.irate, JSON.stringify(a));
    // Solving an irate ticket takes it off the count; reopening puts it back.
    const r2 = await must('POST', 'requests.json', {
        request: { subject: 'Otra vez', comment: { body: '¡Esto es totalmente inaceptable! Estoy FURIOSO, es la tercera vez que pierden mi pedido.' } },
    }, u.customer);
    assert.equal((await snap()).irate, a0.irate + 1);
    await must('PUT', `tickets/${r2.request.id}.json`, { ticket: { status: 'solved', comment: { body: 'Resuelto.', public: false } } }, u.agent);
    a = await snap();
    assert.equal(a.irate, a0.irate);
    // The maintained counters equal a recount.
    const q = (sql) => Number(execFileSync('sqlite3', [desk.db, sql]).toString().trim());
    assert.deepEqual(a, {
        sla_at_risk: q('SELECT count(*) FROM sla_clocks WHERE state = 1 AND at_risk = 1 AND breached = 0'),
        sla_breached: q('SELECT count(*) FROM sla_clocks WHERE state = 1 AND breached = 1'),
        escalations: q('SELECT count(*) FROM escalations WHERE state = 0'),
        approvals: q('SELECT count(*) FROM concessions WHERE state = 0'),
        drafts: q("SELECT count(*) FROM drafts WHERE state = 'pending'"),
        irate: q(
            'SELECT count(*) FROM tickets t WHERE t.status < 4 AND t.deleted_at IS NULL AND ' +
                '(SELECT mood FROM message_signals m WHERE m.ticket_id = t.id ORDER BY id DESC LIMIT 1) = 2',
        ),
    });
});

test('live: floor events carry what changes without a ticket event, within a second', async () => {
    const s = stream(u.supervisor);
    await s.ready;
    const snap = await waitFor(() => s.events.find((e) => e.type === 'snapshot'));
    assert.ok(snap, 'snapshot arrives first');
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'floor', comment: { body: 'x' }, requester_id: u.customer.id } }, u.agent)).ticket;
    const e = (await must('POST', `tickets/${t.id}/escalate.json`, { escalation: { reason: 'difficult_customer' } }, u.agent)).escalation;
    const waiting = (await must('GET', 'live/queues.json', undefined, u.supervisor)).live.attention.escalations;

    // A supervisor takes the escalation: the wall's count drops at once.
    let t0 = Date.now();
    await must('PUT', `escalations/${e.id}/accept.json`, undefined, u.supervisor);
    const moved = await waitFor(() => s.events.find((x) => x.at >= t0 && x.type === 'floor' && x.data.attention.escalations === waiting - 1));
    assert.ok(moved, `a floor event with ${waiting - 1} escalations waiting: ${JSON.stringify(s.events.filter((x) => x.type === 'floor').map((x) => x.data))}`);
    assert.ok(moved.at - t0 < 1000, `within a second (${moved.at - t0} ms)`);

    // An agent goes online: their status and its start reach the wall, with no ticket changed.
    t0 = Date.now();
    await must('PUT', `staff/${u.agent2.id}/availability.json`, { availability: { status: 'online' } }, u.agent2);
    const st = await waitFor(() => s.events.find((x) => x.at >= t0 && x.type === 'floor' && x.data.agent && x.data.agent.id === u.agent2.id));
    assert.ok(st, 'the availability change arrives');
    assert.ok(st.at - t0 < 1000, `within a second (${st.at - t0} ms)`);
    assert.equal(st.data.agent.status, 'online');
    assert.ok(Math.abs(st.data.agent.since_ms - t0) < 5000, 'since: when it changed');
    assert.deepEqual(Object.keys(st.data.attention).sort(), ['approvals', 'drafts', 'escalations', 'irate', 'sla_at_risk', 'sla_breached']);
    s.close();
});
