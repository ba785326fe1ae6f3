// Concurrency on tickets: safe_update with a stale updated_stamp is a 409 that
// carries the current ticket and changes nothing; concurrent plain updates are
// serialized, never lost (every tag, comment and audit is there at the end).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('safe_update');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

async function create(subject) {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject, comment: { body: 'start' } } } });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket;
}

const put = (id, ticket, auth = u.agent) => desk.api('PUT', `tickets/${id}.json`, { auth, body: { ticket } });

test('safe_update with the current stamp succeeds; with a stale one it is a 409 with the current ticket', async () => {
    const t = await create('safe');
    // updated_at has one-second resolution: let the clock move so the next change gets a new stamp.
    await sleep(1100);
    let r = await put(t.id, { safe_update: true, updated_stamp: t.updated_at, subject: 'safe v2', comment: { body: 'first writer' } });
    assert.equal(r.status, 200, `matching stamp: ${show(r)}`);
    const v2 = r.json.ticket;
    assert.notEqual(v2.updated_at, t.updated_at, 'updated_at moved');

    r = await put(t.id, { safe_update: true, updated_stamp: t.updated_at, subject: 'stale writer', priority: 'urgent', comment: { body: 'second writer' } });
    assert.equal(r.status, 409, `stale stamp: ${show(r)}`);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(typeof r.json.error, 'string', `409 body has an error code: ${r.text}`);
    assert.ok(r.json.ticket, `409 body carries the current ticket under "ticket": ${r.text}`);
    assert.equal(r.json.ticket.id, t.id);
    assert.equal(r.json.ticket.subject, 'safe v2');
    assert.equal(r.json.ticket.updated_at, v2.updated_at);

    const now = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(now.json.ticket.subject, 'safe v2', 'the stale change was not applied');
    assert.equal(now.json.ticket.priority, null);
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.deepEqual(c.json.comments.map((x) => x.body), ['start', 'first writer']);
    const a = await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent });
    assert.equal(a.json.audits.length, 2, 'no audit for the rejected update');

    // Retry with the stamp from the 409 body: accepted.
    r = await put(t.id, { safe_update: true, updated_stamp: r.json.ticket.updated_at, priority: 'urgent' });
    assert.equal(r.status, 200, `retry with the fresh stamp: ${show(r)}`);
    assert.equal(r.json.ticket.priority, 'urgent');
});

test('without safe_update a stale stamp is ignored', async () => {
    const t = await create('unsafe');
    await sleep(1100);
    await put(t.id, { priority: 'low' });
    const r = await put(t.id, { updated_stamp: t.updated_at, priority: 'high' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.priority, 'high');
});

test('safe_update with a malformed stamp is rejected, not applied', async () => {
    const t = await create('bad stamp');
    const r = await put(t.id, { safe_update: true, updated_stamp: 'yesterday', priority: 'high' });
    assert.ok([400, 409, 422].includes(r.status), show(r));
    const now = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(now.json.ticket.priority, null);
});

test('20 concurrent additional_tags updates: every tag is there at the end', async () => {
    const t = await create('tag storm');
    const N = 20;
    const rs = await Promise.all(
        Array.from({ length: N }, (_, i) => put(t.id, { additional_tags: [`storm${i}`] }, i % 2 ? u.agent : u.agent2)),
    );
    const bad = rs.map((r, i) => [i, r]).filter(([, r]) => r.status !== 200);
    assert.deepEqual(bad.map(([i, r]) => `#${i}: ${show(r)}`), [], 'every update succeeds');
    const now = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    const missing = Array.from({ length: N }, (_, i) => `storm${i}`).filter((x) => !now.json.ticket.tags.includes(x));
    assert.deepEqual(missing, [], `lost tags; final tags ${JSON.stringify(now.json.ticket.tags)}`);
    const a = await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent });
    assert.equal(a.json.audits.length, N + 1, 'one audit per update');
    const versions = rs.map((r) => r.json.ticket.version);
    assert.equal(new Set(versions).size, N, `each update saw its own version: ${versions}`);
});

test('20 concurrent comments: all kept, in a consistent order', async () => {
    const t = await create('comment storm');
    const N = 20;
    const rs = await Promise.all(Array.from({ length: N }, (_, i) => put(t.id, { comment: { body: `storm comment ${i}`, public: i % 2 === 0 } })));
    assert.deepEqual(rs.filter((r) => r.status !== 200).map(show), []);
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(c.json.comments.length, N + 1);
    const ids = c.json.comments.map((x) => x.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'oldest first');
    for (let i = 0; i < N; i++) {
        assert.ok(c.json.comments.some((x) => x.body === `storm comment ${i}`), `comment ${i} kept`);
    }
});

test('concurrent safe updates with the same stamp: each is applied or refused with 409, never half-applied', async () => {
    const t = await create('safe storm');
    await sleep(1100);
    const N = 10;
    const rs = await Promise.all(
        Array.from({ length: N }, (_, i) => put(t.id, { safe_update: true, updated_stamp: t.updated_at, additional_tags: [`safe${i}`], comment: { body: `safe comment ${i}` } })),
    );
    const statuses = rs.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 409), `statuses ${statuses}`);
    assert.ok(statuses.includes(200), 'at least one writer wins');
    assert.ok(statuses.includes(409), 'the others are told they were stale');
    const now = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    for (let i = 0; i < N; i++) {
        const tagged = now.json.ticket.tags.includes(`safe${i}`);
        const commented = c.json.comments.some((x) => x.body === `safe comment ${i}`);
        if (statuses[i] === 200) {
            assert.ok(tagged && commented, `accepted update ${i} is fully there`);
        } else {
            assert.ok(!tagged && !commented, `refused update ${i} left no trace`);
        }
    }
});

test('update_many racing single updates loses nothing', async () => {
    const a = await create('race a');
    const b = await create('race b');
    const jobs = [];
    for (let i = 0; i < 10; i++) {
        jobs.push(desk.api('PUT', `tickets/update_many.json?ids=${a.id},${b.id}`, { auth: u.agent, body: { ticket: { additional_tags: [`bulk${i}`] } } }));
        jobs.push(put(a.id, { additional_tags: [`single${i}`] }));
    }
    const rs = await Promise.all(jobs);
    assert.deepEqual(rs.filter((r) => r.status !== 200).map(show), []);
    const ta = (await desk.api('GET', `tickets/${a.id}.json`, { auth: u.agent })).json.ticket.tags;
    const tb = (await desk.api('GET', `tickets/${b.id}.json`, { auth: u.agent })).json.ticket.tags;
    for (let i = 0; i < 10; i++) {
        assert.ok(ta.includes(`bulk${i}`) && ta.includes(`single${i}`), `a has bulk${i} and single${i}: ${ta}`);
        assert.ok(tb.includes(`bulk${i}`), `b has bulk${i}`);
    }
});

test('racing creates of the same e-mail: exactly one user, the rest 422', async () => {
    const N = 12;
    const rs = await Promise.all(
        Array.from({ length: N }, (_, i) => desk.api('POST', 'users.json', { auth: i % 2 ? u.admin : u.agent, body: { user: { name: `Twin ${i}`, email: i % 3 ? 'twin@race.example' : 'TWIN@race.example' } } })),
    );
    const statuses = rs.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `one winner: ${statuses}`);
    assert.ok(statuses.every((s) => s === 201 || s === 422), `others are 422: ${statuses}`);
    const found = await desk.api('GET', `users/search.json?query=${encodeURIComponent('twin@race.example')}`, { auth: u.admin });
    assert.equal(found.json.users.length, 1, show(found));
});

test('racing creates of the same organization name: exactly one', async () => {
    const N = 10;
    const rs = await Promise.all(
        Array.from({ length: N }, () => desk.api('POST', 'organizations.json', { auth: u.agent, body: { organization: { name: 'Race Org' } } })),
    );
    const statuses = rs.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `one winner: ${statuses}`);
    assert.ok(statuses.every((s) => s === 201 || s === 422), `${statuses}`);
});

test('racing group membership creates for the same pair: exactly one', async () => {
    const g = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Race Group' } } });
    assert.equal(g.status, 201, show(g));
    const rs = await Promise.all(
        Array.from({ length: 8 }, () => desk.api('POST', 'group_memberships.json', { auth: u.admin, body: { group_membership: { user_id: u.agent.id, group_id: g.json.group.id } } })),
    );
    const statuses = rs.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `one winner: ${statuses}`);
    assert.ok(statuses.every((s) => s === 201 || s === 422), `${statuses}`);
    const l = await desk.api('GET', `groups/${g.json.group.id}/memberships.json`, { auth: u.admin });
    assert.equal(l.json.group_memberships.length, 1);
});

test('update racing delete: the ticket ends deleted and no update answers 5xx', async () => {
    const t = await create('doomed');
    const jobs = Array.from({ length: 10 }, (_, i) => put(t.id, { additional_tags: [`doom${i}`] }));
    jobs.splice(5, 0, desk.api('DELETE', `tickets/${t.id}.json`, { auth: u.admin }));
    const rs = await Promise.all(jobs);
    const bad = rs.filter((r) => r.status >= 500 || ![200, 204, 404].includes(r.status));
    assert.deepEqual(bad.map(show), []);
    const g = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(g.status, 404, show(g));
});

test('mixed load: 200 concurrent reads and writes, no 5xx, no busy errors', async () => {
    const base = await create('mixed load');
    const jobs = [];
    for (let i = 0; i < 200; i++) {
        const k = i % 5;
        if (k === 0) {
            jobs.push(desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: `load ${i}`, comment: { body: 'x' } } } }));
        } else if (k === 1) {
            jobs.push(put(base.id, { additional_tags: [`load${i % 90}`] }));
        } else if (k === 2) {
            jobs.push(desk.api('GET', 'tickets.json?page[size]=50', { auth: u.agent }));
        } else if (k === 3) {
            jobs.push(desk.api('GET', 'search.json?query=load', { auth: u.agent }));
        } else {
            jobs.push(desk.api('GET', `tickets/${base.id}/audits.json`, { auth: u.agent }));
        }
    }
    const rs = await Promise.all(jobs);
    const bad = rs.filter((r) => ![200, 201].includes(r.status));
    assert.deepEqual(bad.slice(0, 5).map(show), [], `${bad.length} of ${rs.length} failed`);
});

test('deleting an organization detaches its users and tickets', async () => {
    const o = await desk.api('POST', 'organizations.json', { auth: u.admin, body: { organization: { name: 'Doomed Org' } } });
    assert.equal(o.status, 201, show(o));
    const oid = o.json.organization.id;
    const member = await desk.api('POST', 'users.json', { auth: u.admin, body: { user: { name: 'Org Member', email: 'member@doomed.example', organization_id: oid } } });
    assert.equal(member.status, 201, show(member));
    assert.equal(member.json.user.organization_id, oid);
    const t = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'org bound', comment: { body: 'x' }, requester_id: member.json.user.id } } });
    assert.equal(t.status, 201, show(t));
    assert.equal(t.json.ticket.organization_id, oid, "the requester's organization is the ticket's");
    const d = await desk.api('DELETE', `organizations/${oid}.json`, { auth: u.admin });
    assert.equal(d.status, 204, show(d));
    const m = await desk.api('GET', `users/${member.json.user.id}.json`, { auth: u.admin });
    assert.equal(m.json.user.organization_id, null, 'user detached');
    const tt = await desk.api('GET', `tickets/${t.json.ticket.id}.json`, { auth: u.agent });
    assert.equal(tt.status, 200, show(tt));
    assert.ok([null, oid].includes(tt.json.ticket.organization_id));
    const up = await put(t.json.ticket.id, { priority: 'low' });
    assert.equal(up.status, 200, `a ticket of a deleted organization can still be updated: ${show(up)}`);
});

test('deleting a group removes its memberships and leaves its tickets workable', async () => {
    const g = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Doomed Group' } } });
    const gid = g.json.group.id;
    const m = await desk.api('POST', 'group_memberships.json', { auth: u.admin, body: { group_membership: { user_id: u.agent.id, group_id: gid } } });
    assert.equal(m.status, 201, show(m));
    const t = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'group bound', comment: { body: 'x' }, group_id: gid } } });
    assert.equal(t.status, 201, show(t));
    const d = await desk.api('DELETE', `groups/${gid}.json`, { auth: u.admin });
    if (d.status === 422) {
        return; // refusing to delete a group that still has tickets is also a consistent answer
    }
    assert.equal(d.status, 204, show(d));
    const up = await put(t.json.ticket.id, { status: 'open', comment: { body: 'still workable' } });
    assert.equal(up.status, 200, `a ticket of a deleted group must stay workable (or the delete must be refused): ${show(up)}`);
    const mm = await desk.api('GET', `users/${u.agent.id}/group_memberships.json`, { auth: u.admin });
    assert.ok(!mm.json.group_memberships.some((x) => x.group_id === gid), `membership of the deleted group still listed: ${mm.text}`);
    const all = await desk.api('GET', 'group_memberships.json', { auth: u.admin });
    assert.ok(!all.json.group_memberships.some((x) => x.group_id === gid), 'not in /group_memberships either');
    const gm = await desk.api('GET', `groups/${gid}/memberships.json`, { auth: u.admin });
    assert.equal(gm.status, 404, `memberships of a deleted group: ${show(gm)}`);
});
