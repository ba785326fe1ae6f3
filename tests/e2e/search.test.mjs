// Search as an agent would use it (ZENDESK_API.md §6.5): words without
// diacritics find words with them, phrases, status/priority comparisons,
// negation, tags, assignee/requester, dates, type:user, ordering, offset
// pagination with a true count, and comments and updates being searchable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, allPagesOffset } from './lib/desk.mjs';

let desk;
let u;
const t = {};

async function mk(key, ticket) {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket } });
    assert.equal(r.status, 201, show(r));
    t[key] = r.json.ticket.id;
}

before(async () => {
    desk = await Desk.create('search');
    u = await addStandardUsers(desk);
    await desk.start();
    const c1 = u.customer.id;
    const c2 = u.customer2.id;
    await mk('czech', { subject: 'Příliš žluťoučký kůň', comment: { body: 'úpěl ďábelské ódy' }, requester_id: c1, tags: ['czech'], priority: 'low' });
    await mk('spanish', { subject: 'Hola señor García', comment: { body: '¿Dónde está mi pedido?' }, requester_id: c2 });
    await mk('fire', { subject: 'Printer on fire', comment: { body: 'smoke everywhere' }, requester_id: c1, assignee_id: u.agent.id, tags: ['urgent_vip', 'hardware'], priority: 'urgent' });
    await mk('jam', { subject: 'Printer paper jam', comment: { body: 'the paper jam is stuck' }, requester_id: c2, assignee_id: u.agent.id, priority: 'normal' });
    await mk('topo', { subject: 'Topology of jam made from paper', comment: { body: 'strawberry jam on paper napkins' }, requester_id: c1 });
    await mk('desktop', { subject: 'Desktop computer broken', comment: { body: 'it will not boot' }, requester_id: c1 });
    await mk('toner', { subject: 'Waiting for printer toner', comment: { body: 'toner ordered' }, requester_id: c1, assignee_id: u.agent2.id, priority: 'high' });
    const s = await desk.api('PUT', `tickets/${t.jam}.json`, { auth: u.agent, body: { ticket: { status: 'solved', comment: { body: 'cleared the jam' } } } });
    assert.equal(s.status, 200, show(s));
    const p = await desk.api('PUT', `tickets/${t.toner}.json`, { auth: u.agent2, body: { ticket: { status: 'pending' } } });
    assert.equal(p.status, 200, show(p));
    const bulk = Array.from({ length: 30 }, (_, i) => ({ subject: `pagiword batch item ${i}`, comment: { body: 'bulk' }, requester_id: c2 }));
    const b = await desk.api('POST', 'tickets/create_many.json', { auth: u.agent, body: { tickets: bulk } });
    assert.equal(b.status, 200, show(b));
    assert.equal(b.json.job_status.status, 'completed', show(b));
});

after(async () => {
    await desk?.stop();
});

async function search(query, { auth = u.agent, extra = '', path = 'search.json' } = {}) {
    const r = await desk.api('GET', `${path}?query=${encodeURIComponent(query)}${extra}`, { auth });
    assert.equal(r.status, 200, `search ${JSON.stringify(query)}: ${show(r)}`);
    assert.ok(Array.isArray(r.json.results), `results array: ${r.text}`);
    return r.json;
}

async function ticketIds(query, opts) {
    const body = await search(query, opts);
    return body.results.filter((x) => x.result_type === 'ticket').map((x) => x.id);
}

function has(ids, keys, query) {
    for (const k of keys) {
        assert.ok(ids.includes(t[k]), `${JSON.stringify(query)} should find ${k} (#${t[k]}); got ${JSON.stringify(ids)}`);
    }
}

function lacks(ids, keys, query) {
    for (const k of keys) {
        assert.ok(!ids.includes(t[k]), `${JSON.stringify(query)} should not find ${k} (#${t[k]}); got ${JSON.stringify(ids)}`);
    }
}

test('words without diacritics find words with them, case-insensitively', async () => {
    for (const q of ['prilis', 'PRILIS', 'příliš', 'zlutoucky', 'kun', 'dabelske']) {
        has(await ticketIds(q), ['czech'], q);
    }
    for (const q of ['senor', 'señor', 'garcia', 'Donde']) {
        has(await ticketIds(q), ['spanish'], q);
    }
    lacks(await ticketIds('senor'), ['czech'], 'senor');
});

test('several words must all match', async () => {
    const ids = await ticketIds('printer smoke');
    has(ids, ['fire'], 'printer smoke');
    lacks(ids, ['jam', 'toner'], 'printer smoke');
});

test('results are full objects with result_type', async () => {
    const body = await search('printer');
    assert.ok(body.results.length >= 3);
    for (const r of body.results) {
        assert.equal(r.result_type, 'ticket');
        assert.equal(r.url, `${desk.url}/api/v2/tickets/${r.id}.json`);
        assert.ok(Object.hasOwn(r, 'status') && Object.hasOwn(r, 'subject'));
    }
    assert.ok(Object.hasOwn(body, 'facets'));
    assert.equal(body.count, body.results.length);
    assert.equal(body.next_page, null);
    assert.equal(body.previous_page, null);
});

test('quoted phrases match in order', async () => {
    const ids = await ticketIds('"paper jam"');
    has(ids, ['jam'], '"paper jam"');
    lacks(ids, ['topo'], '"paper jam"');
});

test('word prefixes match, inner substrings do not', async () => {
    const ids = await ticketIds('top');
    has(ids, ['topo'], 'top');
    lacks(ids, ['desktop'], 'top');
    has(await ticketIds('subject:photo* printer'), [], 'wildcard does not crash');
    has(await ticketIds('subject:topo*'), ['topo'], 'subject:topo*');
});

test('status comparisons and equality', async () => {
    const q = 'printer status<solved';
    const body = await search(q);
    const ids = body.results.map((x) => x.id);
    has(ids, ['fire', 'toner'], q);
    lacks(ids, ['jam'], q);
    for (const r of body.results) {
        assert.ok(['new', 'open', 'pending', 'hold'].includes(r.status), `${q} returned a ${r.status} ticket`);
    }
    has(await ticketIds('status:pending'), ['toner'], 'status:pending');
    lacks(await ticketIds('status:pending'), ['fire', 'jam'], 'status:pending');
    has(await ticketIds('status>=solved printer'), ['jam'], 'status>=solved');
    lacks(await ticketIds('status>=solved printer'), ['fire'], 'status>=solved');
});

test('priority comparisons', async () => {
    const ids = await ticketIds('priority>normal');
    has(ids, ['fire', 'toner'], 'priority>normal');
    lacks(ids, ['czech', 'jam'], 'priority>normal');
    has(await ticketIds('priority:low'), ['czech'], 'priority:low');
});

test('negation of words and of fields', async () => {
    let ids = await ticketIds('printer -jam');
    has(ids, ['fire', 'toner'], 'printer -jam');
    lacks(ids, ['jam'], 'printer -jam');
    ids = await ticketIds('printer -status:pending');
    has(ids, ['fire'], 'printer -status:pending');
    lacks(ids, ['toner'], 'printer -status:pending');
});

test('tags', async () => {
    const ids = await ticketIds('tags:urgent_vip');
    assert.deepEqual(ids, [t.fire]);
    has(await ticketIds('tag:hardware'), ['fire'], 'tag:hardware');
    has(await ticketIds('tags:czech'), ['czech'], 'tags:czech');
});

test('assignee:me, assignee:none and requester:email', async () => {
    let body = await search('assignee:me');
    const mine = body.results.map((x) => x.id);
    has(mine, ['fire', 'jam'], 'assignee:me');
    lacks(mine, ['toner', 'czech'], 'assignee:me');
    assert.ok(body.results.every((x) => x.assignee_id === u.agent.id));
    has(await ticketIds('assignee:me', { auth: u.agent2 }), ['toner'], 'assignee:me as agent2');
    has(await ticketIds(`assignee:${u.agent2.email}`), ['toner'], 'assignee:email');
    has(await ticketIds('assignee:none'), ['czech', 'spanish'], 'assignee:none');
    lacks(await ticketIds('assignee:none'), ['fire'], 'assignee:none');
    body = await search(`requester:${u.customer2.email}`);
    const theirs = body.results.map((x) => x.id);
    has(theirs, ['spanish', 'jam'], 'requester:email');
    lacks(theirs, ['czech', 'fire'], 'requester:email');
    assert.ok(body.results.every((x) => x.requester_id === u.customer2.id));
    has(await ticketIds(`requester:${u.customer.id}`), ['czech'], 'requester:id');
});

test('created date comparisons', async () => {
    const day = (offset) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
    has(await ticketIds(`created>${day(-1)} printer`), ['fire', 'jam'], 'created>yesterday');
    has(await ticketIds('created>2000-01-01 printer'), ['fire'], 'created>2000-01-01');
    assert.deepEqual(await ticketIds(`created<${day(-1)}`), [], 'created<yesterday');
    assert.deepEqual(await ticketIds(`created>${day(2)}`), [], 'created>the day after tomorrow');
    has(await ticketIds('created>2hours printer'), ['fire'], 'created>2hours');
    has(await ticketIds(`updated>=${day(0)} printer`), ['fire'], 'updated>=today');
});

test('type:user finds users, type:ticket only tickets', async () => {
    let body = await search('type:user carol');
    assert.ok(body.results.length >= 1, `type:user carol: ${JSON.stringify(body)}`);
    assert.ok(body.results.every((x) => x.result_type === 'user'));
    assert.ok(body.results.some((x) => x.id === u.customer.id && x.email === u.customer.email));
    body = await search(`type:user email:${u.agent2.email}`);
    assert.deepEqual(body.results.map((x) => x.id), [u.agent2.id]);
    body = await search('type:user role:agent');
    const ids = body.results.map((x) => x.id);
    assert.ok(ids.includes(u.agent.id) && ids.includes(u.agent2.id) && !ids.includes(u.customer.id), `role:agent: ${ids}`);
    body = await search('type:ticket printer');
    assert.ok(body.results.every((x) => x.result_type === 'ticket'));
    const us = await desk.api('GET', 'users/search.json?query=carol', { auth: u.agent });
    assert.equal(us.status, 200, show(us));
    assert.ok(us.json.users.some((x) => x.id === u.customer.id));
});

test('ordering with order_by/sort and with sort_by/sort_order', async () => {
    const asc = await ticketIds('type:ticket printer order_by:created sort:asc');
    const desc = await ticketIds('type:ticket printer order_by:created sort:desc');
    assert.ok(asc.length >= 3);
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b), `asc order: ${asc}`);
    assert.deepEqual(desc, [...asc].reverse(), `desc order: ${desc}`);
    const p = await ticketIds('type:ticket printer', { extra: '&sort_by=created_at&sort_order=asc' });
    assert.deepEqual(p, asc);
    const pr = await search('type:ticket printer', { extra: '&sort_by=priority&sort_order=desc' });
    const ranks = { low: 0, normal: 1, high: 2, urgent: 3 };
    const seen = pr.results.map((x) => ranks[x.priority] ?? -1);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), `priority desc: ${pr.results.map((x) => x.priority)}`);
});

test('offset pagination with the true count', async () => {
    const first = await search('pagiword', { extra: '&per_page=10' });
    assert.equal(first.count, 30);
    assert.equal(first.results.length, 10);
    assert.equal(first.previous_page, null);
    assert.ok(first.next_page && first.next_page.startsWith(`${desk.url}/api/v2/search.json?`), `absolute next_page: ${first.next_page}`);
    const all = await allPagesOffset(desk, 'search.json?query=pagiword&per_page=10', 'results', u.agent);
    assert.equal(all.pages.length, 3);
    assert.ok(all.pages[1].previous_page, 'page 2 has previous_page');
    assert.equal(all.pages[2].next_page, null);
    const ids = all.items.map((x) => x.id);
    assert.equal(new Set(ids).size, 30, 'no duplicates across pages');
    const count = await desk.api('GET', 'search/count.json?query=pagiword', { auth: u.agent });
    if (count.status === 200) {
        assert.equal(count.json.count, 30);
    }
});

test('search with and without .json, raw and encoded query strings agree', async () => {
    const a = await ticketIds('printer status<solved');
    const b = await ticketIds('printer status<solved', { path: 'search' });
    assert.deepEqual(b, a);
    const r = await desk.api('GET', 'search.json?query=printer+status%3Csolved', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.results.map((x) => x.id), a);
});

test('search rejects cursor paging parameters with 400', async () => {
    const r = await desk.api('GET', 'search.json?query=printer&page[size]=10', { auth: u.agent });
    assert.equal(r.status, 400, show(r));
});

test('a ticket id alone finds that ticket', async () => {
    has(await ticketIds(String(t.spanish)), ['spanish'], String(t.spanish));
});

test('new comments and updates are searchable at once', async () => {
    const r = await desk.api('PUT', `tickets/${t.fire}.json`, { auth: u.agent, body: { ticket: { comment: { body: 'A fluorescent giraffe appeared' }, additional_tags: ['giraffe_tag'] } } });
    assert.equal(r.status, 200, show(r));
    has(await ticketIds('giraffe'), ['fire'], 'comment text');
    has(await ticketIds('tags:giraffe_tag'), ['fire'], 'new tag');
    const s = await desk.api('PUT', `tickets/${t.topo}.json`, { auth: u.agent, body: { ticket: { subject: 'Renamed marmalade subject' } } });
    assert.equal(s.status, 200, show(s));
    has(await ticketIds('marmalade'), ['topo'], 'new subject');
    lacks(await ticketIds('topology'), ['topo'], 'old subject is gone');
});

test('deleted tickets are not found', async () => {
    await mk('gone', { subject: 'Vanishing xylophone', comment: { body: 'x' } });
    has(await ticketIds('xylophone'), ['gone'], 'before delete');
    const d = await desk.api('DELETE', `tickets/${t.gone}.json`, { auth: u.admin });
    assert.equal(d.status, 204, show(d));
    lacks(await ticketIds('xylophone'), ['gone'], 'after delete');
});

test('hostile and odd queries never fail with 5xx and never widen the result set', async () => {
    const total = (await search('type:ticket', { extra: '&per_page=1' })).count;
    const problems = [];
    const queries = [
        "' OR 1=1 --", '" OR ""="', 'printer) OR (1=1', 'NEAR(printer jam)', 'printer AND jam', 'printer OR jam', 'NOT printer',
        '^printer', 'subject:', ':', '-', '--', '*', '**', 'a*', '"', '""', '\\', '%', '_', 'status:', 'status<', 'status:open:open',
        'tags:', 'created>', 'created>now', 'assignee:nobody@nowhere.example', 'requester:999999999999', 'type:nonsense', 'order_by:nonsense',
        'printer\u0000jam', 'ÿ', '😀', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻', '{"a":1}', '<script>', 'printer '.repeat(100),
    ];
    for (const q of queries) {
        let r;
        try {
            r = await desk.api('GET', `search.json?query=${encodeURIComponent(q)}`, { auth: u.agent });
        } catch (e) {
            problems.push(`${JSON.stringify(q)}: no response: ${e.message}`);
            continue;
        }
        if (r.status >= 500 || ![200, 400, 422].includes(r.status)) {
            problems.push(`${JSON.stringify(q)}: ${show(r)}`);
        } else if (r.status !== 200 && !(r.json && r.json.error)) {
            problems.push(`${JSON.stringify(q)}: error body without "error": ${show(r)}`);
        } else if (r.status === 200 && /1=1|""=/.test(q) && r.json.count >= total) {
            problems.push(`${JSON.stringify(q)} matched every ticket (${r.json.count})`);
        }
    }
    const h = await desk.api('GET', '/healthz');
    assert.equal(h.status, 200);
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('an empty query is a 400 or an empty result, not everything', async () => {
    for (const q of ['', ' ', '+']) {
        const r = await desk.api('GET', `search.json?query=${q}`, { auth: u.agent });
        assert.ok([200, 400].includes(r.status), show(r));
    }
    const none = await desk.api('GET', 'search.json', { auth: u.agent });
    assert.ok([200, 400].includes(none.status), show(none));
});

test('per_page above 100 is capped or refused; 1000 results at most', async () => {
    const r = await desk.api('GET', 'search.json?query=pagiword&per_page=500', { auth: u.agent });
    assert.ok(r.status === 400 || (r.status === 200 && r.json.results.length <= 100), show(r));
    const p11 = await desk.api('GET', 'search.json?query=pagiword&per_page=100&page=11', { auth: u.agent });
    assert.ok([400, 422].includes(p11.status), `page 11 of 100 is past result 1000: ${show(p11)}`);
});

// Names of users, organizations and groups are compared folded, and the index folds
// the letters that have no canonical decomposition (Ł, ø, ß) as well as the others.
test('user names are found without diacritics too', async () => {
    const r = await desk.api('POST', 'users.json', { auth: u.admin, body: { user: { name: 'Jan Novák', email: 'jn4711@search.example' } } });
    assert.equal(r.status, 201, show(r));
    const id = r.json.user.id;
    const problems = [];
    for (const q of ['type:user novák', 'type:user novak', 'type:user NOVAK', 'type:user name:novak', 'novak']) {
        const body = await search(q);
        if (!body.results.some((x) => x.result_type === 'user' && x.id === id)) {
            problems.push(`${JSON.stringify(q)} does not find user "Jan Novák": ${JSON.stringify(body.results.map((x) => `${x.result_type}:${x.id}`))}`);
        }
    }
    const us = await desk.api('GET', 'users/search.json?query=novak', { auth: u.agent });
    if (!us.json.users.some((x) => x.id === id)) {
        problems.push(`users/search.json?query=novak does not find "Jan Novák": ${us.text.slice(0, 200)}`);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('letters without a decomposition fold too (Ł→l, ø→o, ß→ss)', async () => {
    await mk('polish', { subject: 'Łukasz z Łodzi', comment: { body: 'Søren Straße' }, requester_id: u.customer.id });
    const problems = [];
    for (const q of ['lukasz', 'lodzi', 'soren', 'strasse']) {
        const ids = await ticketIds(q);
        if (!ids.includes(t.polish)) {
            problems.push(`${q} does not find "Łukasz z Łodzi / Søren Straße"`);
        }
    }
    has(await ticketIds('łukasz'), ['polish'], 'łukasz');
    assert.deepEqual(problems, [], problems.join('\n'));
});
