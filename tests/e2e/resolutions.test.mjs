// Documentation with every solution: per-group resolution policies (required
// fields: resolution_category, resolution_note and named custom fields;
// allowed categories), solving without them is a 422 naming each missing
// field with nothing written, the resolution is part of the ticket record
// (ticket.resolution, audited) and is searchable by staff only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let billing;
let plain;

before(async () => {
    desk = await Desk.create('resolutions');
    u = await addStandardUsers(desk);
    await desk.start();
    for (const name of ['Billing', 'Plain']) {
        const g = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name } } });
        assert.equal(g.status, 201, show(g));
        const m = await desk.api('POST', 'group_memberships.json', {
            auth: u.admin,
            body: { group_membership: { user_id: u.agent.id, group_id: g.json.group.id } },
        });
        assert.equal(m.status, 201, show(m));
        if (name === 'Billing') billing = g.json.group;
        else plain = g.json.group;
    }
    const p = await policy(billing.id, {
        required_fields: ['resolution_category', 'resolution_note', 'order_number'],
        categories: ['Refund', 'replacement', 'explained'],
    });
    assert.equal(p.status, 200, show(p));
});

after(async () => {
    await desk?.stop();
});

function policy(groupId, body, auth = u.supervisor) {
    return desk.api('PUT', `groups/${groupId}/resolution_policy.json`, { auth, body: { resolution_policy: body } });
}

async function ticketIn(group, subject = 'Charged twice for one order') {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: {
            ticket: {
                subject,
                comment: { body: 'I see two charges on my card.' },
                requester_id: u.customer.id,
                group_id: group.id,
                assignee_id: u.agent.id,
            },
        },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket;
}

function update(id, ticket, auth = u.agent) {
    return desk.api('PUT', `tickets/${id}.json`, { auth, body: { ticket } });
}

async function get(id) {
    const r = await desk.api('GET', `tickets/${id}.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.ticket;
}

test('policies: read by staff, set by supervisors and admins, names checked', async () => {
    const r = await desk.api('GET', `groups/${billing.id}/resolution_policy.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.resolution_policy.required_fields, ['resolution_category', 'resolution_note', 'order_number']);
    assert.deepEqual(r.json.resolution_policy.categories, ['refund', 'replacement', 'explained'], 'categories lower-cased');
    const none = await desk.api('GET', `groups/${plain.id}/resolution_policy.json`, { auth: u.agent });
    assert.deepEqual(none.json.resolution_policy.required_fields, []);
    assert.equal((await policy(billing.id, { required_fields: [] }, u.agent)).status, 403);
    assert.equal((await desk.api('GET', `groups/${billing.id}/resolution_policy.json`, { auth: u.customer })).status, 403);
    assert.equal((await policy(999999, { required_fields: [] })).status, 404);
    for (const bad of [{ required_fields: ['Order Number'] }, { required_fields: [''] }, { categories: ['ok', 'not ok'] }, { required_fields: 'x'.repeat(65) }, { required_fields: 5 }]) {
        const p = await policy(billing.id, bad);
        assert.equal(p.status, 422, `${JSON.stringify(bad)}: ${show(p)}`);
    }
    // Refused updates changed nothing.
    const again = await desk.api('GET', `groups/${billing.id}/resolution_policy.json`, { auth: u.agent });
    assert.deepEqual(again.json.resolution_policy, r.json.resolution_policy);
});

test('solving without the required fields is a 422 naming each, and nothing is written', async () => {
    const t = await ticketIn(billing);
    const audits = async () => (await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent })).json.audits.length;
    const before = await audits();
    const r = await update(t.id, { status: 'solved', comment: { body: 'Refunded the second charge.', public: true } });
    assert.equal(r.status, 422, show(r));
    assert.deepEqual(Object.keys(r.json.details).sort(), ['order_number', 'resolution_category', 'resolution_note']);
    assert.match(r.json.details.resolution_note[0].description, /Resolution note: is required to solve/);
    const partial = await update(t.id, { status: 'solved', resolution: { category: 'refund', note: '   ' } });
    assert.equal(partial.status, 422, show(partial));
    assert.deepEqual(Object.keys(partial.json.details).sort(), ['order_number', 'resolution_note'], 'blank counts as missing');
    const closed = await update(t.id, { status: 'closed', resolution: { category: 'refund' } });
    assert.equal(closed.status, 422, 'closing from open is solving too');
    const wrongCategory = await update(t.id, { resolution: { category: 'bribe' } });
    assert.equal(wrongCategory.status, 422, show(wrongCategory));
    assert.match(wrongCategory.json.details.resolution_category[0].description, /refund replacement explained/);
    // Nothing was written: not the status, not the comment, not the resolution.
    const now = await get(t.id);
    assert.equal(now.status, 'open');
    assert.equal(now.resolution, null);
    assert.equal(await audits(), before);
    const cm = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(cm.json.comments.length, 1);
});

test('with the fields the ticket solves; the resolution is on the ticket and audited', async () => {
    const t = await ticketIn(billing);
    const r = await update(t.id, {
        status: 'solved',
        comment: { body: 'Refunded the second charge.', public: true },
        resolution: { category: 'Refund', note: 'Duplicate capture refunded via Stripe', custom_fields: { order_number: 'A-1001', warehouse: 7 } },
    });
    assert.equal(r.status, 200, show(r));
    const res = r.json.ticket.resolution;
    assert.equal(res.category, 'refund');
    assert.equal(res.note, 'Duplicate capture refunded via Stripe');
    assert.deepEqual(res.custom_fields, { order_number: 'A-1001', warehouse: '7' });
    assert.equal(res.updated_by_id, u.agent.id);
    const fields = r.json.audit.events.filter((e) => e.field_name?.startsWith('resolution')).map((e) => [e.field_name, e.value]);
    assert.deepEqual(fields, [
        ['resolution_category', 'refund'],
        ['resolution_note', 'Duplicate capture refunded via Stripe'],
        ['resolution.order_number', 'A-1001'],
        ['resolution.warehouse', '7'],
    ]);
    assert.equal((await get(t.id)).resolution.category, 'refund');
    // Lists carry it too; customers never see it on /requests.
    const list = await desk.api('GET', `tickets/show_many.json?ids=${t.id}`, { auth: u.agent });
    assert.equal(list.json.tickets[0].resolution.note, 'Duplicate capture refunded via Stripe');
    const req = await desk.api('GET', `requests/${t.id}.json`, { auth: u.customer });
    assert.equal(req.status, 200, show(req));
    assert.ok(!('resolution' in req.json.request));
});

test('a resolution written ahead counts when solving later; edits merge and are audited', async () => {
    const t = await ticketIn(billing);
    const ahead = await update(t.id, { resolution: { category: 'explained', custom_fields: { order_number: 'B-2' } } });
    assert.equal(ahead.status, 200, show(ahead));
    assert.ok(ahead.json.audit.events.length >= 2, 'a resolution-only change is audited');
    const same = await update(t.id, { resolution: { category: 'explained' } });
    assert.equal(same.status, 200);
    const missing = await update(t.id, { status: 'solved' });
    assert.deepEqual(Object.keys(missing.json.details), ['resolution_note']);
    const ok = await update(t.id, { status: 'solved', resolution: { note: 'Explained the pending authorisation' } });
    assert.equal(ok.status, 200, show(ok));
    const res = (await get(t.id)).resolution;
    assert.equal(res.category, 'explained');
    assert.deepEqual(res.custom_fields, { order_number: 'B-2' });
    // A field set to null is removed; resolution: null clears everything.
    const drop = await update(t.id, { resolution: { custom_fields: { order_number: null } } });
    assert.equal(drop.status, 200, show(drop));
    assert.deepEqual((await get(t.id)).resolution.custom_fields, {});
    const change = drop.json.audit.events.find((e) => e.field_name === 'resolution.order_number');
    assert.deepEqual([change.previous_value, change.value], ['B-2', null]);
    assert.equal((await update(t.id, { resolution: null })).status, 200);
    assert.equal((await get(t.id)).resolution, null);
    // Reopened by the customer, solving again checks the policy again.
    const reopen = await desk.api('PUT', `requests/${t.id}.json`, { auth: u.customer, body: { request: { comment: { body: 'Still charged twice!' } } } });
    assert.equal(reopen.status, 200, show(reopen));
    assert.equal((await get(t.id)).status, 'open');
    assert.equal((await update(t.id, { status: 'solved' })).status, 422);
});

test('groups without a policy, and customers solving their own request, need nothing', async () => {
    const t = await ticketIn(plain);
    assert.equal((await update(t.id, { status: 'solved' })).status, 200);
    const b = await ticketIn(billing);
    const mine = await desk.api('PUT', `requests/${b.id}.json`, { auth: u.customer, body: { request: { solved: true, comment: { body: 'Sorted, thanks' } } } });
    assert.equal(mine.status, 200, show(mine));
    assert.equal((await get(b.id)).status, 'solved');
    // Moving a ticket into the policy's group while solving it applies that group's policy.
    const moved = await ticketIn(plain);
    const r = await update(moved.id, { status: 'solved', group_id: billing.id });
    assert.equal(r.status, 422, show(r));
});

test('bad resolutions are refused with the field named', async () => {
    const t = await ticketIn(plain);
    for (const [resolution, field] of [
        ['refund', 'resolution'],
        [{ category: 'not a name' }, 'resolution_category'],
        [{ category: 7 }, 'category'],
        [{ note: ['x'] }, 'note'],
        [{ custom_fields: [] }, 'custom_fields'],
        [{ custom_fields: { 'Order Number': 'x' } }, 'resolution'],
        [{ custom_fields: { amount: 1.5 } }, 'amount'],
        [{ custom_fields: { big: 'x'.repeat(1025) } }, 'big'],
    ]) {
        const r = await update(t.id, { resolution });
        assert.equal(r.status, 422, `${JSON.stringify(resolution)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${JSON.stringify(resolution)} names ${field}: ${r.text}`);
    }
    assert.equal((await get(t.id)).resolution, null);
});

test('resolutions are searchable by staff, never by customers, and edits leave no stale words', async () => {
    const t = await ticketIn(billing, 'Invoice question');
    const r = await update(t.id, {
        status: 'solved',
        resolution: { category: 'explained', note: 'Quetzalcoatl voucher applied', custom_fields: { order_number: 'ZX-48151623' } },
    });
    assert.equal(r.status, 200, show(r));
    const find = (q, auth) => desk.api('GET', `search.json?query=${encodeURIComponent(q)}`, { auth });
    for (const q of ['quetzalcoatl', 'voucher quetzalcoatl', 'ZX-48151623', 'comment:quetzalcoatl']) {
        const s = await find(q, u.agent);
        assert.ok(s.json.results.some((x) => x.id === t.id), `${q}: ${show(s)}`);
    }
    // Customers cannot search at all; what they can read of the ticket has no resolution.
    assert.equal((await find('quetzalcoatl', u.customer)).status, 403);
    const asCustomer = await desk.api('GET', `requests/${t.id}/comments.json`, { auth: u.customer });
    assert.ok(!asCustomer.text.includes('Quetzalcoatl'), 'the resolution note is not a comment');
    assert.equal((await update(t.id, { resolution: { note: 'Coupon applied' } })).status, 200);
    assert.equal((await find('quetzalcoatl', u.agent)).json.count, 0, 'the old note is gone from the index');
    assert.equal((await find('coupon', u.agent)).json.results[0].id, t.id);
    // Internal notes stay searchable after the rewrite, and later notes are added as before.
    assert.equal((await update(t.id, { comment: { body: 'Ocelot internal remark', public: false } })).status, 200);
    assert.equal((await find('ocelot', u.agent)).json.count, 1);
    assert.equal((await update(t.id, { resolution: { note: 'Coupon applied twice' } })).status, 200);
    assert.equal((await find('ocelot', u.agent)).json.count, 1);
});
