// node-zendesk 6.0.1, unchanged, against desk: the calls of ZENDESK_API.md §7
// that integrations use (users, tickets, comments, search, groups,
// organizations, memberships, job statuses, incremental export), cursor and
// offset pagination over several pages, errors as the client sees them, and
// absolute URLs built from the Host the client used.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    Desk, addStandardUsers, show, allPagesCursor, allPagesOffset, rejectsWithStatus, TICKET_KEYS, USER_KEYS, missingKeys,
} from './lib/desk.mjs';

const N_BULK = 250;

let desk;
let u;
let zd; // the admin's client
let bulkIds = [];

before(async () => {
    desk = await Desk.create('zendesk_client');
    u = await addStandardUsers(desk);
    await desk.start();
    zd = desk.zendesk(u.admin);
});

after(async () => {
    await desk?.stop();
});

test('users.me with token, password and bearer auth', async () => {
    const { result } = await zd.users.me();
    assert.equal(result.id, u.admin.id);
    assert.equal(result.email, u.admin.email);
    assert.equal(result.role, 'admin');
    assert.equal(result.desk_role, 'admin');
    assert.deepEqual(missingKeys(result, USER_KEYS), [], 'missing user keys');
    const byPw = await desk.zendesk(u.agent, { mode: 'password' }).users.me();
    assert.equal(byPw.result.id, u.agent.id);
    const byBearer = await desk.zendesk(u.supervisor, { mode: 'bearer' }).users.me();
    assert.equal(byBearer.result.id, u.supervisor.id);
    assert.equal(byBearer.result.role, 'agent');
    assert.equal(byBearer.result.desk_role, 'supervisor');
});

test('a wrong token makes the client throw 401', async () => {
    const bad = desk.zendesk({ email: u.agent.email, token: 'wrong' });
    const e = await rejectsWithStatus(bad.users.me(), 401);
    assert.deepEqual(e.result, { error: "Couldn't authenticate you" });
    // Without throwOriginalException the client's message format is what integrations log.
    const plain = desk.zendesk({ email: u.agent.email, token: 'wrong' }, { throwOriginalException: false });
    await assert.rejects(plain.users.me(), /Request processing failed: Zendesk Error \(401\)/);
});

test('users: create, show, showMany, update, search, list, delete', async () => {
    const { result: created } = await zd.users.create({ user: { name: 'Zelda Client', email: 'zelda@client.example' } });
    assert.equal(typeof created.id, 'number');
    assert.equal(created.role, 'end-user');
    assert.equal(created.desk_role, 'end-user');
    assert.equal(created.url, `${desk.base}/users/${created.id}.json`);
    assert.equal(created.active, true);

    const { result: shown } = await zd.users.show(created.id);
    assert.equal(shown.email, 'zelda@client.example');

    const { result: many } = await zd.users.showMany([created.id, u.agent.id]);
    assert.deepEqual(many.map((x) => x.id).sort((a, b) => a - b), [created.id, u.agent.id].sort((a, b) => a - b));

    const { result: updated } = await zd.users.update(created.id, { user: { name: 'Zelda Renamed', phone: '+420123456789' } });
    assert.equal(updated.name, 'Zelda Renamed');
    assert.equal(updated.phone, '+420123456789');

    const found = await zd.users.search({ query: 'zelda@client.example' });
    assert.ok(Array.isArray(found), 'users.search resolves to an array');
    assert.deepEqual(found.map((x) => x.id), [created.id]);
    const byName = await zd.users.search({ query: 'Renamed' });
    assert.ok(byName.some((x) => x.id === created.id));

    const all = await zd.users.list();
    assert.ok(Array.isArray(all));
    const ids = all.map((x) => x.id);
    for (const key of ['admin', 'supervisor', 'agent', 'agent2', 'customer', 'customer2']) {
        assert.ok(ids.includes(u[key].id), `users.list has ${key}`);
    }
    assert.ok(ids.includes(created.id));
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');

    const agents = await zd.users.listWithFilter('role', 'agent');
    assert.ok(agents.every((x) => x.role === 'agent'), `role=agent filter: ${agents.map((x) => x.role)}`);
    assert.ok(agents.some((x) => x.id === u.agent.id) && agents.some((x) => x.id === u.supervisor.id));

    const dup = await rejectsWithStatus(zd.users.create({ user: { name: 'Dup', email: 'zelda@client.example' } }), 422);
    assert.equal(dup.result.error, 'RecordInvalid');
    assert.ok(dup.result.details.email, `details.email: ${JSON.stringify(dup.result)}`);

    const { result: deleted } = await zd.users.delete(created.id);
    assert.equal(deleted.id, created.id);
    assert.equal(deleted.active, false);
});

test('tickets: create, show, showMany, update, getComments', async () => {
    const { result: t } = await zd.tickets.create({
        ticket: { subject: 'Client ticket', comment: { body: 'Hello from node-zendesk' }, requester_id: u.customer.id, priority: 'normal' },
    });
    assert.equal(typeof t.id, 'number');
    assert.equal(t.subject, 'Client ticket');
    assert.deepEqual(missingKeys(t, TICKET_KEYS), []);

    const { result: shown } = await zd.tickets.show(t.id);
    assert.equal(shown.id, t.id);
    assert.equal(shown.description, 'Hello from node-zendesk');

    const { result: t2 } = await zd.tickets.create({ ticket: { subject: 'Second', comment: { body: 'x' } } });
    const { result: many } = await zd.tickets.showMany([t.id, t2.id]);
    assert.deepEqual(many.map((x) => x.id).sort((a, b) => a - b), [t.id, t2.id]);

    const { result: up } = await zd.tickets.update(t.id, {
        ticket: { status: 'pending', assignee_id: u.agent.id, comment: { body: 'Internal thought', public: false } },
    });
    assert.equal(up.status, 'pending');
    assert.equal(up.assignee_id, u.agent.id);
    await zd.tickets.update(t.id, { ticket: { comment: { body: 'Public answer' } } });

    const comments = await zd.tickets.getComments(t.id);
    assert.deepEqual(comments.map((c) => c.body), ['Hello from node-zendesk', 'Internal thought', 'Public answer']);
    assert.deepEqual(comments.map((c) => c.public), [true, false, true]);

    const audits = await zd.tickets.exportAudit(t.id);
    assert.equal(audits.length, 3);

    const nf = await rejectsWithStatus(zd.tickets.show(987654321), 404);
    assert.deepEqual(nf.result, { error: 'RecordNotFound', description: 'Not found' });
    const inv = await rejectsWithStatus(zd.tickets.create({ ticket: { subject: 'no comment' } }), 422);
    assert.equal(inv.result.error, 'RecordInvalid');
});

test(`createMany ${N_BULK} tickets through job statuses, watched to completion`, async () => {
    bulkIds = [];
    for (let start = 0; start < N_BULK; start += 100) {
        const n = Math.min(100, N_BULK - start);
        const tickets = Array.from({ length: n }, (_, i) => ({
            subject: `bulkpage ticket ${start + i}`,
            comment: { body: `bulk body ${start + i}` },
            requester_id: u.customer2.id,
        }));
        const { result } = await zd.tickets.createMany({ tickets });
        const js = result.job_status;
        assert.ok(js, `createMany returns {job_status}: ${JSON.stringify(result).slice(0, 300)}`);
        assert.equal(typeof js.id, 'string');
        assert.ok(js.url.startsWith(`${desk.base}/job_statuses/`), js.url);
        const done = await zd.jobstatuses.watch(js.id, 50, 5);
        assert.equal(done.status, 'completed');
        assert.equal(done.total, n);
        assert.equal(done.progress, n);
        assert.equal(done.results.length, n);
        for (const [i, r] of done.results.entries()) {
            assert.equal(r.status, 'Created');
            assert.equal(r.index ?? i, i);
            bulkIds.push(r.id);
        }
        const { result: shown } = await zd.jobstatuses.show(js.id);
        assert.equal(shown.job_status.id, js.id);
    }
    assert.equal(new Set(bulkIds).size, N_BULK);
});

test('tickets.list follows cursor pagination over every page', async () => {
    assert.equal(bulkIds.length, N_BULK, 'needs the bulk tickets');
    const all = await zd.tickets.list();
    const ids = all.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates across pages');
    for (const id of bulkIds) {
        assert.ok(ids.includes(id), `ticket ${id} listed`);
    }
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ascending by id');
});

test('cursor pagination by hand: page[size], links, meta, last page', async () => {
    const { items, pages } = await allPagesCursor(desk, 'tickets.json?page[size]=100', 'tickets', u.admin);
    const count = (await desk.api('GET', 'tickets.json', { auth: u.admin })).json.count;
    assert.equal(items.length, count, 'cursor pages cover the offset count');
    assert.ok(pages.length >= 3, `several pages (${pages.length})`);
    const last = pages[pages.length - 1];
    for (const p of pages.slice(0, -1)) {
        assert.equal(p.meta.has_more, true);
        assert.ok(p.links.next.startsWith(`${desk.base}/tickets.json?`), `absolute next link: ${p.links.next}`);
        assert.match(decodeURIComponent(p.links.next), /page\[size\]=100/, 'next link carries page[size]');
        assert.equal(typeof p.meta.after_cursor, 'string');
        assert.ok(!Object.hasOwn(p, 'count'), 'no count on cursor pages');
    }
    assert.ok(last.tickets.length > 0, 'the last page has data (no trailing empty page)');
    assert.equal(last.meta.has_more, false);
    assert.equal(last.links.next, null);
    assert.ok(last.links.prev, 'the last page links back');
    const back = await desk.api('GET', last.links.prev, { auth: u.admin });
    assert.equal(back.status, 200, show(back));
    assert.deepEqual(back.json.tickets.map((t) => t.id), pages[pages.length - 2].tickets.map((t) => t.id), 'prev returns the previous page');
    const small = await desk.api('GET', 'tickets.json?page%5Bsize%5D=7', { auth: u.admin });
    assert.equal(small.status, 200, show(small));
    assert.equal(small.json.tickets.length, 7, 'encoded page%5Bsize%5D works');
    const capped = await desk.api('GET', 'tickets.json?page[size]=1000', { auth: u.admin });
    assert.ok(capped.status === 400 || capped.json.tickets.length <= 100, 'page[size] is capped at 100');
});

test('offset pagination by hand: per_page, next_page, count', async () => {
    const { items, pages } = await allPagesOffset(desk, 'tickets.json?per_page=100', 'tickets', u.admin);
    assert.ok(pages.length >= 3);
    assert.equal(items.length, pages[0].count);
    assert.equal(new Set(items.map((t) => t.id)).size, items.length);
    for (const id of bulkIds) {
        assert.ok(items.some((t) => t.id === id));
    }
    assert.equal(pages[0].previous_page, null);
    assert.ok(pages[1].previous_page.startsWith(`${desk.base}/tickets.json?`));
    assert.ok(pages[0].next_page.startsWith(`${desk.base}/tickets.json?`), pages[0].next_page);
    const dflt = await desk.api('GET', 'tickets.json', { auth: u.admin });
    assert.equal(dflt.json.tickets.length, 100, 'per_page defaults to 100');
    assert.ok(Object.hasOwn(dflt.json, 'next_page') && !Object.hasOwn(dflt.json, 'meta'), 'offset is the default');
    const p3 = await desk.api('GET', 'tickets.json?page=3&per_page=10', { auth: u.admin });
    assert.deepEqual(p3.json.tickets.map((t) => t.id), items.slice(20, 30).map((t) => t.id));
});

test('search.query with and without .json, queryAll over several pages', async () => {
    const { result } = await zd.search.query('bulkpage type:ticket');
    assert.ok(Array.isArray(result));
    assert.equal(result.length, 100, 'one page of 100');
    assert.ok(result.every((x) => x.result_type === 'ticket'));
    const all = await zd.search.queryAll('bulkpage');
    assert.equal(all.length, N_BULK, 'queryAll follows next_page to the end');
    assert.equal(new Set(all.map((x) => x.id)).size, N_BULK);
    const a = await desk.api('GET', 'search.json?query=bulkpage+ticket+17', { auth: u.admin });
    const b = await desk.api('GET', 'search?query=bulkpage+ticket+17', { auth: u.admin });
    assert.equal(a.status, 200, show(a));
    assert.equal(b.status, 200, show(b));
    assert.deepEqual(b.json.results.map((x) => x.id), a.json.results.map((x) => x.id));
    assert.ok(a.json.results.some((x) => x.subject === 'bulkpage ticket 17'));
    const noJson = desk.zendesk(u.admin);
    noJson.search.transporter.useDotJson = false;
    const { result: r2 } = await noJson.search.query('bulkpage ticket 17');
    assert.deepEqual(r2.map((x) => x.id), a.json.results.map((x) => x.id));
});

test('updateMany and deleteMany', async () => {
    const ids = bulkIds.slice(0, 5);
    const { result } = await zd.tickets.updateMany(ids, { ticket: { status: 'open', assignee_id: u.agent.id } });
    const done = await zd.jobstatuses.watch(result.job_status.id, 50, 5);
    assert.equal(done.status, 'completed');
    assert.equal(done.results.length, 5);
    const { result: shown } = await zd.tickets.showMany(ids);
    assert.ok(shown.every((t) => t.status === 'open' && t.assignee_id === u.agent.id));
    const del = await zd.tickets.deleteMany(bulkIds.slice(5, 7));
    if (del.result && del.result.job_status) {
        await zd.jobstatuses.watch(del.result.job_status.id, 50, 5);
        await rejectsWithStatus(zd.tickets.show(bulkIds[5]), 404);
    }
});

test('tickets.delete resolves (204 comes back as a No Content result)', async () => {
    const { result: t } = await zd.tickets.create({ ticket: { subject: 'to delete', comment: { body: 'x' } } });
    const r = await zd.tickets.delete(t.id);
    assert.equal(r.response.status, 204);
    await rejectsWithStatus(zd.tickets.show(t.id), 404);
});

test('groups: create, list, show, update, delete', async () => {
    const { result: g } = await zd.groups.create({ group: { name: 'Tier 2', description: 'escalations' } });
    assert.equal(g.name, 'Tier 2');
    assert.equal(g.url, `${desk.base}/groups/${g.id}.json`);
    for (const k of ['id', 'url', 'name', 'description', 'default', 'deleted', 'is_public', 'created_at', 'updated_at']) {
        assert.ok(Object.hasOwn(g, k), `group has ${k}`);
    }
    const list = await zd.groups.list();
    assert.ok(list.some((x) => x.id === g.id));
    const { result: shown } = await zd.groups.show(g.id);
    assert.equal(shown.description, 'escalations');
    const { result: up } = await zd.groups.update(g.id, { group: { name: 'Tier Two' } });
    assert.equal(up.name, 'Tier Two');
    const r = await zd.groups.delete(g.id);
    assert.equal(r.response.status, 204);
    await rejectsWithStatus(zd.groups.show(g.id), 404);
});

test('organizations: create, list, show, update, duplicate name, delete', async () => {
    const { result: o } = await zd.organizations.create({ organization: { name: 'MD Photo', shared_tickets: true, domain_names: ['mdphoto.example'] } });
    assert.equal(o.name, 'MD Photo');
    assert.equal(o.shared_tickets, true);
    for (const k of ['id', 'url', 'name', 'shared_tickets', 'shared_comments', 'external_id', 'created_at', 'updated_at', 'domain_names', 'details', 'notes', 'group_id', 'tags', 'organization_fields']) {
        assert.ok(Object.hasOwn(o, k), `organization has ${k}`);
    }
    const list = await zd.organizations.list();
    assert.ok(list.some((x) => x.id === o.id));
    const { result: shown } = await zd.organizations.show(o.id);
    assert.equal(shown.name, 'MD Photo');
    const { result: up } = await zd.organizations.update(o.id, { organization: { notes: 'VIP' } });
    assert.equal(up.notes, 'VIP');
    const dup = await rejectsWithStatus(zd.organizations.create({ organization: { name: 'MD Photo' } }), 422);
    assert.ok(dup.result.details?.name, `details.name: ${JSON.stringify(dup.result)}`);
    const r = await zd.organizations.delete(o.id);
    assert.equal(r.response.status, 204);
    await rejectsWithStatus(zd.organizations.show(o.id), 404);
});

test('tickets.listByOrganization (cursor-paged /organizations/{id}/tickets)', async () => {
    const { result: o } = await zd.organizations.create({ organization: { name: 'Org With Tickets' } });
    const { result: t } = await zd.tickets.create({ ticket: { subject: 'org ticket', comment: { body: 'x' }, organization_id: o.id } });
    assert.equal(t.organization_id, o.id);
    const orgTickets = await zd.tickets.listByOrganization(o.id);
    assert.deepEqual(orgTickets.map((x) => x.id), [t.id]);
});

test('group memberships: create, list, listByUser, listByGroup, delete', async () => {
    const { result: g } = await zd.groups.create({ group: { name: 'Billing' } });
    const { result: m } = await zd.groupmemberships.create({ group_membership: { user_id: u.agent.id, group_id: g.id } });
    assert.equal(m.user_id, u.agent.id);
    assert.equal(m.group_id, g.id);
    for (const k of ['id', 'url', 'user_id', 'group_id', 'default', 'created_at', 'updated_at']) {
        assert.ok(Object.hasOwn(m, k), `membership has ${k}`);
    }
    const all = await zd.groupmemberships.list();
    assert.ok(all.some((x) => x.id === m.id));
    const byUser = await zd.groupmemberships.listByUser(u.agent.id);
    assert.ok(byUser.some((x) => x.id === m.id));
    const byGroup = await zd.groupmemberships.listByGroup(g.id);
    assert.deepEqual(byGroup.map((x) => x.id), [m.id]);
    const notAgent = await rejectsWithStatus(zd.groupmemberships.create({ group_membership: { user_id: u.customer.id, group_id: g.id } }), 422);
    assert.equal(notAgent.result.error, 'RecordInvalid');
    const { result: t } = await zd.tickets.create({ ticket: { subject: 'billing ticket', comment: { body: 'x' }, group_id: g.id, assignee_id: u.agent.id } });
    assert.equal(t.group_id, g.id);
    const r = await zd.groupmemberships.delete(m.id);
    assert.equal(r.response.status, 204);
    const after = await zd.groupmemberships.listByGroup(g.id);
    assert.deepEqual(after, []);
});

test('incremental export: first page through the client', async () => {
    const tickets = await zd.tickets.incremental(0);
    assert.ok(Array.isArray(tickets));
    assert.ok(tickets.length > 0);
    assert.ok(tickets.every((t) => typeof t.generated_timestamp === 'number'));
    const ts = tickets.map((t) => t.generated_timestamp);
    assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 'ordered by generated_timestamp');
});

test('absolute URLs follow the Host header and X-Forwarded-Proto', async () => {
    const port = new URL(desk.url).port;
    const r = await desk.httpRequest('GET', 'tickets.json?per_page=2', { auth: u.admin, headers: { Host: `localhost:${port}` } });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.json.next_page.startsWith(`http://localhost:${port}/api/v2/tickets.json?`), r.json.next_page);
    assert.ok(r.json.tickets.every((t) => t.url.startsWith(`http://localhost:${port}/api/v2/tickets/`)));
    const p = await desk.httpRequest('GET', 'tickets.json?page[size]=2', {
        auth: u.admin,
        headers: { Host: 'desk.example.com', 'X-Forwarded-Proto': 'https' },
    });
    assert.equal(p.status, 200, show(p));
    assert.ok(p.json.links.next.startsWith('https://desk.example.com/api/v2/tickets.json?'), p.json.links.next);
});

test('node-zendesk follows links built for a localhost endpoint too', async () => {
    const port = new URL(desk.url).port;
    // Same server reached as localhost: node-zendesk only follows a next link that contains its endpointUri.
    const base = `http://localhost:${port}/api/v2`;
    let reachable = true;
    try {
        await fetch(`http://localhost:${port}/healthz`);
    } catch {
        reachable = false;
    }
    if (!reachable) {
        return;
    }
    const { zendesk } = await import('./lib/desk.mjs');
    const client = zendesk(base, u.admin);
    const all = await client.tickets.list();
    assert.ok(all.length >= N_BULK);
});

test('no Retry-After on ordinary responses (node-zendesk would turn them into errors)', async () => {
    for (const path of ['tickets.json', 'users/me.json', 'search.json?query=bulkpage', 'tickets/987654321.json']) {
        const r = await desk.api('GET', path, { auth: u.admin });
        assert.equal(r.headers.get('retry-after'), null, path);
    }
});

test('cursor links keep the filters; cursor paging is stable while tickets are added', async () => {
    const r = await desk.api('GET', 'users.json?role=agent&page[size]=1', { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.json.links.next, 'more than one agent');
    assert.match(r.json.links.next, /role=agent/, `next link keeps role=agent: ${r.json.links.next}`);
    const { items } = await allPagesCursor(desk, 'users.json?role=agent&page[size]=1', 'users', u.admin);
    assert.ok(items.every((x) => x.role === 'agent'), `every page is filtered: ${items.map((x) => x.role)}`);

    const before = (await allPagesCursor(desk, 'tickets.json?page[size]=100', 'tickets', u.admin)).items.map((t) => t.id);
    const seen = [];
    let next = 'tickets.json?page[size]=25';
    let added = 0;
    while (next) {
        const p = await desk.api('GET', next, { auth: u.admin });
        assert.equal(p.status, 200, show(p));
        seen.push(...p.json.tickets.map((t) => t.id));
        if (added < 5) {
            const c = await desk.api('POST', 'tickets.json', { auth: u.admin, body: { ticket: { subject: `added while paging ${added}`, comment: { body: 'x' } } } });
            assert.equal(c.status, 201);
            added++;
        }
        next = p.json.links.next;
    }
    assert.equal(new Set(seen).size, seen.length, 'no duplicates while paging');
    const missing = before.filter((id) => !seen.includes(id));
    assert.deepEqual(missing, [], 'no pre-existing ticket skipped');
});

test('offset pages past the end are empty, not errors', async () => {
    const r = await desk.api('GET', 'tickets.json?page=9999&per_page=100', { auth: u.admin });
    assert.ok(r.status === 200 || r.status === 400, show(r));
    if (r.status === 200) {
        assert.deepEqual(r.json.tickets, []);
        assert.equal(r.json.next_page, null);
    }
    const big = await desk.api('GET', 'tickets.json?per_page=500', { auth: u.admin });
    assert.ok(big.status === 400 || big.json.tickets.length <= 100, 'per_page is capped at 100');
});

test('incremental cursor export walks every ticket to end_of_stream', async () => {
    const all = (await allPagesOffset(desk, 'tickets.json?per_page=100', 'tickets', u.admin)).items.map((t) => t.id);
    const seen = new Set();
    let url = 'incremental/tickets/cursor.json?start_time=0&per_page=100';
    for (let i = 0; i < 50 && url; i++) {
        const r = await desk.api('GET', url, { auth: u.admin });
        assert.equal(r.status, 200, show(r));
        r.json.tickets.forEach((t) => seen.add(t.id));
        if (r.json.end_of_stream) {
            break;
        }
        assert.ok(r.json.after_url && r.json.after_url.startsWith(`${desk.base}/incremental/tickets/cursor.json?`), `after_url: ${r.json.after_url}`);
        url = r.json.after_url;
    }
    const missing = all.filter((id) => !seen.has(id));
    assert.deepEqual(missing, [], 'every live ticket exported');
});

test('job statuses: unknown id is a 404; show_many and list answer', async () => {
    const nf = await desk.api('GET', 'job_statuses/V3-doesnotexist.json', { auth: u.admin });
    assert.equal(nf.status, 404, show(nf));
    assert.equal(nf.json.error, 'RecordNotFound');
    const { result } = await zd.tickets.updateMany([bulkIds[10]], { ticket: { priority: 'low' } });
    const id = result.job_status.id;
    const many = await desk.api('GET', `job_statuses/show_many.json?ids=${id}`, { auth: u.admin });
    assert.ok([200, 404].includes(many.status), show(many));
    if (many.status === 200) {
        assert.deepEqual(many.json.job_statuses.map((j) => j.id), [id]);
    }
});

test('a ticket with 150 comments: getComments, offset and cursor paging of comments and audits', async () => {
    const { result: t } = await zd.tickets.create({ ticket: { subject: 'chatty', comment: { body: 'c0' } } });
    const puts = [];
    for (let i = 1; i < 150; i++) {
        puts.push(desk.api('PUT', `tickets/${t.id}.json`, { auth: u.agent, body: { ticket: { comment: { body: `c${i}`, public: i % 3 !== 0 } } } }));
        if (puts.length === 10) {
            (await Promise.all(puts.splice(0))).forEach((r) => assert.equal(r.status, 200, show(r)));
        }
    }
    (await Promise.all(puts)).forEach((r) => assert.equal(r.status, 200, show(r)));
    const comments = await zd.tickets.getComments(t.id);
    assert.equal(comments.length, 150, 'getComments follows next_page');
    assert.equal(new Set(comments.map((c) => c.id)).size, 150);
    const ids = comments.map((c) => c.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'oldest first across pages');
    const first = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(first.json.comments.length, 100);
    assert.equal(first.json.count, 150);
    assert.ok(first.json.next_page, 'next_page on a full first page');
    const cur = await allPagesCursor(desk, `tickets/${t.id}/comments.json?page[size]=40`, 'comments', u.agent);
    assert.deepEqual(cur.items.map((c) => c.id), ids, 'cursor paging of comments');
    const audits = await zd.tickets.exportAudit(t.id);
    assert.equal(audits.length, 150, 'one audit per change, across pages');
    const pub = await desk.api('GET', `requests/${t.id}/comments.json`, { auth: u.agent });
    assert.ok([200, 403, 404].includes(pub.status), show(pub));
});
