// Commitments through the API: making one in the customer's or the agent's zone
// (and across DST changes), the audit each change leaves on the ticket, the
// summary in the ticket JSON (staff only), who may change what, the supervisor's
// list with filters, closing a ticket, and the 422s that name the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, ISO_SECONDS } from './lib/desk.mjs';

let desk;
let u;
let ticket;

const HOUR = 3600_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

before(async () => {
    desk = await Desk.create('commitments');
    u = await addStandardUsers(desk);
    await desk.start();
    let r = await desk.api('PUT', `users/${u.customer.id}.json`, {
        auth: u.admin,
        body: { user: { time_zone: 'America/New_York' } },
    });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('PUT', `users/${u.agent.id}.json`, {
        auth: u.admin,
        body: { user: { time_zone: 'Europe/Prague' } },
    });
    assert.equal(r.status, 200, show(r));
    ticket = await newTicket('Call me back please');
});

after(async () => {
    await desk?.stop();
});

async function newTicket(subject, extra = {}) {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject, comment: { body: 'The printer ate my invoice.' }, requester_id: u.customer.id, ...extra } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket;
}

async function commit(ticketId, body, auth = u.agent) {
    return desk.api('POST', `tickets/${ticketId}/commitments.json`, { auth, body: { commitment: body } });
}

async function audits(ticketId) {
    const r = await desk.api('GET', `tickets/${ticketId}/audits.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.audits;
}

function expect422(r, field) {
    assert.equal(r.status, 422, show(r));
    assert.equal(r.json.error, 'RecordInvalid', show(r));
    const fields = Object.keys(r.json.details || {});
    assert.ok(fields.includes(field), `422 names ${field}: ${show(r)}`);
}

test('a commitment in the requester\'s zone is stored in UTC and shown in their wall time', async () => {
    const r = await commit(ticket.id, {
        due_local: '2027-01-12T10:00',
        time_zone: 'requester',
        note: 'Call back Tuesday 10:00 their time',
    });
    assert.equal(r.status, 201, show(r));
    const c = r.json.commitment;
    assert.equal(r.headers.get('location'), `${desk.base}/commitments/${c.id}.json`);
    assert.equal(c.ticket_id, ticket.id);
    assert.equal(c.owner_id, u.agent.id, 'owner defaults to the actor');
    assert.equal(c.created_by_id, u.agent.id);
    assert.equal(c.state, 'open');
    assert.equal(c.time_zone, 'America/New_York');
    assert.equal(c.due_at, '2027-01-12T15:00:00Z');
    assert.equal(c.due_local, '2027-01-12T10:00:00');
    assert.equal(c.due_offset, '-05:00');
    assert.equal(c.due_explanation, null);
    assert.equal(c.note, 'Call back Tuesday 10:00 their time');
    assert.equal(c.remind_at, '2027-01-12T14:45:00Z', 'reminder 15 minutes ahead by default');
    assert.match(c.created_at, ISO_SECONDS);

    const shown = await desk.api('GET', `commitments/${c.id}.json`, { auth: u.agent2 });
    assert.equal(shown.status, 200, show(shown));
    assert.deepEqual(shown.json.commitment, c);
});

test('the owner\'s zone is the default; a UTC due_at needs no zone', async () => {
    let r = await commit(ticket.id, { due_local: '2027-07-12T10:00' });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.json.commitment.time_zone, 'Europe/Prague');
    assert.equal(r.json.commitment.due_at, '2027-07-12T08:00:00Z');
    assert.equal(r.json.commitment.due_offset, '+02:00');

    r = await commit(ticket.id, { due_at: '2027-07-12T08:00:00Z', owner_id: u.agent2.id });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.json.commitment.owner_id, u.agent2.id);
    assert.equal(r.json.commitment.time_zone, null);
    assert.equal(r.json.commitment.due_local, null);
    assert.equal(r.json.commitment.due_at, '2027-07-12T08:00:00Z');
});

test('a time skipped or repeated by DST is resolved as RFC 5545 says, and explained', async () => {
    // Prague springs forward at 02:00 on 2027-03-28: 02:30 does not exist.
    let r = await commit(ticket.id, { due_local: '2027-03-28T02:30', time_zone: 'Europe/Prague' });
    assert.equal(r.status, 201, show(r));
    let c = r.json.commitment;
    assert.equal(c.due_at, '2027-03-28T01:30:00Z');
    assert.equal(c.due_local, '2027-03-28T03:30:00');
    assert.equal(c.due_offset, '+02:00');
    assert.match(c.due_explanation, /does not exist in Europe\/Prague/);

    // New York falls back at 02:00 on 2027-11-07: 01:30 happens twice; the first (EDT) counts.
    r = await commit(ticket.id, { due_local: '2027-11-07T01:30', time_zone: 'America/New_York' });
    assert.equal(r.status, 201, show(r));
    c = r.json.commitment;
    assert.equal(c.due_at, '2027-11-07T05:30:00Z');
    assert.equal(c.due_offset, '-04:00');
    assert.match(c.due_explanation, /occurs twice in America\/New_York/);

    // Sydney springs forward on 2027-10-03 (southern hemisphere).
    r = await commit(ticket.id, { due_local: '2027-10-03T02:30', time_zone: 'Australia/Sydney' });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.json.commitment.due_at, '2027-10-02T16:30:00Z');
    assert.equal(r.json.commitment.due_local, '2027-10-03T03:30:00');
});

test('bad input is a 422 naming the field, and nothing is written', async () => {
    const before = (await desk.api('GET', `tickets/${ticket.id}/commitments.json`, { auth: u.agent })).json.count;
    const future = iso(Date.now() + 48 * HOUR);
    expect422(await commit(ticket.id, { due_local: '2027-01-12T10:00', time_zone: 'Mars/Olympus_Mons' }), 'time_zone');
    expect422(await commit(ticket.id, { due_local: '2027-01-12T10:00', time_zone: 'europe/prague' }), 'time_zone');
    expect422(await commit(ticket.id, { due_at: '2020-01-01T10:00:00Z' }), 'due_at');
    expect422(await commit(ticket.id, { due_local: '2020-01-01T10:00', time_zone: 'UTC' }), 'due_local');
    expect422(await commit(ticket.id, { due_at: iso(Date.now() + 10 * 366 * 24 * HOUR) }), 'due_at');
    expect422(await commit(ticket.id, { due_local: '2027-02-30T10:00', time_zone: 'UTC' }), 'due_local');
    expect422(await commit(ticket.id, { due_local: '2027-01-12T10:00Z', time_zone: 'UTC' }), 'due_local');
    expect422(await commit(ticket.id, { note: 'no time at all' }), 'due_at');
    expect422(await commit(ticket.id, { due_at: future, due_local: '2027-01-12T10:00' }), 'due_local');
    expect422(await commit(ticket.id, { due_at: future, owner_id: u.customer.id }), 'owner_id');
    expect422(await commit(ticket.id, { due_at: future, owner_id: 987654 }), 'owner_id');
    expect422(await commit(ticket.id, { due_at: future, note: 'x'.repeat(2001) }), 'note');
    expect422(await commit(ticket.id, { due_at: future, state: 'done' }), 'state');
    expect422(await commit(ticket.id, { due_at: 'next tuesday' }), 'due_at');
    expect422(await commit(987654, { due_at: future }), 'ticket_id');
    let r = await desk.api('POST', 'commitments.json', { auth: u.agent, body: { commitment: { ticket_id: 987654, due_at: future } } });
    expect422(r, 'ticket_id');
    r = await desk.api('POST', 'commitments.json', { auth: u.agent, body: { commitment: { due_at: future } } });
    expect422(r, 'ticket_id');
    // The requester's zone must be a real one too.
    const odd = await desk.api('PUT', `users/${u.customer2.id}.json`, { auth: u.admin, body: { user: { time_zone: 'Pacific Time (US & Canada)' } } });
    assert.equal(odd.status, 200, show(odd));
    const t2 = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject: 'Odd zone', comment: { body: 'hi' }, requester_id: u.customer2.id } },
    });
    r = await commit(t2.json.ticket.id, { due_local: '2027-01-12T10:00', time_zone: 'requester' });
    expect422(r, 'time_zone');
    assert.match(r.json.details.time_zone[0].description, /requester's zone/);
    r = await desk.api('POST', `tickets/${ticket.id}/commitments.json`, { auth: u.agent, body: '{"commitment": [1]}' });
    assert.equal(r.status, 422, show(r));
    const afterCount = (await desk.api('GET', `tickets/${ticket.id}/commitments.json`, { auth: u.agent })).json.count;
    assert.equal(afterCount, before, 'no commitment was written');
});

test('every change is audited on the ticket', async () => {
    const t = await newTicket('Audited promises');
    let r = await commit(t.id, { due_at: '2027-05-01T09:00:00Z', note: 'Send the RMA label' });
    assert.equal(r.status, 201, show(r));
    const id = r.json.commitment.id;
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent, body: { commitment: { due_at: '2027-05-02T09:00:00Z' } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.commitment.due_at, '2027-05-02T09:00:00Z');
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.commitment.state, 'done');
    assert.match(r.json.commitment.resolved_at, ISO_SECONDS);
    assert.equal(r.json.commitment.resolved_by_id, u.agent.id);

    const events = (await audits(t.id)).flatMap((a) => a.events.map((e) => ({ ...e, author_id: a.author_id })));
    const mine = events.filter((e) => (e.field_name || '').startsWith(`commitment_${id}`));
    const find = (field, value) => mine.find((e) => e.field_name === field && e.value === value);
    assert.ok(find(`commitment_${id}`, 'open'), `created: ${JSON.stringify(mine)}`);
    assert.equal(find(`commitment_${id}`, 'open').type, 'Create');
    assert.ok(find(`commitment_${id}_note`, 'Send the RMA label'));
    const moved = find(`commitment_${id}_due_at`, '2027-05-02T09:00:00Z');
    assert.equal(moved.type, 'Change');
    assert.equal(moved.previous_value, '2027-05-01T09:00:00Z');
    const done = find(`commitment_${id}`, 'done');
    assert.equal(done.previous_value, 'open');
    assert.equal(done.author_id, u.agent.id);

    // Done is final; a second cancel is refused, and the audit count stays.
    const n = mine.length;
    r = await desk.api('DELETE', `commitments/${id}.json`, { auth: u.agent });
    expect422(r, 'state');
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent, body: { commitment: { state: 'open' } } });
    expect422(r, 'state');
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent, body: { commitment: { state: 'missed' } } });
    expect422(r, 'state');
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent, body: { commitment: { due_at: '2027-06-01T09:00:00Z' } } });
    expect422(r, 'due_at');
    const again = (await audits(t.id)).flatMap((a) => a.events).filter((e) => (e.field_name || '').startsWith(`commitment_${id}`));
    assert.equal(again.length, n);
});

test('cancelling through DELETE keeps the commitment, cancelled and audited', async () => {
    const t = await newTicket('Cancelled promise');
    let r = await commit(t.id, { due_at: '2027-05-01T09:00:00Z' });
    const id = r.json.commitment.id;
    r = await desk.api('DELETE', `commitments/${id}.json`, { auth: u.agent });
    assert.equal(r.status, 204, show(r));
    r = await desk.api('GET', `commitments/${id}.json`, { auth: u.agent });
    assert.equal(r.json.commitment.state, 'cancelled');
    const ev = (await audits(t.id)).flatMap((a) => a.events).find((e) => e.field_name === `commitment_${id}` && e.value === 'cancelled');
    assert.equal(ev?.previous_value, 'open');
    r = await desk.api('DELETE', `commitments/${id}.json`, { auth: u.agent });
    assert.equal(r.status, 204, 'cancelling twice changes nothing');
    r = await desk.api('DELETE', 'commitments/987654.json', { auth: u.agent });
    assert.equal(r.status, 404, show(r));
});

test('agents change their own commitments; supervisors anyone\'s; end users see none', async () => {
    const t = await newTicket('Whose promise');
    let r = await commit(t.id, { due_at: '2027-05-01T09:00:00Z' });
    const id = r.json.commitment.id;
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent2, body: { commitment: { note: 'mine now' } } });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.supervisor, body: { commitment: { owner_id: u.agent2.id } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.commitment.owner_id, u.agent2.id);
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.agent2, body: { commitment: { note: 'handed to me' } } });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('PUT', `commitments/${id}.json`, { auth: u.supervisor, body: { commitment: { owner_id: u.customer.id } } });
    expect422(r, 'owner_id');

    for (const path of [`tickets/${t.id}/commitments.json`, `commitments/${id}.json`, 'commitments.json']) {
        r = await desk.api('GET', path, { auth: u.customer });
        assert.equal(r.status, 403, `${path}: ${show(r)}`);
    }
    r = await desk.api('POST', `tickets/${t.id}/commitments.json`, { auth: u.customer, body: { commitment: { due_at: '2027-05-01T09:00:00Z' } } });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('GET', `requests/${t.id}.json`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    assert.ok(!JSON.stringify(r.json).includes('commitment'), `customers never see commitments: ${r.text}`);
    r = await desk.api('GET', `commitments/${id}.json`);
    assert.equal(r.status, 401, show(r));
});

test('the ticket JSON sums up its commitments for staff', async () => {
    const t = await newTicket('Summary');
    let r = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.deepEqual(r.json.ticket.commitments, { open: 0, done: 0, missed: 0, cancelled: 0, next: null });
    const a = (await commit(t.id, { due_at: '2027-05-03T09:00:00Z' })).json.commitment;
    const b = (await commit(t.id, { due_at: '2027-05-02T09:00:00Z', owner_id: u.agent2.id })).json.commitment;
    const c = (await commit(t.id, { due_at: '2027-05-01T09:00:00Z' })).json.commitment;
    await desk.api('PUT', `commitments/${c.id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    r = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.deepEqual(r.json.ticket.commitments, {
        open: 2,
        done: 1,
        missed: 0,
        cancelled: 0,
        next: { id: b.id, owner_id: u.agent2.id, due_at: '2027-05-02T09:00:00Z' },
    });
    assert.ok(a.id);
    r = await desk.api('GET', `tickets.json`, { auth: u.agent });
    assert.ok(r.json.tickets.every((x) => x.commitments && typeof x.commitments.open === 'number'));
    r = await desk.api('GET', `tickets/${t.id}/commitments.json`, { auth: u.agent2 });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.commitments.map((x) => x.id), [a.id, b.id, c.id]);
    assert.equal(r.json.count, 3);
    r = await desk.api('GET', 'tickets/987654/commitments.json', { auth: u.agent });
    assert.equal(r.status, 404, show(r));
});

test('supervisors list commitments across tickets by owner, state and due time', async () => {
    const t = await newTicket('Listing');
    const early = (await commit(t.id, { due_at: '2030-01-01T09:00:00Z', owner_id: u.agent2.id })).json.commitment;
    const late = (await commit(t.id, { due_at: '2030-06-01T09:00:00Z', owner_id: u.agent2.id })).json.commitment;
    await desk.api('PUT', `commitments/${late.id}.json`, { auth: u.supervisor, body: { commitment: { state: 'cancelled' } } });
    let r = await desk.api('GET', `commitments.json?owner_id=${u.agent2.id}&state=open&due_after=2029-12-31T00:00:00Z&due_before=2030-03-01T00:00:00Z`, { auth: u.supervisor });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.commitments.map((x) => x.id), [early.id]);
    r = await desk.api('GET', `commitments.json?owner_id=${u.agent2.id}&state=cancelled`, { auth: u.supervisor });
    assert.deepEqual(r.json.commitments.map((x) => x.id), [late.id]);
    r = await desk.api('GET', `commitments.json?owner_id=${u.agent2.id}&page[size]=1`, { auth: u.supervisor });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.commitments.length, 1);
    assert.ok(r.json.meta.has_more);

    // Agents list their own; someone else's is not theirs to read across tickets.
    r = await desk.api('GET', 'commitments.json', { auth: u.agent2 });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.json.commitments.length >= 2 && r.json.commitments.every((x) => x.owner_id === u.agent2.id));
    r = await desk.api('GET', `commitments.json?owner_id=${u.agent.id}`, { auth: u.agent2 });
    assert.equal(r.status, 403, show(r));

    for (const q of ['state=late', 'owner_id=abc', 'due_before=tomorrow', 'due_after=2030-13-01']) {
        r = await desk.api('GET', `commitments.json?${q}`, { auth: u.supervisor });
        assert.equal(r.status, 400, `${q}: ${show(r)}`);
        assert.equal(r.json.field, q.split('=')[0], show(r));
    }
});

test('closing a ticket cancels its open commitments, audited; a closed ticket takes none', async () => {
    const t = await newTicket('Closing', { assignee_id: u.agent.id });
    const open = (await commit(t.id, { due_at: '2027-05-01T09:00:00Z' })).json.commitment;
    const done = (await commit(t.id, { due_at: '2027-05-02T09:00:00Z' })).json.commitment;
    await desk.api('PUT', `commitments/${done.id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    let r = await desk.api('PUT', `tickets/${t.id}.json`, { auth: u.agent, body: { ticket: { status: 'closed' } } });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('GET', `commitments/${open.id}.json`, { auth: u.agent });
    assert.equal(r.json.commitment.state, 'cancelled');
    r = await desk.api('GET', `commitments/${done.id}.json`, { auth: u.agent });
    assert.equal(r.json.commitment.state, 'done');
    const ev = (await audits(t.id)).flatMap((a) => a.events).filter((e) => e.field_name === `commitment_${open.id}` && e.value === 'cancelled');
    assert.equal(ev.length, 1);
    expect422(await commit(t.id, { due_at: '2027-05-01T09:00:00Z' }), 'ticket_id');
});
