// Staff profiles, availability and skills: what a supervisor keeps about each
// agent (languages with proficiency, capacity per channel, schedule, mentor,
// hire date, training, supervisor-only notes), availability changes with their
// history, skills in Zendesk's routing-attribute shapes, and the 422s for bad
// input (unknown languages, capacity <= 0, a mentor who is not an agent,
// deleted skills).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let group;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

function field422(r, field) {
    assert.equal(r.status, 422, show(r));
    assert.equal(r.json.error, 'RecordInvalid');
    assert.ok(r.json.details[field], `422 names ${field}: ${r.text}`);
}

before(async () => {
    desk = await Desk.create('team_staff');
    u = await addStandardUsers(desk);
    await desk.start();
    group = (await must('POST', 'groups.json', { group: { name: 'Support' } })).group.id;
    for (const k of ['agent', 'agent2', 'supervisor']) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: u[k].id, group_id: group } });
    }
});

after(async () => {
    await desk?.stop();
});

test('a supervisor writes a profile; agents read it without the supervisor notes', async () => {
    const profile = {
        languages: [{ tag: 'cs', proficiency: 'native' }, { tag: 'en-gb', proficiency: 'fluent' }, 'de'],
        capacity: { email: 8, chat: 3 },
        schedule: { time_zone: 'Europe/Prague', shifts: [{ day: 'mon', start: '09:00', end: '17:00' }, { day: 'fri', start: '22:00', end: '06:00' }] },
        mentor_id: u.agent2.id,
        hire_date: '2024-05-01',
        training: [{ course: 'Refund policy', completed_at: '2024-06-01T10:00:00Z' }, { course: 'Chat etiquette' }],
        supervisor_notes: 'Watch the tone with VIP customers',
        trainee: false,
    };
    const r = await must('PUT', `staff/${u.agent.id}.json`, { staff: profile }, u.supervisor);
    const s = r.staff;
    assert.deepEqual(s.languages, [
        { tag: 'cs', proficiency: 'native' },
        { tag: 'de', proficiency: 'fluent' },
        { tag: 'en-GB', proficiency: 'fluent' },
    ], 'best spoken first, then by tag');
    assert.deepEqual(s.capacity, { chat: 3, email: 8 });
    assert.equal(s.schedule.time_zone, 'Europe/Prague');
    assert.deepEqual(s.schedule.shifts[1], { day: 'fri', start: '22:00', end: '06:00' });
    assert.equal(s.mentor_id, u.agent2.id);
    assert.equal(s.hire_date, '2024-05-01');
    assert.equal(s.training.length, 2);
    assert.equal(s.training[0].completed_at, '2024-06-01T10:00:00Z');
    assert.equal(s.training[1].completed_at, null);
    assert.equal(s.supervisor_notes, 'Watch the tone with VIP customers');
    assert.equal(s.state, 'active');

    // The agent reads their own profile: no supervisor notes, not even the key.
    const mine = await desk.api('GET', `staff/${u.agent.id}.json`, { auth: u.agent });
    assert.equal(mine.status, 200, show(mine));
    assert.ok(!('supervisor_notes' in mine.json.staff), mine.text);
    assert.ok(!mine.text.includes('VIP'), 'notes leak to the agent');
    const other = await desk.api('GET', `staff/${u.agent.id}.json`, { auth: u.agent2 });
    assert.ok(!other.text.includes('VIP'), 'notes leak to another agent');
    // Customers never reach staff profiles, nor see staff fields on users.
    const cust = await desk.api('GET', `staff/${u.agent.id}.json`, { auth: u.customer });
    assert.equal(cust.status, 403, show(cust));
    const me = await desk.api('GET', 'users/me.json', { auth: u.customer });
    assert.ok(!('staff' in me.json.user));
    // Staff see the summary on the user object.
    const asStaff = await must('GET', `users/${u.agent.id}.json`, undefined, u.agent2);
    assert.equal(asStaff.user.staff.state, 'active');
    assert.equal(asStaff.user.staff.availability, 'offline');
    // Agents may not write profiles.
    const denied = await desk.api('PUT', `staff/${u.agent2.id}.json`, { auth: u.agent, body: { staff: { hire_date: '2020-01-01' } } });
    assert.equal(denied.status, 403, show(denied));
    // Supervisors may not write an admin's profile.
    const up = await desk.api('PUT', `staff/${u.admin.id}.json`, { auth: u.supervisor, body: { staff: { hire_date: '2020-01-01' } } });
    assert.equal(up.status, 403, show(up));
    // End users have no staff profile.
    const none = await desk.api('GET', `staff/${u.customer.id}.json`, { auth: u.admin });
    assert.equal(none.status, 404, show(none));
    // The change is audited.
    const ev = await must('GET', `staff/${u.agent.id}/events.json`, undefined, u.supervisor);
    assert.ok(ev.staff_events.some((e) => e.type === 'profile_updated' && e.actor_id === u.supervisor.id));
});

test('bad profile input is a 422 naming the field, and nothing is written', async () => {
    const cases = [
        [{ languages: [{ tag: 'xx' }] }, 'languages'],
        [{ languages: ['english'] }, 'languages'],
        [{ languages: [{ tag: 'cs', proficiency: 'godlike' }] }, 'languages'],
        [{ languages: ['cs', 'CS'] }, 'languages'],
        [{ capacity: { email: 0 } }, 'capacity'],
        [{ capacity: { chat: -3 } }, 'capacity'],
        [{ capacity: { fax: 2 } }, 'capacity'],
        [{ capacity: { email: 2.5 } }, 'capacity'],
        [{ mentor_id: u.customer.id }, 'mentor_id'],
        [{ mentor_id: u.agent.id }, 'mentor_id'],
        [{ mentor_id: 999999 }, 'mentor_id'],
        [{ schedule: { time_zone: 'Mars/Olympus', shifts: [] } }, 'schedule'],
        [{ schedule: { time_zone: 'UTC', shifts: [{ day: 'mon', start: '9:00', end: '17:00' }] } }, 'schedule'],
        [{ schedule: { time_zone: 'UTC', shifts: [{ day: 'mon', start: '09:00', end: '09:00' }] } }, 'schedule'],
        [{ hire_date: '2024-02-30' }, 'hire_date'],
        [{ hire_date: 'yesterday' }, 'hire_date'],
        [{ training: [{ course: '' }] }, 'training'],
        [{ attribute_value_ids: ['123456'] }, 'attribute_value_ids'],
        [{ trainee: 'yes' }, 'trainee'],
    ];
    const before = await must('GET', `staff/${u.agent.id}.json`, undefined, u.supervisor);
    for (const [staff, field] of cases) {
        const r = await desk.api('PUT', `staff/${u.agent.id}.json`, { auth: u.supervisor, body: { staff } });
        field422(r, field);
    }
    const afterwards = await must('GET', `staff/${u.agent.id}.json`, undefined, u.supervisor);
    assert.deepEqual(afterwards.staff, before.staff, 'a refused change leaves the profile as it was');
});

test('availability changes are recorded with time, actor and reason', async () => {
    let r = await must('PUT', `staff/${u.agent2.id}/availability.json`, { availability: { status: 'online' } }, u.agent2);
    assert.equal(r.availability.status, 'online');
    assert.ok(r.availability.since);
    r = await must('PUT', `staff/${u.agent2.id}/availability.json`, { availability: { status: 'away', reason: 'lunch' } }, u.agent2);
    r = await must('PUT', `staff/${u.agent2.id}/availability.json`, { availability: { status: 'busy' } }, u.supervisor);
    // Same status again is not a change.
    await must('PUT', `staff/${u.agent2.id}/availability.json`, { availability: { status: 'busy' } }, u.supervisor);
    // An agent cannot set someone else's status.
    const denied = await desk.api('PUT', `staff/${u.agent2.id}/availability.json`, { auth: u.agent, body: { availability: { status: 'offline' } } });
    assert.equal(denied.status, 403, show(denied));
    const bad = await desk.api('PUT', `staff/${u.agent2.id}/availability.json`, { auth: u.agent2, body: { availability: { status: 'sleeping' } } });
    field422(bad, 'status');
    const h = await must('GET', `staff/${u.agent2.id}/availability/history.json`, undefined, u.agent2);
    const seen = h.availability_changes.map((c) => [c.status, c.previous, c.actor_id, c.reason]);
    assert.deepEqual(seen, [
        ['online', null, u.agent2.id, null],
        ['away', 'online', u.agent2.id, 'lunch'],
        ['busy', 'away', u.supervisor.id, null],
    ]);
    for (const c of h.availability_changes) {
        assert.match(c.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const cur = await must('GET', `staff/${u.agent2.id}/availability.json`, undefined, u.agent);
    assert.equal(cur.availability.status, 'busy');
    // Another agent's history is theirs and their supervisors'.
    const other = await desk.api('GET', `staff/${u.agent2.id}/availability/history.json`, { auth: u.agent });
    assert.equal(other.status, 403, show(other));
});

test('skills: attributes, values and instance values in Zendesk shapes', async () => {
    const attr = (await must('POST', 'routing/attributes.json', { attribute: { name: 'Product' } }, u.supervisor)).attribute;
    assert.equal(typeof attr.id, 'string');
    assert.equal(attr.name, 'Product');
    assert.ok(attr.url.endsWith(`/routing/attributes/${attr.id}.json`));
    const billing = (await must('POST', `routing/attributes/${attr.id}/values.json`, { attribute_value: { name: 'Billing' } }, u.supervisor)).attribute_value;
    const shipping = (await must('POST', `routing/attributes/${attr.id}/values.json`, { attribute_value: { name: 'Shipping' } }, u.supervisor)).attribute_value;
    assert.equal(billing.attribute_id, attr.id);
    const dup = await desk.api('POST', `routing/attributes/${attr.id}/values.json`, { auth: u.supervisor, body: { attribute_value: { name: 'billing' } } });
    field422(dup, 'name');
    const list = await must('GET', 'routing/attributes.json', undefined, u.agent);
    assert.equal(list.count, 1);
    assert.deepEqual(list.attributes.map((a) => a.name), ['Product']);
    const vals = await must('GET', `routing/attributes/${attr.id}/values.json`, undefined, u.agent);
    assert.deepEqual(vals.attribute_values.map((v) => v.name), ['Billing', 'Shipping']);
    const renamed = await must('PATCH', `routing/attributes/${attr.id}/values/${shipping.id}.json`, { attribute_value: { name: 'Logistics' } }, u.supervisor);
    assert.equal(renamed.attribute_value.name, 'Logistics');

    // Agent instance values (Zendesk: attribute_value_ids as strings).
    const set = await must('POST', `routing/agents/${u.agent.id}/instance_values.json`, { attribute_value_ids: [billing.id, shipping.id] }, u.supervisor);
    assert.deepEqual(set.attribute_values.map((v) => v.name), ['Billing', 'Logistics']);
    const got = await must('GET', `routing/agents/${u.agent.id}/instance_values.json`, undefined, u.agent2);
    assert.deepEqual(got.attribute_values.map((v) => v.id), [billing.id, shipping.id]);
    const prof = await must('GET', `staff/${u.agent.id}.json`, undefined, u.supervisor);
    assert.deepEqual(prof.staff.attribute_value_ids, [billing.id, shipping.id]);
    const agentDenied = await desk.api('POST', `routing/agents/${u.agent2.id}/instance_values.json`, { auth: u.agent, body: { attribute_value_ids: [billing.id] } });
    assert.equal(agentDenied.status, 403, show(agentDenied));

    // Ticket instance values.
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'Invoice', comment: { body: 'wrong invoice' } } }, u.agent)).ticket;
    const tv = await must('POST', `routing/tickets/${t.id}/instance_values.json`, { attribute_value_ids: [billing.id] }, u.agent);
    assert.deepEqual(tv.attribute_values.map((v) => v.name), ['Billing']);

    // A deleted skill leaves routing and cannot be referenced again.
    const del = await desk.api('DELETE', `routing/attributes/${attr.id}/values/${shipping.id}.json`, { auth: u.supervisor });
    assert.equal(del.status, 204, show(del));
    const gone = await must('GET', `routing/agents/${u.agent.id}/instance_values.json`, undefined, u.agent2);
    assert.deepEqual(gone.attribute_values.map((v) => v.name), ['Billing']);
    for (const [path, who] of [[`routing/agents/${u.agent.id}/instance_values.json`, u.supervisor], [`routing/tickets/${t.id}/instance_values.json`, u.agent]]) {
        const r = await desk.api('POST', path, { auth: who, body: { attribute_value_ids: [shipping.id] } });
        field422(r, 'attribute_value_ids');
    }
    const viaProfile = await desk.api('PUT', `staff/${u.agent.id}.json`, { auth: u.supervisor, body: { staff: { attribute_value_ids: [shipping.id] } } });
    field422(viaProfile, 'attribute_value_ids');
    const missing = await desk.api('GET', `routing/attributes/${attr.id}/values/${shipping.id}.json`, { auth: u.agent });
    assert.equal(missing.status, 404, show(missing));
    const badBody = await desk.api('POST', `routing/tickets/${t.id}/instance_values.json`, { auth: u.agent, body: { attribute_value_ids: 'all' } });
    field422(badBody, 'attribute_value_ids');
    // Deleting the attribute takes its values along.
    await must('DELETE', `routing/attributes/${attr.id}.json`, undefined, u.supervisor, [204]);
    const after = await must('GET', `routing/agents/${u.agent.id}/instance_values.json`, undefined, u.agent2);
    assert.deepEqual(after.attribute_values, []);
});

test('the staff list shows everyone with a profile', async () => {
    const r = await must('GET', 'staff.json', undefined, u.agent);
    const ids = r.staff.map((s) => s.user_id);
    assert.ok(ids.includes(u.agent.id) && ids.includes(u.agent2.id));
    assert.ok(r.staff.every((s) => !('supervisor_notes' in s)));
    const bad = await desk.api('GET', 'staff.json?state=asleep', { auth: u.agent });
    assert.equal(bad.status, 400, show(bad));
});
